/**
 * Damaged index stores: truncated, overwritten, logically inconsistent, foreign, and with broken sidecars (journal,
 * writer lock, SQLite's lock directory). The next `seek search` must detect structural damage, move the store
 * aside, rebuild it, print one clear message and answer; sidecar faults must simply not stop it. In every case the
 * rebuilt index must equal a clean build.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, openSync, readdirSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { Database } from "node-sqlite3-wasm";
import { crashSigns, describe, parseHits, seek } from "../lib/cli";
import { randomBytes } from "../lib/corpus";
import { removeDir, repoRoot, tempDir, type Scale } from "../lib/env";
import { compareSnapshots, readSnapshot, type IndexSnapshot } from "../lib/indexDb";
import type { Tally } from "../lib/tally";

const DB = "index.db";
const PAGE = 8192;

interface Corruption {
    id: string;
    /** Structural damage: must be moved aside to corrupt-* with one message. Otherwise only recovery is required. */
    damage: boolean;
    quick: boolean;
    apply(indexDir: string): void;
}

function overwrite(file: string, offset: number, bytes: Buffer): void {
    const fd = openSync(file, "r+");
    try {
        writeSync(fd, bytes, 0, bytes.length, offset);
    } finally {
        closeSync(fd);
    }
}

function withDb(indexDir: string, fn: (db: Database) => void): void {
    const db = new Database(join(indexDir, DB));
    try {
        fn(db);
    } finally {
        db.close();
    }
}

