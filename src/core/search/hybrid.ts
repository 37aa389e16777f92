/**
 * Candidate retrieval and scoring for each search mode:
 * - vector: exact cosine top-k (score = cosine similarity);
 * - lexical: FTS5 BM25 top-k (score = -bm25, so higher is better);
 * - hybrid: fusion (reciprocal-rank by default) of both lists, the BM25 list weighted up for identifier-like
 *   queries, plus a boost for chunks whose symbol is exactly the identifier asked for.
 */
import type { IndexStore } from "../store/indexStore";
import type { SearchMode } from "../types";
import { orderByScore, reciprocalRankFusion, type RankedList } from "./fusion";
import { withoutWeightlessTerms } from "./commonTerms";
import { alternativeTerms, looksLikeIdentifier, queryAlternatives, renderMatch, symbolKey } from "./lexical";
import type { RankConfig } from "./rankConfig";
import { vectorTopK, type ScoredId } from "./vector";

export interface CandidateRequest {
    mode: SearchMode;
    /** Unit-length query vector; without it, hybrid degrades to lexical and vector mode finds nothing. */
    vector: Float32Array | undefined;
    query: string;
    /** How many candidates a single-list mode returns. */
    limit: number;
    /** Row filter over vector-table slots (filters.ts). */
    accept: ((slot: number) => boolean) | undefined;
    config: RankConfig;
}

/** Candidates best first, with the mode's score. */
export function scoreCandidates(store: IndexStore, req: CandidateRequest): ScoredId[] {
    const table = store.vectors;
    const acceptId = req.accept ? idFilter(store, req.accept) : undefined;
    const { config: cfg } = req;
    if (req.mode === "vector") return req.vector ? vectorTopK(table, req.vector, req.limit, req.accept, cfg.kindCalibration) : [];
    const match = lexicalMatch(store, req.query, cfg.dropWeightlessTerms);
    if (req.mode === "lexical") {
        return match ? store.lexicalSearch(match, req.limit, acceptId).map((m) => ({ id: m.id, score: -m.bm25 })) : [];
    }
    const identifier = looksLikeIdentifier(req.query);
    const lists: RankedList[] = [];
    if (req.vector) {
        const found = vectorTopK(table, req.vector, cfg.vectorCandidates, req.accept, cfg.kindCalibration);
        lists.push({ name: "vector", ids: found.map((h) => h.id), scores: found.map((h) => h.score), weight: cfg.vectorWeight });
    }
    if (match) {
        const found = store.lexicalSearch(match, cfg.lexicalCandidates, acceptId);
        const weight = identifier ? cfg.identifierLexicalWeight : cfg.lexicalWeight;
        lists.push({ name: "lexical", ids: found.map((m) => m.id), scores: found.map((m) => m.bm25), weight });
    }
    const fused = (cfg.fusion ?? reciprocalRankFusion)(lists, cfg.rrfK);
    if (identifier) boostExactSymbols(store, req.query, fused, req.accept, cfg);
    return orderByScore(fused);
}

/** The query's FTS5 expression, without the terms too common to weigh anything (commonTerms.ts). */
function lexicalMatch(store: IndexStore, query: string, dropWeightless: boolean): string | undefined {
    const alternatives = queryAlternatives(query);
    if (!dropWeightless || alternatives.length <= 1) return renderMatch(alternatives);
    const df = store.documentFrequencies(alternatives.flatMap(alternativeTerms));
    return renderMatch(withoutWeightlessTerms(alternatives, df, store.counts().chunks));
}

/** Adds the exact-symbol boost to chunks defining the identifier in the query (adding them if absent). */
function boostExactSymbols(store: IndexStore, query: string, fused: Map<number, number>, accept: ((slot: number) => boolean) | undefined, cfg: RankConfig): void {
    const key = symbolKey(query);
    if (key === undefined) return;
    const table = store.vectors;
    const boost = cfg.symbolExactBoostRanks / (cfg.rrfK + 1);
    for (const slot of table.slotsWithSymbol(key)) {
        if (accept && !accept(slot)) continue;
        const id = table.idAt(slot);
        fused.set(id, (fused.get(id) ?? 0) + boost);
    }
}

function idFilter(store: IndexStore, accept: (slot: number) => boolean): (id: number) => boolean {
    const table = store.vectors;
    return (id) => {
        const slot = table.slotOf(id);
        return slot !== undefined && accept(slot);
    };
}
