/**
 * The SQL side of writing one file's chunks: prepared statements reused across a transaction. The caller owns
 * the transaction; nothing here touches in-memory state.
 */
import type { Database, QueryResult, Statement } from "node-sqlite3-wasm";
import { symbolKeysOf } from "../search/lexical";
import type { Chunk, FileKind, StoredChunk } from "../types";
import type { ChunkMeta } from "./chunkTable";
import { chunkTermCounts, encodeTerms, pathWords } from "./chunkTerms";
import { encodeFileTerms, type FileTermCounts } from "./fileTermCounts";
import type { FileRecord } from "./stateLoader";
import type { TermDictionary } from "./termDictionary";
import { encodeVector } from "./vectorTable";

/** What a stored file turned into: ids to drop from memory, rows to add (with a vector when one was given). */
export interface WrittenFile {
    record: FileRecord;
    removedIds: number[];
    added: { id: number; meta: ChunkMeta; terms: Uint8Array; vector?: Float32Array }[];
}

/** Columns of a chunk row, without its vector. */
export const CHUNK_COLUMNS = "id, path, start_line, end_line, language, kind, symbol, symbol_kind, text";

export class ChunkWriter {
    private readonly selectIds: Statement;
    private readonly deleteChunks: Statement;
    private readonly deleteVector: Statement;
    private readonly insertChunk: Statement;
    private readonly insertVector: Statement;
    private readonly markFailedStmt: Statement;
    private readonly insertTerm: Statement;
    private readonly upsertFile: Statement;
    private readonly deleteFile: Statement;
    private readonly touch: Statement;