const CORRUPTIONS: Corruption[] = [
    { id: "truncated to half", damage: true, quick: true, apply: (d) => truncateSync(join(d, DB), Math.floor(statSync(join(d, DB)).size / 2)) },
    { id: "truncated to 100 bytes", damage: true, quick: false, apply: (d) => truncateSync(join(d, DB), 100) },
    { id: "truncated to 0 bytes", damage: false, quick: false, apply: (d) => truncateSync(join(d, DB), 0) },
    { id: "garbage header (first 100 bytes)", damage: true, quick: false, apply: (d) => overwrite(join(d, DB), 0, randomBytes(100, 5)) },
    { id: "garbage b-tree pages 2-4", damage: true, quick: true, apply: (d) => overwrite(join(d, DB), PAGE, randomBytes(3 * PAGE, 6)) },
    { id: "zeroed last page", damage: true, quick: false, apply: (d) => overwrite(join(d, DB), statSync(join(d, DB)).size - PAGE, Buffer.alloc(PAGE)) },
    { id: "not a database (text file)", damage: true, quick: false, apply: (d) => writeFileSync(join(d, DB), "hello, this is not SQLite\n".repeat(100)) },
    {
        id: "foreign SQLite database",
        damage: true,
        quick: false,
        apply: (d) => {
            writeFileSync(join(d, DB), "");
            withDb(d, (db) => db.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('x');"));
        },
    },
    { id: "chunk rows deleted behind the catalog", damage: true, quick: true, apply: (d) => withDb(d, (db) => db.exec("DELETE FROM chunks WHERE id IN (SELECT id FROM chunks LIMIT 3)")) },
    { id: "catalog rows deleted", damage: true, quick: false, apply: (d) => withDb(d, (db) => db.exec("DELETE FROM files WHERE path IN (SELECT path FROM files LIMIT 2)")) },
    { id: "vector blob truncated", damage: true, quick: false, apply: (d) => withDb(d, (db) => db.exec("UPDATE chunks SET vector = x'00112233' WHERE id = (SELECT min(id) FROM chunks)")) },
    { id: "meta table dropped", damage: true, quick: false, apply: (d) => withDb(d, (db) => db.exec("DROP TABLE meta")) },
    { id: "garbage rollback journal beside a good db", damage: false, quick: false, apply: (d) => writeFileSync(join(d, `${DB}-journal`), randomBytes(4096, 7)) },
    {
        id: "stale writer lock of a dead process + stale SQLite lock directory",
        damage: false,
        quick: true,
        apply: (d) => {
            writeFileSync(join(d, "index.lock"), JSON.stringify({ pid: 2 ** 22 + 12345, hostname: hostname(), startedAt: Date.now() - 60_000, token: "deadbeef" }));
            mkdirSync(join(d, `${DB}.lock`));
        },
    },
    {
        id: "half-written (unparsable) old writer lock",
        damage: false,
        quick: false,
        apply: (d) => {
            writeFileSync(join(d, "index.lock"), "{\"pid\": 12");
            const old = new Date(Date.now() - 60_000);
            utimesSync(join(d, "index.lock"), old, old);
        },
    },
];

export function defineStoreCorruptionSuite(scale: Scale, tally: Tally): void {
    const cases = CORRUPTIONS.filter((c) => scale.name === "full" || c.quick);
    let work = "";
    let root = "";
    let baseIndex = "";
    let clean: IndexSnapshot | undefined;

    tally.test("store corruption: clean build of the fixture workspace", async () => {
        work = tempDir("corrupt");
        root = join(work, "ws");
        cpSync(join(repoRoot, "test", "fixtures", "workspace"), root, { recursive: true });
        baseIndex = join(work, "base");
        const r = await seek(["index", root, "--json", "--index-dir", baseIndex]);
        assert.equal(r.code, 0, describe(r));
        clean = readSnapshot(baseIndex);
        assert.deepEqual(clean.problems, []);
    });

    for (const c of cases) {
        tally.test(`store corruption (${scale.name}): ${c.id} -> ${c.damage ? "detected, moved aside, rebuilt, one message" : "recovered"}`, async () => {
            assert.ok(clean, "clean build missing");
            const dir = join(work, c.id.replace(/[^a-z0-9]+/gi, "-"));
            cpSync(baseIndex, dir, { recursive: true });
            c.apply(dir);
            tally.fault();
            tally.trial();
            const r = await seek(["search", root, "where do we retry failed uploads?", "--json", "--top", "5", "--index-dir", dir]);
            assert.equal(r.code, 0, describe(r));
            assert.deepEqual(crashSigns(r.stderr), [], describe(r));
            assert.ok(parseHits(r).length > 0, "no results after recovery");
            const aside = readdirSync(dir).filter((n) => n.startsWith("corrupt-"));
            const diff = compareSnapshots(readSnapshot(dir), clean);
            assert.equal(diff, "", `rebuilt index differs from a clean build:\n${diff}`);
            if (c.damage) {
                assert.equal(aside.length, 1, `damaged store not moved aside: ${readdirSync(dir).join(", ")}`);
                assert.ok(existsSync(join(dir, aside[0], DB)), "the moved-aside folder lacks the database");
                const lines = r.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("seek: ["));
                const about = lines.filter((l) => /damaged|corrupt/i.test(l));
                assert.equal(about.length, 1, `detected, moved aside and rebuilt, but expected exactly one message about the damaged index on stderr (without --verbose), got:\n${r.stderr}`);
            }
            removeDir(dir);
        });
    }

    if (scale.name === "full") {
        tally.test("store corruption (full, probe): 64 random byte flips inside row content (no checksums: detection not guaranteed)", async () => {
            assert.ok(clean, "clean build missing");
            const dir = join(work, "flips");
            cpSync(baseIndex, dir, { recursive: true });
            const size = statSync(join(dir, DB)).size;
            const noise = randomBytes(64 * 5, 9);
            for (let i = 0; i < 64; i++) overwrite(join(dir, DB), PAGE + Math.floor((noise.readUInt32LE(i * 5) / 2 ** 32) * (size - PAGE)), noise.subarray(i * 5 + 4, i * 5 + 5));
            tally.fault(64);
            tally.trial();
            const r = await seek(["search", root, "retry failed uploads", "--json", "--index-dir", dir]);
            assert.equal(r.code, 0, describe(r));
            assert.deepEqual(crashSigns(r.stderr), []);
            const detected = readdirSync(dir).some((n) => n.startsWith("corrupt-"));
            const diff = compareSnapshots(readSnapshot(dir), clean);
            tally.note(`random byte flips: ${detected ? "detected and rebuilt" : "not detected"}; index ${diff ? "differs from a clean build (undetectable content damage)" : "equals a clean build"}`);
        });
    }

    tally.test("store corruption: cleanup", () => {
        if (work) removeDir(work);
    });
}
