/**
 * Keeps a read-only store current. A reader's catalog and vectors are loaded at open; a writer in another process
 * keeps committing. `PRAGMA data_version` tells cheaply whether anything was committed since; if so, the reader
 * drops chunks that are gone and loads the new ones. Chunk ids only grow (AUTOINCREMENT, and a replaced file gets
 * new ids), so "new" is exactly "id above the highest loaded".
 */
import type { Database } from "node-sqlite3-wasm";
import { readCatalog, loadVectorsInto, type FileRecord } from "./stateLoader";
import { touchVfsLock } from "./sqliteVfs";
import type { VectorTable } from "./vectorTable";

/** Where a reader's in-memory state stands. */
export interface ReaderPosition {
    dataVersion: number;
    /** Highest chunk id loaded. */
    maxId: number;
}

/** SQLite's counter of commits by other connections (compare values from one connection only). */
export function dataVersion(db: Database): number {
    return Number(db.get("PRAGMA data_version")?.data_version ?? 0);
}

/** The highest chunk id in a table (-1 when empty). */
export function highestId(table: VectorTable): number {
    let max = -1;
    for (let slot = 0; slot < table.count; slot++) max = Math.max(max, table.idAt(slot));
    return max;
}

/**
 * Brings `files` and `table` up to date in one read transaction (a consistent snapshot). Returns the new catalog,
 * or undefined when nothing was committed since `position` (which is then left as is).
 */
export function syncReader(db: Database, dbPath: string, table: VectorTable, position: ReaderPosition): Map<string, FileRecord> | undefined {
    if (dataVersion(db) === position.dataVersion) return undefined;
    db.exec("BEGIN");
    try {
        const version = dataVersion(db);
        const files = readCatalog(db);
        const live = new Set(db.all("SELECT id FROM chunks INDEXED BY chunks_by_path").map((r) => Number(r.id)));
        const gone: number[] = [];
        for (let slot = 0; slot < table.count; slot++) if (!live.has(table.idAt(slot))) gone.push(table.idAt(slot));
        for (const id of gone) table.remove(id);
        position.maxId = loadVectorsInto(table, db, files, position.maxId, () => touchVfsLock(dbPath));
        position.dataVersion = version;
        return files;
    } finally {
        if (db.inTransaction) db.exec("COMMIT");
    }
}
