/**
 * Candidate retrieval for each search mode, the first step of the search pipeline (ranker.ts):
 * - vector: exact cosine top-k (score = cosine similarity);
 * - lexical: BM25 top-k (store/termIndex.ts), scored by fusion of that one list (so the ranking rules' constants mean the same);
 * - hybrid: both lists fused (reciprocal-rank by default), the BM25 list weighted up for identifier-like queries.
 * Every candidate carries its rank and score in each list, so the rules after this step can tell why it is here.
 */
import type { IndexStore } from "../store/indexStore";
import type { ChunkTable } from "../store/chunkTable";
import type { SearchMode } from "../types";
import type { Candidate } from "./candidate";
import { withoutWeightlessTerms } from "./commonTerms";
import { listRanks, reciprocalRankFusion, type RankedList } from "./fusion";
import { alternativeTerms, queryAlternatives, type QueryAlternative } from "./lexical";
import type { RankConfig } from "./rankConfig";
import { vectorTopK } from "./vector";

export interface RetrievalRequest {
    mode: SearchMode;
    /** Unit-length query vector; without it, hybrid degrades to lexical and vector mode finds nothing. */
    vector: Float32Array | undefined;
    query: string;
    /** How many candidates a single-list mode returns. */
    limit: number;
    /** Row filter over vector-table slots (filters.ts), for the vector scan. */
    accept: ((slot: number) => boolean) | undefined;
    /** The same filter over chunk-table slots, for the BM25 list (which also holds chunks not embedded yet). */
    acceptChunk: ((slot: number) => boolean) | undefined;
    /** True when the query looks like one identifier: its BM25 list then weighs more in fusion. */
    identifier: boolean;
    config: RankConfig;
    /** The BM25 list, when it was computed ahead (see {@link lexicalList}). */
    lexical?: RankedList;
}

/** The mode's candidates (in no particular order), each scored by its retriever or by fusion. */
export function retrieve(store: IndexStore, req: RetrievalRequest): Candidate[] {
    const { config: cfg } = req;
    const lists: RankedList[] = [];
    const vectorLimit = req.mode === "vector" ? req.limit : cfg.vectorCandidates;
    if (req.mode !== "lexical" && req.vector) {
        const found = vectorTopK(store.vectors, req.vector, vectorLimit, req.accept, cfg.kindCalibration);
        lists.push({ name: "vector", ids: found.map((h) => h.id), scores: found.map((h) => h.score), weight: cfg.vectorWeight });
    }
    const lexical = req.mode === "vector" ? undefined : (req.lexical ?? lexicalList(store, req));
    if (lexical) lists.push(lexical);
    // Lexical mode is fused too (one list): the rules' constants are in fused-score units, and keyword mode runs
    // the same stack as hybrid. Vector mode keeps cosines, which Find Similar and "Semantic" mode show as they are.
    const fused = req.mode === "vector" ? undefined : (cfg.fusion ?? reciprocalRankFusion)(lists, cfg.rrfK);
    return toCandidates(store.chunks, lists, fused);
}

/**
 * The BM25 list of a request (undefined when the query has no searchable word). It needs no query vector, so a
 * caller may compute it while the model encodes the query and pass it back as `lexical`.
 */
export function lexicalList(store: IndexStore, req: Omit<RetrievalRequest, "vector" | "accept" | "lexical">): RankedList | undefined {
    const { config: cfg } = req;
    const match = lexicalQuery(store, req.query, cfg.dropWeightlessTerms);
    if (match.length === 0) return undefined;
    const limit = req.mode === "lexical" ? req.limit : cfg.lexicalCandidates;
    const acceptId = req.acceptChunk ? idFilter(store.chunks, req.acceptChunk) : undefined;
    const found = store.lexicalSearch(match, limit, acceptId, cfg.lexicalColumnWeights);
    const weight = req.identifier ? cfg.identifierLexicalWeight : cfg.lexicalWeight;
    return { name: "lexical", ids: found.map((m) => m.id), scores: found.map((m) => -m.bm25), weight };
}

/** One candidate per chunk in any list; the score is the fused one, or the single list's own score. */
function toCandidates(chunks: ChunkTable, lists: RankedList[], fused: Map<number, number> | undefined): Candidate[] {
    const byId = new Map<number, Candidate>();
    for (const list of lists) {
        const ranks = listRanks(list);
        list.ids.forEach((id, i) => {
            let c = byId.get(id);
            if (!c) {
                const meta = chunks.metaOf(id);
                if (!meta) return;
                c = { id, ...meta, score: fused?.get(id) ?? list.scores?.[i] ?? 0 };
                byId.set(id, c);
            }
            const score = list.scores?.[i];
            if (list.name === "vector") {
                c.vectorRank = ranks[i];
                c.vectorScore = score;
            } else {
                c.lexicalRank = ranks[i];
                c.lexicalScore = score;
            }
        });
    }
    return [...byId.values()];
}

/** The query's lexical alternatives, without the terms too common to weigh anything (commonTerms.ts). */
function lexicalQuery(store: IndexStore, query: string, dropWeightless: boolean): QueryAlternative[] {
    const alternatives = queryAlternatives(query);
    if (!dropWeightless || alternatives.length <= 1) return alternatives;
    const df = store.documentFrequencies(alternatives.flatMap(alternativeTerms));
    return withoutWeightlessTerms(alternatives, df, store.counts().chunks);
}

function idFilter(table: ChunkTable, accept: (slot: number) => boolean): (id: number) => boolean {
    return (id) => {
        const slot = table.slotOf(id);
        return slot !== undefined && accept(slot);
    };
}
