/**
 * Every tunable of ranking in one object, so a benchmark can sweep them (`rankHits(..., { rankConfig })`)
 * without code changes (bench/rankSweep.mjs). Defaults are documented starting points; the ones measured on the
 * bench (testWeight; kindCalibration and fileEvidenceWeight left off) have their numbers in bench/RESULTS.md.
 */
import type { FusionFn } from "./fusion";
import type { KindCalibration } from "./kindCalibration";

/** The rules of the ranking stack (rules/index.ts), by name. */
export type RankRuleName = "exactSymbol" | "pathPriors" | "fileEvidence" | "sameFile";

export interface RankConfig {
    /** Multiplier for chunks of prose files (docs, text) in hybrid mode; 1 = none (rules/pathPriors.ts). */
    proseWeight: number;
    /** Multiplier for chunks of test files in hybrid mode; 1 = none (rules/pathPriors.ts). */
    testWeight: number;
    /**
     * Reciprocal-rank-fusion constant: a hit at rank r in a list earns weight / (rrfK + r). 60 is the value from
     * Cormack et al. (2009); larger values flatten the difference between the top ranks.
     */
    rrfK: number;
    /** Vector hits taken into fusion. Enough that a chunk ranked well lexically but ~50th by vector still fuses. */
    vectorCandidates: number;
    /** BM25 hits taken into fusion (same reasoning). */
    lexicalCandidates: number;
    /** Weight of the vector list in fusion. */
    vectorWeight: number;
    /** Weight of the BM25 list for prose queries: meaning matters more than word overlap there. */
    lexicalWeight: number;
    /** Weight of the BM25 list when the query looks like an identifier: then exact tokens are the best evidence. */
    identifierLexicalWeight: number;
    /**
     * Extra fused score for a chunk whose symbol is exactly the identifier asked for, in units of "rank 1 in one
     * list" (1 / (rrfK + 1)). 2 puts an exact definition above any chunk that is merely first in both lists.
     */
    symbolExactBoostRanks: number;
    /** Overlapping or touching hits from one file merge into one, unless the merged range would exceed this. */
    maxMergedLines: number;
    /** At most this many hits per prose (docs, text) file before hits from other files (the rest go after). */
    maxHitsPerFile: number;
    /**
     * The same cap for code files. A code file is one module, so "which file" is most of the answer and a second
     * hit from it says less than the best hit from another file; a docs file is a collection of separate sections.
     */
    maxHitsPerCodeFile: number;
    /** Lines highlighted per hit (Hit.bestLines). */
    bestLinesMax: number;
    /** Chunks fetched per requested hit: merging and the per-file cap consume some. */
    fetchFactor: number;
    /** Correction of prose chunks' cosines for the code/prose modality gap in mixed results (kindCalibration.ts). */
    kindCalibration: KindCalibration;
    /** Weight of a file's next-best candidates' scores added to each of its candidates (ranker.ts); 0 = off. */
    fileEvidenceWeight: number;
    /**
     * Leave out of the BM25 query the terms found in half or more of the chunks, which FTS5 weighs at a millionth
     * (commonTerms.ts): same order for every chunk matching a rarer term, far fewer rows scored on big indexes.
     */
    dropWeightlessTerms: boolean;
    /** Cosine subtracted from Find Similar hits in the compared code's own file (rules/sameFile.ts). */
    sameFilePenalty: number;
    /** Rules of the ranking stack switched off (rules/index.ts), to measure what each one is worth. */
    disabledRules?: readonly RankRuleName[];
    /** Fusion function; default reciprocal-rank fusion (fusion.ts). */
    fusion?: FusionFn;
}

export const DEFAULT_RANK_CONFIG: Readonly<RankConfig> = Object.freeze({
    rrfK: 60,
    vectorCandidates: 100,
    lexicalCandidates: 100,
    vectorWeight: 1,
    lexicalWeight: 1,
    identifierLexicalWeight: 2,
    symbolExactBoostRanks: 2,
    maxMergedLines: 150,
    maxHitsPerFile: 3,
    maxHitsPerCodeFile: 3,
    bestLinesMax: 3,
    fetchFactor: 4,
    kindCalibration: "none",
    fileEvidenceWeight: 0,
    dropWeightlessTerms: true,
    proseWeight: 1,
    testWeight: 0.8,
    sameFilePenalty: 0.1,
});
