/**
 * The webview protocol guards: every valid message passes, and malformed ones (wrong types, missing or extra
 * fields, out-of-range numbers, unknown variants) are refused.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isFromWebview, isToWebview, assertNever, type FromWebview, type HitDto, type ToWebview } from "../../src/protocol/messages";

const loc = { folder: "file:///work/repo", path: "src/upload/retry.ts", startLine: 14, endLine: 27 };
const scope = { code: true, docs: false, glob: "src/**" };
const hit: HitDto = {
    folder: "file:///work/repo",
    folderName: "repo",
    path: "src/upload/retry.ts",
    startLine: 14,
    endLine: 27,
    score: 0.81,
    language: "typescript",
    kind: "code",
    symbol: "retryUpload",
    symbolKind: "function",
    text: "export async function retryUpload() {}",
    bestLines: [14, 15],
};
const index = { phase: "indexing" as const, filesDone: 4, filesTotal: 10, coverage: 0.4, etaSeconds: 12 };

const validFrom: FromWebview[] = [
    { type: "ready" },
    { type: "search", requestId: 3, query: "retry a failed upload", mode: "hybrid", scope },
    { type: "search", requestId: 0, query: "", mode: "lexical", scope: { code: false, docs: false, glob: "" } },
    { type: "open", location: loc },
    { type: "findSimilar", requestId: 9, location: loc },
    { type: "runAction", action: "showLog" },
];

test("valid webview messages pass the guard", () => {
    for (const m of validFrom) assert.equal(isFromWebview(m), true, JSON.stringify(m));
});

test("malformed webview messages are refused", () => {
    const bad: unknown[] = [
        null,
        undefined,
        "ready",
        42,
        [],
        {},
        { type: "nope" },
        { type: "ready", extra: 1 },
        { type: "search", requestId: -1, query: "q", mode: "hybrid", scope },
        { type: "search", requestId: 1.5, query: "q", mode: "hybrid", scope },
        { type: "search", requestId: "1", query: "q", mode: "hybrid", scope },
        { type: "search", requestId: 1, query: 7, mode: "hybrid", scope },
        { type: "search", requestId: 1, query: "q", mode: "semantic", scope },
        { type: "search", requestId: 1, query: "q", mode: "hybrid" },
        { type: "search", requestId: 1, query: "q", mode: "hybrid", scope: { code: "yes", docs: true, glob: "" } },
        { type: "search", requestId: 1, query: "q", mode: "hybrid", scope: { ...scope, extra: true } },
        { type: "search", requestId: 1, query: "x".repeat(5000), mode: "hybrid", scope },
        { type: "open" },
        { type: "open", location: { ...loc, startLine: -1 } },
        { type: "open", location: { ...loc, endLine: 3 } },
        { type: "open", location: { ...loc, path: "" } },
        { type: "open", location: { ...loc, path: 5 } },
        { type: "open", location: { ...loc, folder: "" } },
        { type: "open", location: { ...loc, startLine: Number.NaN } },
        { type: "open", location: { ...loc, command: "rm -rf" } },
        { type: "findSimilar", location: loc },
        { type: "runAction", action: "workbench.action.terminal.new" },
        { type: "runAction", action: "__proto__" },
    ];
    for (const m of bad) assert.equal(isFromWebview(m), false, JSON.stringify(m));
});

test("host messages: valid ones pass, malformed ones are refused", () => {
    const good: ToWebview[] = [
        { type: "init", defaults: { mode: "vector", maxResults: 20 }, index },
        { type: "results", requestId: 2, source: "search", query: "q", hits: [hit], coverage: 1, elapsedMs: 12.5 },
        { type: "results", requestId: 0, source: "similar", query: "retry.ts:15", hits: [], coverage: 0.4, elapsedMs: 3 },
        { type: "indexState", index: { phase: "idle", filesDone: 10, filesTotal: 10, coverage: 1 } },
        { type: "indexState", index: { phase: "error", filesDone: 0, filesTotal: 0, coverage: 0, message: "m", actions: ["fetchModel"] } },
        { type: "error", requestId: 2, message: "Seek's embedding model is not installed.", actions: ["fetchModel", "showLog"] },
        { type: "defaults", defaults: { mode: "hybrid", maxResults: 5 } },
    ];
    for (const m of good) assert.equal(isToWebview(m), true, JSON.stringify(m));
    const { symbol: _s, symbolKind: _k, ...noSymbol } = hit;
    assert.equal(isToWebview({ type: "results", requestId: 1, source: "search", query: "q", hits: [noSymbol], coverage: 1, elapsedMs: 1 }), true);
    const bad: unknown[] = [
        { type: "results", requestId: 1, source: "search", query: "q", hits: [{ ...hit, kind: "binary" }], coverage: 1, elapsedMs: 1 },
        { type: "results", requestId: 1, source: "search", query: "q", hits: [{ ...hit, bestLines: [-1] }], coverage: 1, elapsedMs: 1 },
        { type: "results", requestId: 1, source: "search", query: "q", hits: [{ ...hit, html: "<img>" }], coverage: 1, elapsedMs: 1 },
        { type: "results", requestId: 1, source: "other", query: "q", hits: [], coverage: 1, elapsedMs: 1 },
        { type: "results", requestId: 1, source: "search", query: "q", hits: "none", coverage: 1, elapsedMs: 1 },
        { type: "indexState", index: { ...index, phase: "exploded" } },
        { type: "indexState", index: { ...index, actions: ["runShell"] } },
        { type: "init", defaults: { mode: "hybrid" }, index },
        { type: "error", requestId: 1, message: "x", actions: ["format-disk"] },
        { type: "script", code: "alert(1)" },
    ];
    for (const m of bad) assert.equal(isToWebview(m), false, JSON.stringify(m));
});

test("assertNever throws for values the type system said could not exist", () => {
    assert.throws(() => assertNever("surprise" as never), /unexpected value/);
});
