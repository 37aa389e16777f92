/**
 * IndexStore: the on-disk index of one workspace folder (SQLite via node-sqlite3-wasm) plus in memory what search
 * scans: every vector (exact cosine search), every chunk's metadata, and the lexical postings (exact BM25,
 * termIndex.ts). Every write is one transaction covering chunks, their lexical terms and the catalog row together,
 * so a crash never leaves a half-written file; memory is updated only after COMMIT.
 * See storeOpen.ts for recovery and validation, storeLock.ts for the one-writer rule.
 */
import fs = require("node:fs");
import { join } from "node:path";
import { SQLite3Error, type Database, type QueryResult } from "node-sqlite3-wasm";
import { CoreError } from "../errors";
import type { Chunk, FileEntry, Logger, StoredChunk } from "../types";
import type { FileTermCounts } from "./fileTermCounts";
import { CHUNK_COLUMNS, ChunkWriter, rowToChunk, type WrittenFile } from "./chunkWriter";
import { queryAlternatives, type QueryAlternative } from "../search/lexical";
import { searchTokens } from "../search/searchTokens";
import { DB_FILE, META, setCleanClose } from "./schema";
import { BUSY_TIMEOUT_MS, clearVfsLock, journalPath, sleepSync, touchVfsLock, vfsLockHeld } from "./sqliteVfs";
import type { ChunkTable } from "./chunkTable";
import { highestId, syncReader, type ReaderPosition } from "./readerSync";
import { StoreLock } from "./storeLock";
import type { FieldWeights, LexicalMatch, TermIndex } from "./termIndex";
import { openReadOnly, openWritable, type FileRecord, type IndexIdentity, type LoadedState, type RebuildReason } from "./storeOpen";
import type { VectorTable } from "./vectorTable";

export type { FileRecord, IndexIdentity, RebuildReason } from "./storeOpen";
export type { FieldWeights, LexicalMatch } from "./termIndex";

/** A file to store: its catalog entry with content hash. */
export type FileVersion = FileEntry & { hash: string };

/**
 * One file of a {@link IndexStore.replaceFiles} batch. `vectors[i]`, where given, belongs to `chunks[i]`; chunks
 * without one are stored pending, searchable by keyword until {@link IndexStore.storeVectors} adds theirs.
 */
export interface FileBatchEntry {
    file: FileVersion;
    chunks: Chunk[];
    vectors?: readonly (Float32Array | undefined)[];
    /** The chunks' lexical terms, counted elsewhere (the chunking worker); counted here when absent. */
    termCounts?: FileTermCounts;
}

export interface StoreOpenOptions {
    logger?: Logger;
    /** Open without the writer lock; every write throws. Never repairs or rebuilds. */
    readOnly?: boolean;
}

