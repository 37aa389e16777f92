/**
 * What the lexical index knows about one chunk: for each distinct token, how often it occurs in each of four
 * fields (body text, identifier parts, path words, symbol words), and the chunk's length in tokens. Computed when
 * the chunk is written and stored with it as a compact blob of term ids (see TermDictionary), so opening an index
 * rebuilds the in-memory postings (termIndex.ts) by decoding numbers, without tokenizing any text again.
 *
 * Blob layout, little-endian uint32: [length, id0, counts0, id1, counts1, ...], where counts packs the four field
 * counts one byte each (text in the low byte), each capped at 255.
 */
import { identifierTokens } from "../search/lexical";
import { searchTokens } from "../search/searchTokens";

/** Field order in the packed counts. */
export const FIELDS = ["text", "idents", "path", "symbol"] as const;
const MAX_COUNT = 255;

/** A chunk's tokens: token -> packed field counts, and the total number of tokens over all fields. */
export interface ChunkTermCounts {
    length: number;
    counts: Map<string, number>;
}

/** The path field's words, computed once per file. */
export function pathWords(path: string): string {
    return identifierTokens(path).join(" ");
}

/** Counts the tokens of a chunk's four fields. `pathText` is {@link pathWords} of its file. */
export function chunkTermCounts(text: string, pathText: string, symbol: string | undefined): ChunkTermCounts {
    const fields = [text, identifierTokens(text, { compoundOnly: true }).join(" "), pathText, symbol ? identifierTokens(symbol).join(" ") : ""];
    const counts = new Map<string, number>();
    let length = 0;
    const tokens: string[] = [];
    fields.forEach((fieldText, field) => {
        tokens.length = 0;
        searchTokens(fieldText, tokens);
        length += tokens.length;
        const shift = field * 8;
        for (const t of tokens) {
            const packed = counts.get(t) ?? 0;
            if (((packed >>> shift) & 0xff) < MAX_COUNT) counts.set(t, (packed + (1 << shift)) >>> 0);
        }
    });
    return { length, counts };
}

/** The stored form of a chunk's counts, with each token replaced by its id. */
export function encodeTerms(counts: ChunkTermCounts, idOf: (token: string) => number): Uint8Array {
    const words = new Uint32Array(1 + counts.counts.size * 2);
    words[0] = counts.length;
    let i = 1;
    for (const [token, packed] of counts.counts) {
        words[i++] = idOf(token);
        words[i++] = packed;
    }
    return littleEndianBytes(words);
}

/** True on little-endian hosts (every platform Node ships for), where a blob's bytes can be read in place. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The uint32 words of a stored blob (a view of it when possible: read it before the blob is reused), or undefined when malformed. */
export function decodeTerms(blob: unknown): Uint32Array | undefined {
    if (!(blob instanceof Uint8Array) || blob.byteLength < 4 || blob.byteLength % 8 !== 4) return undefined;
    if (LITTLE_ENDIAN && blob.byteOffset % 4 === 0) return new Uint32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
    const words = new Uint32Array(blob.byteLength / 4);
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    for (let i = 0; i < words.length; i++) words[i] = view.getUint32(i * 4, true);
    return words;
}

/** The stored (little-endian) bytes of a blob's words. */
export function littleEndianBytes(words: Uint32Array): Uint8Array {
    const bytes = new Uint8Array(words.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < words.length; i++) view.setUint32(i * 4, words[i], true);
    return bytes;
}
