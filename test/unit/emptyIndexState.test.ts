/**
 * A folder with nothing Seek indexes (only data.bin and screenshot.png): once its run has finished, the state says
 * so, with the number of skipped files, instead of "searched 0% ... indexing continues"; skips are classified as
 * expected (by name) or surprising; the status view's per-language counts come from the chunk rows.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { IndexProgress, IndexStatus } from "../../src/core/types";
import { languageCounts } from "../../src/core/indexReport";
import { isExpectedSkip, skipLogLevel, SkipTally } from "../../src/core/skips";
import { isEmptyIndex } from "../../src/protocol/stageText";
import { summarize, type FolderView } from "../../src/indexing/summary";
import { statusBarText } from "../../src/indexing/statusText";

const describe = (err: unknown) => ({ message: String(err), actions: [] });
const done: IndexProgress = { phase: "done", filesTotal: 0, filesDone: 0, chunksEmbedded: 0, chunksTotal: 0, chunksWithVectors: 0, skipped: 2 };
const emptyStatus: IndexStatus = { modelId: "m", files: 0, chunks: 0, embeddedChunks: 0, pendingFiles: 0, bytesOnDisk: 0, identity: "i" };

function folder(f: Partial<FolderView>): FolderView {
    return { folder: { name: "assets" }, phase: "idle", progress: done, status: emptyStatus, error: undefined, ranOnce: true, ...f };
}

test("an empty folder after its run: a clear message with the skipped count, full coverage, its own status bar text", () => {
    const s = summarize([folder({})], true, describe);
    assert.equal(s.phase, "idle");
    assert.equal(s.coverage, 1);
    assert.equal(isEmptyIndex(s), true);
    assert.equal(s.message, "Nothing to search: this folder has no code, docs or other text files Seek indexes. 2 files were skipped (Seek: Show Index Status says why).");
    assert.equal(statusBarText(s), "$(info) Seek: nothing to index");
});

test("no empty-folder message before the first run ends, nor for a folder with content", () => {
    assert.equal(isEmptyIndex(summarize([folder({ ranOnce: false })], true, describe)), false);
    assert.equal(isEmptyIndex(summarize([folder({ phase: "indexing", ranOnce: false, progress: { ...done, phase: "discovering" } })], true, describe)), false);
    const full = summarize([folder({ status: { ...emptyStatus, files: 3, chunks: 9, embeddedChunks: 9 } })], true, describe);
    assert.equal(isEmptyIndex(full), false);
    assert.equal(statusBarText(full), "$(search) Seek");
});

test("skips by name are expected (info, ignored at debug); unreadable, bad encoding, too large and binary content warn", () => {
    assert.equal(skipLogLevel({ path: "a.png", reason: "binary", detail: "by extension" }), "info");
    assert.equal(skipLogLevel({ path: "yarn.lock", reason: "ignored", detail: "default exclude" }), "debug");
    assert.equal(skipLogLevel({ path: ".env", reason: "secret" }), "info");
    for (const reason of ["unreadable", "badEncoding", "tooLarge"] as const) assert.equal(skipLogLevel({ path: "x", reason }), "warn");
    assert.equal(isExpectedSkip({ path: "notes.txt", reason: "binary", detail: "NUL byte at offset 3" }), false);
    const tally = new SkipTally();
    for (const s of [
        { path: "a.png", reason: "binary" as const, detail: "by extension" },
        { path: "b.png", reason: "binary" as const, detail: "by extension" },
        { path: "big.json", reason: "tooLarge" as const },
        { path: "node_modules/", reason: "ignored" as const },
    ])
        tally.add(s);
    assert.deepEqual([tally.total, tally.unexpected, tally.text()], [3, 1, "2 binary, 1 too large"]);
});

test("languageCounts: files, chunks and chunks with a vector per language, most chunks first", () => {
    const rows = [
        { id: 1, path: "a.ts", language: "typescript" },
        { id: 2, path: "a.ts", language: "typescript" },
        { id: 3, path: "b.ts", language: "typescript" },
        { id: 4, path: "README.md", language: "markdown" },
    ];
    const table = { count: rows.length, idAt: (i: number) => rows[i].id, pathAt: (i: number) => rows[i].path, languageAt: (i: number) => rows[i].language };
    assert.deepEqual(languageCounts(table, (id) => id !== 3), [
        { language: "typescript", files: 2, chunks: 3, embedded: 2 },
        { language: "markdown", files: 1, chunks: 1, embedded: 1 },
    ]);
});
