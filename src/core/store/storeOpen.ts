/**
 * Opening an index database: crash recovery, validation (integrity, schema, identity, internal consistency) and
 * loading the catalog and vectors into memory. A writer that finds a broken store moves it aside and starts a
 * fresh one; a reader only reports it (readers never write).
 */
import fs = require("node:fs");
import { join } from "node:path";
import { Database, SQLite3Error } from "node-sqlite3-wasm";
import { CoreError, isCoreError } from "../errors";
import type { Logger } from "../types";
import { moveAside } from "./corruptArchive";
import { applyPragmas, createSchema, DB_FILE, META, REQUIRED_OBJECTS, SCHEMA_VERSION, setCleanClose } from "./schema";
import { BUSY_TIMEOUT_MS, clearVfsLock, hasHotJournal, journalPath, recoverHotJournal, sleepSync, touchVfsLock, vfsLockHeld } from "./sqliteVfs";
import { ChunkTable } from "./chunkTable";
import { highestSeq } from "./readerSync";
import { writerActive } from "./storeLock";
import { TermIndex } from "./termIndex";
import { dataVersion, InvalidStore, loadChunksInto, loadVectorsInto, readCatalog, type FileRecord, type RebuildReason } from "./stateLoader";
import { VectorTable } from "./vectorTable";

/** Attempts at opening while another process keeps the database busy. */
const OPEN_ATTEMPTS = 3;
/**
 * PRAGMA quick_check reads every page: measured ~3 s for a 350 MB / 100k-chunk index on the 2-core dev machine,
 * too slow for every open. It always runs below this size (about 15k chunks, well under half a second) and, above
 * it, only when the last writer did not close cleanly. Every open still checks the header, file length, schema,
 * metadata, catalog/chunk counts and reads every chunk row with its lexical terms (which fails on a damaged chunks b-tree).
 */
export const QUICK_CHECK_ALWAYS_BELOW_BYTES = 64 * 1024 * 1024;

/** What makes two indexes comparable: vectors from different models, prompts or chunkings are not. */
export interface IndexIdentity {
    modelId: string;
    dimensions: number;
    /** Hash or id of the instruction templates in use. */
    instructionSet: string;
    chunkerVersion: string;
}

export type { FileRecord, RebuildReason } from "./stateLoader";

export interface LoadedState {
    files: Map<string, FileRecord>;
    /** Every chunk's metadata, embedded or not. */
    chunks: ChunkTable;
    /** The embedded chunks' vectors. */
    vectors: VectorTable;
    /** The lexical index of every chunk. */
    terms: TermIndex;
    /** Highest vector seq loaded (see readerSync.ts). */
    maxSeq: number;
    /** Read-only opens: PRAGMA data_version inside the snapshot transaction (see readerSync.ts). */
    dataVersion?: number;
}

export interface OpenedDatabase {
    db: Database;
    state: LoadedState;
    rebuilt?: RebuildReason;
}

/** Canonical JSON of an identity (fixed key order) as stored in meta. */
export function identityJson(identity: IndexIdentity): string {
    const { modelId, dimensions, instructionSet, chunkerVersion } = identity;
    return JSON.stringify({ modelId, dimensions, instructionSet, chunkerVersion });
}

/** Opens for writing (the caller holds the index lock). Rebuilds on identity change or corruption. */
export function openWritable(dir: string, identity: IndexIdentity, logger: Logger): OpenedDatabase {
    const dbPath = join(dir, DB_FILE);
    try {
        return withContentionRetry(dbPath, logger, () => attemptWritable(dbPath, identity, logger));
    } catch (err) {
        if (isCoreError(err)) throw err;
        const problem = err instanceof Error ? err.message : String(err);
        const aside = moveAside(dir, [DB_FILE, `${DB_FILE}-journal`], logger);
        logger.warn(
            `seek: the index in ${dir} is damaged (${problem}); ` +
                `${aside ? `moved it to ${aside} and ` : ""}rebuilding it from scratch`,
        );
        try {
            return { ...attemptWritable(dbPath, identity, logger), rebuilt: "corrupt" };
        } catch (second) {
            throw new CoreError("storeCorrupt", `Cannot create a new index in ${dir}`, { cause: second });
        }
    }
}

