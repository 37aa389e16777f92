/**
 * One index per (folder, model, instruction set), at the same place for the CLI, the MCP server and the extension
 * (core/indexLocation.ts, src/indexing/storage.ts).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { folderIndexesDir, indexLocation, removeLegacyIndex } from "../../src/core/indexLocation";
import { StoreLock } from "../../src/core/store/storeLock";
import { folderKey, indexDirFor } from "../../src/indexing/storage";
import type * as vscode from "vscode";

const repoRoot = resolve(__dirname, "..", "..", "..");
const modelsDir = join(repoRoot, "models");
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let work: string;
const savedCache = process.env.XDG_CACHE_HOME;

before(() => {
    work = mkdtempSync(join(tmpdir(), "seek-shared-loc-"));
    process.env.XDG_CACHE_HOME = join(work, "cache");
});

after(() => {
    if (savedCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = savedCache;
    rmSync(work, { recursive: true, force: true });
});

/** The bits of the VS Code API storage.ts reads. */
function fakeVscode(folderPath: string, storage: string): { context: vscode.ExtensionContext; folder: vscode.WorkspaceFolder } {
    const uri = (p: string) => ({ scheme: "file", fsPath: p, toString: () => `file://${p}` });
    const context = { storageUri: uri(storage), globalStorageUri: uri(join(storage, "global")) } as unknown as vscode.ExtensionContext;
    const folder = { name: folderPath.split("/").pop(), uri: uri(folderPath), index: 0 } as unknown as vscode.WorkspaceFolder;
    return { context, folder };
}

test("the extension and the CLI compute the same directory for a folder under the per-user cache", () => {
    const folder = join(work, "proj");
    mkdirSync(folder, { recursive: true });
    const { context, folder: wf } = fakeVscode(folder, join(work, "storage"));
    const fromExtension = indexDirFor(context, wf, { modelsDir, instructions: true });
    const fromCli = indexLocation(folder, { modelsDir });
    assert.equal(fromExtension, fromCli);
    assert.ok(fromCli.startsWith(join(work, "cache", "seek", "indexes") + "/"), fromCli);
    assert.match(fromCli, /\/proj-[0-9a-f]{16}\/bge-small-en-v1\.5-q-[0-9a-f]{12}$/);
});

test("another model or instruction set gets a directory of its own; the folder part stays the same", () => {
    const folder = join(work, "proj");
    const base = indexLocation(folder, { modelsDir });
    const other = indexLocation(folder, { modelsDir, model: "all-minilm-l6-v2-q" });
    const plain = indexLocation(folder, { modelsDir, instructions: false });
    const overridden = indexLocation(folder, { modelsDir, instructionOverrides: { query: { "*": "Find: " } } });
    assert.equal(new Set([base, other, plain, overridden]).size, 4);
    for (const dir of [other, plain, overridden]) assert.equal(dirname(dir), dirname(base));
    // The default model named explicitly is the default model.
    assert.equal(indexLocation(folder, { modelsDir, model: "bge-small-en-v1.5-q" }), base);
    // A model that cannot be resolved still gets a stable directory (opening the engine reports the error).
    assert.equal(indexLocation(folder, { modelsDir, model: "no-such-model" }), indexLocation(folder, { modelsDir, model: "no-such-model" }));
});

test("two folders never share a directory; a symlink to a folder shares its target's", () => {
    const a = join(work, "a", "same");
    const b = join(work, "b", "same");
    mkdirSync(a, { recursive: true });
    mkdirSync(b, { recursive: true });
    assert.notEqual(folderIndexesDir(a), folderIndexesDir(b));
    const link = join(work, "link");
    symlinkSync(a, link);
    assert.equal(indexLocation(link, { modelsDir }), indexLocation(a, { modelsDir }));
});

test("an index at an old location is removed once; a live writer's index or a folder with other files is kept", () => {
    const old = join(work, "old-index");
    mkdirSync(old);
    writeFileSync(join(old, "index.db"), "x");
    const lock = StoreLock.acquire(old, silent);
    assert.equal(removeLegacyIndex(old), false, "a live writer holds it");
    lock.release(silent);
    assert.equal(removeLegacyIndex(old), true);
    assert.equal(existsSync(old), false);
    assert.equal(removeLegacyIndex(old), false, "nothing left to remove");

    const mixed = join(work, "not-only-an-index");
    mkdirSync(mixed);
    writeFileSync(join(mixed, "index.db"), "x");
    writeFileSync(join(mixed, "notes.txt"), "mine");
    assert.equal(removeLegacyIndex(mixed), false);
    assert.ok(existsSync(join(mixed, "notes.txt")));
});

test("the extension removes the index it kept in the workspace storage before this version", () => {
    const folder = join(work, "proj");
    const storage = join(work, "storage2");
    const { context, folder: wf } = fakeVscode(folder, storage);
    const leaf = join(storage, "index");
    mkdirSync(leaf, { recursive: true });
    // Where storage.ts used to put it: <storageUri>/index/<name>-<sha256(uri)[:16]>.
    const old = join(leaf, `proj-${folderKey(wf.uri)}`);
    mkdirSync(old);
    writeFileSync(join(old, "index.db"), "x");
    indexDirFor(context, wf, { modelsDir });
    assert.equal(existsSync(old), false);
});
