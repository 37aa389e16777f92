import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { IndexStore, type FileBatchEntry, type IndexIdentity } from "../../src/core/store/indexStore";
import type { Logger } from "../../src/core/types";

/**
 * Crash safety: a writer killed with SIGKILL at any point leaves the old or the new state of a transaction,
 * never a mix. node-sqlite3-wasm's VFS never rolls hot journals back by itself (see store/sqliteVfs.ts), so these
 * tests cover the store's own recovery as much as SQLite's journal.
 */

const IDENTITY: IndexIdentity = { modelId: "crash-model", dimensions: 64, instructionSet: "i", chunkerVersion: "1" };
const STORE_MODULE = join(__dirname, "../../src/core/store/indexStore.js");
const SQLITE_MODULE = require.resolve("node-sqlite3-wasm");
const FILES = 60;
const CHUNKS_PER_FILE = 20;
const TRIALS = 5;

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
    const dir = fs.mkdtempSync(join(tmpdir(), "seek-crash-"));
    dirs.push(dir);
    return dir;
}

function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
    const lines: { level: string; message: string }[] = [];
    const rec = (level: string) => (message: string | Error) => void lines.push({ level, message: String(message) });
    return { lines, trace: rec("trace"), debug: rec("debug"), info: rec("info"), warn: rec("warn"), error: rec("error") };
}

/**
 * Every file of generation `gen`: hash, chunk texts and vectors all carry the generation, so a state that mixes
 * two transactions is visible. Self-contained: the child process gets its source text.
 */
function generation(gen: number, files: number, chunksPerFile: number, dims: number): FileBatchEntry[] {
    const batch: FileBatchEntry[] = [];
    for (let f = 0; f < files; f++) {
        const path = "src/file" + f + ".ts";
        const chunks: FileBatchEntry["chunks"] = [];
        const vectors: Float32Array[] = [];
        for (let k = 0; k < chunksPerFile; k++) {
            const text = ("generation " + gen + " file " + f + " chunk " + k + " padding text\n").repeat(5).trimEnd();
            chunks.push({ path, startLine: k * 5 + 1, endLine: k * 5 + 5, language: "typescript", kind: "code", text });
            const v = new Float32Array(dims);
            v[0] = gen;
            v[1] = f;
            v[2] = k;
            vectors.push(v);
        }
        batch.push({ file: { path, hash: "gen" + gen + "-" + f, size: gen, mtimeMs: gen }, chunks, vectors });
    }
    return batch;
}

/**
 * Child: opens the store and rewrites every file with generation 1, 2, 3, ... reporting each commit. Between
 * transactions it pauses as briefly as a real indexer does while it reads and chunks the next files; without any
 * pause a reader on a loaded machine can keep missing the gap between two transactions (readers and the writer
 * take turns on one lock).
 */
const WRITER_CHILD = `
const { IndexStore } = require(${JSON.stringify(STORE_MODULE)});
${generation.toString()}
const store = IndexStore.open(process.argv[1], ${JSON.stringify(IDENTITY)});
process.stdout.write("open\\n");
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let gen = 1; ; gen++) {
    store.replaceFiles(generation(gen, ${FILES}, ${CHUNKS_PER_FILE}, ${IDENTITY.dimensions}));
    process.stdout.write("committed " + gen + "\\n");
    Atomics.wait(pause, 0, 0, 50);
}`;

/** Child: starts a transaction big enough to spill into the database file, then waits to be killed. */
const SPILL_CHILD = `
const { Database } = require(${JSON.stringify(SQLITE_MODULE)});
const db = new Database(process.argv[1]);
db.exec("PRAGMA cache_size=5");
db.exec("BEGIN IMMEDIATE");
db.run("DELETE FROM chunks WHERE id % 3 = 0");
db.run("UPDATE files SET hash = 'torn'");
process.stdout.write("spilled\\n");
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);`;

interface ChildRun {
    lastCommitted: number;
}

/** Runs a child script; kills it with SIGKILL `delayMs` after it prints `trigger`. */
function runAndKill(script: string, arg: string, trigger: string, delayMs: number): Promise<ChildRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", script, arg], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        let armed = false;
        child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            if (!armed && out.includes(trigger)) {
                armed = true;
                setTimeout(() => child.kill("SIGKILL"), delayMs);
            }
        });
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("exit", (code, signal) => {
            if (signal !== "SIGKILL") return reject(new Error(`child exited ${code}: ${err}`));
            const commits = [...out.matchAll(/committed (\d+)/g)].map((m) => Number(m[1]));
            resolve({ lastCommitted: commits.length > 0 ? commits[commits.length - 1] : 0 });
        });
    });
}

/** Asserts that the store holds exactly one generation of every file and returns it. */
function assertOneGeneration(store: IndexStore): number {
    const hashes = [...store.catalog().values()];
    assert.equal(hashes.length, FILES);
    const gens = new Set(hashes.map((h) => Number(/^gen(\d+)-/.exec(h)?.[1])));
    assert.equal(gens.size, 1, `files from several transactions: ${[...gens].join(",")}`);
    const gen = [...gens][0];
    for (let f = 0; f < FILES; f++) {
        const chunks = store.chunksForPath(`src/file${f}.ts`);
        assert.equal(chunks.length, CHUNKS_PER_FILE, `file ${f} chunk count`);
        for (const c of chunks) {
            assert.ok(c.text.startsWith(`generation ${gen} file ${f} `), `chunk text of generation ${gen}`);
            assert.equal(store.vectorOf(c.id)![0], gen, "vector of the same generation");
        }
    }
    assert.equal(store.counts().chunks, FILES * CHUNKS_PER_FILE);
    return gen;
}

