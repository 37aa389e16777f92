/**
 * rankHits: query -> ranked, merged, diversified hits. The pipeline (after a read-only store catches up with its
 * writer):
 * 1. compile filters (globs, kinds, languages, excluded range) into one row predicate;
 * 2. score candidates for the mode (hybrid.ts: vector / BM25 / fusion with identifier boosts);
 * 3. in hybrid mode, apply the priors (priors.ts) and file evidence, if configured;
 * 4. fetch the best candidates' chunks and order them (score, then path and line for stable ties);
 * 5. merge overlapping/touching chunks of one file, cap hits per file, cut to `top`;
 * 6. mark the lines that best match the query terms.
 */
import { throwIfAborted } from "../errors";
import type { IndexStore } from "../store/indexStore";
import type { Hit, SearchOptions } from "../types";
import { bestLines, highlightTerms } from "./bestLines";
import { overlapsRange, slotFilter, type ExcludedRange } from "./filters";
import { scoreCandidates } from "./hybrid";
import { applyPriors } from "./priors";
import type { ScoredId } from "./vector";
import { diversify, mergeOverlapping, type ScoredChunk } from "./merge";
import { DEFAULT_RANK_CONFIG, type RankConfig } from "./rankConfig";

export type { ExcludedRange } from "./filters";

/** A file's evidence is its best few candidates: a long tail of weak matches in a big file must not add up. */
const FILE_EVIDENCE_CHUNKS = 3;

/** Results when SearchOptions.top is not given. */
export const DEFAULT_TOP = 10;
/** Upper bound on `top`, so a caller cannot make one query fetch the whole index. */
export const MAX_TOP = 1000;

export interface RankOptions extends SearchOptions {
    /** Never return chunks overlapping this range (Find Similar's source). */
    excludeRange?: ExcludedRange;
    /** Overrides of the ranking constants (benchmarks tune these). */
    rankConfig?: Partial<RankConfig>;
}

/**
 * Ranked hits for a query. `queryVector` is the unit-length query embedding (omit it for lexical search); `query`
 * is the raw text (used for BM25, identifier detection and bestLines; may be "" for pure vector search).
 */
export function rankHits(store: IndexStore, queryVector: Float32Array | undefined, query: string, opts: RankOptions = {}): Hit[] {
    throwIfAborted(opts.signal);
    store.refresh();
    const config: RankConfig = { ...DEFAULT_RANK_CONFIG, ...opts.rankConfig };
    const top = Math.max(0, Math.min(MAX_TOP, Math.floor(opts.top ?? DEFAULT_TOP)));
    if (top === 0 || store.vectors.count === 0) return [];
    const mode = opts.mode ?? "hybrid";
    const fetch = top * config.fetchFactor;
    const candidates = scoreCandidates(store, {
        mode,
        vector: queryVector,
        query,
        limit: fetch,
        accept: slotFilter(store.vectors, opts),
        config,
    });
    throwIfAborted(opts.signal);
    // Priors and file evidence are tuned for fused scores; vector and lexical modes (and Find Similar, which must
    // find look-alike tests too) keep their retrievers' raw order.
    const reranked = mode === "hybrid" ? addFileEvidence(store, applyPriors(store, candidates, config), config.fileEvidenceWeight) : candidates;
    const best = reranked.slice(0, fetch);
    const scores = new Map(best.map((c) => [c.id, c.score]));
    const ranked: ScoredChunk[] = store
        .getChunks(best.map((c) => c.id))
        .map((chunk) => ({ chunk, score: scores.get(chunk.id) ?? 0 }))
        .sort(compareScoredChunks);
    const merged = mergeOverlapping(ranked, config.maxMergedLines).filter(
        (h) => !overlapsRange(opts.excludeRange, h.path, h.startLine, h.endLine),
    );
    const hits = diversify(merged, (h) => (h.kind === "code" ? config.maxHitsPerCodeFile : config.maxHitsPerFile)).slice(0, top);
    const terms = highlightTerms(query);
    for (const h of hits) {
        const lines = bestLines(h.text, h.startLine, terms, config.bestLinesMax);
        if (lines) h.bestLines = lines;
    }
    return hits;
}

/**
 * Adds to each candidate `weight` times the scores of its file's next-best candidates, then re-sorts. A file
 * that many candidates point at is more likely what an architecture question ("how does X work") is about than a
 * file with one lucky chunk. Needs scores on a common scale, so it applies to fused (hybrid) scores only.
 */
function addFileEvidence(store: IndexStore, candidates: ScoredId[], weight: number): ScoredId[] {
    if (weight <= 0 || candidates.length < 2) return candidates;
    const table = store.vectors;
    const pathOf = (id: number) => {
        const slot = table.slotOf(id);
        return slot === undefined ? "" : table.pathAt(slot);
    };
    // Candidates arrive best first, so each file's list holds its best scores in order.
    const byFile = new Map<string, number[]>();
    for (const c of candidates) {
        const path = pathOf(c.id);
        const scores = byFile.get(path) ?? [];
        if (scores.length < FILE_EVIDENCE_CHUNKS) scores.push(c.score);
        byFile.set(path, scores);
    }
    // Every chunk of a file gets the same bonus: the evidence beyond the file's best chunk.
    const bonus = new Map([...byFile].map(([path, best]) => [path, weight * best.slice(1).reduce((a, b) => a + b, 0)]));
    return candidates
        .map((c) => ({ id: c.id, score: c.score + (bonus.get(pathOf(c.id)) ?? 0) }))
        .sort((a, b) => b.score - a.score || a.id - b.id);
}

/** Score descending; ties by path, start line, then id, so equal scores never reorder between runs. */
function compareScoredChunks(a: ScoredChunk, b: ScoredChunk): number {
    return (
        b.score - a.score ||
        (a.chunk.path < b.chunk.path ? -1 : a.chunk.path > b.chunk.path ? 1 : 0) ||
        a.chunk.startLine - b.chunk.startLine ||
        a.chunk.id - b.chunk.id
    );
}
