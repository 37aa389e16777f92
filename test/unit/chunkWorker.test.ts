/**
 * The keyword stage's chunking worker (preparationPipeline.ts): the index it builds is the one the indexer's own
 * thread builds, to the byte of every decoded term count; a worker that dies or cannot start costs nothing but a
 * warning; a cancel stops the stage with a consistent index that the next run completes.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { Database } from "node-sqlite3-wasm";
import { DB_FILE } from "../../src/core/store/schema";
import type { SkippedFile } from "../../src/core/types";
import { dumpStore, keywordStage, RecordingLogger, searchAll, writeMixedFolder, type StoreDump } from "./chunkWorkerHelpers";

const fixture = resolve(__dirname, "..", "..", "..", "test", "fixtures", "workspace");
const QUERIES = ["retry failed uploads", "refresh token cache", "parse HTTP response headers", "run pending migrations", "health probe", "invoice total amount"];
const IN_THREAD = { minFiles: Infinity };
const WORKER = { minFiles: 0 };

const root = fs.mkdtempSync(join(tmpdir(), "seek-chunkworker-"));
const folder = join(root, "folder");
let indexes = 0;
const newIndexDir = () => join(root, `index-${++indexes}`);
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** The index built in the indexer's thread, which every other run must equal. */
let reference: { dir: string; dump: StoreDump; skips: string[]; hits: string[] };

const sortedSkips = (skips: SkippedFile[]) => skips.map((s) => `${s.path} ${s.reason} ${s.detail ?? ""}`).sort();

/** The files and chunks the debug line at the end of the stage says each thread prepared. */
function split(logger: RecordingLogger): { worker: number; here: number } | undefined {
    const m = logger.at("debug").map((l) => /(\d+) files chunked by the worker, (\d+) in this thread/.exec(l)).find((x) => x);
    return m ? { worker: Number(m[1]), here: Number(m[2]) } : undefined;
}

/** Every cataloged file has exactly its chunks, and no chunk lacks its catalog row; returns the cataloged count. */
function assertConsistent(indexDir: string): number {
    const db = new Database(join(indexDir, DB_FILE), { readOnly: true });
    try {
        const wrong = db.all("SELECT path FROM files f WHERE chunk_count != (SELECT count(*) FROM chunks c WHERE c.path = f.path)");
        assert.deepEqual(wrong, [], "files whose chunks are not all stored");
        const orphans = db.all("SELECT DISTINCT path FROM chunks WHERE path NOT IN (SELECT path FROM files)");
        assert.deepEqual(orphans, [], "chunks without a catalog row");
        return Number(db.get("SELECT count(*) AS n FROM files")?.n);
    } finally {
        db.close();
    }
}

function chunkIds(indexDir: string): number[] {
    const db = new Database(join(indexDir, DB_FILE), { readOnly: true });
    try {
        return db.all("SELECT id FROM chunks ORDER BY id").map((r) => Number(r.id));
    } finally {
        db.close();
    }
}

/** A keyword stage whose worker sabotages its fifth file (sabotagingChunkWorker.ts); returns that file and the skips. */
async function sabotagedStage(how: "hang" | "delete", dir: string, indexDir: string, logger: RecordingLogger): Promise<{ target: string; skips: SkippedFile[] }> {
    const record = join(root, `sabotaged-${how}.txt`);
    process.env.SEEK_TEST_SABOTAGE = how;
    process.env.SEEK_TEST_SABOTAGE_RECORD = record;
    try {
        const workerPath = join(__dirname, "sabotagingChunkWorker.js");
        const skips = await keywordStage(dir, indexDir, { chunkWorker: { minFiles: 0, workerPath, stallMs: 2000 }, logger });
        return { target: fs.readFileSync(record, "utf8"), skips };
    } finally {
        delete process.env.SEEK_TEST_SABOTAGE;
        delete process.env.SEEK_TEST_SABOTAGE_RECORD;
    }
}

