/**
 * The pure part of the agent tools (src/agent/): argument validation, the budgeted formatter, the coverage line,
 * and the schemas package.json must repeat. The MCP server and the VS Code tools both stand on these.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { agentErrorText } from "../../src/agent/errorText";
import { formatResults, isPlainRelativePath, snippet, weakNotice, type AgentHit } from "../../src/agent/formatResults";
import { describeIndex } from "../../src/agent/indexNote";
import {
    AGENT_LIMITS,
    checkRangeInFile,
    countLines,
    folderRelativePath,
    parseSearchInput,
    parseSimilarInput,
    searchScope,
    ToolInputError,
} from "../../src/agent/toolInput";
import { SEARCH_DESCRIPTION, SIMILAR_DESCRIPTION, searchInputJsonSchema, similarInputJsonSchema } from "../../src/agent/toolSpecs";
import { CoreError } from "../../src/core/errors";

const complete = { coverage: 1, semanticCoverage: 1 };

function hit(i: number, lines = 30): AgentHit {
    const text = Array.from({ length: lines }, (_, k) => `    const value${i}_${k} = compute(${k}); // ${"x".repeat(40)}`).join("\n");
    return { path: `src/module${i}.ts`, startLine: 100, endLine: 100 + lines - 1, symbol: `fn${i}`, symbolKind: "function", text, bestLines: [110] };
}

test("the answer never exceeds its budget, and keeps rank order from the top", () => {
    const hits = Array.from({ length: 50 }, (_, i) => hit(i));
    for (let maxChars = AGENT_LIMITS.minMaxChars; maxChars <= AGENT_LIMITS.maxMaxChars; maxChars += 701) {
        const out = formatResults({ title: "Seek search \"q\"", hits, index: complete, maxChars });
        assert.ok(out.text.length <= maxChars, `${out.text.length} > ${maxChars}`);
        const listed = [...out.text.matchAll(/^(\d+)\. src\/module(\d+)\.ts:100-129  fn\d+ \(function\)$/gm)].map((m) => [+m[1], +m[2]]);
        assert.equal(listed.length, out.shown);
        listed.forEach(([rank, module], i) => assert.deepEqual([rank, module], [i + 1, i]));
        assert.equal(out.shown + out.omitted, 50);
        if (out.omitted > 0) assert.match(out.text, new RegExp(`${out.omitted} more results? did not fit in ${maxChars} characters`));
    }
});

test("locations come before snippets: a tight budget lists more places with fewer snippets", () => {
    const hits = Array.from({ length: 10 }, (_, i) => hit(i));
    const tight = formatResults({ title: "t", hits, index: complete, maxChars: 1200 });
    assert.equal(tight.shown, 10, tight.text);
    const roomy = formatResults({ title: "t", hits, index: complete, maxChars: 6000 });
    assert.ok((roomy.text.match(/\| /g) ?? []).length > (tight.text.match(/\| /g) ?? []).length);
});

test("a snippet opens just above the best line, numbers lines 1-based, drops the common indent and cuts long lines", () => {
    const lines = snippet(hit(1), 4);
    assert.equal(lines.length, 4);
    assert.match(lines[0], /^ +109\| const value1_9 = compute\(9\);/);
    assert.match(lines[3], /^ +112\| /);
    const long: AgentHit = { path: "a.js", startLine: 1, endLine: 1, text: "y".repeat(500) };
    assert.ok(snippet(long, 8)[0].length < 180 && snippet(long, 8)[0].endsWith("…"));
    const blankEdges: AgentHit = { path: "a.py", startLine: 10, endLine: 14, text: "\n\ndef f():\n    return 1\n" };
    assert.deepEqual(snippet(blankEdges, 8), ["   12| def f():", "   13|     return 1"]);
    // Near the end of a hit the window opens earlier, so it still shows its lines.
    assert.equal(snippet({ ...hit(2), bestLines: [129] }, 6).length, 6);
});

test("each place shows the strength every human surface shows; a list of only weak matches says so", () => {
    const strong = formatResults({ title: "t", hits: [{ ...hit(1), strength: 87 }, { ...hit(2), strength: 12 }], index: complete, maxChars: 6000 });
    assert.match(strong.text, /^1\. src\/module1\.ts:100-129  fn1 \(function\)  \[strong 87\]$/m);
    assert.match(strong.text, /^2\. .*\[weak 12\]$/m);
    assert.equal(weakNotice([{ ...hit(1), strength: 87 }], "q", "search"), undefined);
    const notice = weakNotice([{ ...hit(1), strength: 20 }, { ...hit(2), strength: 5 }], "frobnicate the quux", "search");
    assert.match(notice ?? "", /^Only weak matches for “frobnicate the quux”/);
    const weak = formatResults({ title: "t", hits: [{ ...hit(1), strength: 20 }], index: complete, maxChars: 6000, weakNotice: notice });
    assert.equal(weak.text.split("\n")[2], notice, "right under the coverage line");
});

test("paths that are not plain workspace-relative paths are never shown", () => {
    for (const bad of ["/etc/passwd", "../x.ts", "a/../../x", "C:/x", "file:///x", "a\\b", "", "./a"]) assert.equal(isPlainRelativePath(bad), false, bad);
    for (const ok of ["a.ts", "src/a.ts", ".github/workflows/ci.yml", "a..b/c.ts"]) assert.equal(isPlainRelativePath(ok), true, ok);
    const out = formatResults({ title: "t", hits: [{ ...hit(1), path: "/etc/passwd" }, hit(2)], index: complete, maxChars: 6000 });
    assert.equal(out.refused, 1);
    assert.ok(!out.text.includes("/etc/passwd"));
    assert.match(out.text, /^1\. src\/module2\.ts/m);
});

test("the coverage line tells each stage apart", () => {
    assert.match(describeIndex({ coverage: 0.4, semanticCoverage: 0, running: "keyword" }), /still being built; keyword stage at 40%/);
    assert.match(describeIndex({ coverage: 1, semanticCoverage: 0.345, running: "semantic" }), /meaning search covers 34% of it; the semantic stage is still running/);
    assert.equal(describeIndex(complete), "Index: complete (keyword and meaning).");
    assert.match(describeIndex({ ...complete, readOnly: true }), /another Seek process is updating it/);
});

test("search arguments: defaults, limits and one-sentence refusals", () => {
    assert.deepEqual(parseSearchInput({ query: "  retry uploads " }), { query: "retry uploads", scope: "all", count: 10, maxChars: 6000 });
    assert.equal(parseSearchInput({ query: "q", path: " src/** " }).path, "src/**");
    const refusals: [unknown, RegExp][] = [
        [{ query: "" }, /query is empty/],
        [{ query: " \t\n" }, /query is empty/],
        [{}, /query is required/],
        [{ query: ["a"] }, /query is required/],
        [{ query: "q".repeat(2001) }, /2001 characters long; the limit is 2000/],
        [{ query: "q", count: 10_000 }, /count must be from 1 to 50 \(got 10000\)/],
        [{ query: "q", count: 0 }, /count must be from 1 to 50/],
        [{ query: "q", count: "5" }, /count must be an integer/],
        [{ query: "q", count: 1.5 }, /count must be an integer/],
        [{ query: "q", maxChars: 10 }, /maxChars must be from 500 to 24000/],
        [{ query: "q", scope: "tests" }, /scope must be one of code, docs, all/],
        [{ query: "q", path: "../x" }, /leaves the folder/],
        [{ query: "q", path: "src,/etc" }, /relative to the folder/],
        [{ query: "q", path: "a\0b" }, /NUL/],
        ["a string", /JSON object/],
    ];
    for (const [raw, reason] of refusals) assert.throws(() => parseSearchInput(raw), (e: unknown) => e instanceof ToolInputError && reason.test(e.message), JSON.stringify(raw)?.slice(0, 60));
});

test("scopes map onto the panel's code/docs toggles", () => {
    assert.deepEqual(searchScope({ scope: "all" }), { code: true, docs: true, glob: "" });
    assert.deepEqual(searchScope({ scope: "code", path: "src" }), { code: true, docs: false, glob: "src" });
    assert.deepEqual(searchScope({ scope: "docs" }), { code: false, docs: true, glob: "" });
});

test("find_similar arguments and targets: ranges inside the file, paths inside the folder", () => {
    assert.deepEqual(parseSimilarInput({ path: "a.ts", startLine: 3 }), { path: "a.ts", startLine: 3, endLine: 3, count: 10, maxChars: 6000 });
    assert.throws(() => parseSimilarInput({ path: "a.ts", startLine: 5, endLine: 4 }), /endLine \(4\) is before startLine \(5\)/);
    assert.throws(() => parseSimilarInput({ path: "a.ts", startLine: 1, endLine: 5000 }), /spans 5000 lines; the limit is 2000/);
    assert.throws(() => parseSimilarInput({ startLine: 1 }), /path is required/);
    assert.throws(() => checkRangeInFile({ path: "a.ts", startLine: 9, endLine: 12 }, 10), /a\.ts has 10 lines; lines 9-12 are outside it/);
    checkRangeInFile({ path: "a.ts", startLine: 1, endLine: 10 }, 10);
    assert.deepEqual([countLines(""), countLines("a"), countLines("a\n"), countLines("a\nb"), countLines("a\r\nb\r\n")], [0, 1, 1, 2, 2]);
    const root = "/work/repo";
    assert.equal(folderRelativePath(root, "src/a.ts", path.posix), "src/a.ts");
    assert.equal(folderRelativePath(root, "./src/a.ts", path.posix), "src/a.ts");
    assert.equal(folderRelativePath(root, "/work/repo/src/a.ts", path.posix), "src/a.ts");
    for (const bad of ["../a.ts", "src/../../a.ts", "/work/other/a.ts", "/work/repo", "/etc/passwd"]) {
        assert.throws(() => folderRelativePath(root, bad, path.posix), /outside the indexed folder/, bad);
    }
    assert.throws(() => folderRelativePath(root, "command:x", path.posix), /not a usable path/);
});

test("errors read as one sentence: input mistakes say what to fix, index problems whether retrying helps", () => {
    assert.equal(agentErrorText(new ToolInputError("count must be from 1 to 50 (got 0)")), "Invalid arguments: count must be from 1 to 50 (got 0).");
    assert.match(agentErrorText(new CoreError("modelMissing", "no model in models/")), /retrying will not help/);
    assert.equal(agentErrorText(new CoreError("cancelled", "cancelled")), "The call was cancelled.");
    assert.match(agentErrorText(new Error("boom")), /^Seek failed: boom$/);
});

test("package.json declares the language-model tools with exactly the shared schemas and descriptions", () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
        contributes: { languageModelTools: { name: string; modelDescription: string; inputSchema: unknown }[] };
    };
    const tools = new Map(pkg.contributes.languageModelTools.map((t) => [t.name, t]));
    assert.deepEqual([...tools.keys()].sort(), ["seek_find_similar", "seek_search"]);
    assert.deepEqual(tools.get("seek_search")!.inputSchema, searchInputJsonSchema());
    assert.deepEqual(tools.get("seek_find_similar")!.inputSchema, similarInputJsonSchema());
    assert.equal(tools.get("seek_search")!.modelDescription, SEARCH_DESCRIPTION);
    assert.equal(tools.get("seek_find_similar")!.modelDescription, SIMILAR_DESCRIPTION);
});
