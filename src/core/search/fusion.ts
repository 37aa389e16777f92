/**
 * Fusion of ranked candidate lists into one score per chunk. Pluggable: a FusionFn sees each list in rank order
 * with its weight and returns scores (higher is better); rankHits takes one through RankConfig.fusion.
 */

/** One retriever's candidates, best first. */
export interface RankedList {
    /** e.g. "vector", "lexical" (for logging and for fusion functions that treat lists differently). */
    name: string;
    ids: number[];
    weight: number;
    /**
     * The retriever's scores, aligned with `ids` (optional). Where given, equal scores share a rank, so chunks the
     * retriever could not tell apart stay tied after fusion instead of being ordered by accident (insertion order).
     */
    scores?: number[];
}

/** 1-based ranks of a list; with scores, competition ranking ("1, 2, 2, 4") so equal scores share a rank. */
export function listRanks(list: RankedList): number[] {
    const { scores } = list;
    const ranks: number[] = [];
    list.ids.forEach((_, i) => {
        ranks.push(scores !== undefined && i > 0 && scores[i] === scores[i - 1] ? ranks[i - 1] : i + 1);
    });
    return ranks;
}

/** Combines lists into chunk id -> score (higher is better). `k` is RankConfig.rrfK. */
export type FusionFn = (lists: RankedList[], k: number) => Map<number, number>;

/**
 * Reciprocal-rank fusion: score(id) = sum over lists of weight / (k + rank), rank 1-based (tied scores share
 * one rank). Uses only ranks, so the incomparable scales of cosine and BM25 never need calibrating.
 */
export const reciprocalRankFusion: FusionFn = (lists, k) => {
    const scores = new Map<number, number>();
    for (const list of lists) {
        const ranks = listRanks(list);
        list.ids.forEach((id, i) => {
            scores.set(id, (scores.get(id) ?? 0) + list.weight / (k + ranks[i]));
        });
    }
    return scores;
};

/** Ids by descending score; equal scores by ascending id, so ties never depend on Map or list order. */
export function orderByScore(scores: Map<number, number>): { id: number; score: number }[] {
    return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}
