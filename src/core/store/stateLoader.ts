/**
 * Reading the catalog, the chunk metadata and the vectors from the database into memory: used when a store opens,
 * and by read-only stores to catch up with a writer in another process (readerSync.ts).
 */
import type { Database } from "node-sqlite3-wasm";
import { symbolKeysOf } from "../search/lexical";
import type { FileKind } from "../types";
import type { ChunkTable } from "./chunkTable";
import type { TermIndex } from "./termIndex";
import { decodeVector, type VectorTable } from "./vectorTable";

/** Rows per statement while loading (between batches a reader refreshes its lock's heartbeat). */
const LOAD_BATCH_ROWS = 4096;

/** One catalog row: a file as it was when indexed. */
export interface FileRecord {
    path: string;
    /** Content hash (sha256 hex of the raw bytes). */
    hash: string;
    size: number;
    mtimeMs: number;
    chunkCount: number;
    /** Epoch ms of the transaction that stored it. */
    indexedAt: number;
}

/** Why an open started over with an empty index. */
export type RebuildReason = "identityChanged" | "corrupt";

/** A problem found by validation (as opposed to an error SQLite raised). */
export class InvalidStore extends Error {
    constructor(
        readonly problem: RebuildReason,
        message: string,
    ) {
        super(message);
    }
}

/** SQLite's counter of commits by other connections (compare values from one connection only). */
export function dataVersion(db: Database): number {
    return Number(db.get("PRAGMA data_version")?.data_version ?? 0);
}

/** Every catalog row, by path. */
export function readCatalog(db: Database): Map<string, FileRecord> {
    const files = new Map<string, FileRecord>();
    for (const r of db.all("SELECT path, hash, size, mtime_ms, chunk_count, indexed_at FROM files")) {
        const rec: FileRecord = {
            path: String(r.path),
            hash: String(r.hash),
            size: Number(r.size),
            mtimeMs: Number(r.mtime_ms),
            chunkCount: Number(r.chunk_count),
            indexedAt: Number(r.indexed_at),
        };
        files.set(rec.path, rec);
    }
    return files;
}

/**
 * Adds every chunk with id > `afterId` to `chunks` and to the lexical index `terms` (with the new rows of its
 * dictionary), in id order, `LOAD_BATCH_ROWS` per statement; `onBatch` runs between batches. Throws InvalidStore
 * for a chunk of a file missing from `files` or with malformed terms. Returns the highest id loaded (or `afterId`).
 */
export function loadChunksInto(
    chunks: ChunkTable,
    terms: TermIndex,
    db: Database,
    files: Map<string, FileRecord>,
    afterId: number,
    onBatch: () => void,
): number {
    terms.dictionary.load(db);
    const stmt = db.prepare(
        "SELECT id, path, start_line, end_line, language, kind, symbol, embed_failed, terms FROM chunks WHERE id > ? ORDER BY id LIMIT ?",
    );
    let after = afterId;
    try {
        for (;;) {
            const rows = stmt.all([after, LOAD_BATCH_ROWS]);
            for (const r of rows) {
                const id = Number(r.id);
                const path = String(r.path);
                if (!files.has(path)) throw new InvalidStore("corrupt", `chunk ${id} belongs to ${path}, which is not in the catalog`);
                const meta = {
                    path,
                    kind: String(r.kind) as FileKind,
                    language: String(r.language),
                    startLine: Number(r.start_line),
                    endLine: Number(r.end_line),
                    symbolKeys: symbolKeysOf(typeof r.symbol === "string" ? r.symbol : undefined),
                };
                if (!terms.add(id, r.terms)) throw new InvalidStore("corrupt", `chunk ${id} has malformed lexical terms`);
                chunks.add(id, meta, Number(r.embed_failed) === 1);
                after = id;
            }
            if (rows.length < LOAD_BATCH_ROWS) break;
            onBatch();
        }
    } finally {
        stmt.finalize();
    }
    // The loaded postings into the exactly-sized base (a reader's small catch-up stays in the tail; see trim).
    terms.trim();
    return after;
}

/**
 * Adds every vector stored after `afterSeq` to `table`, with its chunk's metadata from `chunks` (load the chunks
 * first). Throws InvalidStore for a malformed vector or a vector of a chunk that does not exist. Returns the highest
 * seq loaded (or `afterSeq`).
 */
export function loadVectorsInto(table: VectorTable, chunks: ChunkTable, db: Database, afterSeq: number, onBatch: () => void): number {
    const stmt = db.prepare("SELECT seq, chunk_id, vector FROM vectors WHERE seq > ? ORDER BY seq LIMIT ?");
    let after = afterSeq;
    try {
        for (;;) {
            const rows = stmt.all([after, LOAD_BATCH_ROWS]);
            for (const r of rows) {
                const id = Number(r.chunk_id);
                const vector = r.vector instanceof Uint8Array ? decodeVector(r.vector, table.dimensions) : undefined;
                if (!vector) throw new InvalidStore("corrupt", `chunk ${id} has a malformed vector`);
                const meta = chunks.metaOf(id);
                if (!meta) throw new InvalidStore("corrupt", `a vector belongs to chunk ${id}, which does not exist`);
                table.add(id, vector, meta);
                after = Number(r.seq);
            }
            if (rows.length < LOAD_BATCH_ROWS) break;
            onBatch();
        }
    } finally {
        stmt.finalize();
    }
    return after;
}