/** Paths removed per transaction: keeps each lock hold short so readers are not starved (see sqliteVfs.ts). */
const REMOVE_BATCH = 256;
/** Pause before retrying a statement that found the database locked (the other process may take it again at once). */
const BUSY_RETRY_MS = 10;
/** Ids per `IN (...)` query (well below SQLite's parameter limit). */
const IDS_PER_QUERY = 500;

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export class IndexStore {
    /** Set when this open started over: the identity changed, or the old store was damaged and moved aside. */
    readonly rebuilt: RebuildReason | undefined;
    /** Human-readable identity, e.g. `bge-small-en-v1.5-q/384d/<instructions>/chunker-3`. */
    readonly identityKey: string;
    private readonly files: Map<string, FileRecord>;
    private readonly hashes = new Map<string, string>();
    private readonly table: VectorTable;
    private readonly chunkTable: ChunkTable;
    private readonly writer: ChunkWriter | undefined;
    private lastIndexed: number | undefined;
    /** Read-only stores: how far the in-memory state has caught up with the database. */
    private readonly position: ReaderPosition;
    private readonly terms: TermIndex;
    private closed = false;

    private constructor(
        readonly dir: string,
        readonly identity: IndexIdentity,
        private readonly db: Database,
        state: LoadedState,
        rebuilt: RebuildReason | undefined,
        private readonly lock: StoreLock | undefined,
        private readonly logger: Logger,
    ) {
        this.rebuilt = rebuilt;
        this.identityKey = `${identity.modelId}/${identity.dimensions}d/${identity.instructionSet}/chunker-${identity.chunkerVersion}`;
        this.files = state.files;
        this.table = state.vectors;
        this.chunkTable = state.chunks;
        this.terms = state.terms;
        for (const f of this.files.values()) {
            this.hashes.set(f.path, f.hash);
            this.lastIndexed = Math.max(this.lastIndexed ?? 0, f.indexedAt);
        }
        this.retrying(() => this.noteLastRun());
        this.writer = lock ? new ChunkWriter(db, this.terms.dictionary) : undefined;
        this.position = { dataVersion: state.dataVersion ?? 0, maxId: highestId(this.chunkTable), maxSeq: state.maxSeq };
    }

    /**
     * Opens (creating if needed) the index in `dir`. Writers take `<dir>/index.lock` (CoreError "storeLocked" when
     * a live process holds it); a store of another identity is wiped (rebuilt = "identityChanged"); a damaged one is
     * moved to `<dir>/corrupt-<time>/` and started fresh (rebuilt = "corrupt", one warning logged).
     * Read-only opens never write: they throw "indexMismatch" (no index, other identity) or "storeCorrupt".
     */
    static open(dir: string, identity: IndexIdentity, opts: StoreOpenOptions = {}): IndexStore {
        const logger = opts.logger ?? silent;
        if (!Number.isInteger(identity.dimensions) || identity.dimensions <= 0) {
            throw new CoreError("badInput", `Invalid vector dimensions ${identity.dimensions}`);
        }
        if (opts.readOnly) {
            const opened = openReadOnly(dir, identity, logger);
            return IndexStore.construct(() => new IndexStore(dir, identity, opened.db, opened.state, undefined, undefined, logger), opened.db);
        }
        fs.mkdirSync(dir, { recursive: true });
        const lock = StoreLock.acquire(dir, logger);
        try {
            const opened = openWritable(dir, identity, logger);
            const store = IndexStore.construct(() => new IndexStore(dir, identity, opened.db, opened.state, opened.rebuilt, lock, logger), opened.db);
            logger.info(`seek: index ${dir}: ${store.files.size} files, ${store.table.count} chunks${opened.rebuilt ? ` (rebuilt: ${opened.rebuilt})` : ""}`);
            return store;
        } catch (err) {
            lock.release(logger);
            throw err;
        }
    }

    /** Closes the database if the constructor fails (preparing statements can). */
    private static construct(make: () => IndexStore, db: Database): IndexStore {
        try {
            return make();
        } catch (err) {
            db.close();
            throw err;
        }
    }

    get readOnly(): boolean {
        return this.writer === undefined;
    }

    /** The in-memory vectors of the embedded chunks, for search (read-only use). */
    get vectors(): VectorTable {
        return this.table;
    }

    /** Every stored chunk's metadata, embedded or not (read-only use). */
    get chunks(): ChunkTable {
        return this.chunkTable;
    }

    /** Ids of the chunks still waiting for a vector (neither embedded nor failed). */
    pendingChunkIds(): number[] {
        const pending: number[] = [];
        const chunks = this.chunkTable;
        for (let slot = 0; slot < chunks.count; slot++) {
            const id = chunks.idAt(slot);
            if (this.table.slotOf(id) === undefined && !chunks.isFailed(id)) pending.push(id);
        }
        return pending;
    }

    /** path -> content hash of every indexed file. A live view: it changes as the store is written. */
    catalog(): ReadonlyMap<string, string> {
        return this.hashes;
    }

    /**
     * Read-only stores: catches up with what the writer process committed since open or the last call (one cheap
     * PRAGMA when nothing changed). rankHits calls it before every search. A writer is always current: false.
     */
    refresh(): boolean {
        if (this.writer || this.closed) return false;
        const files = this.retrying(() => syncReader(this.db, join(this.dir, DB_FILE), { chunks: this.chunkTable, vectors: this.table, terms: this.terms }, this.position));
        if (!files) return false;
        this.retrying(() => this.noteLastRun());
        this.files.clear();
        this.hashes.clear();
        for (const f of files.values()) {
            this.files.set(f.path, f);
            this.hashes.set(f.path, f.hash);
            this.lastIndexed = Math.max(this.lastIndexed ?? 0, f.indexedAt);
        }
        return true;
    }

    /** The catalog row of one file. */
    fileInfo(path: string): FileRecord | undefined {
        return this.files.get(path);
    }

    /** Replaces one file's chunks, vectors (where given) and catalog row in one transaction. */
    replaceFile(entry: FileVersion, chunks: Chunk[], vectors?: Float32Array[]): void {
        this.replaceFiles([{ file: entry, chunks, vectors }]);
    }

    /** Replaces many files in one transaction: after a crash either all of them are new or none is. */
    replaceFiles(batch: FileBatchEntry[]): void {
        const writer = this.writable();
        for (const e of batch) this.checkEntry(e);
        if (batch.length === 0) return;
        const now = Date.now();
        // A big batch can hold the lock for seconds on a busy machine: the heartbeat after each file keeps other
        // processes from taking the lock for a dead writer's and breaking into the transaction.
        const heartbeat = () => touchVfsLock(join(this.dir, DB_FILE));
        const written = this.transaction(() =>
            batch.map((e) => {
                const w = writer.writeFile(e.file, e.chunks, e.vectors ?? [], now, e.termCounts);
                heartbeat();
                return w;
            }),
        );
        for (const w of written) this.applyWritten(w);
        this.lastIndexed = now;
    }

    /** Removes files (chunks, vectors, catalog rows). Unknown paths are ignored. */
    removeFiles(paths: Iterable<string>): void {
        const writer = this.writable();
        const known = [...new Set(paths)].filter((p) => this.files.has(p));
        for (let i = 0; i < known.length; i += REMOVE_BATCH) {
            const slice = known.slice(i, i + REMOVE_BATCH);
            const removed = this.transaction(() => slice.map((p) => writer.removeFile(p)));
            removed.flat().forEach((id) => this.forget(id));
            for (const p of slice) {
                this.files.delete(p);
                this.hashes.delete(p);
            }
        }
    }

    /** Records a new size/mtime for a file whose content is unchanged (so the next run skips reading it). */
    touchFile(entry: FileVersion): void {
        const writer = this.writable();
        const rec = this.files.get(entry.path);
        if (!rec || rec.hash !== entry.hash || (rec.size === entry.size && rec.mtimeMs === entry.mtimeMs)) return;
        if (this.retrying(() => writer.touchFile(entry.path, entry.hash, entry.size, entry.mtimeMs))) {
            this.files.set(entry.path, { ...rec, size: entry.size, mtimeMs: entry.mtimeMs });
        }
    }

    /**
     * Stores vectors of stored chunks in one transaction. A chunk deleted meanwhile (its file changed while the model
     * worked) is skipped; returns how many were stored.
     */
    storeVectors(entries: readonly { id: number; vector: Float32Array }[]): number {
        const writer = this.writable();
        for (const e of entries) this.checkVector(`chunk ${e.id}`, e.vector);
        if (entries.length === 0) return 0;
        const stored = new Set(this.transaction(() => writer.writeVectors(entries)));
        for (const e of entries) {
            const meta = this.chunkTable.metaOf(e.id);
            if (stored.has(e.id) && meta) this.table.add(e.id, e.vector, meta);
        }
        return stored.size;
    }

    /** Marks chunks the model could not embed; they stay searchable by keyword and are not retried. */
    markEmbedFailed(ids: readonly number[]): void {
        const writer = this.writable();
        if (ids.length === 0) return;
        this.transaction(() => writer.markFailed(ids));
        for (const id of ids) this.chunkTable.markFailed(id);
    }

    getChunk(id: number): StoredChunk | undefined {
        return this.getChunks([id])[0];
    }

    /** Chunks by id, in the order asked; unknown ids are left out. */
    getChunks(ids: number[]): StoredChunk[] {
        const byId = new Map<number, StoredChunk>();
        for (const r of this.rowsIn(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE id IN`, ids)) {
            const c = rowToChunk(r);
            byId.set(c.id, c);
        }
        return ids.map((id) => byId.get(id)).filter((c): c is StoredChunk => c !== undefined);
    }

    /** All chunks of a file, by start line. */
    chunksForPath(path: string): StoredChunk[] {
        const sql = `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE path = ? ORDER BY start_line, end_line, id`;
        return this.retrying(() => this.db.all(sql, [path])).map(rowToChunk);
    }

    /** The symbol field (as written) of each chunk that has one. */
    symbolsOf(ids: readonly number[]): Map<number, string> {
        const rows = this.rowsIn("SELECT id, symbol FROM chunks WHERE symbol IS NOT NULL AND id IN", ids);
        return new Map(rows.map((r) => [r.id as number, r.symbol as string]));
    }

    /** The line spans of every chunk of each path (paths without chunks are absent). */
    chunkSpans(paths: readonly string[]): Map<string, { startLine: number; endLine: number }[]> {
        const out = new Map<string, { startLine: number; endLine: number }[]>();
        // A path's rows all fall in one batch, so each path's spans come out ordered by start line.
        const rows = this.rowsIn("SELECT path, start_line, end_line FROM chunks WHERE path IN", paths, "ORDER BY path, start_line");
        for (const row of rows) {
            const path = row.path as string;
            const spans = out.get(path) ?? [];
            spans.push({ startLine: row.start_line as number, endLine: row.end_line as number });
            out.set(path, spans);
        }
        return out;
    }

    /** Rows of `select (...values) suffix`, in batches of IDS_PER_QUERY bound values (SQLite's parameter limit). */
    private rowsIn(select: string, values: readonly (number | string)[], suffix = ""): QueryResult[] {
        const rows: QueryResult[] = [];
        for (let i = 0; i < values.length; i += IDS_PER_QUERY) {
            const slice = values.slice(i, i + IDS_PER_QUERY);
            const sql = `${select} (${slice.map(() => "?").join(",")}) ${suffix}`;
            rows.push(...this.retrying(() => this.db.all(sql, slice)));
        }
        return rows;
    }

    /** The smallest chunk of a file containing a 1-based line. */
    chunkAt(path: string, line: number): StoredChunk | undefined {
        const sql =
            `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE path = ? AND start_line <= ? AND end_line >= ? ` +
            "ORDER BY end_line - start_line, start_line, id LIMIT 1";
        const rows = this.retrying(() => this.db.all(sql, [path, line, line]));
        return rows.length > 0 ? rowToChunk(rows[0]) : undefined;
    }

    /** A copy of a chunk's stored vector. */
    vectorOf(id: number): Float32Array | undefined {
        const slot = this.table.slotOf(id);
        return slot === undefined ? undefined : this.table.vectorAt(slot).slice();
    }

    /**
     * BM25 search (termIndex.ts): the best `limit` chunks for a query text or its parsed alternatives (lexical.ts).
     * `accept` filters chunk ids before the cut, so `limit` counts only accepted chunks.
     */
    lexicalSearch(query: string | readonly QueryAlternative[], limit: number, accept?: (id: number) => boolean, weights?: FieldWeights): LexicalMatch[] {
        if (this.closed) throw new CoreError("badInput", "The index is closed");
        const alternatives = typeof query === "string" ? queryAlternatives(query) : query;
        const groups = alternatives.flatMap((a) => {
            const joined = this.tokenIds(a.joined);
            return a.parts.length === 0 ? [joined] : [joined, a.parts.flatMap((p) => this.tokenIds(p))];
        });
        return this.terms.search(groups, limit, accept, weights);
    }

    /** How many live chunks hold each query term, by its stemmed tokens (termIndex.ts). */
    documentFrequencies(terms: readonly string[]): Map<string, number> {
        // A phrase of several tokens is no more common than its rarest token; a term with no token is in no chunk.
        return new Map(
            terms.map((t) => {
                const dfs = this.tokenIds(t).map((id) => this.terms.documentFrequency(id));
                return [t, dfs.length === 0 ? 0 : Math.min(...dfs)];
            }),
        );
    }

    /** The lexical index's token ids for a query word (undefined for a token no chunk ever held). */
    private tokenIds(word: string): (number | undefined)[] {
        return searchTokens(word).map((token) => this.terms.dictionary.idOf(token));
    }

    /** Files, chunks, chunks with a vector, chunks the model failed on. */
    counts(): { files: number; chunks: number; embedded: number; failed: number; lastIndexedAt?: number } {
        return {
            files: this.files.size,
            chunks: this.chunkTable.count,
            embedded: this.table.count,
            failed: this.chunkTable.failedCount,
            lastIndexedAt: this.lastIndexed,
        };
    }

    /** Records that an index run completed now (counts().lastIndexedAt then says so even when no file changed). */
    recordRunEnd(now = Date.now()): void {
        this.writable();
        this.retrying(() =>
            this.db.run("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [META.lastRunAt, String(now)]),
        );
        this.lastIndexed = Math.max(this.lastIndexed ?? 0, now);
    }

    /** Size of the database and its journal. */
    bytesOnDisk(): number {
        const dbPath = join(this.dir, DB_FILE);
        return [dbPath, journalPath(dbPath)].reduce((sum, p) => {
            try {
                return sum + fs.statSync(p).size;
            } catch {
                return sum;
            }
        }, 0);
    }

    /** Closes the database and releases the writer lock. Safe to call twice. */
    close(): void {
        if (this.closed) return;
        try {
            if (this.writer) {
                this.writer.finalize();
                this.retrying(() => setCleanClose(this.db, true));
            }
        } catch (err) {
            // Only costs a full integrity check on the next open.
            this.logger.warn(`seek: could not record a clean close of the index: ${String(err)}`);
        } finally {
            this.closed = true;
            try {
                this.db.close();
            } finally {
                this.lock?.release(this.logger);
            }
        }
    }

    /** Folds the stored end of the last run into lastIndexed. */
    private noteLastRun(): void {
        const at = Number(this.db.get("SELECT value FROM meta WHERE key = ?", [META.lastRunAt])?.value);
        if (Number.isFinite(at) && at > 0) this.lastIndexed = Math.max(this.lastIndexed ?? 0, at);
    }

    private writable(): ChunkWriter {
        if (this.closed) throw new CoreError("badInput", "The index is closed");
        if (!this.writer) throw new CoreError("storeLocked", "The index was opened read-only");
        return this.writer;
    }

    private checkEntry(e: FileBatchEntry): void {
        if (e.vectors && e.chunks.length !== e.vectors.length) {
            throw new CoreError("badInput", `${e.file.path}: ${e.chunks.length} chunks but ${e.vectors.length} vectors`);
        }
        if (e.termCounts && e.chunks.length !== e.termCounts.chunks) {
            throw new CoreError("badInput", `${e.file.path}: ${e.chunks.length} chunks but term counts of ${e.termCounts.chunks}`);
        }
        for (const v of e.vectors ?? []) if (v) this.checkVector(e.file.path, v);
    }

    private checkVector(what: string, v: Float32Array): void {
        if (v.length !== this.identity.dimensions) {
            throw new CoreError("badInput", `${what}: vector of ${v.length} values, index has ${this.identity.dimensions}`);
        }
    }

    private applyWritten(w: WrittenFile): void {
        for (const id of w.removedIds) this.forget(id);
        for (const a of w.added) {
            this.chunkTable.add(a.id, a.meta);
            this.terms.add(a.id, a.terms);
            if (a.vector) this.table.add(a.id, a.vector, a.meta);
        }
        this.files.set(w.record.path, w.record);
        this.hashes.set(w.record.path, w.record.hash);
    }

    /** Drops a deleted chunk from memory. */
    private forget(id: number): void {
        this.chunkTable.remove(id);
        this.table.remove(id);
        this.terms.remove(id);
    }

    /** Runs `fn` inside BEGIN IMMEDIATE ... COMMIT, rolling back on any error. */
    private transaction<T>(fn: () => T): T {
        return this.retrying(() => {
            this.db.exec("BEGIN IMMEDIATE");
            const dictionary = this.terms.dictionary;
            try {
                const result = fn();
                this.writer?.writeNewTerms();
                this.db.exec("COMMIT");
                dictionary.commit();
                return result;
            } catch (err) {
                dictionary.rollback();
                if (this.db.inTransaction) this.db.exec("ROLLBACK");
                throw err;
            }
        });
    }

    /**
     * Runs a statement or transaction, retrying while another process holds the SQLite file lock (readers and the
     * writer exclude each other briefly). Errors raised while nobody else holds the lock are real and rethrown.
     */
    private retrying<T>(fn: () => T): T {
        if (this.closed) throw new CoreError("badInput", "The index is closed");
        const dbPath = join(this.dir, DB_FILE);
        const deadline = Date.now() + BUSY_TIMEOUT_MS;
        for (;;) {
            try {
                return fn();
            } catch (err) {
                // "database is locked" is contention even when the other process let go before this check ran.
                const busy = err instanceof SQLite3Error && /database is locked/i.test(err.message);
                if (!(err instanceof SQLite3Error) || (!busy && !vfsLockHeld(dbPath))) throw err;
                const left = deadline - Date.now();
                if (left <= 0 || !clearVfsLock(dbPath, this.logger, left)) {
                    throw new CoreError("storeLocked", `The index ${this.dir} is kept busy by another process`, { cause: err });
                }
                if (busy) sleepSync(BUSY_RETRY_MS);
            }
        }
    }
}