const withoutFile = (dump: StoreDump, path: string): StoreDump => ({
    files: dump.files.filter((row) => JSON.parse(row).path !== path),
    chunks: new Map([...dump.chunks].filter(([p]) => p !== path)),
});

describe("chunking worker", { timeout: 120_000 }, () => {
    before(async () => {
        const written = writeMixedFolder(folder, fixture, 30);
        assert.ok(written > 300, "more files than one store batch");
        const dir = newIndexDir();
        const skips = await keywordStage(folder, dir, { chunkWorker: IN_THREAD });
        reference = { dir, dump: dumpStore(dir), skips: sortedSkips(skips), hits: searchAll(dir, QUERIES) };
        const reasons = new Set(skips.map((s) => s.reason));
        for (const r of ["binary", "badEncoding", "tooLarge", "minified"]) assert.ok(reasons.has(r as SkippedFile["reason"]), `the folder has a ${r} file`);
        assert.ok(reference.hits.every((h) => h.length > 0), "every query finds something");
    });

    it("builds the same index as the indexer's own thread", async () => {
        const dir = newIndexDir();
        const logger = new RecordingLogger();
        const skips = await keywordStage(folder, dir, { chunkWorker: WORKER, logger });
        assert.deepEqual(logger.at("warn"), []);
        const { worker } = split(logger) ?? assert.fail("no worker was started");
        assert.ok(worker > 0, "the worker prepared files");
        assert.deepEqual(dumpStore(dir), reference.dump);
        assert.deepEqual(sortedSkips(skips), reference.skips);
        assert.deepEqual(searchAll(dir, QUERIES), reference.hits);
    });

    it("stays in the indexer's thread below the file threshold", async () => {
        const logger = new RecordingLogger();
        await keywordStage(folder, newIndexDir(), { chunkWorker: { minFiles: 100_000 }, logger });
        assert.equal(split(logger), undefined);
    });

    it("finishes in-thread with the same index when the worker dies mid-run", async () => {
        const dir = newIndexDir();
        const logger = new RecordingLogger();
        const skips = await keywordStage(folder, dir, { chunkWorker: { minFiles: 0, workerPath: join(__dirname, "dyingChunkWorker.js") }, logger });
        const warnings = logger.at("warn");
        assert.equal(warnings.length, 1, warnings.join("\n"));
        assert.match(warnings[0], /chunking worker exited \(code 3\); chunking the remaining \d+ files in this thread/);
        const { worker, here } = split(logger)!;
        assert.ok(worker > 0 && here > 0, `${worker} by the worker, ${here} here`);
        assert.deepEqual(dumpStore(dir), reference.dump);
        assert.deepEqual(sortedSkips(skips), reference.skips);
    });

    it("finishes in-thread with the same index when the worker cannot start", async () => {
        const dir = newIndexDir();
        const logger = new RecordingLogger();
        await keywordStage(folder, dir, { chunkWorker: { minFiles: 0, workerPath: join(root, "missing.js") }, logger });
        const warnings = logger.at("warn");
        assert.equal(warnings.length, 1, warnings.join("\n"));
        assert.match(warnings[0], /chunking worker failed/);
        assert.deepEqual(dumpStore(dir), reference.dump);
    });

    it("leaves out a file the worker is stuck on and indexes every other file as the indexer's thread does", { timeout: 60_000 }, async () => {
        const dir = newIndexDir();
        const logger = new RecordingLogger();
        const { target } = await sabotagedStage("hang", folder, dir, logger);
        const warnings = logger.at("warn");
        assert.equal(warnings.length, 2, warnings.join("\n"));
        assert.match(warnings[0], /chunking worker spent more than 2 s on one file; chunking the remaining \d+ files in this thread/);
        assert.equal(warnings[1], `chunking failed for ${target}: chunking took too long (2 s without an answer), so the file is left out of the index`);
        assert.deepEqual(dumpStore(dir), withoutFile(reference.dump, target));
        assertConsistent(dir);
    });

    it("a file deleted before the worker reads it is reported gone and every other file is indexed", async () => {
        const copy = join(root, "deleting");
        fs.cpSync(folder, copy, { recursive: true });
        const dir = newIndexDir();
        const logger = new RecordingLogger();
        const { target, skips } = await sabotagedStage("delete", copy, dir, logger);
        assert.equal(fs.existsSync(join(copy, target)), false);
        assert.deepEqual(logger.at("warn"), []);
        assert.deepEqual(sortedSkips(skips), [...reference.skips, `${target} vanished ENOENT`].sort());
        // The copy's files have new mtimes; everything else must be the same.
        const noMtime = (dump: StoreDump) => ({ ...dump, files: dump.files.map((row) => JSON.stringify({ ...JSON.parse(row), mtime_ms: 0 })) });
        assert.deepEqual(noMtime(dumpStore(dir)), noMtime(withoutFile(reference.dump, target)));
        assertConsistent(dir);
    });

    it("a file whose mtime changed but not its content is only touched, as in the indexer's thread", async () => {
        const touched = join(root, "touched");
        writeMixedFolder(touched, fixture, 30);
        const [inThread, viaWorker] = [newIndexDir(), newIndexDir()];
        await keywordStage(touched, inThread, { chunkWorker: IN_THREAD });
        await keywordStage(touched, viaWorker, { chunkWorker: WORKER });
        const idsBefore = chunkIds(viaWorker);
        const later = new Date(Date.now() + 60_000);
        for (const f of fs.readdirSync(touched, { recursive: true, withFileTypes: true })) {
            if (f.isFile()) fs.utimesSync(join(f.parentPath, f.name), later, later);
        }
        const logger = new RecordingLogger();
        await keywordStage(touched, inThread, { chunkWorker: IN_THREAD });
        await keywordStage(touched, viaWorker, { chunkWorker: WORKER, logger });
        assert.ok(split(logger)!.worker > 0, "the worker read the touched files");
        assert.deepEqual(chunkIds(viaWorker), idsBefore, "no chunk was written again");
        const dump = dumpStore(viaWorker);
        assert.deepEqual(dump, dumpStore(inThread));
        // The file system keeps the time in nanoseconds, so the milliseconds read back can be off by a fraction.
        const stale = dump.files.filter((f) => Math.round(JSON.parse(f).mtime_ms) !== later.getTime());
        assert.deepEqual(stale, [], "every file has its new mtime");
    });

    it("a cancel after a stored batch leaves a consistent index that the next run completes", async () => {
        const dir = newIndexDir();
        const controller = new AbortController();
        const run = keywordStage(folder, dir, {
            chunkWorker: WORKER,
            signal: controller.signal,
            onProgress: (p) => {
                if (p.phase === "chunking" && p.filesDone > 0) controller.abort();
            },
        });
        await assert.rejects(run, (err: Error & { reason?: string }) => err.reason === "cancelled");
        const stored = assertConsistent(dir);
        assert.ok(stored > 0 && stored < reference.dump.files.length, `${stored} of ${reference.dump.files.length} files stored`);
        await keywordStage(folder, dir, { chunkWorker: WORKER });
        assertConsistent(dir);
        assert.deepEqual(dumpStore(dir), reference.dump);
    });

    it("a cancel does not wait for a worker that has not answered", { timeout: 30_000 }, async () => {
        const dir = newIndexDir();
        const controller = new AbortController();
        const run = keywordStage(folder, dir, { chunkWorker: { minFiles: 0, workerPath: join(__dirname, "stallingChunkWorker.js") }, signal: controller.signal });
        // The indexer's thread prepares every file the stalled worker was not given, then waits for the first one.
        const abortedAt = await new Promise<number>((r) => setTimeout(() => (controller.abort(), r(Date.now())), 1500));
        await assert.rejects(run, (err: Error & { reason?: string }) => err.reason === "cancelled");
        assert.ok(Date.now() - abortedAt < 1000, `stopped ${Date.now() - abortedAt} ms after the cancel`);
        assertConsistent(dir);
    });
});
