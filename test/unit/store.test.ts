import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isCoreError } from "../../src/core/errors";
import { IndexStore, type FileBatchEntry, type IndexIdentity } from "../../src/core/store/indexStore";
import { LOCK_FILE } from "../../src/core/store/storeLock";
import type { Chunk, Logger } from "../../src/core/types";

const IDENTITY: IndexIdentity = { modelId: "test-model", dimensions: 8, instructionSet: "instr-1", chunkerVersion: "1" };

function tempDir(): string {
    return fs.mkdtempSync(join(tmpdir(), "seek-store-"));
}

/** A logger that records messages by level. */
function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
    const lines: { level: string; message: string }[] = [];
    const rec = (level: string) => (message: string | Error) => void lines.push({ level, message: String(message) });
    return { lines, trace: rec("trace"), debug: rec("debug"), info: rec("info"), warn: rec("warn"), error: rec("error") };
}

/** Deterministic unit vector from a seed. */
function unitVector(seed: number, dims = IDENTITY.dimensions): Float32Array {
    const v = new Float32Array(dims);
    let x = seed * 9301 + 49297;
    for (let i = 0; i < dims; i++) {
        x = (x * 9301 + 49297) % 233280;
        v[i] = x / 233280 - 0.5;
    }
    const n = Math.hypot(...v);
    return v.map((c) => c / n);
}

/** A batch entry with a vector for every chunk (the store keeps whatever vectors an entry brings). */
type EmbeddedEntry = FileBatchEntry & { vectors: Float32Array[] };

function fileEntry(path: string, chunkTexts: string[], seed: number, hash = `hash-${path}-${seed}`): EmbeddedEntry {
    const chunks: Chunk[] = chunkTexts.map((text, i) => ({
        path,
        startLine: i * 10 + 1,
        endLine: i * 10 + text.split("\n").length,
        language: "typescript",
        kind: "code",
        text,
        ...(i === 0 ? { symbol: `sym${seed}`, symbolKind: "function" } : {}),
    }));
    return { file: { path, hash, size: 100 + seed, mtimeMs: 1000 + seed }, chunks, vectors: chunks.map((_, i) => unitVector(seed * 100 + i)) };
}

