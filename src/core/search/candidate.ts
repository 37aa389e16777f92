/**
 * The record every ranking rule works on: one chunk found by a retriever, with what the rules need to know about it
 * (where it is, what kind of file, its symbol, its rank and score in each list). Retrievers build candidates
 * (retrieve.ts), rules re-score them (rules/), and one comparison orders them ({@link compareCandidates}).
 */
import type { ChunkMeta } from "../store/chunkTable";

/** What the index knows about a chunk without reading its text (the chunk table's row). */
export type CandidateMeta = ChunkMeta;

/** One chunk in the running for a result list. */
export interface Candidate extends CandidateMeta {
    id: number;
    /** The score the rules work on; higher is better. Starts as the mode's fused or raw retriever score. */
    score: number;
    /** 1-based rank in the vector list (competition ranking), when that list returned the chunk. */
    vectorRank?: number;
    /** Cosine similarity to the query vector, when the vector list returned the chunk. */
    vectorScore?: number;
    /** 1-based rank in the BM25 list, when that list returned the chunk. */
    lexicalRank?: number;
    /** BM25 score (higher is better), when the BM25 list returned the chunk. */
    lexicalScore?: number;
}

/**
 * The one order of results, used after the rules and wherever ranked lists are merged: score descending, then
 * path, start line and id ascending, so equal scores never reorder between runs or between surfaces.
 */
export function compareRanked(
    a: { score: number; path: string; startLine: number; id?: number },
    b: { score: number; path: string; startLine: number; id?: number },
): number {
    return b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.startLine - b.startLine || (a.id ?? 0) - (b.id ?? 0);
}

/** {@link compareRanked} for candidates. */
export function compareCandidates(a: Candidate, b: Candidate): number {
    return compareRanked(a, b);
}

/** A copy of `c` with another score (rules never change a candidate in place: the caller's list stays as it was). */
export function rescored(c: Candidate, score: number): Candidate {
    return score === c.score ? c : { ...c, score };
}