    constructor(
        db: Database,
        private readonly dictionary: TermDictionary,
    ) {
        this.selectIds = db.prepare("SELECT id FROM chunks WHERE path = ?");
        this.deleteChunks = db.prepare("DELETE FROM chunks WHERE path = ?");
        this.deleteVector = db.prepare("DELETE FROM vectors WHERE chunk_id = ?");
        this.insertChunk = db.prepare(
            "INSERT INTO chunks(path, start_line, end_line, language, kind, symbol, symbol_kind, text, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        );
        // Only for a chunk that still exists: its file may have been re-chunked while the model worked on it.
        this.insertVector = db.prepare("INSERT OR IGNORE INTO vectors(chunk_id, vector) SELECT id, ? FROM chunks WHERE id = ?");
        this.markFailedStmt = db.prepare("UPDATE chunks SET embed_failed = 1 WHERE id = ?");
        this.insertTerm = db.prepare("INSERT INTO terms(id, term) VALUES (?, ?)");
        this.upsertFile = db.prepare(
            "INSERT INTO files(path, hash, size, mtime_ms, chunk_count, indexed_at) VALUES (?, ?, ?, ?, ?, ?) " +
                "ON CONFLICT(path) DO UPDATE SET hash = excluded.hash, size = excluded.size, mtime_ms = excluded.mtime_ms, " +
                "chunk_count = excluded.chunk_count, indexed_at = excluded.indexed_at",
        );
        this.deleteFile = db.prepare("DELETE FROM files WHERE path = ?");
        this.touch = db.prepare("UPDATE files SET size = ?, mtime_ms = ? WHERE path = ? AND hash = ?");
    }

    /** Deletes a file's chunks and their vectors; returns the removed chunk ids. */
    removeChunks(path: string): number[] {
        const ids = this.selectIds.all([path]).map((r) => Number(r.id));
        for (const id of ids) this.deleteVector.run([id]);
        this.deleteChunks.run([path]);
        return ids;
    }

    /**
     * Replaces a file's chunks and catalog row; `vectors[i]`, where given, is chunks[i]'s. `termCounts`, where
     * given, are the chunks' {@link chunkTermCounts} computed elsewhere (the chunking worker); only the token ids are
     * assigned here, since the dictionary belongs to this thread's transaction.
     */
    writeFile(
        file: { path: string; hash: string; size: number; mtimeMs: number },
        chunks: Chunk[],
        vectors: readonly (Float32Array | undefined)[],
        now: number,
        termCounts?: FileTermCounts,
    ): WrittenFile {
        const removedIds = this.removeChunks(file.path);
        const idOf = (token: string) => this.dictionary.assign(token);
        const blobs = termCounts ? encodeFileTerms(termCounts, idOf) : countTerms(file.path, chunks, idOf);
        const added: WrittenFile["added"] = [];
        chunks.forEach((c, i) => {
            const vector = vectors[i];
            const terms = blobs[i];
            const { lastInsertRowid } = this.insertChunk.run([
                file.path, c.startLine, c.endLine, c.language, c.kind, c.symbol ?? null, c.symbolKind ?? null, storedText(c.text), terms,
            ]);
            const id = Number(lastInsertRowid);
            if (vector) this.insertVector.run([encodeVector(vector), id]);
            const meta = { path: file.path, kind: c.kind, language: c.language, startLine: c.startLine, endLine: c.endLine, symbolKeys: symbolKeysOf(c.symbol) };
            added.push(vector ? { id, meta, terms, vector } : { id, meta, terms });
        });
        const record: FileRecord = { ...file, chunkCount: chunks.length, indexedAt: now };
        this.upsertFile.run([file.path, file.hash, file.size, file.mtimeMs, chunks.length, now]);
        return { record, removedIds, added };
    }

    /** Inserts the tokens that got an id in this transaction (call before COMMIT). */
    writeNewTerms(): void {
        for (const [token, id] of this.dictionary.pendingRows()) this.insertTerm.run([id, token]);
    }

    /** Stores vectors of existing chunks; returns the ids that got one (a chunk deleted meanwhile is skipped). */
    writeVectors(entries: readonly { id: number; vector: Float32Array }[]): number[] {
        return entries.filter((e) => this.insertVector.run([encodeVector(e.vector), e.id]).changes > 0).map((e) => e.id);
    }

    /** Marks chunks the model could not embed, so later runs do not retry them until their file changes. */
    markFailed(ids: readonly number[]): void {
        for (const id of ids) this.markFailedStmt.run([id]);
    }

    /** Removes a file entirely (chunks, vectors, catalog row); returns the removed chunk ids. */
    removeFile(path: string): number[] {
        const ids = this.removeChunks(path);
        this.deleteFile.run([path]);
        return ids;
    }

    /** Records a new size/mtime for a file whose content hash did not change. Returns whether a row matched. */
    touchFile(path: string, hash: string, size: number, mtimeMs: number): boolean {
        return this.touch.run([size, mtimeMs, path, hash]).changes > 0;
    }

    finalize(): void {
        const all = [this.selectIds, this.deleteChunks, this.deleteVector, this.insertChunk, this.insertVector, this.markFailedStmt];
        for (const s of [...all, this.insertTerm, this.upsertFile, this.deleteFile, this.touch]) {
            if (!s.isFinalized) s.finalize();
        }
    }
}

/** Each chunk's stored lexical terms, counted here. */
function countTerms(path: string, chunks: readonly Chunk[], idOf: (token: string) => number): Uint8Array[] {
    const pathText = pathWords(path);
    return chunks.map((c) => encodeTerms(chunkTermCounts(c.text, pathText, c.symbol), idOf));
}

/**
 * The wrapper binds strings as NUL-terminated C strings, so a text with U+0000 would be cut short. Such (rare)
 * texts are stored as their UTF-8 bytes instead and decoded on the way out; everything else stays TEXT.
 */
function storedText(text: string): string | Uint8Array {
    return text.includes("\0") ? new TextEncoder().encode(text) : text;
}

function loadedText(value: unknown): string {
    return value instanceof Uint8Array ? new TextDecoder().decode(value) : String(value);
}

/** A chunk row (see {@link CHUNK_COLUMNS}) as a StoredChunk. */
export function rowToChunk(r: QueryResult): StoredChunk {
    const chunk: StoredChunk = {
        id: Number(r.id),
        path: String(r.path),
        startLine: Number(r.start_line),
        endLine: Number(r.end_line),
        language: String(r.language),
        kind: String(r.kind) as FileKind,
        text: loadedText(r.text),
    };
    if (r.symbol !== null && r.symbol !== undefined) chunk.symbol = String(r.symbol);
    if (r.symbol_kind !== null && r.symbol_kind !== undefined) chunk.symbolKind = String(r.symbol_kind);
    return chunk;
}
