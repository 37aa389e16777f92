/**
 * rankHits: query -> ranked, merged, diversified hits. The one search pipeline of every surface (CLI, QuickPick,
 * panel, sidebar, Find Similar), after a read-only store catches up with its writer:
 * 1. compile filters (globs, kinds, languages, excluded range) into one row predicate;
 * 2. retrieve candidates for the mode (retrieve.ts): vector, BM25 or both fused;
 * 3. run the ranking rules (rules/index.ts) over the candidates;
 * 4. one sort (candidate.ts compareCandidates), then fetch the best candidates' chunks;
 * 5. merge overlapping/touching chunks of one file, cap hits per file, cut to `top`;
 * 6. mark the lines that best match the query terms.
 */
import { throwIfAborted } from "../errors";
import type { IndexStore } from "../store/indexStore";
import type { Hit, SearchOptions } from "../types";
import { bestLines, highlightTerms } from "./bestLines";
import { compareCandidates } from "./candidate";
import { compileFilter, overlapsRange, type ExcludedRange } from "./filters";
import { queryIntent } from "./intent";
import { diversify, mergeOverlapping, type ScoredChunk } from "./merge";
import { DEFAULT_RANK_CONFIG, type RankConfig } from "./rankConfig";
import type { RankedList } from "./fusion";
import { lexicalList, retrieve } from "./retrieve";
import { applyRules, type RankContext, type RankIndex } from "./rules/index";
import { matchStrength, queryWords, type CosineScale } from "./strength";

export type { ExcludedRange } from "./filters";

/** Results when SearchOptions.top is not given. */
export const DEFAULT_TOP = 10;
/** Upper bound on `top`, so a caller cannot make one query fetch the whole index. */
export const MAX_TOP = 1000;

export interface RankOptions extends SearchOptions {
    /** Never return chunks overlapping this range (Find Similar's source). */
    excludeRange?: ExcludedRange;
    /** Find Similar: the path of the compared code, whose own file's chunks are demoted (rules/sameFile.ts). */
    similarTo?: string;
    /** Overrides of the ranking constants (benchmarks tune these). */
    rankConfig?: Partial<RankConfig>;
    /** The model's cosine scale for Hit.strength (strength.ts cosineScale); without it, hits carry no strength. */
    strengthScale?: CosineScale;
    /** The plan and BM25 list computed ahead by {@link lexicalAhead} with the same query and options. */
    ahead?: SearchAhead;
}

/** What one search runs with, derived from its options. */
export interface SearchPlan {
    config: RankConfig;
    top: number;
    fetch: number;
    filter: ReturnType<typeof compileFilter>;
    intent: ReturnType<typeof queryIntent>;
}

function planSearch(query: string, opts: RankOptions): SearchPlan {
    const config: RankConfig = { ...DEFAULT_RANK_CONFIG, ...opts.rankConfig };
    const top = Math.max(0, Math.min(MAX_TOP, Math.floor(opts.top ?? DEFAULT_TOP)));
    return { config, top, fetch: top * config.fetchFactor, filter: compileFilter(opts), intent: query === "" ? "topic" : queryIntent(query) };
}

/** The part of a search done before the query vector exists (see {@link lexicalAhead}). */
export interface SearchAhead {
    plan: SearchPlan;
    lexical: RankedList | undefined;
}

/**
 * The BM25 side of a search, computed before the query vector exists: the engine runs it while the model encodes
 * the query on its own thread, then hands it to {@link rankHits} as `ahead` (with the plan, so the filters are
 * compiled once). Undefined for vector-only searches.
 */
export function lexicalAhead(store: IndexStore, query: string, opts: RankOptions = {}): SearchAhead | undefined {
    const mode = opts.mode ?? "hybrid";
    if (mode === "vector" || query === "") return undefined;
    store.refresh();
    const plan = planSearch(query, opts);
    const acceptChunk = plan.filter?.(store.chunks);
    const lexical = lexicalList(store, { mode, query, limit: plan.fetch, acceptChunk, identifier: plan.intent === "identifier", config: plan.config });
    return { plan, lexical };
}

/**
 * Ranked hits for a query. `queryVector` is the unit-length query embedding (omit it for lexical search); `query`
 * is the raw text (used for BM25, identifier detection and bestLines; may be "" for pure vector search).
 */
export function rankHits(store: IndexStore, queryVector: Float32Array | undefined, query: string, opts: RankOptions = {}): Hit[] {
    throwIfAborted(opts.signal);
    store.refresh();
    const { config, top, fetch, filter, intent } = opts.ahead?.plan ?? planSearch(query, opts);
    if (top === 0 || store.chunks.count === 0) return [];
    const mode = opts.mode ?? "hybrid";
    const accept = filter?.(store.vectors);
    const acceptChunk = filter?.(store.chunks);
    const identifier = intent === "identifier";
    const ctx: RankContext = { query, mode, identifier, intent, config, similarTo: opts.similarTo, index: chunkIndex(store, acceptChunk) };
    const candidates = retrieve(store, { mode, vector: queryVector, query, limit: fetch, accept, acceptChunk, identifier, config, lexical: opts.ahead?.lexical });
    throwIfAborted(opts.signal);
    const best = applyRules(candidates, ctx).sort(compareCandidates).slice(0, fetch);
    const chunks = new Map(store.getChunks(best.map((c) => c.id)).map((chunk) => [chunk.id, chunk]));
    const ranked: ScoredChunk[] = best.flatMap((c) => {
        const chunk = chunks.get(c.id);
        return chunk ? [{ chunk, score: c.score }] : [];
    });
    const blankGap = (path: string, from: number, to: number) => store.chunkAt(path, from) === undefined && store.chunkAt(path, to) === undefined;
    const merged = mergeOverlapping(ranked, config.maxMergedLines, blankGap, config.mergeBlankLines).filter(
        (h) => !overlapsRange(opts.excludeRange, h.path, h.startLine, h.endLine),
    );
    const hits = diversify(merged, (h) => (h.kind === "code" ? config.maxHitsPerCodeFile : config.maxHitsPerFile)).slice(0, top);
    const terms = highlightTerms(query);
    for (const h of hits) {
        const lines = bestLines(h.text, h.startLine, terms, config.bestLinesMax);
        if (lines) h.bestLines = lines;
    }
    if (opts.strengthScale) addStrength(store, hits, queryVector, query, opts.strengthScale);
    return hits;
}

/** Hit.strength for the final hits (after ranking: it never changes their order). */
function addStrength(store: IndexStore, hits: Hit[], queryVector: Float32Array | undefined, query: string, scale: CosineScale): void {
    const words = queryWords(query);
    for (const h of hits) {
        const slot = queryVector ? store.vectors.slotOf(h.chunkId) : undefined;
        const cosine = slot === undefined || !queryVector ? undefined : dot(store.vectors.vectorAt(slot), queryVector);
        h.strength = matchStrength({ cosine, words, text: h.text }, scale);
    }
}

/** Both vectors are unit length, so this is their cosine. */
function dot(a: Float32Array, b: Float32Array): number {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
    return sum;
}

/** The rules' lookups over the in-memory chunk table (every chunk, embedded or not), honouring the filters. */
function chunkIndex(store: IndexStore, accept: ((slot: number) => boolean) | undefined): RankIndex {
    const chunks = store.chunks;
    return {
        definitions: (key) => chunks.slotsWithSymbol(key).flatMap((slot) => (accept && !accept(slot) ? [] : [{ id: chunks.idAt(slot), ...chunks.metaAt(slot) }])),
    };
}
