/**
 * Reads a Seek index database directly (schema: src/core/store/schema.ts) to compare a recovered index with a
 * clean build. Always works on a copy of the database (and its journal), so inspecting a killed run's leftovers
 * never performs the crash recovery that the next `seek` run is supposed to do.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "node-sqlite3-wasm";
import { DB_FILE } from "../../../src/core/store/schema";
import { hasHotJournal, journalPath, recoverHotJournal } from "../../../src/core/store/sqliteVfs";
import type { Logger } from "../../../src/core/types";

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export interface IndexSnapshot {
    /** Sorted "json(path)\tstart\tend\tlanguage\tkind\tsymbol\tsha256(text)" per chunk. */
    chunks: string[];
    /** Sorted "json(path)\thash\tchunkCount" per catalog row. */
    files: string[];
    /** Problems found inside the one database (not by comparison): empty when consistent. */
    problems: string[];
    /** Chunks that have a vector (the rest are pending: stored by the keyword stage, not embedded yet). */
    embedded: number;
    /** Vector byte length of every embedded chunk (all equal when consistent). */
    vectorBytes: number;
    /** The copy had a hot journal (an interrupted write) that was rolled back before reading. */
    hadHotJournal: boolean;
}

function sha(text: string): string {
    return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}

/**
 * Copies the database and its rollback journal into a fresh temp dir and, when the journal is hot (a killed
 * write), rolls it back there. node-sqlite3-wasm's VFS never rolls a hot journal back by itself (see
 * src/core/store/sqliteVfs.ts), so this uses the store's own recovery on the copy; the original is never touched.
 */
function copyStore(indexDir: string): { dir: string; db: string; hadHotJournal: boolean } {
    const dir = mkdtempSync(join(tmpdir(), "seek-dbcopy-"));
    const db = join(dir, DB_FILE);
    copyFileSync(join(indexDir, DB_FILE), db);
    if (existsSync(journalPath(join(indexDir, DB_FILE)))) copyFileSync(journalPath(join(indexDir, DB_FILE)), journalPath(db));
    const hadHotJournal = hasHotJournal(db);
    if (hadHotJournal) recoverHotJournal(db, quiet);
    return { dir, db, hadHotJournal };
}

export function hasDb(indexDir: string): boolean {
    return existsSync(join(indexDir, DB_FILE));
}

/** Reads chunks and catalog of the index in `indexDir`, and checks the store's own invariants. */
export function readSnapshot(indexDir: string): IndexSnapshot {
    const copy = copyStore(indexDir);
    const db = new Database(copy.db);
    try {
        const problems: string[] = [];
        const integrity = db.all("PRAGMA integrity_check").map((r) => String(Object.values(r)[0]));
        if (integrity.join() !== "ok") problems.push(`integrity_check: ${integrity.slice(0, 3).join("; ")}`);
        const rows = db.all(
            "SELECT c.id, c.path, c.start_line, c.end_line, c.language, c.kind, c.symbol, length(v.vector) AS vbytes, c.text " +
                "FROM chunks c LEFT JOIN vectors v ON v.chunk_id = c.id",
        ) as { id: number; path: string; start_line: number; end_line: number; language: string; kind: string; symbol: string | null; vbytes: number | null; text: string }[];
        const chunks = rows.map((r) => [JSON.stringify(r.path), r.start_line, r.end_line, r.language, r.kind, r.symbol ?? "", sha(r.text)].join("\t")).sort();
        // Chunks still waiting for the model have no vector (the two-stage index); every stored vector has one size.
        const vbytes = new Set(rows.flatMap((r) => (r.vbytes === null ? [] : [r.vbytes])));
        const orphans = Number((db.get("SELECT count(*) AS n FROM vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)") as { n: number }).n);
        if (orphans > 0) problems.push(`${orphans} vectors of chunks that do not exist`);
        if (vbytes.size > 1) problems.push(`vectors of different sizes: ${[...vbytes].join(", ")}`);
        const fileRows = db.all("SELECT path, hash, chunk_count FROM files") as { path: string; hash: string; chunk_count: number }[];
        const files = fileRows.map((f) => `${JSON.stringify(f.path)}\t${f.hash}\t${f.chunk_count}`).sort();
        const perPath = new Map<string, number>();
        for (const r of rows) perPath.set(r.path, (perPath.get(r.path) ?? 0) + 1);
        for (const f of fileRows) {
            if ((perPath.get(f.path) ?? 0) !== f.chunk_count) problems.push(`${f.path}: catalog says ${f.chunk_count} chunks, store has ${perPath.get(f.path) ?? 0}`);
            perPath.delete(f.path);
        }
        for (const [p, n] of perPath) problems.push(`${p}: ${n} chunks without a catalog row`);
        const badTerms = Number((db.get("SELECT count(*) AS n FROM chunks WHERE length(terms) < 4 OR length(terms) % 8 != 4") as { n: number }).n);
        if (badTerms > 0) problems.push(`${badTerms} chunks with malformed lexical terms`);
        const maxTermId = Number((db.get("SELECT coalesce(max(id), 0) AS n FROM terms") as { n: number }).n);
        const termRows = Number((db.get("SELECT count(*) AS n FROM terms") as { n: number }).n);
        if (termRows !== maxTermId) problems.push(`term ids are not dense: ${termRows} rows, highest id ${maxTermId}`);
        const embedded = rows.filter((r) => r.vbytes !== null).length;
        return { chunks, files, problems, embedded, vectorBytes: [...vbytes][0] ?? 0, hadHotJournal: copy.hadHotJournal };
    } finally {
        db.close();
        rmSync(copy.dir, { recursive: true, force: true });
    }
}

/** Human-readable difference of two sorted lists (first few lines each way). */
export function diffLists(actual: string[], expected: string[], limit = 8): string {
    const a = new Set(actual);
    const e = new Set(expected);
    const extra = actual.filter((x) => !e.has(x));
    const missing = expected.filter((x) => !a.has(x));
    if (extra.length === 0 && missing.length === 0) return "";
    return [
        `${extra.length} unexpected, ${missing.length} missing`,
        ...extra.slice(0, limit).map((x) => `  + ${x}`),
        ...missing.slice(0, limit).map((x) => `  - ${x}`),
    ].join("\n");
}

/** Asserts-friendly comparison: "" when `actual` has the same chunks and catalog as `clean`. */
export function compareSnapshots(actual: IndexSnapshot, clean: IndexSnapshot): string {
    const parts: string[] = [];
    if (actual.problems.length > 0) parts.push(`store problems: ${actual.problems.slice(0, 5).join("; ")}`);
    const c = diffLists(actual.chunks, clean.chunks);
    if (c) parts.push(`chunks differ: ${c}`);
    const f = diffLists(actual.files, clean.files);
    if (f) parts.push(`catalog differs: ${f}`);
    if (actual.vectorBytes !== clean.vectorBytes) parts.push(`vector bytes ${actual.vectorBytes} vs ${clean.vectorBytes}`);
    return parts.join("\n");
}

/** Paths of chunks in the index (distinct). */
export function indexedPaths(snap: IndexSnapshot): Set<string> {
    return new Set(snap.chunks.map((c) => JSON.parse(c.split("\t")[0]) as string));
}

/** Chunk counts per path. */
export function chunksByPath(snap: IndexSnapshot): Map<string, number> {
    const m = new Map<string, number>();
    for (const c of snap.chunks) {
        const p = JSON.parse(c.split("\t")[0]) as string;
        m.set(p, (m.get(p) ?? 0) + 1);
    }
    return m;
}
