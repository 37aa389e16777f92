/**
 * The extension and the CLI share one index: the extension's engine process (dist/engineProcess.js, driven through
 * EngineClient as the extension drives it, at the directory storage.ts gives it) indexes the fixture, then
 * `seek search --json` (dist/cli.js, no --index-dir) answers from that index with nothing to re-index or embed.
 * And the other way round: while another process holds the writer lock, the extension opens read-only, searches, and
 * takes the index over when the other process lets go.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type * as vscode from "vscode";
import { EngineClient } from "../../src/engineHost/engineClient";
import type { WireEngineOptions } from "../../src/engineHost/ipc";
import { StoreLock } from "../../src/core/store/storeLock";
import { indexDirFor } from "../../src/indexing/storage";
import type { Logger } from "../../src/core/types";

const repoRoot = resolve(__dirname, "..", "..", "..");
const cli = join(repoRoot, "dist", "cli.js");
const engineScript = join(repoRoot, "dist", "engineProcess.js");
const fixture = join(repoRoot, "test", "fixtures", "workspace");
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let work: string;
let folder: string;
let cache: string;
let options: WireEngineOptions;
const savedCache = process.env.XDG_CACHE_HOME;
const engineLog: string[] = [];

function recordingLogger(): Logger {
    const rec = (m: string | Error) => void engineLog.push(String(m));
    return { trace: rec, debug: rec, info: rec, warn: rec, error: rec };
}

function seek(...args: string[]): { code: number; stdout: string; stderr: string } {
    const res = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 240_000, env: { ...process.env, XDG_CACHE_HOME: cache } });
    return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

before(() => {
    work = mkdtempSync(join(tmpdir(), "seek-shared-"));
    folder = join(work, "ws");
    cache = join(work, "cache");
    cpSync(fixture, folder, { recursive: true });
    // indexDirFor reads the cache root from this process's environment, the engine process from its own: the same.
    process.env.XDG_CACHE_HOME = cache;
    const uri = (p: string) => ({ scheme: "file", fsPath: p, toString: () => `file://${p}` });
    const context = { storageUri: uri(join(work, "storage")), globalStorageUri: uri(join(work, "global")) } as unknown as vscode.ExtensionContext;
    const wf = { name: "ws", uri: uri(folder), index: 0 } as unknown as vscode.WorkspaceFolder;
    // What config.engineOptions gives for default settings, with the directory as indexService.optionsFor sets it.
    const base = { folder, indexDir: "", modelsDir: join(repoRoot, "models"), instructions: true, threads: 1 };
    options = { ...base, indexDir: indexDirFor(context, wf, base) };
});

after(() => {
    if (savedCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = savedCache;
    rmSync(work, { recursive: true, force: true });
});

test("after the extension indexed a folder, `seek search` answers from its index: no re-index, 0 chunks embedded", async () => {
    const client = new EngineClient({ scriptPath: engineScript, logger: silent, env: { XDG_CACHE_HOME: cache } });
    try {
        await client.request("open", { key: "ws", options });
        await client.request("run", { key: "ws", priorityPaths: [] });
        const status = await client.request("status", { key: "ws" });
        assert.ok(status.chunks > 0 && status.embeddedChunks === status.chunks, JSON.stringify(status));
        await client.request("close", { key: "ws" });
    } finally {
        await client.dispose();
    }
    const res = seek("search", folder, "retry failed uploads", "--json", "--verbose");
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { results: { path: string }[]; coverage: number; semanticCoverage: number };
    assert.ok(out.results.length > 0);
    assert.equal(out.coverage, 1);
    assert.equal(out.semanticCoverage, 1);
    // It opened the extension's directory, found every chunk there, and its run had nothing to do: no chunk went to
    // the model, and none even to the embedding cache (a fresh index would have asked the cache for every chunk).
    assert.match(res.stderr, new RegExp(`index ${options.indexDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\d+ files, \\d+ chunks`), res.stderr);
    assert.match(res.stderr, /index run done: 0 chunks embedded by the model, 0 answered by the embedding cache/, res.stderr);
    assert.doesNotMatch(res.stderr, /rebuilt/);
    const index = seek("index", folder, "--json");
    assert.equal(index.code, 0, index.stderr);
    const stats = JSON.parse(index.stdout) as { modelEmbedded: number; cacheHits: number };
    assert.deepEqual({ modelEmbedded: stats.modelEmbedded, cacheHits: stats.cacheHits }, { modelEmbedded: 0, cacheHits: 0 });
});

test("a CLI run with another model or without instructions leaves the extension's index alone", () => {
    const res = seek("index", folder, "--json", "--no-instructions");
    assert.equal(res.code, 0, res.stderr);
    const search = seek("search", folder, "retry failed uploads", "--json", "--verbose");
    assert.equal(search.code, 0, search.stderr);
    assert.match(search.stderr, /index run done: 0 chunks embedded by the model, 0 answered by the embedding cache/, search.stderr);
    assert.doesNotMatch(search.stderr, /rebuilt|identity changed/);
});

test("while another process holds the writer lock, the extension opens read-only, searches, and takes over when it is let go", async () => {
    // Stands in for a `seek index` / `seek mcp` of the folder: a live process (this one) holding the lock.
    const lock = StoreLock.acquire(options.indexDir, silent);
    writeFileSync(join(folder, "src", "added.ts"), "export function shareTheIndexBetweenFrontEnds() { return 42; }\n");
    const client = new EngineClient({ scriptPath: engineScript, logger: recordingLogger(), env: { XDG_CACHE_HOME: cache } });
    let released = false;
    try {
        const opened = await client.request("open", { key: "ws", options });
        assert.ok(opened.chunks > 0, "the reader sees what the other process stored");
        const hits = await client.request("search", { key: "ws", query: "retry failed uploads", options: { top: 3 } });
        assert.ok(hits.hits.length > 0);
        // A run waits for the lock rather than failing; the other process lets go a little later.
        const run = client.request("run", { key: "ws", priorityPaths: [] });
        let settled = false;
        void run.then(() => (settled = true), () => (settled = true));
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(settled, false, "the run waits while the lock is held");
        lock.release(silent);
        released = true;
        await run;
        assert.ok(engineLog.some((l) => /let go of the index/.test(l)), engineLog.join("\n"));
        const after = await client.request("search", { key: "ws", query: "shareTheIndexBetweenFrontEnds", options: { top: 3 } });
        assert.equal(after.hits[0]?.path, "src/added.ts", "the writer indexed the file added meanwhile");
        await client.request("close", { key: "ws" });
    } finally {
        if (!released) lock.release(silent);
        await client.dispose();
    }
});