function bytesOf(v: Float32Array): Buffer {
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

describe("IndexStore round trip", () => {
    it("stores chunks and vectors and reads them back bit-exact after reopening", () => {
        const dir = tempDir();
        const entries = [
            fileEntry("src/a.ts", ["function alpha() {\n  return 1;\n}", "const beta = 2;"], 1),
            fileEntry("docs/readme.md", ["# Title\nSome prose about caching."], 2),
            fileEntry("src/ü nicode/ß.ts", ["export const naïve = 'ünïcödé ✓';"], 3),
            fileEntry("src/nul.txt", ["before\u0000after NUL", "emoji 🙂 and \r\n CRLF"], 4),
        ];
        const store = IndexStore.open(dir, IDENTITY);
        assert.equal(store.rebuilt, undefined);
        store.replaceFiles(entries);
        const before = entries.map((e) => store.chunksForPath(e.file.path));
        store.close();

        const again = IndexStore.open(dir, IDENTITY);
        try {
            assert.equal(again.rebuilt, undefined);
            assert.deepEqual(again.counts().files, 4);
            assert.deepEqual(again.counts().chunks, 6);
            assert.deepEqual(
                new Map(again.catalog()),
                new Map(entries.map((e) => [e.file.path, e.file.hash])),
            );
            entries.forEach((e, i) => {
                const chunks = again.chunksForPath(e.file.path);
                assert.deepEqual(chunks, before[i]);
                assert.deepEqual(
                    chunks.map(({ id: _id, ...c }) => c),
                    e.chunks,
                );
                chunks.forEach((c, j) => assert.ok(bytesOf(again.vectorOf(c.id)!).equals(bytesOf(e.vectors[j])), "vector bit-exact"));
                const info = again.fileInfo(e.file.path)!;
                assert.equal(info.size, e.file.size);
                assert.equal(info.mtimeMs, e.file.mtimeMs);
                assert.equal(info.chunkCount, e.chunks.length);
            });
            assert.ok(again.bytesOnDisk() > 0);
            assert.ok(again.counts().lastIndexedAt! > 0);
        } finally {
            again.close();
        }
    });

    it("stores vectors compactly as float32 bytes, not JSON", () => {
        const dir = tempDir();
        const store = IndexStore.open(dir, { ...IDENTITY, dimensions: 384 });
        const vector = unitVector(7, 384);
        store.replaceFile({ path: "a.ts", hash: "h", size: 1, mtimeMs: 1 }, [{ path: "a.ts", startLine: 1, endLine: 1, language: "typescript", kind: "code", text: "x" }], [vector]);
        store.close();
        const raw = fs.readFileSync(join(dir, "index.db"));
        assert.ok(raw.includes(bytesOf(vector)), "the raw little-endian float32 bytes are in the file");
        assert.ok(!raw.includes(Buffer.from(String(vector[0]))), "no decimal text of the vector");
    });

    it("replaceFile swaps a file's chunks atomically and drops the old ones everywhere", () => {
        const store = IndexStore.open(tempDir(), IDENTITY);
        try {
            store.replaceFiles([fileEntry("a.ts", ["old zebra text", "old giraffe text", "third"], 1), fileEntry("b.ts", ["other file"], 2)]);
            const oldIds = store.chunksForPath("a.ts").map((c) => c.id);
            store.replaceFile({ path: "a.ts", hash: "new", size: 5, mtimeMs: 6 }, [{ path: "a.ts", startLine: 1, endLine: 1, language: "typescript", kind: "code", text: "new okapi text" }], [unitVector(99)]);
            assert.equal(store.catalog().get("a.ts"), "new");
            assert.equal(store.counts().chunks, 2);
            assert.equal(store.vectors.count, 2);
            for (const id of oldIds) {
                assert.equal(store.getChunk(id), undefined);
                assert.equal(store.vectorOf(id), undefined);
            }
            assert.deepEqual(store.lexicalSearch('"zebra"', 10), []);
            const okapi = store.lexicalSearch('"okapi"', 10);
            assert.equal(okapi.length, 1);
            assert.equal(store.getChunk(okapi[0].id)!.text, "new okapi text");
            assert.equal(store.chunksForPath("b.ts").length, 1, "other files untouched");
        } finally {
            store.close();
        }
    });

    it("removeFiles removes chunks, vectors, full-text rows and catalog rows, and persists", () => {
        const dir = tempDir();
        const store = IndexStore.open(dir, IDENTITY);
        store.replaceFiles([fileEntry("a.ts", ["apple pie"], 1), fileEntry("b.ts", ["banana split", "more banana"], 2), fileEntry("c.ts", ["cherry"], 3)]);
        store.removeFiles(["b.ts", "not-indexed.ts"]);
        assert.deepEqual([...store.catalog().keys()].sort(), ["a.ts", "c.ts"]);
        assert.equal(store.counts().chunks, 2);
        assert.deepEqual(store.lexicalSearch('"banana"', 10), []);
        store.close();
        const again = IndexStore.open(dir, IDENTITY);
        try {
            assert.equal(again.rebuilt, undefined);
            assert.deepEqual([...again.catalog().keys()].sort(), ["a.ts", "c.ts"]);
            assert.deepEqual(again.chunksForPath("b.ts"), []);
            assert.equal(again.vectors.count, 2);
        } finally {
            again.close();
        }
    });

    it("touchFile updates size and mtime only when the hash matches", () => {
        const dir = tempDir();
        const store = IndexStore.open(dir, IDENTITY);
        const e = fileEntry("a.ts", ["x"], 1, "H");
        store.replaceFile(e.file, e.chunks, e.vectors);
        store.touchFile({ path: "a.ts", hash: "H", size: 42, mtimeMs: 4242 });
        store.touchFile({ path: "a.ts", hash: "OTHER", size: 7, mtimeMs: 7 });
        store.close();
        const again = IndexStore.open(dir, IDENTITY);
        try {
            const info = again.fileInfo("a.ts")!;
            assert.equal(info.size, 42);
            assert.equal(info.mtimeMs, 4242);
            assert.equal(info.hash, "H");
        } finally {
            again.close();
        }
    });

    it("rejects a batch whose chunks and vectors disagree, writing nothing", () => {
        const store = IndexStore.open(tempDir(), IDENTITY);
        try {
            const good = fileEntry("good.ts", ["fine"], 1);
            const bad = fileEntry("bad.ts", ["one", "two"], 2);
            bad.vectors.pop();
            assert.throws(() => store.replaceFiles([good, bad]), (e: unknown) => isCoreError(e, "badInput"));
            const wrongDims = fileEntry("dims.ts", ["one"], 3);
            wrongDims.vectors[0] = new Float32Array(3);
            assert.throws(() => store.replaceFiles([wrongDims]), (e: unknown) => isCoreError(e, "badInput"));
            assert.equal(store.counts().files, 0);
        } finally {
            store.close();
        }
    });

    it("chunkAt returns the smallest chunk enclosing a line", () => {
        const store = IndexStore.open(tempDir(), IDENTITY);
        try {
            const mk = (startLine: number, endLine: number, text: string): Chunk => ({ path: "a.ts", startLine, endLine, language: "typescript", kind: "code", text });
            store.replaceFile({ path: "a.ts", hash: "h", size: 1, mtimeMs: 1 }, [mk(1, 50, "class"), mk(10, 20, "method"), mk(30, 40, "other")], [unitVector(1), unitVector(2), unitVector(3)]);
            assert.equal(store.chunkAt("a.ts", 15)?.text, "method");
            assert.equal(store.chunkAt("a.ts", 25)?.text, "class");
            assert.equal(store.chunkAt("a.ts", 51), undefined);
            assert.equal(store.chunkAt("b.ts", 15), undefined);
        } finally {
            store.close();
        }
    });

    it("grows past the initial vector capacity and keeps every vector intact through removals", () => {
        const store = IndexStore.open(tempDir(), IDENTITY);
        try {
            const entries = Array.from({ length: 700 }, (_, f) => fileEntry(`f${f}.ts`, ["a", "b"], f));
            for (let i = 0; i < entries.length; i += 64) store.replaceFiles(entries.slice(i, i + 64));
            store.removeFiles(entries.filter((_, f) => f % 3 === 0).map((e) => e.file.path));
            assert.equal(store.vectors.count, (700 - 234) * 2);
            for (const [f, e] of entries.entries()) {
                const chunks = store.chunksForPath(e.file.path);
                assert.equal(chunks.length, f % 3 === 0 ? 0 : 2);
                chunks.forEach((c, j) => assert.ok(bytesOf(store.vectorOf(c.id)!).equals(bytesOf(e.vectors[j]))));
            }
        } finally {
            store.close();
        }
    });
});

describe("IndexStore identity", () => {
    it("wipes and rebuilds when the model, instructions, chunker or dimensions change", () => {
        const dir = tempDir();
        const first = IndexStore.open(dir, IDENTITY);
        first.replaceFiles([fileEntry("a.ts", ["x"], 1)]);
        first.close();
        for (const changed of [
            { ...IDENTITY, modelId: "other" },
            { ...IDENTITY, instructionSet: "instr-2" },
            { ...IDENTITY, chunkerVersion: "2" },
            { ...IDENTITY, dimensions: 16 },
        ]) {
            const seed = IndexStore.open(dir, IDENTITY);
            seed.replaceFiles([fileEntry("a.ts", ["x"], 1)]);
            seed.close();
            const log = recordingLogger();
            const store = IndexStore.open(dir, changed, { logger: log });
            try {
                assert.equal(store.rebuilt, "identityChanged");
                assert.equal(store.counts().files, 0);
                assert.ok(log.lines.some((l) => l.level === "info" && l.message.includes("identity changed")));
                assert.ok(!log.lines.some((l) => l.level === "warn"), "an identity change is not a warning");
            } finally {
                store.close();
            }
        }
        const same = IndexStore.open(dir, IDENTITY);
        try {
            assert.equal(same.rebuilt, "identityChanged", "back to the first identity is another change");
        } finally {
            same.close();
        }
        const stable = IndexStore.open(dir, IDENTITY);
        try {
            assert.equal(stable.rebuilt, undefined);
        } finally {
            stable.close();
        }
    });

    it("exposes a readable identity key", () => {
        const store = IndexStore.open(tempDir(), IDENTITY);
        try {
            assert.equal(store.identityKey, "test-model/8d/instr-1/chunker-1");
        } finally {
            store.close();
        }
    });
});

describe("IndexStore locking", () => {
    it("refuses a second writer, allows a reader, and frees the lock on close", () => {
        const dir = tempDir();
        const writer = IndexStore.open(dir, IDENTITY);
        writer.replaceFiles([fileEntry("a.ts", ["shared words"], 1)]);
        const owner = JSON.parse(fs.readFileSync(join(dir, LOCK_FILE), "utf8"));
        assert.equal(owner.pid, process.pid);
        assert.equal(owner.hostname, hostname());
        assert.ok(owner.startedAt > 0);
        assert.throws(() => IndexStore.open(dir, IDENTITY), (e: unknown) => isCoreError(e, "storeLocked"));

        const reader = IndexStore.open(dir, IDENTITY, { readOnly: true });
        try {
            assert.equal(reader.readOnly, true);
            assert.equal(reader.counts().chunks, 1);
            assert.equal(reader.lexicalSearch('"shared"', 5).length, 1);
            assert.throws(() => reader.removeFiles(["a.ts"]), (e: unknown) => isCoreError(e, "storeLocked"));
            assert.throws(() => reader.replaceFiles([fileEntry("b.ts", ["x"], 2)]), (e: unknown) => isCoreError(e, "storeLocked"));
        } finally {
            reader.close();
        }
        writer.close();
        assert.ok(!fs.existsSync(join(dir, LOCK_FILE)));
        const next = IndexStore.open(dir, IDENTITY);
        next.close();
    });

    it("a reader catches up with the writer's commits on refresh", () => {
        const dir = tempDir();
        const writer = IndexStore.open(dir, IDENTITY);
        try {
            writer.replaceFiles([fileEntry("a.ts", ["alpha words"], 1), fileEntry("b.ts", ["beta words"], 2)]);
            const reader = IndexStore.open(dir, IDENTITY, { readOnly: true });
            try {
                assert.equal(reader.refresh(), false, "nothing new yet");
                writer.replaceFiles([fileEntry("a.ts", ["alpha again", "and more"], 3), fileEntry("c.ts", ["gamma"], 4)]);
                writer.removeFiles(["b.ts"]);
                assert.equal(reader.counts().chunks, 2, "a snapshot until refreshed");
                assert.equal(reader.refresh(), true);
                assert.deepEqual([...reader.catalog().keys()].sort(), ["a.ts", "c.ts"]);
                assert.equal(reader.vectors.count, 3);
                for (const c of writer.chunksForPath("a.ts")) {
                    assert.ok(bytesOf(reader.vectorOf(c.id)!).equals(bytesOf(writer.vectorOf(c.id)!)));
                }
                assert.equal(reader.refresh(), false);
            } finally {
                reader.close();
            }
        } finally {
            writer.close();
        }
    });

    it("takes over a stale lock whose process is gone", () => {
        const dir = tempDir();
        IndexStore.open(dir, IDENTITY).close();
        const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
        const deadPid = Number(dead.stdout);
        assert.ok(deadPid > 0);
        fs.writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, hostname: hostname(), startedAt: 1, token: "dead" }));
        const log = recordingLogger();
        const store = IndexStore.open(dir, IDENTITY, { logger: log });
        try {
            assert.ok(log.lines.some((l) => l.message.includes(`process ${deadPid}`)));
            assert.equal(JSON.parse(fs.readFileSync(join(dir, LOCK_FILE), "utf8")).pid, process.pid);
        } finally {
            store.close();
        }
    });

    it("never steals a lock held on another host, and takes over an old unreadable lock", () => {
        const dir = tempDir();
        fs.writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, hostname: `not-${hostname()}`, startedAt: 1, token: "t" }));
        assert.throws(() => IndexStore.open(dir, IDENTITY), (e: unknown) => isCoreError(e, "storeLocked"));
        fs.writeFileSync(join(dir, LOCK_FILE), "{half-writ");
        assert.throws(() => IndexStore.open(dir, IDENTITY), (e: unknown) => isCoreError(e, "storeLocked"), "a fresh unreadable lock may still be being written");
        const old = new Date(Date.now() - 60_000);
        fs.utimesSync(join(dir, LOCK_FILE), old, old);
        const store = IndexStore.open(dir, IDENTITY);
        store.close();
    });

    it("read-only opens never create, repair or rebuild", () => {
        const empty = tempDir();
        assert.throws(() => IndexStore.open(empty, IDENTITY, { readOnly: true }), (e: unknown) => isCoreError(e, "indexMismatch"));
        assert.deepEqual(fs.readdirSync(empty), []);
        const dir = tempDir();
        const w = IndexStore.open(dir, IDENTITY);
        w.replaceFiles([fileEntry("a.ts", ["x"], 1)]);
        w.close();
        const before = fs.readFileSync(join(dir, "index.db"));
        assert.throws(() => IndexStore.open(dir, { ...IDENTITY, modelId: "other" }, { readOnly: true }), (e: unknown) => isCoreError(e, "indexMismatch"));
        const r = IndexStore.open(dir, IDENTITY, { readOnly: true });
        r.close();
        assert.ok(fs.readFileSync(join(dir, "index.db")).equals(before), "the database file is byte-identical");
    });
});