/** Opens read-only. Never writes, never repairs: a broken or foreign store is an error for the caller. */
export function openReadOnly(dir: string, identity: IndexIdentity, logger: Logger): OpenedDatabase {
    const dbPath = join(dir, DB_FILE);
    if (!(fileSize(dbPath) > 0)) throw new CoreError("indexMismatch", `There is no index in ${dir} yet; build it first.`);
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    while (hasHotJournal(dbPath)) {
        // Either a writer is mid-transaction (wait) or one died mid-transaction (only a writer can repair that).
        if (!writerActive(dir) || Date.now() > deadline) {
            throw new CoreError("storeLocked", `The index in ${dir} has an unfinished write; it is repaired when Seek next opens it for indexing.`);
        }
        sleepSync(50);
    }
    try {
        return withContentionRetry(dbPath, logger, () => attemptReadOnly(dbPath, identity));
    } catch (err) {
        if (isCoreError(err)) throw err;
        if (err instanceof InvalidStore && err.problem === "identityChanged") {
            throw new CoreError("indexMismatch", `The index in ${dir} was built differently: ${err.message}`);
        }
        throw new CoreError("storeCorrupt", `The index in ${dir} is damaged: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
}

/**
 * Runs an open attempt; when it fails while another process holds the SQLite file lock, the failure was contention,
 * not damage: wait for the lock (or its staleness) and try again.
 */
function withContentionRetry(dbPath: string, logger: Logger, attempt: () => OpenedDatabase): OpenedDatabase {
    for (let i = 1; ; i++) {
        if (!clearVfsLock(dbPath, logger)) {
            throw new CoreError("storeLocked", `The index ${dbPath} is kept busy by another process.`);
        }
        try {
            return attempt();
        } catch (err) {
            if (!(err instanceof SQLite3Error) || !vfsLockHeld(dbPath)) throw err;
            if (i >= OPEN_ATTEMPTS) throw new CoreError("storeLocked", `The index ${dbPath} is kept busy by another process.`, { cause: err });
            logger.debug(`seek: index busy while opening (${err.message}); retrying`);
        }
    }
}

function attemptWritable(dbPath: string, identity: IndexIdentity, logger: Logger): OpenedDatabase {
    const existed = fileSize(dbPath) > 0;
    if (existed && hasHotJournal(dbPath)) recoverHotJournal(dbPath, logger);
    // A journal beside an empty or missing database has nothing to roll back into.
    if (!existed) fs.rmSync(journalPath(dbPath), { force: true });
    const wanted = identityJson(identity);
    const db = new Database(dbPath);
    try {
        applyPragmas(db, false);
        if (!existed) {
            createSchema(db, wanted, Date.now());
        } else {
            const found = validate(db, wanted, fileSize(dbPath));
            if (found !== undefined) {
                db.close();
                logger.info(`seek: index identity changed (${found} -> ${wanted}); rebuilding the index`);
                fs.rmSync(dbPath, { force: true });
                fs.rmSync(journalPath(dbPath), { force: true });
                return { ...attemptWritable(dbPath, identity, logger), rebuilt: "identityChanged" };
            }
        }
        const state = loadState(db, identity.dimensions);
        setCleanClose(db, false);
        return { db, state };
    } catch (err) {
        closeQuietly(db, logger);
        throw err;
    }
}

function attemptReadOnly(dbPath: string, identity: IndexIdentity): OpenedDatabase {
    const db = new Database(dbPath, { readOnly: true });
    try {
        applyPragmas(db, true);
        // One read transaction: a writer cannot commit between validation and the last vector batch, so the
        // snapshot is one consistent state. The heartbeat keeps the lock from looking stale to the writer.
        db.exec("BEGIN");
        try {
            const found = validate(db, identityJson(identity), fileSize(dbPath), false);
            if (found !== undefined) throw new InvalidStore("identityChanged", `${found}, expected ${identityJson(identity)}`);
            const state = loadState(db, identity.dimensions, () => touchVfsLock(dbPath));
            return { db, state: { ...state, dataVersion: dataVersion(db) } };
        } finally {
            if (db.inTransaction) db.exec("COMMIT");
        }
    } catch (err) {
        db.close();
        throw err;
    }
}

/**
 * Checks integrity and format. Returns undefined when the store is usable as is, or the stored identity when it
 * belongs to another model/instruction set/chunker/schema. Throws InvalidStore or SQLite3Error when damaged.
 * `trustCleanClose` lets a large store that was closed cleanly skip quick_check (readers pass false: a live
 * writer keeps the marker at "0", and readers should not pay for a full check on every open).
 */
function validate(db: Database, wantedIdentity: string, bytes: number, trustCleanClose = true): string | undefined {
    const pageSize = Number(db.get("PRAGMA page_size")?.page_size);
    const pageCount = Number(db.get("PRAGMA page_count")?.page_count);
    if (!(pageSize > 0) || bytes < pageSize * pageCount) {
        throw new InvalidStore("corrupt", `the file is shorter (${bytes} bytes) than its ${pageCount} pages of ${pageSize}`);
    }
    const meta = readMeta(db);
    const uncleanWriter = trustCleanClose && meta.get(META.cleanClose) !== "1";
    if (bytes < QUICK_CHECK_ALWAYS_BELOW_BYTES || uncleanWriter) quickCheck(db);
    const version = meta.get(META.schemaVersion);
    const identity = meta.get(META.identity);
    if (version === undefined || identity === undefined) throw new InvalidStore("corrupt", "missing index metadata");
    if (version !== String(SCHEMA_VERSION)) return `schema ${version}`;
    const names = new Set(db.all("SELECT name FROM sqlite_master").map((r) => String(r.name)));
    const missing = REQUIRED_OBJECTS.filter((n) => !names.has(n));
    if (missing.length > 0) throw new InvalidStore("corrupt", `missing ${missing.join(", ")}`);
    return identity === wantedIdentity ? undefined : identity;
}

function readMeta(db: Database): Map<string, string> {
    const hasMeta = db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").length > 0;
    if (!hasMeta) throw new InvalidStore("corrupt", "missing index metadata");
    return new Map(db.all("SELECT key, value FROM meta").map((r) => [String(r.key), String(r.value)]));
}

function quickCheck(db: Database): void {
    const check = db.all("PRAGMA quick_check");
    if (check.length !== 1 || check[0].quick_check !== "ok") {
        const details = check.map((r) => String(Object.values(r)[0]).replace(/\s+/g, " ")).slice(0, 3).join("; ");
        throw new InvalidStore("corrupt", `integrity check failed: ${details}`);
    }
}

/**
 * Reads the catalog, every chunk's metadata and lexical terms and every vector, checking that catalog, chunks and
 * vectors agree. `onBatch` runs between batches.
 */
function loadState(db: Database, dimensions: number, onBatch: () => void = () => undefined): LoadedState {
    const files = readCatalog(db);
    let expectedChunks = 0;
    for (const f of files.values()) expectedChunks += f.chunkCount;
    const chunks = new ChunkTable();
    const terms = new TermIndex();
    loadChunksInto(chunks, terms, db, files, -1, onBatch);
    if (chunks.count !== expectedChunks) {
        throw new InvalidStore("corrupt", `catalog lists ${expectedChunks} chunks but ${chunks.count} are stored`);
    }
    const vectors = new VectorTable(dimensions);
    loadVectorsInto(vectors, chunks, db, -1, onBatch);
    return { files, chunks, vectors, terms, maxSeq: highestSeq(db) };
}

function fileSize(path: string): number {
    try {
        return fs.statSync(path).size;
    } catch {
        return -1;
    }
}

function closeQuietly(db: Database, logger: Logger): void {
    try {
        if (db.isOpen) db.close();
    } catch (err) {
        logger.debug(`seek: closing a damaged index failed: ${String(err)}`);
    }
}
