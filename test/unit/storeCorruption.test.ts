import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Database } from "node-sqlite3-wasm";
import { isCoreError } from "../../src/core/errors";
import { KEEP_CORRUPT_COPIES } from "../../src/core/store/corruptArchive";
import { IndexStore, type FileBatchEntry, type IndexIdentity } from "../../src/core/store/indexStore";
import type { Logger } from "../../src/core/types";

const IDENTITY: IndexIdentity = { modelId: "test-model", dimensions: 16, instructionSet: "i", chunkerVersion: "1" };
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
    const lines: { level: string; message: string }[] = [];
    const rec = (level: string) => (message: string | Error) => void lines.push({ level, message: String(message) });
    return { lines, trace: rec("trace"), debug: rec("debug"), info: rec("info"), warn: rec("warn"), error: rec("error") };
}

/** A closed store with 300 files x 3 chunks (a few hundred KB, many pages). */
function builtStore(): string {
    const dir = fs.mkdtempSync(join(tmpdir(), "seek-corrupt-"));
    dirs.push(dir);
    const store = IndexStore.open(dir, IDENTITY);
    const batch: FileBatchEntry[] = [];
    for (let f = 0; f < 300; f++) {
        const path = `src/file${f}.ts`;
        const chunks = [0, 1, 2].map((k) => ({
            path,
            startLine: k * 10 + 1,
            endLine: k * 10 + 10,
            language: "typescript",
            kind: "code" as const,
            text: `function handler${f}_${k}() {\n  return "payload ${f} ${k}".repeat(3);\n}`,
        }));
        const vectors = chunks.map((_, k) => new Float32Array(16).fill(0).map((_, i) => (i === (f + k) % 16 ? 1 : 0)));
        batch.push({ file: { path, hash: `h${f}`, size: 1, mtimeMs: 1 }, chunks, vectors });
    }
    store.replaceFiles(batch);
    store.close();
    return dir;
}

const dbFile = (dir: string) => join(dir, "index.db");

/** Opens a damaged store and checks: rebuilt fresh, old files moved aside, exactly one clear warning. */
function assertRecovered(dir: string, damage: string): void {
    const log = recordingLogger();
    const store = IndexStore.open(dir, IDENTITY, { logger: log });
    try {
        assert.equal(store.rebuilt, "corrupt", `${damage}: rebuilt flag`);
        assert.equal(store.counts().files, 0, `${damage}: fresh store`);
        assert.equal(store.counts().chunks, 0);
        const warnings = log.lines.filter((l) => l.level === "warn" && l.message.includes("damaged"));
        assert.equal(warnings.length, 1, `${damage}: one warning, got ${JSON.stringify(log.lines)}`);
        assert.match(warnings[0].message, /moved it to .*corrupt-/);
        const copies = fs.readdirSync(dir).filter((n) => n.startsWith("corrupt-"));
        assert.ok(copies.length >= 1, `${damage}: a corrupt-* copy exists`);
        assert.ok(copies.some((c) => fs.existsSync(join(dir, c, "index.db"))));
        // The fresh store works.
        store.replaceFiles([{ file: { path: "new.ts", hash: "n", size: 1, mtimeMs: 1 }, chunks: [{ path: "new.ts", startLine: 1, endLine: 1, language: "typescript", kind: "code", text: "fresh" }], vectors: [new Float32Array(16).fill(0.25)] }]);
    } finally {
        store.close();
    }
    const reopened = IndexStore.open(dir, IDENTITY);
    try {
        assert.equal(reopened.rebuilt, undefined, `${damage}: the rebuilt store is healthy`);
        assert.equal(reopened.counts().files, 1);
    } finally {
        reopened.close();
    }
}

describe("IndexStore corruption recovery", () => {
    it("detects a truncated database file", () => {
        const dir = builtStore();
        const size = fs.statSync(dbFile(dir)).size;
        fs.truncateSync(dbFile(dir), Math.floor(size / 2));
        assertRecovered(dir, "truncated");
    });

    it("detects a database truncated inside its header", () => {
        const dir = builtStore();
        fs.truncateSync(dbFile(dir), 50);
        assertRecovered(dir, "truncated header");
    });

    it("detects bytes overwritten in the middle of the file", () => {
        const dir = builtStore();
        const size = fs.statSync(dbFile(dir)).size;
        const fd = fs.openSync(dbFile(dir), "r+");
        const garbage = Buffer.alloc(64 * 1024);
        for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
        fs.writeSync(fd, garbage, 0, garbage.length, Math.floor(size / 2) - garbage.length / 2);
        fs.closeSync(fd);
        assertRecovered(dir, "overwritten middle");
    });

    it("detects a garbage header", () => {
        const dir = builtStore();
        const fd = fs.openSync(dbFile(dir), "r+");
        fs.writeSync(fd, Buffer.from("this is not an sqlite database at all, just noise!!"), 0, 50, 0);
        fs.closeSync(fd);
        assertRecovered(dir, "garbage header");
    });

    it("detects a file that is not a database at all", () => {
        const dir = builtStore();
        fs.writeFileSync(dbFile(dir), "hello\n".repeat(1000));
        assertRecovered(dir, "text file");
    });

    it("detects missing metadata", () => {
        const dir = builtStore();
        const db = new Database(dbFile(dir));
        db.exec("DROP TABLE meta");
        db.close();
        assertRecovered(dir, "missing meta");
    });

    it("detects a catalog that disagrees with the chunks (a torn write)", () => {
        const dir = builtStore();
        const db = new Database(dbFile(dir));
        db.exec("DELETE FROM chunks WHERE id % 7 = 0");
        db.close();
        assertRecovered(dir, "catalog mismatch");
    });

    it("detects malformed lexical terms of a chunk", () => {
        const dir = builtStore();
        const db = new Database(dbFile(dir));
        db.run("UPDATE chunks SET terms = ? WHERE id % 5 = 0", [new Uint8Array(6)]);
        db.close();
        assertRecovered(dir, "bad terms");
    });

    it("detects a malformed vector blob", () => {
        const dir = builtStore();
        const db = new Database(dbFile(dir));
        db.run("UPDATE vectors SET vector = ? WHERE chunk_id = 3", [new Uint8Array(5)]);
        db.close();
        assertRecovered(dir, "bad vector");
    });

    it(`keeps at most ${KEEP_CORRUPT_COPIES} corrupt copies`, () => {
        const dir = builtStore();
        for (let i = 0; i < KEEP_CORRUPT_COPIES + 2; i++) {
            fs.writeFileSync(dbFile(dir), `garbage ${i}`.repeat(500));
            const store = IndexStore.open(dir, IDENTITY);
            assert.equal(store.rebuilt, "corrupt");
            store.close();
        }
        const copies = fs.readdirSync(dir).filter((n) => n.startsWith("corrupt-")).sort();
        assert.equal(copies.length, KEEP_CORRUPT_COPIES);
        const newest = fs.readFileSync(join(dir, copies[copies.length - 1], "index.db"), "utf8");
        assert.ok(newest.startsWith(`garbage ${KEEP_CORRUPT_COPIES + 1}`), "the newest copies are the ones kept");
    });

    it("a read-only open reports corruption and moves nothing", () => {
        const dir = builtStore();
        fs.truncateSync(dbFile(dir), 4096 * 3);
        const before = fs.readdirSync(dir).sort();
        assert.throws(() => IndexStore.open(dir, IDENTITY, { readOnly: true }), (e: unknown) => isCoreError(e, "storeCorrupt"));
        assert.deepEqual(fs.readdirSync(dir).sort(), before);
    });
});
