/**
 * Candidate retrieval for each search mode, the first step of the search pipeline (ranker.ts). A source
 * (store/searchSource.ts) returns the candidate lists:
 * - vector: cosine top-k;
 * - lexical: BM25 top-k, scored by fusion of that one list (so the ranking rules' constants mean the same);
 * - hybrid: both lists fused (reciprocal-rank by default), the BM25 list weighted up for identifier-like queries.
 * Every candidate carries its rank and score in each list, so the rules after this step can tell why it is here.
 */
import type { ScoredCandidate } from "../store/searchSource";
import type { SearchMode } from "../types";
import type { Candidate } from "./candidate";
import { listRanks, reciprocalRankFusion, type RankedList } from "./fusion";
import type { RankConfig } from "./rankConfig";

/** What each retriever returned for one search (undefined: that retriever did not run). */
export interface RetrievedLists {
    vector?: readonly ScoredCandidate[];
    lexical?: readonly ScoredCandidate[];
}

/** The mode's candidates (in no particular order), each scored by fusion or, in vector mode, by its cosine. */
export function fuseCandidates(mode: SearchMode, found: RetrievedLists, identifier: boolean, cfg: RankConfig): Candidate[] {
    const lists: { list: RankedList; found: readonly ScoredCandidate[] }[] = [];
    if (found.vector) lists.push({ list: rankedList("vector", found.vector, cfg.vectorWeight), found: found.vector });
    if (found.lexical && found.lexical.length > 0) {
        const weight = identifier ? cfg.identifierLexicalWeight : cfg.lexicalWeight;
        lists.push({ list: rankedList("lexical", found.lexical, weight), found: found.lexical });
    }
    // Lexical mode is fused too (one list): the rules' constants are in fused-score units, and keyword mode runs
    // the same stack as hybrid. Vector mode keeps cosines, which Find Similar and "Semantic" mode show as they are.
    const fused = mode === "vector" ? undefined : (cfg.fusion ?? reciprocalRankFusion)(lists.map((l) => l.list), cfg.rrfK);
    const byId = new Map<number, Candidate>();
    for (const { list, found: scored } of lists) {
        const ranks = listRanks(list);
        scored.forEach((hit, i) => {
            let c = byId.get(hit.id);
            if (!c) {
                const { score: _retrieverScore, ...meta } = hit;
                c = { ...meta, score: fused?.get(hit.id) ?? hit.score };
                byId.set(hit.id, c);
            }
            if (list.name === "vector") {
                c.vectorRank = ranks[i];
                c.vectorScore = hit.score;
            } else {
                c.lexicalRank = ranks[i];
                c.lexicalScore = hit.score;
            }
        });
    }
    return [...byId.values()];
}

function rankedList(name: string, found: readonly ScoredCandidate[], weight: number): RankedList {
    return { name, ids: found.map((h) => h.id), scores: found.map((h) => h.score), weight };
}
