/**
 * Every tunable of ranking in one object, so a benchmark can sweep them (`rankHits(..., { rankConfig })`)
 * without code changes (bench/rankSweep.mjs). Each default is measured on the semble subset and the csn sets, with
 * the rejected values beside it, in bench/RESULTS.md (ranking ablations); semble's published constants were the
 * starting points of the file-level rules (shared/bench/semble/RANKING-NOTES.md).
 */
import type { FusionFn } from "./fusion";
import type { QueryIntent } from "./intent";
import type { FieldWeights } from "../store/termIndex";
import type { KindCalibration } from "./kindCalibration";

/** The rules of the ranking stack (rules/index.ts), by name. */
export type RankRuleName = "exactSymbol" | "fileCoherence" | "pathMatch" | "pathPriors" | "saturation" | "sameFile";

export interface RankConfig {
    /** Multiplier for chunks of prose files (docs, text) in hybrid mode; 1 = none (rules/pathPriors.ts). */
    proseWeight: number;
    /** Multiplier for chunks of test files in hybrid mode; 1 = none (rules/pathPriors.ts). */
    testWeight: number;
    /**
     * Reciprocal-rank-fusion constant when two lists are fused: a hit at rank r in a list earns weight / (rrfK + r).
     * Cormack et al. (2009) use 60; smaller values let each retriever's top ranks count for more against the other's
     * middle ranks. 20 measured better on both kinds of set (semble subset 0.905 -> 0.908, csn-code 0.565 -> 0.570,
     * csn-docs 0.681 -> 0.694 and csn-mixed 0.621 -> 0.631 with the docs cap at 10).
     */
    rrfK: number;
    /**
     * The constant when only one list is ranked (keyword mode, or a hybrid search before any vector exists).
     * Nothing is fused then: k only sets how steeply scores fall with rank, i.e. how much a prior or a file-level
     * rule can move a hit. 60 there: 20 cost 0.007 on the keyword stage over 60 semble repositories (0.832 -> 0.825).
     */
    singleListRrfK: number;
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
     * list" (1 / (rrfK + 1)). For an identifier query, first in both lists is worth 1 + identifierLexicalWeight = 3
     * units, so 3 puts an exact definition above any chunk that is merely first in both. (2 did while k was 60, with
     * the definition's own deep ranks making up the rest; at k 20 those count for less. 2 -> 3 at k 20: semble subset
     * 0.908 -> 0.909; keyword stage and csn sets unchanged.)
     */
    symbolExactBoostRanks: number;
    /** Overlapping or touching hits from one file merge into one, unless the merged range would exceed this. */
    maxMergedLines: number;
    /** Hits this many blank lines apart (no chunk between) also merge; 0 = only overlapping or touching ones. */
    mergeBlankLines: number;
    /**
     * At most this many hits per prose (docs, text) file before hits from other files (the rest go after). Higher
     * than for code: the answer to a docs question is often one of several sections of one long file (3 -> 5:
     * csn-mixed 0.596 -> 0.619; 5 -> 10: csn-mixed 0.616 -> 0.621, keyword mode 0.535 -> 0.552, csn-docs
     * 0.677 -> 0.681; semble unchanged both times).
     */
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
    /**
     * Leave out of the BM25 query the terms found in half or more of the chunks, which BM25 weighs at a millionth
     * (commonTerms.ts): same order for every chunk matching a rarer term, far fewer rows scored on big indexes.
     */
    dropWeightlessTerms: boolean;
    /** Multiplier for examples, benchmarks, vendored and compat/legacy code (rules/pathPriors.ts). */
    auxiliaryWeight: number;
    /** Multiplier for re-export stubs: `__init__.py`, `package-info.java` (rules/pathPriors.ts). */
    stubWeight: number;
    /** Multiplier for type declarations (`.d.ts`) (rules/pathPriors.ts). */
    declarationWeight: number;
    /** Exact-definition boost when the defining file is also named after the symbol (`Router` in router.go). */
    symbolStemFactor: number;
    /** Share of the exact-definition boost given to definitions of identifiers named inside a prose query. */
    proseSymbolFactor: number;
    /**
     * Share of the exact-definition boost left to a definition whose name matches the asked one only when case is
     * ignored: `Deserialize` asks for the trait, not for every `deserialize` method (rules/exactSymbol.ts).
     */
    symbolCaseMismatchFactor: number;
    /**
     * Share of the exact-definition boost left to a chunk named after the asked symbol when another chunk of its file
     * declares it (`class X`, `def x`) and it does not: a banner comment or a field of a long class
     * (search/declarations.ts). 1 = no difference. 0.25 measured against 1 / 0.5 / 0: keyword stage over 61 semble
     * repositories 0.8291 / 0.8294 / 0.8297 (0.25) / 0.8298, symbol queries 0.946 -> 0.952; subset hybrid 0.909 ->
     * 0.910 (symbol 0.978 -> 0.985); csn sets unchanged. 0.25 keeps some of a long class's mass in file coherence.
     */
    continuationFactor: number;
    /** Bonus of a file's best candidate for the file's summed candidate scores, × top score (rules/fileCoherence.ts). */
    coherenceWeight: number;
    /** Bonus for prose-query words matched by the file's stem or folder, × top score × share matched (rules/pathMatch.ts). */
    pathMatchWeight: number;
    /** Below this share of the query's words matched by the path, no path bonus (one word in ten). */
    pathMatchMinRatio: number;
    /** Score kept by a code file's 2nd candidate (its 3rd keeps the square, ...) (rules/saturation.ts). */
    codeSaturation: number;
    /** The same for docs and text files, whose sections are separate answers. */
    proseSaturation: number;
    /** A chunk scoring at least this share of its file's best is not saturated (1 = every later chunk is). */
    saturationTieRatio: number;
    /**
     * The query kinds (intent.ts) that the file-level rules serve: coherence, path match, saturation, definitions
     * named in prose and the prose prior. A description of one behaviour wants that unit, not its file.
     */
    fileRulesFor: readonly QueryIntent[];
    /** BM25 weights of the lexical fields (body text, identifier parts, path, symbol); default termIndex.ts FIELD_WEIGHTS. */
    lexicalColumnWeights?: FieldWeights;
    /** Cosine subtracted from Find Similar hits in the compared code's own file (rules/sameFile.ts). */
    sameFilePenalty: number;
    /** Rules of the ranking stack switched off (rules/index.ts), to measure what each one is worth. */
    disabledRules?: readonly RankRuleName[];
    /** Fusion function; default reciprocal-rank fusion (fusion.ts). */
    fusion?: FusionFn;
}

