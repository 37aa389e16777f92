/**
 * The on-disk layout of the index (one SQLite database per workspace folder) and the pragmas it runs with.
 * Bump {@link SCHEMA_VERSION} on any change here: an index with another version is rebuilt, never migrated,
 * because rebuilding is always correct and the index is a cache.
 */
import type { Database } from "node-sqlite3-wasm";

/** Version of the table layout below. */
export const SCHEMA_VERSION = 3;

/** Database file name inside the index directory. */
export const DB_FILE = "index.db";

/**
 * 16 KiB pages. Measured (schema 1, when a chunk row held its 1.5 KiB vector and 1-1.5 KiB of text) on 10k
 * synthetic chunks: 5,467 B/chunk at 8 KiB pages, 4,663 at 16 KiB, 4,394 at 32 KiB, same search latency; 16 KiB
 * keeps most of the gain without 32 KiB's read amplification for single-row lookups. Vector rows (1.5 KiB) pack
 * ten to a 16 KiB page.
 * Only takes effect on a new database.
 */
export const PAGE_SIZE = 16384;

/**
 * Rollback journal in DELETE mode. WAL needs shared memory, which this WASM VFS does not provide (asking for WAL
 * silently stays in DELETE). DELETE (not TRUNCATE or PERSIST) means "a journal file exists" is exactly "a
 * transaction was in flight", which is what the open-time crash recovery looks for.
 */
export const JOURNAL_MODE = "DELETE";

/**
 * FULL: the journal is synced before the database is touched and the database after, so a crash or power loss
 * leaves either the old or the new state. It costs two fsyncs per transaction, which is small next to embedding
 * a batch of chunks (measured: see the store report).
 */
export const SYNCHRONOUS = "FULL";

/** Page cache in KiB (negative = KiB in SQLite's convention): enough for the hot pages of the chunk and vector tables on writes. */
export const CACHE_KIB = 16 * 1024;

/**
 * Meta keys. `cleanClose` is "0" while a writer has the store open and "1" after it closed normally: a store
 * that was not closed cleanly gets the full integrity check on its next open. `lastRunAt` is when an index run last
 * completed, so a folder with nothing to index still says when it was looked at.
 */
export const META = { schemaVersion: "schemaVersion", identity: "identity", createdAt: "createdAt", cleanClose: "cleanClose", lastRunAt: "lastRunAt" } as const;

/**
 * Tables. Chunks and their vectors are apart: a chunk is complete (text, metadata, lexical terms) as soon as it is
 * stored, and its vector arrives later, when the model gets to it (the two-stage index, indexer.ts). `vectors.seq`
 * grows with every vector stored, so a reader in another process loads exactly the vectors added since it last
 * looked (readerSync.ts). `embed_failed` marks chunks the model could not embed, so they are not retried forever.
 * `chunks.terms` holds what the lexical index needs from a chunk (its tokens as ids into `terms`, with their counts
 * per field, see chunkTerms.ts): opening the index rebuilds the postings in memory from it (termIndex.ts) without
 * tokenizing text again. Term ids only grow; a term no chunk uses any more stays, which costs a few bytes.
 */
const TABLES = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE files(
    path TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    chunk_count INTEGER NOT NULL,
    indexed_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE chunks(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    language TEXT NOT NULL,
    kind TEXT NOT NULL,
    symbol TEXT,
    symbol_kind TEXT,
    embed_failed INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    terms BLOB NOT NULL
);
CREATE INDEX chunks_by_path ON chunks(path, start_line);
CREATE TABLE vectors(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    chunk_id INTEGER NOT NULL UNIQUE,
    vector BLOB NOT NULL
);
CREATE TABLE terms(id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
`;

/** Every table and index the store needs; a database missing one is treated as corrupt. */
export const REQUIRED_OBJECTS = ["meta", "files", "chunks", "chunks_by_path", "vectors", "terms"];

/** Connection settings, applied on every open. page_size only matters before the first table exists. */
export function applyPragmas(db: Database, readOnly: boolean): void {
    if (!readOnly) {
        db.exec(`PRAGMA page_size=${PAGE_SIZE}`);
        db.exec(`PRAGMA journal_mode=${JOURNAL_MODE}`);
    }
    db.exec(`PRAGMA synchronous=${SYNCHRONOUS}`);
    db.exec(`PRAGMA cache_size=-${CACHE_KIB}`);
    // Nothing here uses foreign keys; the wrapper turns them on by default, which only costs time.
    db.exec("PRAGMA foreign_keys=OFF");
}

/** Sets the clean-close marker (see {@link META}). */
export function setCleanClose(db: Database, clean: boolean): void {
    db.run("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [
        META.cleanClose,
        clean ? "1" : "0",
    ]);
}

/** Creates the tables and records the schema version and identity, in one transaction. */
export function createSchema(db: Database, identityJson: string, now: number): void {
    db.exec("BEGIN IMMEDIATE");
    try {
        db.exec(TABLES);
        const put = "INSERT INTO meta(key, value) VALUES (?, ?)";
        db.run(put, [META.schemaVersion, String(SCHEMA_VERSION)]);
        db.run(put, [META.identity, identityJson]);
        db.run(put, [META.createdAt, String(now)]);
        db.run(put, [META.cleanClose, "1"]);
        db.exec("COMMIT");
    } catch (err) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw err;
    }
}
