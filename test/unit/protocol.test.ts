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
const index = {
    phase: "indexing" as const,
    stage: "keyword" as const,
    filesDone: 4,
    filesTotal: 10,
    coverage: 0.4,
    chunksTotal: 30,
    chunksWithVectors: 0,
    semanticCoverage: 0,
    etaSeconds: 12,
};
const chunks = { chunksTotal: 120, chunksWithVectors: 120, semanticCoverage: 1 };

const validFrom: FromWebview[] = [
    { type: "ready" },
    { type: "search", requestId: 3, query: "retry a failed upload", mode: "hybrid", scope },
    { type: "search", requestId: 0, query: "", mode: "lexical", scope: { code: false, docs: false, glob: "" } },
    { type: "open", location: loc },
    { type: "findSimilar", requestId: 9, location: loc },
    { type: "findSimilar", requestId: 9, location: loc, enclosing: true },
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
        { type: "findSimilar", requestId: 9, location: loc, enclosing: "yes" },
        { type: "findSimilar", requestId: 9, location: loc, enclosing: true, extra: 1 },
        { type: "runAction", action: "workbench.action.terminal.new" },
        { type: "runAction", action: "__proto__" },
    ];
    for (const m of bad) assert.equal(isFromWebview(m), false, JSON.stringify(m));
});

test("host messages: valid ones pass, malformed ones are refused", () => {
    const good: ToWebview[] = [
        { type: "init", defaults: { mode: "vector", maxResults: 20 }, index },
        { type: "results", requestId: 2, source: "search", query: "q", hits: [hit], coverage: 1, semanticCoverage: 0.34, elapsedMs: 12.5 },
        { type: "results", requestId: 0, source: "similar", query: "retry.ts:15", hits: [], coverage: 0.4, semanticCoverage: 0, elapsedMs: 3 },
        {
            type: "results",
            requestId: 0,
            source: "similar",
            query: "retry.ts:15",
            hits: [hit],
            coverage: 1,
            semanticCoverage: 1,
            similarTo: { location: loc, enclosing: true },
            elapsedMs: 3,
        },
        { type: "indexState", index: { phase: "idle", filesDone: 10, filesTotal: 10, coverage: 1, ...chunks } },
        { type: "indexState", index: { ...index, stage: "semantic", filesDone: 10, coverage: 1, chunksWithVectors: 12, semanticCoverage: 0.4 } },
        { type: "indexState", index: { phase: "paused", stage: "semantic", filesDone: 10, filesTotal: 10, coverage: 1, chunksTotal: 3, chunksWithVectors: 1, semanticCoverage: 1 / 3 } },
        { type: "indexState", index: { phase: "error", filesDone: 0, filesTotal: 0, coverage: 0, chunksTotal: 0, chunksWithVectors: 0, semanticCoverage: 0, message: "m", actions: ["fetchModel"] } },
        { type: "error", requestId: 2, message: "Seek's embedding model is not installed.", actions: ["fetchModel", "showLog"] },
        { type: "defaults", defaults: { mode: "hybrid", maxResults: 5 } },
    ];
    for (const m of good) assert.equal(isToWebview(m), true, JSON.stringify(m));
    const { symbol: _s, symbolKind: _k, ...noSymbol } = hit;
    const results = { type: "results", requestId: 1, source: "search", query: "q", coverage: 1, semanticCoverage: 1, elapsedMs: 1 };
    assert.equal(isToWebview({ ...results, hits: [noSymbol] }), true);
    const bad: unknown[] = [
        { ...results, hits: [{ ...hit, kind: "binary" }] },
        { ...results, hits: [{ ...hit, bestLines: [-1] }] },
        { ...results, hits: [{ ...hit, html: "<img>" }] },
        { ...results, source: "other", hits: [] },
        { ...results, hits: "none" },
        { type: "indexState", index: { ...index, phase: "exploded" } },
        { type: "indexState", index: { ...index, actions: ["runShell"] } },
        { type: "init", defaults: { mode: "hybrid" }, index },
        { type: "error", requestId: 1, message: "x", actions: ["format-disk"] },
        { type: "script", code: "alert(1)" },
    ];
    for (const m of bad) assert.equal(isToWebview(m), false, JSON.stringify(m));
});

test("index state: the stage and semantic coverage are checked, and old-shape states are refused", () => {
    const ok = (i: unknown) => isToWebview({ type: "indexState", index: i });
    assert.equal(ok(index), true);
    assert.equal(ok({ ...index, stage: undefined }), true, "stage is optional (absent outside a run)");
    const { semanticCoverage: _c, ...noCoverage } = index;
    const { chunksTotal: _t, ...noChunks } = index;
    const { stage: _st, chunksTotal: _ct, chunksWithVectors: _cv, semanticCoverage: _sc, ...oldShape } = index;
    for (const bad of [
        { ...index, stage: "vectors" },
        { ...index, stage: 1 },
        { ...index, semanticCoverage: 1.5 },
        { ...index, semanticCoverage: -0.1 },
        { ...index, semanticCoverage: Number.NaN },
        { ...index, semanticCoverage: "34%" },
        { ...index, chunksTotal: -1 },
        { ...index, chunksWithVectors: 2.5 },
        { ...index, chunksWithVectors: 31 },
        noCoverage,
        noChunks,
        oldShape,
    ]) {
        assert.equal(ok(bad), false, JSON.stringify(bad));
    }
});

test("results: semanticCoverage is required and a share; similarTo is a location with its enclosing flag", () => {
    const base = { type: "results", requestId: 1, source: "similar", query: "retry.ts:15", hits: [hit], coverage: 1, semanticCoverage: 0.25, elapsedMs: 1 };
    assert.equal(isToWebview(base), true);
    assert.equal(isToWebview({ ...base, similarTo: { location: loc, enclosing: false } }), true);
    const { semanticCoverage: _s, ...without } = base;
    for (const bad of [
        without,
        { ...base, semanticCoverage: 2 },
        { ...base, semanticCoverage: null },
        { ...base, similarTo: loc },
        { ...base, similarTo: { location: loc } },
        { ...base, similarTo: { location: { ...loc, path: "" }, enclosing: true } },
        { ...base, similarTo: { location: loc, enclosing: 1 } },
        { ...base, similarTo: { location: loc, enclosing: true, run: "x" } },
    ]) {
        assert.equal(isToWebview(bad), false, JSON.stringify(bad));
    }
});

test("banner actions: the empty-folder banner's Show Index Status passes; the host may not send it as an error or state action", () => {
    assert.equal(isFromWebview({ type: "runAction", action: "showIndexStatus" }), true);
    for (const action of ["seek.showIndexStatus", "showindexstatus", "showIndexStatus ", ["showIndexStatus"], null]) {
        assert.equal(isFromWebview({ type: "runAction", action }), false, JSON.stringify(action));
    }
    assert.equal(isFromWebview({ type: "runAction", action: "showIndexStatus", folder: "x" }), false, "extra fields are refused");
    // Error and state actions are what commands/reportError.ts runs; the banner adds Show Index Status by itself.
    assert.equal(isToWebview({ type: "error", requestId: 1, message: "x", actions: ["showIndexStatus"] }), false);
    assert.equal(isToWebview({ type: "indexState", index: { ...index, actions: ["showIndexStatus"] } }), false);
});

test("assertNever throws for values the type system said could not exist", () => {
    assert.throws(() => assertNever("surprise" as never), /unexpected value/);
});
