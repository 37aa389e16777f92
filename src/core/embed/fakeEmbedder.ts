/**
 * A deterministic stand-in for the model, for fast unit tests of the indexer, store and search (never where the
 * real model is required). Each word of the text (lower-cased, identifiers split at camelCase and `_`) is hashed
 * into a few signed buckets, so texts that share words get similar vectors and ranking tests stay meaningful.
 * The instruction is ignored: a query and a document made of the same words get the same vector.
 */
import { createHash } from "node:crypto";
import { throwIfAborted } from "../errors";
import type { Embedder, PromptedText } from "../types";

export interface FakeEmbedderOptions {
    dimensions?: number;
    modelId?: string;
    /** Milliseconds each embed call waits before answering (to test progress and cancellation). */
    delayMs?: number;
}

/** Buckets per word: spreads each word over a few dimensions so collisions rarely align. */
const BUCKETS_PER_WORD = 3;
/** Word hashes kept; large synthetic corpora have large vocabularies. */
const MAX_CACHED_WORDS = 100_000;

/** Words of a text, with identifiers split ("retryUpload" -> "retry", "upload"). */
function words(text: string): string[] {
    return text
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length > 0);
}

export class FakeEmbedder implements Embedder {
    readonly modelId: string;
    readonly dimensions: number;
    /** Texts embedded so far (all calls), for assertions such as "unchanged files were not re-embedded". */
    embeddedTexts = 0;
    /** embed() calls so far. */
    calls = 0;
    private readonly delayMs: number;
    private readonly cache = new Map<string, Int32Array>();

    constructor(opts: FakeEmbedderOptions = {}) {
        this.dimensions = opts.dimensions ?? 64;
        this.modelId = opts.modelId ?? "fake";
        this.delayMs = opts.delayMs ?? 0;
    }

    async embed(texts: PromptedText[], signal?: AbortSignal): Promise<Float32Array[]> {
        throwIfAborted(signal);
        this.calls++;
        if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
        throwIfAborted(signal);
        this.embeddedTexts += texts.length;
        return texts.map((t) => this.vector(t.text));
    }

    async dispose(): Promise<void> {}

    /** The vector of one text (unit length; a text without words gets a fixed unit vector). */
    vector(text: string): Float32Array {
        const v = new Float32Array(this.dimensions);
        for (const w of words(text)) {
            const h = this.hash(w);
            for (let b = 0; b < BUCKETS_PER_WORD; b++) {
                const x = h[b];
                v[(x >>> 1) % this.dimensions] += x & 1 ? 1 : -1;
            }
        }
        let sum = 0;
        for (const x of v) sum += x * x;
        if (sum === 0) {
            v[0] = 1;
            return v;
        }
        const inv = 1 / Math.sqrt(sum);
        for (let k = 0; k < v.length; k++) v[k] *= inv;
        return v;
    }

    private hash(word: string): Int32Array {
        let h = this.cache.get(word);
        if (!h) {
            // Copied out of the digest buffer, which may sit at an unaligned offset of a shared pool.
            h = new Int32Array(new Uint8Array(createHash("sha256").update(word).digest()).buffer, 0, BUCKETS_PER_WORD);
            if (this.cache.size >= MAX_CACHED_WORDS) this.cache.clear();
            this.cache.set(word, h);
        }
        return h;
    }
}