function seededStore(): string {
    const dir = tempDir();
    const store = IndexStore.open(dir, IDENTITY);
    store.replaceFiles(generation(0, FILES, CHUNKS_PER_FILE, IDENTITY.dimensions));
    store.close();
    return dir;
}

/** Starts the writer child; resolves once it has committed `commits` generations. */
function startWriter(dir: string, commits: number): Promise<ReturnType<typeof spawn>> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", WRITER_CHILD, dir], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            if (out.includes(`committed ${commits}\n`)) resolve(child);
        });
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("exit", (code) => reject(new Error(`writer exited early (${code}): ${err}`)));
    });
}

describe("IndexStore crash safety", () => {
    it("rolls back a transaction that was killed after spilling into the database file", async () => {
        const dir = seededStore();
        await runAndKill(SPILL_CHILD, join(dir, "index.db"), "spilled", 0);
        assert.ok(fs.statSync(join(dir, "index.db-journal")).size > 0, "the kill left a hot journal");
        const log = recordingLogger();
        const store = IndexStore.open(dir, IDENTITY, { logger: log });
        try {
            assert.equal(store.rebuilt, undefined, "recovered, not rebuilt");
            assert.equal(assertOneGeneration(store), 0);
            assert.ok(log.lines.some((l) => l.level === "warn" && l.message.includes("interrupted")));
            assert.ok(!fs.existsSync(join(dir, "index.db-journal")), "journal applied and removed");
        } finally {
            store.close();
        }
    });

    it("detects the damage when the journal of an interrupted transaction was deleted", async () => {
        const dir = seededStore();
        await runAndKill(SPILL_CHILD, join(dir, "index.db"), "spilled", 0);
        fs.rmSync(join(dir, "index.db-journal"));
        const log = recordingLogger();
        const store = IndexStore.open(dir, IDENTITY, { logger: log });
        try {
            assert.equal(store.rebuilt, "corrupt");
            assert.equal(store.counts().files, 0);
            assert.equal(log.lines.filter((l) => l.level === "warn" && l.message.includes("damaged")).length, 1);
        } finally {
            store.close();
        }
    });

    it(`shows the old or the new state of a big replaceFiles after SIGKILL (${TRIALS} trials)`, async () => {
        const dir = seededStore();
        let previous = 0;
        for (let trial = 0; trial < TRIALS; trial++) {
            // Spread the kills over opening, building, committing and the next transaction.
            const delay = 50 + Math.floor(Math.random() * 700);
            const { lastCommitted } = await runAndKill(WRITER_CHILD, dir, "open", delay);
            const store = IndexStore.open(dir, IDENTITY);
            try {
                assert.equal(store.rebuilt, undefined, `trial ${trial}: a crash is not corruption`);
                const gen = assertOneGeneration(store);
                const floor = lastCommitted > 0 ? lastCommitted : previous;
                assert.ok(gen === floor || gen === floor + 1 || (lastCommitted === 0 && gen === 1), `trial ${trial}: generation ${gen} after ${lastCommitted} reported commits`);
                previous = gen;
            } finally {
                store.close();
            }
        }
    });

    it("a reader in another process sees one whole generation while a writer keeps rewriting", async () => {
        const dir = seededStore();
        const writer = await startWriter(dir, 1);
        let committed = 1;
        let writerEnd = "still running";
        writer.stdout?.on("data", (d: Buffer) => {
            for (const m of d.toString().matchAll(/committed (\d+)/g)) committed = Number(m[1]);
        });
        let writerErr = "";
        writer.stderr?.on("data", (d: Buffer) => (writerErr += d.toString()));
        writer.on("exit", (code, signal) => (writerEnd = `exited ${code ?? signal}: ${writerErr.slice(0, 400)} … ${writerErr.slice(-200)}`));
        try {
            const seen = new Set<number>();
            // Until the reader has followed the writer to a second generation, reopening now and then; a busy
            // machine can slow the writer down, so the deadline is generous and the check is on what it committed.
            const deadline = Date.now() + 30_000;
            for (let round = 0; seen.size < 2 && Date.now() < deadline; round++) {
                const reader = IndexStore.open(dir, IDENTITY, { readOnly: true });
                try {
                    assert.equal(reader.rebuilt, undefined);
                    seen.add(assertSnapshotGeneration(reader));
                    for (let j = 0; j < 2; j++) {
                        await new Promise((r) => setTimeout(r, 400));
                        reader.refresh();
                        seen.add(assertSnapshotGeneration(reader));
                        assert.ok(reader.lexicalSearch('"generation"', 5).length > 0);
                    }
                } finally {
                    reader.close();
                }
            }
            assert.ok(seen.size >= 2, `the reader did not follow the writer (saw generations ${[...seen].join(",")}; the writer committed ${committed}, ${writerEnd})`);
        } finally {
            writer.removeAllListeners("exit");
            writer.kill("SIGKILL");
        }
    });
});

/** Like assertOneGeneration, but only over a reader's in-memory snapshot (catalog and vectors). */
function assertSnapshotGeneration(store: IndexStore): number {
    const gens = new Set([...store.catalog().values()].map((h) => Number(/^gen(\d+)-/.exec(h)?.[1])));
    assert.equal(store.catalog().size, FILES);
    assert.equal(gens.size, 1, `catalog mixes generations ${[...gens].join(",")}`);
    const gen = [...gens][0];
    const table = store.vectors;
    assert.equal(table.count, FILES * CHUNKS_PER_FILE);
    for (let slot = 0; slot < table.count; slot++) assert.equal(table.vectorAt(slot)[0], gen, "vectors of the catalog's generation");
    return gen;
}
