/**
 * The store interface search runs on (DESIGN-NEXT §3): async, split by role, filters given as data, candidates
 * returned with their metadata. The local index (localSource.ts over IndexStore), a team index in PostgreSQL
 * (postgres/) and the two layered (overlaySource.ts) implement it, so the ranking pipeline (search/ranker.ts)
 * and every front end are the same whichever index answers.
 *
 * Scores leave a source in units every source shares, never as a backend's raw number: cosine similarity for the
 * vector side; for the lexical side BM25 as SQLite FTS5 defines it (k1 1.2, b 0.75, idf floored at 1e-6, field
 * counts weighted by {@link FieldWeights} and summed before saturation; store/termIndex.ts is the reference).
 */
import type { CandidateMeta } from "../search/candidate";
import type { FilterOptions } from "../search/filters";
import type { KindCalibration } from "../search/kindCalibration";
import type { StoredChunk } from "../types";
import type { FieldWeights } from "./termIndex";

/**
 * Which chunks a search may return, as data a backend can turn into its own predicate (a slot test in memory, a
 * SQL WHERE clause): globs, kinds, languages, an excluded range, and the path sets a layered index splits by. Globs
 * follow filters.ts (folder-relative; a pattern without a slash matches the file name).
 */
export type SearchFilter = FilterOptions;

/** A chunk's id with what the ranking rules read about it. */
export interface IdentifiedMeta extends CandidateMeta {
    id: number;
}

/** A definition's chunk: its metadata and its symbol field as written (`A, A.b`), when the source keeps it. */
export interface DefinedMeta extends IdentifiedMeta {
    symbol?: string;
}

/** A chunk a retriever found, with what the ranking rules read about it and its retriever's score. */
export interface ScoredCandidate extends IdentifiedMeta {
    /** Cosine similarity (vector side) or BM25 (lexical side); higher is better. */
    score: number;
}

export interface VectorRequest {
    /** Unit length, of the source's model and dimensions. */
    vector: Float32Array;
    limit: number;
    filter: SearchFilter;
    /** Prose rows' cosines mapped onto code rows' (kindCalibration.ts); a source may support only "none". */
    calibration: KindCalibration;
}

export interface LexicalRequest {
    /** The query as typed; the source parses it (search/lexical.ts queryAlternatives, searchTokens.ts). */
    query: string;
    limit: number;
    filter: SearchFilter;
    weights: FieldWeights;
    /** Leave out terms held by half the chunks or more when other terms remain (search/commonTerms.ts). */
    dropWeightless: boolean;
}

/** What a status line says about a source. */
export interface SourceCounts {
    files: number;
    chunks: number;
    /** Chunks with a vector. */
    embedded: number;
}

/** The files role: what is indexed, by content hash (overlays diff two catalogs; writers skip unchanged files). */
export interface CatalogSource {
    /** Folder-relative path -> content hash (sha-256 hex of the file's bytes) of every indexed file. */
    fileHashes(): Promise<ReadonlyMap<string, string>>;
    counts(): Promise<SourceCounts>;
}

/** The chunks role: chunk text and layout, by id or by file. */
export interface ChunkSource {
    /** The chunks with these ids that exist (any order). */
    chunks(ids: readonly number[]): Promise<StoredChunk[]>;
    /** The line spans of every chunk of each path (merging checks whether lines between two hits hold a chunk). */
    chunkSpans(paths: readonly string[]): Promise<Map<string, { startLine: number; endLine: number }[]>>;
}

/** The retrieval role: the two candidate lists and the lookups the ranking rules make. */
export interface RetrievalSource {
    /** The `limit` chunks most similar to the vector, best first, equal scores by id. */
    vectorTopK(req: VectorRequest): Promise<ScoredCandidate[]>;
    /** The `limit` best BM25 matches, best first, equal scores by id; empty when the query has no searchable word. */
    lexicalTopK(req: LexicalRequest): Promise<ScoredCandidate[]>;
    /** For each key (search/lexical.ts symbolKey), the chunks passing `filter` whose symbol is exactly that key. */
    definitions(keys: readonly string[], filter: SearchFilter): Promise<Map<string, DefinedMeta[]>>;
    /** Cosine of each chunk's vector with `vector`; chunks without a vector are absent. */
    cosines(ids: readonly number[], vector: Float32Array): Promise<Map<number, number>>;
}

/** Everything one search reads. */
export interface SearchSource extends CatalogSource, ChunkSource, RetrievalSource {
    /** Says which index answers, for logs and the status bar ("local index", "shared index acme/api@main"). */
    readonly label: string;
    /** Catches up with the index's writer (a no-op for a source that always reads the latest state). */
    refresh(): Promise<void>;
}
