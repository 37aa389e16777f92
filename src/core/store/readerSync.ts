/**
 * Keeps a read-only store current. A reader's catalog, chunks and vectors are loaded at open; a writer in another
 * process keeps committing. `PRAGMA data_version` tells cheaply whether anything was committed since; if so, the
 * reader drops chunks that are gone and loads the new ones. Chunk ids only grow (AUTOINCREMENT, and a replaced file
 * gets new ids), so "new" is exactly "id above the highest loaded"; vectors arrive later than their chunks, in
 * `vectors.seq` order, so new vectors are those above the highest seq loaded.
 */
import type { Database } from "node-sqlite3-wasm";
import type { ChunkTable } from "./chunkTable";
import { dataVersion, loadChunksInto, loadVectorsInto, readCatalog, type FileRecord } from "./stateLoader";
import { touchVfsLock } from "./sqliteVfs";
import type { TermIndex } from "./termIndex";
import type { VectorTable } from "./vectorTable";

/** Where a reader's in-memory state stands. */
export interface ReaderPosition {
    dataVersion: number;
    /** Highest chunk id loaded. */
    maxId: number;
    /** Highest vector seq loaded. */
    maxSeq: number;
}

/** The highest id in a table (-1 when empty). */
export function highestId(table: { count: number; idAt(slot: number): number }): number {
    let max = -1;
    for (let slot = 0; slot < table.count; slot++) max = Math.max(max, table.idAt(slot));
    return max;
}

/** The highest vector seq stored (-1 when none). */
export function highestSeq(db: Database): number {
    return Number(db.get("SELECT max(seq) AS s FROM vectors")?.s ?? -1);
}

/**
 * Brings `files`, `chunks` and `vectors` up to date in one read transaction (a consistent snapshot). Returns the new
 * catalog, or undefined when nothing was committed since `position` (which is then left as is).
 */
export function syncReader(
    db: Database,
    dbPath: string,
    tables: { chunks: ChunkTable; vectors: VectorTable; terms: TermIndex },
    position: ReaderPosition,
): Map<string, FileRecord> | undefined {
    if (dataVersion(db) === position.dataVersion) return undefined;
    db.exec("BEGIN");
    try {
        const version = dataVersion(db);
        const files = readCatalog(db);
        const live = new Set(db.all("SELECT id FROM chunks INDEXED BY chunks_by_path").map((r) => Number(r.id)));
        const { chunks, vectors, terms } = tables;
        const gone: number[] = [];
        for (let slot = 0; slot < chunks.count; slot++) if (!live.has(chunks.idAt(slot))) gone.push(chunks.idAt(slot));
        for (const id of gone) {
            chunks.remove(id);
            vectors.remove(id);
            terms.remove(id);
        }
        const heartbeat = () => touchVfsLock(dbPath);
        position.maxId = loadChunksInto(chunks, terms, db, files, position.maxId, heartbeat);
        for (const r of db.all("SELECT id FROM chunks WHERE embed_failed = 1")) chunks.markFailed(Number(r.id));
        position.maxSeq = loadVectorsInto(vectors, chunks, db, position.maxSeq, heartbeat);
        position.dataVersion = version;
        return files;
    } finally {
        if (db.inTransaction) db.exec("COMMIT");
    }
}
