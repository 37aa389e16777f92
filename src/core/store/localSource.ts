/**
 * The local index as a {@link SearchSource}: IndexStore's in-memory tables answer every retrieval call (exact
 * cosine scan, in-memory BM25), so each call finishes before it returns; the promises only give it the shape every
 * source shares. Filters are compiled once per filter object (globs are the costly part) and run over table slots.
 */
import { withoutWeightlessTerms } from "../search/commonTerms";
import { compileFilter } from "../search/filters";
import { alternativeTerms, queryAlternatives, type QueryAlternative } from "../search/lexical";
import { dot } from "../search/simdKernel";
import { vectorTopK } from "../search/vector";
import type { StoredChunk } from "../types";
import type { ChunkTable } from "./chunkTable";
import type { IndexStore } from "./indexStore";
import type { DefinedMeta, IdentifiedMeta, LexicalRequest, ScoredCandidate, SearchFilter, SearchSource, SourceCounts, VectorRequest } from "./searchSource";

type CompiledFilter = ReturnType<typeof compileFilter>;

export class LocalSource implements SearchSource {
    readonly label = "local index";
    private readonly compiled = new WeakMap<SearchFilter, CompiledFilter>();

    constructor(private readonly store: IndexStore) {}

    async refresh(): Promise<void> {
        this.store.refresh();
    }

    async fileHashes(): Promise<ReadonlyMap<string, string>> {
        return this.store.catalog();
    }

    async counts(): Promise<SourceCounts> {
        const { files, chunks, embedded } = this.store.counts();
        return { files, chunks, embedded };
    }

    async vectorTopK(req: VectorRequest): Promise<ScoredCandidate[]> {
        const vectors = this.store.vectors;
        const accept = this.filterOf(req.filter)?.(vectors);
        return withMeta(this.store.chunks, vectorTopK(vectors, req.vector, req.limit, accept, req.calibration));
    }

    async lexicalTopK(req: LexicalRequest): Promise<ScoredCandidate[]> {
        const alternatives = this.searchable(req.query, req.dropWeightless);
        if (alternatives.length === 0) return [];
        const chunks = this.store.chunks;
        const accept = this.filterOf(req.filter)?.(chunks);
        const acceptId = accept
            ? (id: number) => {
                  const slot = chunks.slotOf(id);
                  return slot !== undefined && accept(slot);
              }
            : undefined;
        const found = this.store.lexicalSearch(alternatives, req.limit, acceptId, req.weights);
        return withMeta(chunks, found.map((m) => ({ id: m.id, score: -m.bm25 })));
    }

    async definitions(keys: readonly string[], filter: SearchFilter): Promise<Map<string, DefinedMeta[]>> {
        const chunks = this.store.chunks;
        const accept = this.filterOf(filter)?.(chunks);
        const found = new Map<string, IdentifiedMeta[]>();
        for (const key of keys) {
            const slots = chunks.slotsWithSymbol(key).filter((slot) => !accept || accept(slot));
            found.set(key, slots.map((slot) => ({ id: chunks.idAt(slot), ...chunks.metaAt(slot) })));
        }
        // Symbols as written live on disk only (the chunk table keeps their lowercase keys): read them for the few found.
        const symbols = this.store.symbolsOf([...new Set([...found.values()].flat().map((m) => m.id))]);
        return new Map([...found].map(([key, metas]) => [key, metas.map((m) => ({ ...m, symbol: symbols.get(m.id) }))]));
    }

    async cosines(ids: readonly number[], vector: Float32Array): Promise<Map<number, number>> {
        const vectors = this.store.vectors;
        const out = new Map<number, number>();
        for (const id of ids) {
            const slot = vectors.slotOf(id);
            if (slot !== undefined) out.set(id, dot(vectors.vectorAt(slot), 0, vector, vector.length));
        }
        return out;
    }

    async chunks(ids: readonly number[]): Promise<StoredChunk[]> {
        return this.store.getChunks([...ids]);
    }

    async chunkSpans(paths: readonly string[]): Promise<Map<string, { startLine: number; endLine: number }[]>> {
        return this.store.chunkSpans(paths);
    }

    private filterOf(filter: SearchFilter): CompiledFilter {
        if (!this.compiled.has(filter)) this.compiled.set(filter, compileFilter(filter));
        return this.compiled.get(filter);
    }

    /** The query's alternatives, without the terms too common to weigh anything (commonTerms.ts). */
    private searchable(query: string, dropWeightless: boolean): QueryAlternative[] {
        const alternatives = queryAlternatives(query);
        if (!dropWeightless || alternatives.length <= 1) return alternatives;
        const df = this.store.documentFrequencies(alternatives.flatMap(alternativeTerms));
        return withoutWeightlessTerms(alternatives, df, this.store.counts().chunks);
    }
}

/** Scored ids with their chunk-table metadata (an id the table no longer holds is left out). */
function withMeta(chunks: ChunkTable, found: readonly { id: number; score: number }[]): ScoredCandidate[] {
    return found.flatMap(({ id, score }) => {
        const meta = chunks.metaOf(id);
        return meta ? [{ id, ...meta, score }] : [];
    });
}
