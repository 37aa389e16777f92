/**
 * An Embedder that answers from the shared {@link EmbeddingCache} first and sends only the distinct misses to the
 * model, so re-indexing a folder (or a second folder holding vendored copies of the same files) embeds nothing
 * that was embedded before. The namespace is the inner model id: callers guarantee that a model id names one set of
 * weights, and the instruction is already part of each key.
 */
import { throwIfAborted } from "../errors";
import type { Embedder, Logger, PromptedText } from "../types";
import { cacheKey, type EmbeddingCache, type EmbeddingCacheFile } from "./embeddingCache";

export interface CachingEmbedderOptions {
    logger?: Logger;
    /** Cache namespace; default the inner model id. Must change whenever the vectors would (weights, pooling). */
    namespace?: string;
}

export class CachingEmbedder implements Embedder {
    /** Texts actually sent to the model, over all calls. */
    embeddedCount = 0;
    /** Texts answered from the cache or by an identical text earlier in the same call. */
    cachedCount = 0;
    private file: EmbeddingCacheFile | undefined;

    /** `cache` undefined still dedupes identical texts within a call. */
    constructor(
        private readonly wrapped: Embedder,
        private readonly cache: EmbeddingCache | undefined,
        private readonly opts: CachingEmbedderOptions = {},
    ) {}

    /** The wrapped embedder, for its own extra methods (a WorkerEmbedder's warmUp, say). */
    get inner(): Embedder {
        return this.wrapped;
    }

    get modelId(): string {
        return this.wrapped.modelId;
    }

    /** The inner model's; may be 0 until a bring-your-own model has loaded once. */
    get dimensions(): number {
        return this.wrapped.dimensions;
    }

    warmUp(signal?: AbortSignal): Promise<void> {
        return this.wrapped.warmUp?.(signal) ?? Promise.resolve();
    }

    /** Vectors in input order, each a fresh array. Rejects CoreError("cancelled") on abort, having written nothing. */
    async embed(texts: PromptedText[], signal?: AbortSignal): Promise<Float32Array[]> {
        throwIfAborted(signal);
        const keys = texts.map((t) => cacheKey(t.instruction, t.text));
        const found = this.namespace(this.wrapped.dimensions)?.get(keys) ?? keys.map(() => undefined);
        // Distinct misses in first-seen order, each with every position that wants it.
        const misses = new Map<string, { text: PromptedText; key: Buffer; at: number[] }>();
        for (let i = 0; i < texts.length; i++) {
            if (found[i]) continue;
            const id = keys[i].toString("latin1");
            const miss = misses.get(id);
            if (miss) miss.at.push(i);
            else misses.set(id, { text: texts[i], key: keys[i], at: [i] });
        }
        const out = found as Float32Array[];
        if (misses.size > 0) {
            const distinct = [...misses.values()];
            const vectors = await this.wrapped.embed(
                distinct.map((m) => m.text),
                signal,
            );
            throwIfAborted(signal);
            if (vectors.length !== distinct.length) {
                throw new Error(`${this.wrapped.modelId} returned ${vectors.length} vectors for ${distinct.length} texts`);
            }
            this.namespace(vectors[0].length)?.put(distinct.map((m, i) => ({ key: m.key, vector: vectors[i] })));
            distinct.forEach((m, i) => {
                // The first position gets the model's array; copies go to the rest so callers may keep and mutate them.
                m.at.forEach((pos, n) => (out[pos] = n === 0 ? vectors[i] : new Float32Array(vectors[i])));
            });
        }
        this.embeddedCount += misses.size;
        this.cachedCount += texts.length - misses.size;
        return out;
    }

    async dispose(): Promise<void> {
        try {
            await this.wrapped.dispose();
        } finally {
            this.cache?.close();
            this.file = undefined;
        }
    }

    /** Opened on first need, once the dimensions are known (bring-your-own models report 0 until loaded). */
    private namespace(dims: number): EmbeddingCacheFile | undefined {
        if (!this.file && this.cache && dims > 0) {
            this.file = this.cache.open(this.opts.namespace ?? this.wrapped.modelId, dims);
            this.opts.logger?.debug(`seek: embedding cache ${this.file.path ?? "(disabled)"} opened for ${this.wrapped.modelId}`);
        }
        return this.file;
    }
}
