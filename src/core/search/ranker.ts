/**
 * rankHits: query -> ranked, merged, diversified hits. The one search pipeline of every surface (CLI, QuickPick,
 * panel, sidebar, Find Similar, agents) over any index (store/searchSource.ts: the local index, a team index in
 * PostgreSQL, or the two layered), after a reader catches up with its writer:
 * 1. the filters as data (globs, kinds, languages, excluded range), which the source applies;
 * 2. retrieve the mode's candidate lists from the source (BM25 starts while the query vector is still being
 *    computed) and fuse them (retrieve.ts);
 * 3. run the ranking rules (rules/index.ts) over the candidates;
 * 4. one sort (candidate.ts compareCandidates), then fetch the best candidates' chunks;
 * 5. merge overlapping/touching chunks of one file, cap hits per file, cut to `top`;
 * 6. mark the lines that best match the query terms.
 */
import { throwIfAborted } from "../errors";
import type { DefinedMeta, ScoredCandidate, SearchFilter, SearchSource } from "../store/searchSource";
import { FIELD_WEIGHTS } from "../store/termIndex";
import type { Hit, SearchOptions } from "../types";
import { bestLines, highlightTerms } from "./bestLines";
import { compareCandidates } from "./candidate";
import { markContinuations } from "./declarations";
import { overlapsRange, type ExcludedRange } from "./filters";
import { queryIntent } from "./intent";
import { diversify, mergeOverlapping, type ScoredChunk } from "./merge";
import { DEFAULT_RANK_CONFIG, type RankConfig } from "./rankConfig";
import { fuseCandidates } from "./retrieve";
import { definitionKeys } from "./rules/exactSymbol";
import { applyRules, type RankContext } from "./rules/index";
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
}

/** The query vector, or a promise of it: the BM25 side starts first and runs while the model encodes the query. */
export type QueryVector = Float32Array | undefined | Promise<Float32Array | undefined>;

/**
 * Ranked hits for a query. `queryVector` is the unit-length query embedding (omit it for lexical search); `query`
 * is the raw text (used for BM25, identifier detection and bestLines; may be "" for pure vector search).
 */
export async function rankHits(source: SearchSource, queryVector: QueryVector, query: string, opts: RankOptions = {}): Promise<Hit[]> {
    throwIfAborted(opts.signal);
    await source.refresh();
    const config: RankConfig = { ...DEFAULT_RANK_CONFIG, ...opts.rankConfig };
    const top = Math.max(0, Math.min(MAX_TOP, Math.floor(opts.top ?? DEFAULT_TOP)));
    if (top === 0) return [];
    const fetch = top * config.fetchFactor;
    const mode = opts.mode ?? "hybrid";
    const intent = query === "" ? "topic" : queryIntent(query);
    const identifier = intent === "identifier";
    const filter: SearchFilter = { include: opts.include, exclude: opts.exclude, kinds: opts.kinds, languages: opts.languages, excludeRange: opts.excludeRange };
    const ctxBase = { query, mode, identifier, intent, config, similarTo: opts.similarTo };

    // Started before the query vector is awaited: a local source computes these while the model encodes the query.
    const lexical =
        mode === "vector" || query === ""
            ? undefined
            : quiet(source.lexicalTopK({ query, limit: mode === "lexical" ? Math.max(fetch, config.lexicalCandidates) : config.lexicalCandidates, filter, weights: config.lexicalColumnWeights ?? FIELD_WEIGHTS, dropWeightless: config.dropWeightlessTerms }));
    const keys = definitionKeys({ ...ctxBase, index: NO_INDEX });
    // Continuation pieces of a long definition are told apart by reading their texts (declarations.ts).
    const lookup = async () => {
        const named = await source.definitions(keys, filter);
        return config.continuationFactor < 1 ? markContinuations(source, named) : named;
    };
    const definitions = keys.length > 0 ? quiet(lookup()) : undefined;
    const vector = await queryVector;
    throwIfAborted(opts.signal);
    const vectorList: Promise<ScoredCandidate[]> | undefined =
        mode !== "lexical" && vector ? source.vectorTopK({ vector, limit: mode === "vector" ? fetch : config.vectorCandidates, filter, calibration: config.kindCalibration }) : undefined;
    const found = { vector: await vectorList, lexical: await lexical };
    const defined = (await definitions) ?? new Map<string, DefinedMeta[]>();
    throwIfAborted(opts.signal);

    // One list (keyword mode, or no vector yet) is ranked with its own constant: there is nothing to fuse.
    const lists = Number((found.vector?.length ?? 0) > 0) + Number((found.lexical?.length ?? 0) > 0);
    const ranking: RankConfig = lists > 1 ? config : { ...config, rrfK: config.singleListRrfK };
    const ctx: RankContext = { ...ctxBase, config: ranking, index: { definitions: (key) => defined.get(key) ?? [] } };
    const best = applyRules(fuseCandidates(mode, found, identifier, ranking), ctx).sort(compareCandidates).slice(0, fetch);
    const chunks = new Map((await source.chunks(best.map((c) => c.id))).map((chunk) => [chunk.id, chunk]));
    const ranked: ScoredChunk[] = best.flatMap((c) => {
        const chunk = chunks.get(c.id);
        return chunk ? [{ chunk, score: c.score }] : [];
    });
    const spans = config.mergeBlankLines > 0 ? await source.chunkSpans([...new Set(ranked.map((r) => r.chunk.path))]) : undefined;
    const holdsChunk = (path: string, line: number) => spans?.get(path)?.some((s) => s.startLine <= line && s.endLine >= line) ?? false;
    const blankGap = (path: string, from: number, to: number) => !holdsChunk(path, from) && !holdsChunk(path, to);
    const merged = mergeOverlapping(ranked, config.maxMergedLines, blankGap, config.mergeBlankLines).filter(
        (h) => !overlapsRange(opts.excludeRange, h.path, h.startLine, h.endLine),
    );
    const hits = diversify(merged, (h) => (h.kind === "code" ? config.maxHitsPerCodeFile : config.maxHitsPerFile)).slice(0, top);
    const terms = highlightTerms(query);
    for (const h of hits) {
        const lines = bestLines(h.text, h.startLine, terms, config.bestLinesMax);
        if (lines) h.bestLines = lines;
    }
    if (opts.strengthScale) {
        const cosines = vector ? await source.cosines(hits.map((h) => h.chunkId), vector) : new Map<number, number>();
        addStrength(hits, cosines, query, opts.strengthScale);
    }
    return hits;
}

/** Rules that run before lookups exist (definitionKeys) see no index. */
const NO_INDEX: RankContext["index"] = { definitions: () => [] };

/**
 * Marks a promise as handled, so that when an earlier await throws (the query encoding failed, the search was
 * cancelled) its rejection is not reported as unhandled; awaiting the returned promise still throws.
 */
function quiet<T>(p: Promise<T>): Promise<T> {
    p.catch(() => undefined);
    return p;
}

/** Hit.strength for the final hits (after ranking: it never changes their order). */
function addStrength(hits: Hit[], cosines: Map<number, number>, query: string, scale: CosineScale): void {
    const words = queryWords(query);
    for (const h of hits) h.strength = matchStrength({ cosine: cosines.get(h.chunkId), words, text: h.text }, scale);
}