export const DEFAULT_RANK_CONFIG: Readonly<RankConfig> = Object.freeze({
    rrfK: 20,
    singleListRrfK: 60,
    vectorCandidates: 100,
    lexicalCandidates: 100,
    vectorWeight: 1,
    lexicalWeight: 1,
    identifierLexicalWeight: 2,
    symbolExactBoostRanks: 3,
    maxMergedLines: 150,
    mergeBlankLines: 0,
    maxHitsPerFile: 10,
    maxHitsPerCodeFile: 3,
    bestLinesMax: 3,
    fetchFactor: 4,
    kindCalibration: "none",
    dropWeightlessTerms: true,
    proseWeight: 0.7,
    testWeight: 0.8,
    sameFilePenalty: 0.1,
    fileRulesFor: ["identifier", "topic"] as QueryIntent[],
    auxiliaryWeight: 0.3,
    stubWeight: 0.5,
    declarationWeight: 0.7,
    symbolStemFactor: 1.5,
    proseSymbolFactor: 0.5,
    symbolCaseMismatchFactor: 0.5,
    coherenceWeight: 0.2,
    continuationFactor: 0.25,
    pathMatchWeight: 1,
    pathMatchMinRatio: 0.1,
    codeSaturation: 0.5,
    proseSaturation: 1,
    saturationTieRatio: 0.9,
});
