/**
 * The lexical term counts of all chunks of one file in a compact form, for the chunking worker to post to the
 * indexer's thread: a token that occurs in several chunks of the file crosses once, every count is one flat
 * array, and the writer looks each distinct token up once per file. As a Map per chunk (ChunkTermCounts) the
 * counts cost a string and a hash entry for every token of every chunk, which the indexer would hold for every
 * file prepared ahead of it (on a 22,836-file folder the difference was about a hundred MiB of peak memory).
 */
import { littleEndianBytes, type ChunkTermCounts } from "./chunkTerms";

export interface FileTermCounts {
    /** Number of chunks. */
    chunks: number;
    /** The file's distinct tokens, in order of first appearance, chunk by chunk. */
    tokens: string[];
    /**
     * Chunk after chunk: its length in tokens, its number of distinct tokens n, then n pairs (index into `tokens`,
     * packed field counts), in the order of the chunk's {@link ChunkTermCounts}.
     */
    words: Uint32Array;
}

/** Packs the term counts of a file's chunks, in chunk order. */
export function packFileTerms(chunks: readonly ChunkTermCounts[]): FileTermCounts {
    const index = new Map<string, number>();
    const words = new Uint32Array(chunks.reduce((n, c) => n + 2 + 2 * c.counts.size, 0));
    let w = 0;
    for (const c of chunks) {
        words[w++] = c.length;
        words[w++] = c.counts.size;
        for (const [token, packed] of c.counts) {
            let i = index.get(token);
            if (i === undefined) index.set(token, (i = index.size));
            words[w++] = i;
            words[w++] = packed;
        }
    }
    return { chunks: chunks.length, tokens: [...index.keys()], words };
}

/**
 * Each chunk's stored blob, as encodeTerms (chunkTerms.ts) writes it from the chunk's own counts. Ids are asked for
 * in order of first appearance, which is the order encodeTerms would ask for them chunk by chunk, so new tokens get
 * the same ids either way.
 */
export function encodeFileTerms(terms: FileTermCounts, idOf: (token: string) => number): Uint8Array[] {
    const ids = terms.tokens.map(idOf);
    const { words } = terms;
    const blobs: Uint8Array[] = [];
    for (let w = 0; blobs.length < terms.chunks; ) {
        const n = words[w + 1];
        const blob = new Uint32Array(1 + 2 * n);
        blob[0] = words[w];
        w += 2;
        for (let k = 1; k < blob.length; k += 2, w += 2) {
            blob[k] = ids[words[w]];
            blob[k + 1] = words[w + 1];
        }
        blobs.push(littleEndianBytes(blob));
    }
    return blobs;
}
