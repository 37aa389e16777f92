/**
 * Seek's language-model tools (seek_search, seek_find_similar) called the way an agent's chat calls them: through
 * vscode.lm.invokeTool, in the extension host, against the live index of the fixture workspace.
 */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { searchInputJsonSchema, similarInputJsonSchema, SEARCH_DESCRIPTION } from "../../src/agent/toolSpecs";
import { FindSimilarTool, SearchTool } from "../../src/tools/lmTools";
import { activate, fixtureUri, search, waitForIndex, workspaceFolder } from "./helpers";

async function invoke(name: string, input: object): Promise<string> {
    const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
    return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : "")).join("");
}

/** The `N. path:start-end` location lines of an answer, in rank order. */
function locations(text: string): { path: string; startLine: number; endLine: number }[] {
    return [...text.matchAll(/^\d+\. (\S+):(\d+)(?:-(\d+))?/gm)].map((m) => ({ path: m[1], startLine: +m[2], endLine: +(m[3] ?? m[2]) }));
}

/** invokeTool must reject with a message matching `reason`. */
async function refused(name: string, input: object, reason: RegExp): Promise<void> {
    await assert.rejects(invoke(name, input), (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        assert.match(message, reason, `${name} ${JSON.stringify(input).slice(0, 80)}`);
        assert.ok(!message.includes("    at "), "no stack trace");
        return true;
    });
}

suite("lmTools", () => {
    suiteSetup(async () => {
        await activate();
        await waitForIndex();
    });

    test("both tools are registered, with the declared schemas", () => {
        const search = vscode.lm.tools.find((t) => t.name === "seek_search");
        const similar = vscode.lm.tools.find((t) => t.name === "seek_find_similar");
        assert.ok(search && similar, `registered: ${vscode.lm.tools.map((t) => t.name).join(", ")}`);
        assert.deepEqual(search.inputSchema, searchInputJsonSchema());
        assert.deepEqual(similar.inputSchema, similarInputJsonSchema());
        assert.equal(search.description, SEARCH_DESCRIPTION);
    });

    test("seek_search answers with 1-based places, snippets and the coverage, ranked as the panel ranks", async () => {
        const query = "where do we retry failed uploads?";
        const text = await invoke("seek_search", { query, count: 5 });
        assert.match(text, /^Index: complete \(keyword and meaning\)\.$/m, text);
        const locs = locations(text);
        assert.ok(locs.slice(0, 3).some((l) => l.path === "src/upload/retry.ts" && l.startLine <= 15 && 15 <= l.endLine), text);
        assert.match(text, /^ +15\| export async function retryUpload\(/m, "line 15 of the file, numbered 1-based");
        assert.match(text, /^\d+\. src\/upload\/retry\.ts:\d+-\d+ .*\[(strong|good) \d+\]$/m, "the strength the panel shows");
        const panel = await search(query, { top: 5 });
        assert.deepEqual(
            locs.map((l) => `${l.path}:${l.startLine}`),
            panel.hits.map((h) => `${h.path}:${h.startLine + 1}`),
            "the same hits in the same order as seek._search (the panel's path)",
        );
        assert.ok(!text.includes(workspaceFolder().uri.fsPath) && !text.includes("file://"), "no absolute paths");
        assert.ok(text.length <= 6000);
    });

    test("seek_search keeps to its budget and its scope", async () => {
        const text = await invoke("seek_search", { query: "retry", count: 20, maxChars: 500 });
        assert.ok(text.length <= 500, `${text.length} chars`);
        const docs = await invoke("seek_search", { query: "how do I use an HTTP proxy", scope: "docs" });
        assert.equal(locations(docs)[0]?.path, "docs/README.md", docs);
        assert.ok(!locations(docs).some((l) => /\.(ts|py|go|java|rb)$/.test(l.path)), docs);
    });

    test("seek_find_similar finds the near-duplicate, never the range itself", async () => {
        const text = await invoke("seek_find_similar", { path: "src/upload/retry.ts", startLine: 15, endLine: 28 });
        const locs = locations(text);
        assert.ok(locs.slice(0, 3).some((l) => l.path === "src/net/fetchWithRetry.ts"), text);
        assert.ok(!locs.some((l) => l.path === "src/upload/retry.ts" && l.startLine <= 15 && l.endLine >= 28), text);
        const absolute = await invoke("seek_find_similar", { path: fixtureUri("src/upload/retry.ts").fsPath, startLine: 15, endLine: 28 });
        assert.deepEqual(locations(absolute), locs, "an absolute path inside the workspace names the same file");
    });

    test("prepareInvocation: in a trusted workspace the read-only tools run without a confirmation, with a message naming the call", async () => {
        assert.equal(vscode.workspace.isTrusted, true, "the test workspace is trusted");
        // prepareInvocation uses nothing but its input and the workspace's trust (no index, no Ctx).
        const search = await new SearchTool(undefined as never).prepareInvocation({ input: { query: "retry uploads" } });
        assert.match(String(search?.invocationMessage), /Searching the workspace with Seek for "retry uploads"/);
        assert.equal(search?.confirmationMessages, undefined);
        const similar = await new FindSimilarTool(undefined as never).prepareInvocation({ input: { path: "src/a.ts", startLine: 3, endLine: 9 } });
        assert.match(String(similar?.invocationMessage), /similar to src\/a\.ts:3-9/);
        assert.equal(similar?.confirmationMessages, undefined);
    });

    test("bad input is refused with a reason, and the index is untouched", async () => {
        const before = await search("retryUpload", { mode: "lexical", top: 3 });
        await refused("seek_search", { query: "" }, /query is empty/);
        await refused("seek_search", { query: "x".repeat(2001) }, /limit is 2000/);
        await refused("seek_search", { query: "retry", count: 10_000 }, /count/);
        await refused("seek_search", { query: "retry", path: "../**" }, /leaves the folder/);
        await refused("seek_find_similar", { path: "src/upload/retry.ts", startLine: 5000 }, /has 28 lines/);
        await refused("seek_find_similar", { path: "../../etc/passwd", startLine: 1 }, /outside/);
        await refused("seek_find_similar", { path: "/etc/passwd", startLine: 1 }, /outside the workspace/);
        await refused("seek_find_similar", { path: "src/nope.ts", startLine: 1 }, /does not exist/);
        const after = await search("retryUpload", { mode: "lexical", top: 3 });
        assert.deepEqual(after.hits.map((h) => [h.path, h.startLine]), before.hits.map((h) => [h.path, h.startLine]));
    });
});
