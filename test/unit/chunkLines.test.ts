/** Line windows: size, overlap, the token cap, blank lines, and text/config files. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkFile } from "../../src/core/chunk/index";
import { lineWindows, SourceLines, splitLongLine } from "../../src/core/chunk/lines";
import { estimateTokens } from "../../src/core/chunk/tokens";
import { assertWellFormed } from "./chunkHelpers";

const ranges = (chunks: Array<{ startLine: number; endLine: number }>) =>
    chunks.map((c) => [c.startLine, c.endLine]);

test("text files: 40-line windows overlapping by 5", async () => {
    const text = Array.from({ length: 100 }, (_, i) => `entry ${i + 1}`).join("\n") + "\n";
    const chunks = await chunkFile("notes/list.txt", text);
    assert.deepEqual(ranges(chunks), [
        [1, 40],
        [36, 75],
        [71, 100],
    ]);
    assert.equal(chunks[1].text.split("\n")[0], "entry 36");
    assert.deepEqual([chunks[0].language, chunks[0].kind], ["plaintext", "docs"]);
});

test("overlapLines is configurable, including none", async () => {
    const text = Array.from({ length: 100 }, (_, i) => `k${i}: v`).join("\n");
    assert.deepEqual(ranges(await chunkFile("c.yaml", text, { overlapLines: 0 })), [
        [1, 40],
        [41, 80],
        [81, 100],
    ]);
    assert.deepEqual(ranges(await chunkFile("c.yaml", text, { overlapLines: 10 })), [
        [1, 40],
        [31, 70],
        [61, 100],
    ]);
});

test("windows are capped by the token budget as well as by lines", async () => {
    const line = `"key": "${"word ".repeat(15)}",`;
    const text = Array.from({ length: 200 }, () => line).join("\n");
    const chunks = await chunkFile("data.json", text, { maxTokens: 100 });
    assertWellFormed(text, chunks, 100);
    assert.ok(chunks.every((c) => c.endLine - c.startLine + 1 < 40));
    assert.ok(chunks.length > 10);
});

test("blank lines never start or end a window, and all-blank stretches make no chunk", async () => {
    const text = ["a = 1", "", "", ...Array.from({ length: 80 }, () => ""), "b = 2", ""].join("\n");
    const chunks = await chunkFile("x.toml", text);
    assert.deepEqual(ranges(chunks), [
        [1, 1],
        [84, 84],
    ]);
});

test("CRLF text keeps its line numbers", async () => {
    const text = Array.from({ length: 50 }, (_, i) => `row ${i + 1}`).join("\r\n");
    const chunks = await chunkFile("a.csv", text);
    assert.deepEqual(ranges(chunks), [
        [1, 40],
        [36, 50],
    ]);
    assert.equal(chunks[1].text.split("\n")[0], "row 36");
    assert.ok(!chunks[0].text.includes("\r"));
});

test("a long line between normal lines is cut alone, and overlap does not repeat it", () => {
    const src = new SourceLines(["one", "two", "x".repeat(10_000), "three", "four"].join("\n"));
    const pieces = lineWindows(src, 0, src.count - 1, {
        maxTokens: 50,
        maxLines: 40,
        overlapLines: 5,
    });
    assert.deepEqual(pieces[0], {
        start: 0,
        end: 1,
        symbol: undefined,
        symbolKind: undefined,
        named: false,
    });
    const long = pieces.filter((p) => p.start === 2);
    assert.ok(
        long.length > 5 && long.every((p) => p.text !== undefined && estimateTokens(p.text) <= 50),
    );
    assert.deepEqual(pieces[pieces.length - 1], {
        start: 3,
        end: 4,
        symbol: undefined,
        symbolKind: undefined,
        named: false,
    });
});

test("splitLongLine prefers to cut after whitespace or punctuation and never splits a surrogate pair", () => {
    const words = "alpha beta gamma delta ".repeat(200);
    for (const piece of splitLongLine(words, 30).slice(0, -1))
        assert.ok(/[ ;,)}]$/.test(piece), JSON.stringify(piece.slice(-10)));
    const emoji = "😀".repeat(500);
    const pieces = splitLongLine(emoji, 25);
    assert.equal(pieces.join(""), emoji);
    for (const p of pieces) assert.ok(!/^[\udc00-\udfff]/.test(p) && !/[\ud800-\udbff]$/.test(p));
});
