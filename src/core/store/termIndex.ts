/**
 * The lexical index in memory: postings per token, and an exact BM25 top-k over them.
 *
 * It replaced SQLite FTS5's bm25(), which scores every row holding any query term through a C callback (about 3 µs
 * a row under WASM): at 100k chunks a prose query matches 10-50k rows, and lexical search alone took 27/52 ms
 * (p50/p95). Here the same formula runs term-at-a-time over typed arrays, a few nanoseconds a posting, so every
 * matching chunk is still scored (exact) and only the best `limit` are kept.
 *
 * Scoring is FTS5's bm25 with per-field weights: for each query token t found in chunk D,
 *   idf(t) * f * (k1 + 1) / (f + k1 * (1 - b + b * |D| / avgdl)),   f = sum over fields of weight * count,
 * idf(t) = ln((N - n + 0.5) / (n + 0.5)), floored at 1e-6 (n chunks of N hold t), k1 = 1.2, b = 0.75, |D| the
 * chunk's token count over all fields. A query is an OR of groups; a group is an AND of tokens and adds its tokens'
 * scores only to the chunks holding all of them (FTS5's `"a" OR ("b" AND "c")`).
 *
 * Chunks get dense document numbers in the order they are added, which is chunk-id order (ids only grow), so a
 * chunk id is found by binary search and ties break by id. Removal marks a document dead; its postings are
 * dropped when dead postings outnumber live ones (compaction renumbers the documents).
 *
 * Memory (a posting is two uint32 words: document, packed field counts). Most tokens have a handful of postings, so
 * nothing here is an object per token: token-indexed typed arrays point into two shared stores.
 * - The base: every token's postings back to back in one array, exactly sized (no slack), with a start and a count
 *   per token. {@link TermIndex.trim} (after loading an index) and compaction build it.
 * - The tail, for postings added since: per token a chain of slices in fixed-size pages (a slice holds as many
 *   postings as the token had before it, 1 to {@link MAX_SLICE}, then a link word), so growing a list never copies
 *   it, never leaves a hole, and never reallocates a large array. A page is 32 MiB of address space: the allocator
 *   maps blocks that large straight from the system, so only the words written take memory, and freeing a page (trim
 *   moves everything into the base) gives the memory back. With 256 KiB pages the freed pages stayed in the process
 *   (measured: a 500k-chunk index took 1,380 MiB after opening instead of 1,249 MiB).
 * A token's postings are its base run, then its slices, all in document order.
 */
import { decodeTerms, FIELDS } from "./chunkTerms";
import { TermDictionary } from "./termDictionary";

/** BM25 weight of each field. A symbol or path match says more about a chunk than a word in its body. */
export interface FieldWeights {
    text: number;
    idents: number;
    path: number;
    symbol: number;
}

export const FIELD_WEIGHTS: Readonly<FieldWeights> = Object.freeze({ text: 1.0, idents: 1.0, path: 2.0, symbol: 4.0 });

/** BM25 as SQLite FTS5 defines it; the team index's SQL (postgres/lexicalSql.ts) uses the same constants. */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/** FTS5's weight for a term in half the rows or more. */
export const BM25_IDF_FLOOR = 1e-6;
const K1 = BM25_K1;
const B = BM25_B;
const IDF_FLOOR = BM25_IDF_FLOOR;
/** Compaction waits for this many dead postings, so small edits never trigger it. */
const MIN_DEAD_TO_COMPACT = 50_000;

/** One BM25 result: lower `bm25` is better (negated score, SQLite's convention). */
export interface LexicalMatch {
    id: number;
    bm25: number;
}

/** Per-search constants of the BM25 formula. */
interface Scoring {
    weights: number[];
    lengthBase: number;
    lengthSlope: number;
}

/** log2 of the words per tail page (32 MiB pages; see the header). A slice never crosses a page. */
const PAGE_BITS = 23;
/** Largest slice, in postings: a long list wastes at most this much of its last slice. */
const MAX_SLICE = 256;

/** Capacity (postings) of the slice that follows `count` postings already in the tail. */
function sliceCapacity(count: number): number {
    return count < 1 ? 1 : count > MAX_SLICE ? MAX_SLICE : count;
}

/** What the postings take, for benchmarks and tests. */
export interface TermIndexMemory {
    tokens: number;
    postings: number;
    /** Postings in the exactly-sized base. */
    basePostings: number;
    /** Postings in tail slices (added since the last trim or compaction). */
    tailPostings: number;
    /** Bytes of the base, the tail pages and the per-token and per-document arrays. */
    postingBytes: number;
    tokenBytes: number;
    docBytes: number;
}

export interface TermIndexOptions {
    /** log2 of the words per tail page, 10 to 24 (default 23); tests use small pages to cross many. */
    pageBits?: number;
}

export class TermIndex {
    readonly dictionary = new TermDictionary();
    private readonly pageBits: number;
    private readonly pageWords: number;
    private readonly pageMask: number;
    // Per token (index = token id): base run start (in words) and length (postings); tail head slice address, next
    // free slot address, postings in the tail; live document frequency cache (see documentFrequency).
    private baseStart = new Uint32Array(1024);
    private baseLen = new Uint32Array(1024);
    private tailHead = new Uint32Array(1024);
    private tailNext = new Uint32Array(1024);
    private tailLen = new Uint32Array(1024);
    private dfCache = new Uint32Array(1024);
    private dfEpoch = new Uint32Array(1024);
    private tokenCap = 1024;
    private base = new Uint32Array(0);
    private pages: Uint32Array[] = [];
    /** Next free word address in the tail pages (address 0 is never a slice: 0 means "none"). */
    private pageTop = 1;
    private tailPostings = 0;
    /** Bumped by every removal: a cached live document frequency of an older epoch is stale. */
    private epoch = 1;
    private docIds = new Float64Array(1024);
    private docLength = new Uint32Array(1024);
    private docTerms = new Uint32Array(1024);
    private alive = new Uint8Array(1024);
    private docCount = 0;
    private liveDocs = 0;
    private totalTokens = 0;
    private livePostings = 0;
    private deadPostings = 0;
    // Scratch space for one search, sized with the documents.
    private score = new Float64Array(1024);
    private groupSum = new Float64Array(1024);
    private groupHits = new Uint16Array(1024);
    private matched = new Uint8Array(1024);

    constructor(options: TermIndexOptions = {}) {
        // A page must hold the largest slice (2 * MAX_SLICE + 1 words).
        this.pageBits = Math.min(24, Math.max(10, Math.floor(options.pageBits ?? PAGE_BITS)));
        this.pageWords = 1 << this.pageBits;
        this.pageMask = this.pageWords - 1;
    }

    /** Live chunks in the index. */
    get size(): number {
        return this.liveDocs;
    }

    /** Adds a chunk from its stored blob (chunkTerms.ts). Ids must come in increasing order. Returns false when malformed. */
    add(id: number, blob: unknown): boolean {
        const words = decodeTerms(blob);
        if (!words) return false;
        if (this.docCount > 0 && id <= this.docIds[this.docCount - 1]) throw new Error(`term index: chunk ${id} added out of order`);
        let maxToken = 0;
        for (let i = 1; i < words.length; i += 2) if (words[i] > maxToken) maxToken = words[i];
        this.ensureTokens(maxToken + 1);
        this.ensureDocs(this.docCount + 1);
        const doc = this.docCount++;
        this.docIds[doc] = id;
        this.docLength[doc] = words[0];
        this.docTerms[doc] = (words.length - 1) / 2;
        this.alive[doc] = 1;
        for (let i = 1; i < words.length; i += 2) this.append(words[i], doc, words[i + 1]);
        this.liveDocs++;
        this.totalTokens += words[0];
        this.livePostings += this.docTerms[doc];
        return true;
    }

    /** Drops a chunk; unknown ids are ignored. */
    remove(id: number): void {
        const doc = this.docOf(id);
        if (doc === undefined || !this.alive[doc]) return;
        this.alive[doc] = 0;
        this.liveDocs--;
        this.totalTokens -= this.docLength[doc];
        this.livePostings -= this.docTerms[doc];
        this.deadPostings += this.docTerms[doc];
        this.epoch++;
        if (this.deadPostings >= MIN_DEAD_TO_COMPACT && this.deadPostings > this.livePostings) this.rebuild(true);
    }

    /**
     * Moves every posting into the exactly-sized base (dead documents' too: dropping them renumbers, which only
     * compaction does), freeing the tail pages. Call it once a batch of adds is over, e.g. after loading an index;
     * it costs a pass over all postings, so it is skipped while the tail is small next to the base.
     */
    trim(force = false): void {
        if (this.tailPostings === 0) return;
        if (!force && this.tailPostings * 4 < this.base.length / 2) return;
        this.rebuild(false);
    }

    /**
     * Live chunks holding a token (0 for an unknown one). Without removals that is the length of its postings;
     * after one, the live ones are counted once and the count kept until the next removal (a query asks twice: for
     * its common-term analysis and for the idf of each scored token).
     */
    documentFrequency(tokenId: number | undefined): number {
        if (tokenId === undefined || tokenId >= this.tokenCap) return 0;
        const all = this.baseLen[tokenId] + this.tailLen[tokenId];
        if (this.deadPostings === 0 || all === 0) return all;
        if (this.dfEpoch[tokenId] === this.epoch) return this.dfCache[tokenId];
        let n = 0;
        const alive = this.alive;
        this.forEachRun(tokenId, (data, from, to) => {
            for (let i = from; i < to; i += 2) n += alive[data[i]];
        });
        this.dfCache[tokenId] = n;
        this.dfEpoch[tokenId] = this.epoch;
        return n;
    }

    /** Sizes of the postings' storage (for benchmarks and tests). */
    memoryStats(): TermIndexMemory {
        let tokens = 0;
        for (let t = 0; t < this.tokenCap; t++) if (this.baseLen[t] + this.tailLen[t] > 0) tokens++;
        const basePostings = this.base.length / 2;
        return {
            tokens,
            postings: basePostings + this.tailPostings,
            basePostings,
            tailPostings: this.tailPostings,
            // Tail pages take memory only where written (see the header).
            postingBytes: this.base.byteLength + (this.pages.length === 0 ? 0 : this.pageTop * 4),
            tokenBytes: this.tokenCap * 4 * 7,
            docBytes: this.docIds.length * (8 + 4 + 4 + 1 + 8 + 8 + 2 + 1),
        };
    }

    /**
     * The best `limit` chunks for a query given as groups of token ids (undefined: a token the index has never
     * seen, which no chunk holds). `accept` filters chunk ids before the cut, so `limit` counts accepted chunks.
     * Best first; equal scores by id.
     */
    search(groups: readonly (readonly (number | undefined)[])[], limit: number, accept?: (id: number) => boolean, weights: FieldWeights = FIELD_WEIGHTS): LexicalMatch[] {
        if (limit <= 0 || this.liveDocs === 0) return [];
        const scoring: Scoring = {
            weights: FIELDS.map((f) => weights[f]),
            // The length part of the denominator: k1 * (1 - b + b * |D| / avgdl) = lengthBase + lengthSlope * |D|.
            lengthBase: K1 * (1 - B),
            lengthSlope: (K1 * B) / (this.totalTokens / this.liveDocs || 1),
        };
        const touched: number[] = [];
        for (const group of groups) {
            if (group.length === 0 || group.some((t) => !this.hasPostings(t))) continue;
            if (group.length === 1) this.scoreToken(group[0]!, scoring, touched);
            else this.scoreAllOf(group as number[], scoring, touched);
        }
        const best = this.topK(touched, limit, accept);
        for (const doc of touched) {
            this.score[doc] = 0;
            this.matched[doc] = 0;
        }
        return best;
    }

    private hasPostings(token: number | undefined): token is number {
        return token !== undefined && token < this.tokenCap && this.baseLen[token] + this.tailLen[token] > 0;
    }

    /** ln((N - n + 0.5) / (n + 0.5)) for a token in n of N live chunks, floored (FTS5 clamps common terms). */
    private idf(token: number): number {
        const n = this.documentFrequency(token);
        const v = Math.log((this.liveDocs - n + 0.5) / (n + 0.5));
        return v > 0 ? v : IDF_FLOOR;
    }

    /**
     * Calls `fn(data, from, to)` for each contiguous run of a token's postings, in document order: words
     * [from, to) of `data` hold [doc, packedCounts] pairs.
     */
    private forEachRun(token: number, fn: (data: Uint32Array, from: number, to: number) => void): void {
        const baseLen = this.baseLen[token];
        if (baseLen > 0) {
            const from = this.baseStart[token];
            fn(this.base, from, from + baseLen * 2);
        }
        const len = this.tailLen[token];
        let addr = this.tailHead[token];
        for (let done = 0; done < len; ) {
            const cap = sliceCapacity(done);
            const page = this.pages[addr >>> this.pageBits];
            const off = addr & this.pageMask;
            const n = Math.min(cap, len - done);
            fn(page, off, off + n * 2);
            done += n;
            if (done < len) addr = page[off + cap * 2];
        }
    }

    /** Adds one token's BM25 part to every live chunk holding it (the common case: a group of one). */
    private scoreToken(token: number, s: Scoring, touched: number[]): void {
        this.visitRuns(token, false, this.idf(token) * (K1 + 1), s, touched);
    }

    /** Adds the parts of an AND group only to the chunks holding every token of it. */
    private scoreAllOf(tokens: number[], s: Scoring, touched: number[]): void {
        const { groupHits, groupSum } = this;
        const groupTouched: number[] = [];
        for (const token of tokens) this.visitRuns(token, true, this.idf(token) * (K1 + 1), s, groupTouched);
        for (const doc of groupTouched) {
            if (groupHits[doc] === tokens.length) {
                this.score[doc] += groupSum[doc];
                if (this.matched[doc] === 0) {
                    this.matched[doc] = 1;
                    touched.push(doc);
                }
            }
            groupHits[doc] = 0;
            groupSum[doc] = 0;
        }
    }

    /**
     * Scores each run of a token's postings (forEachRun's walk, without a callback: the scoring loops run on
     * locals, where a closure would read its captured variables from memory on every posting).
     */
    private visitRuns(token: number, group: boolean, idf: number, s: Scoring, touched: number[]): void {
        const baseLen = this.baseLen[token];
        if (baseLen > 0) {
            const from = this.baseStart[token];
            if (group) this.groupRun(this.base, from, from + baseLen * 2, idf, s, touched);
            else this.scoreRun(this.base, from, from + baseLen * 2, idf, s, touched);
        }
        const len = this.tailLen[token];
        let addr = this.tailHead[token];
        for (let done = 0; done < len; ) {
            const cap = sliceCapacity(done);
            const page = this.pages[addr >>> this.pageBits];
            const off = addr & this.pageMask;
            const n = Math.min(cap, len - done);
            if (group) this.groupRun(page, off, off + n * 2, idf, s, touched);
            else this.scoreRun(page, off, off + n * 2, idf, s, touched);
            done += n;
            if (done < len) addr = page[off + cap * 2];
        }
    }

    /** scoreToken over postings [from, to) of `data`. */
    private scoreRun(data: Uint32Array, from: number, to: number, idf: number, s: Scoring, touched: number[]): void {
        const [w0, w1, w2, w3] = s.weights;
        const lengthBase = s.lengthBase;
        const lengthSlope = s.lengthSlope;
        const alive = this.alive;
        const score = this.score;
        const matched = this.matched;
        const docLength = this.docLength;
        for (let i = from; i < to; i += 2) {
            const doc = data[i];
            if (alive[doc] === 0) continue;
            const packed = data[i + 1];
            const f = w0 * (packed & 0xff) + w1 * ((packed >>> 8) & 0xff) + w2 * ((packed >>> 16) & 0xff) + w3 * (packed >>> 24);
            score[doc] += (idf * f) / (f + lengthBase + lengthSlope * docLength[doc]);
            if (matched[doc] === 0) {
                matched[doc] = 1;
                touched.push(doc);
            }
        }
    }

    /** One token of an AND group over postings [from, to) of `data`: sums per chunk, counts the group's tokens. */
    private groupRun(data: Uint32Array, from: number, to: number, idf: number, s: Scoring, groupTouched: number[]): void {
        const [w0, w1, w2, w3] = s.weights;
        const lengthBase = s.lengthBase;
        const lengthSlope = s.lengthSlope;
        const alive = this.alive;
        const groupHits = this.groupHits;
        const groupSum = this.groupSum;
        const docLength = this.docLength;
        for (let i = from; i < to; i += 2) {
            const doc = data[i];
            if (alive[doc] === 0) continue;
            const packed = data[i + 1];
            const f = w0 * (packed & 0xff) + w1 * ((packed >>> 8) & 0xff) + w2 * ((packed >>> 16) & 0xff) + w3 * (packed >>> 24);
            if (groupHits[doc] === 0) groupTouched.push(doc);
            groupHits[doc]++;
            groupSum[doc] += (idf * f) / (f + lengthBase + lengthSlope * docLength[doc]);
        }
    }

    /** The `limit` best of the touched documents, through a bounded heap (worst on top). */
    private topK(docs: number[], limit: number, accept: ((id: number) => boolean) | undefined): LexicalMatch[] {
        const heap: number[] = [];
        const worse = (a: number, b: number) => this.score[a] < this.score[b] || (this.score[a] === this.score[b] && a > b);
        for (const doc of docs) {
            if (heap.length === limit && !worse(heap[0], doc)) continue;
            if (accept && !accept(this.docIds[doc])) continue;
            if (heap.length < limit) {
                heap.push(doc);
                siftUp(heap, heap.length - 1, worse);
            } else {
                heap[0] = doc;
                siftDown(heap, 0, worse);
            }
        }
        heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
        return heap.map((doc) => ({ id: this.docIds[doc], bm25: -this.score[doc] }));
    }

    private docOf(id: number): number | undefined {
        let lo = 0;
        let hi = this.docCount - 1;
        while (lo <= hi) {
            const mid = (lo + hi) >>> 1;
            const v = this.docIds[mid];
            if (v === id) return mid;
            if (v < id) lo = mid + 1;
            else hi = mid - 1;
        }
        return undefined;
    }

    /** Appends a posting to a token's tail, starting a new slice when the current one is full. */
    private append(token: number, doc: number, packed: number): void {
        const len = this.tailLen[token];
        let addr = this.tailNext[token];
        if (len === 0 || isSliceEnd(len)) {
            const fresh = this.allocSlice(sliceCapacity(len));
            // The full slice's link word is where its next posting would have gone.
            if (len === 0) this.tailHead[token] = fresh;
            else this.pages[addr >>> this.pageBits][addr & this.pageMask] = fresh;
            addr = fresh;
        }
        const page = this.pages[addr >>> this.pageBits];
        const off = addr & this.pageMask;
        page[off] = doc;
        page[off + 1] = packed;
        this.tailNext[token] = addr + 2;
        this.tailLen[token] = len + 1;
        this.tailPostings++;
        // A new posting of a live document: a cached live count of this epoch stays right by counting it.
        if (this.dfEpoch[token] === this.epoch) this.dfCache[token]++;
    }

    /** Address of a new slice of `capacity` postings (plus its link word), on a fresh page if this one is too full. */
    private allocSlice(capacity: number): number {
        const words = capacity * 2 + 1;
        // A page that is full to the last word leaves pageTop at the start of a page not allocated yet.
        if (this.pageTop >>> this.pageBits >= this.pages.length || (this.pageTop & this.pageMask) + words > this.pageWords) {
            this.pageTop = this.pages.length * this.pageWords;
            this.pages.push(new Uint32Array(this.pageWords));
            // Address 0 means "no slice".
            if (this.pageTop === 0) this.pageTop = 1;
        }
        const addr = this.pageTop;
        this.pageTop += words;
        return addr;
    }

    private ensureTokens(n: number): void {
        if (n <= this.tokenCap) return;
        const cap = Math.max(n, this.tokenCap * 2);
        this.baseStart = grow(this.baseStart, new Uint32Array(cap));
        this.baseLen = grow(this.baseLen, new Uint32Array(cap));
        this.tailHead = grow(this.tailHead, new Uint32Array(cap));
        this.tailNext = grow(this.tailNext, new Uint32Array(cap));
        this.tailLen = grow(this.tailLen, new Uint32Array(cap));
        this.dfCache = grow(this.dfCache, new Uint32Array(cap));
        this.dfEpoch = grow(this.dfEpoch, new Uint32Array(cap));
        this.tokenCap = cap;
    }

    /** Drops the doubling slack of the per-token arrays (up to the last token that has postings). */
    private fitTokens(): void {
        let last = this.tokenCap - 1;
        while (last > 0 && this.baseLen[last] + this.tailLen[last] === 0) last--;
        const cap = last + 1;
        if (cap * 5 >= this.tokenCap * 4) return;
        const fit = <T extends Uint32Array>(a: T): T => a.slice(0, cap) as T;
        this.baseStart = fit(this.baseStart);
        this.baseLen = fit(this.baseLen);
        this.tailHead = fit(this.tailHead);
        this.tailNext = fit(this.tailNext);
        this.tailLen = fit(this.tailLen);
        this.dfCache = fit(this.dfCache);
        this.dfEpoch = fit(this.dfEpoch);
        this.tokenCap = cap;
    }

    private ensureDocs(n: number): void {
        if (n <= this.docIds.length) return;
        const cap = Math.max(n, this.docIds.length * 2);
        this.docIds = grow(this.docIds, new Float64Array(cap));
        this.docLength = grow(this.docLength, new Uint32Array(cap));
        this.docTerms = grow(this.docTerms, new Uint32Array(cap));
        this.alive = grow(this.alive, new Uint8Array(cap));
        this.score = new Float64Array(cap);
        this.groupSum = new Float64Array(cap);
        this.groupHits = new Uint16Array(cap);
        this.matched = new Uint8Array(cap);
    }

    /**
     * Writes every token's postings (base run, then tail slices) back to back into a new exactly-sized base and
     * drops the tail pages. With `dropDead`, dead documents' postings go too and the live documents are renumbered
     * densely, order kept (compaction).
     */
    private rebuild(dropDead: boolean): void {
        let renumber: Int32Array | undefined;
        if (dropDead) {
            renumber = new Int32Array(this.docCount).fill(-1);
            let next = 0;
            for (let doc = 0; doc < this.docCount; doc++) {
                if (!this.alive[doc]) continue;
                renumber[doc] = next;
                this.docIds[next] = this.docIds[doc];
                this.docLength[next] = this.docLength[doc];
                this.docTerms[next] = this.docTerms[doc];
                this.alive[next] = 1;
                next++;
            }
            this.alive.fill(0, next, this.docCount);
            this.docCount = next;
        }
        const keep = (doc: number) => renumber === undefined || renumber[doc] >= 0;
        let total = 0;
        for (let t = 0; t < this.tokenCap; t++) {
            if (this.baseLen[t] + this.tailLen[t] === 0) continue;
            let n = 0;
            if (renumber === undefined) n = this.baseLen[t] + this.tailLen[t];
            else this.forEachRun(t, (data, from, to) => {
                for (let i = from; i < to; i += 2) if (keep(data[i])) n++;
            });
            total += n;
        }
        const base = new Uint32Array(total * 2);
        let w = 0;
        for (let t = 0; t < this.tokenCap; t++) {
            if (this.baseLen[t] + this.tailLen[t] === 0) continue;
            const start = w;
            this.forEachRun(t, (data, from, to) => {
                for (let i = from; i < to; i += 2) {
                    const doc = data[i];
                    if (renumber === undefined) {
                        base[w++] = doc;
                        base[w++] = data[i + 1];
                    } else if (renumber[doc] >= 0) {
                        base[w++] = renumber[doc];
                        base[w++] = data[i + 1];
                    }
                }
            });
            this.baseStart[t] = start;
            this.baseLen[t] = (w - start) / 2;
        }
        this.base = base;
        this.fitTokens();
        this.pages = [];
        this.pageTop = 1;
        this.tailHead.fill(0);
        this.tailNext.fill(0);
        this.tailLen.fill(0);
        this.tailPostings = 0;
        if (dropDead) {
            this.deadPostings = 0;
            // Document numbers changed: no cached count may survive.
            this.epoch++;
        }
    }
}

/** True when a tail of `len` postings has just filled its last slice (the slices hold 1, 1, 2, 4, ... MAX_SLICE, MAX_SLICE, ...). */
function isSliceEnd(len: number): boolean {
    // Capacities sum to 1, 2, 4, ..., 2 * MAX_SLICE, then grow by MAX_SLICE.
    if (len <= 2 * MAX_SLICE) return (len & (len - 1)) === 0;
    return len % MAX_SLICE === 0;
}

function grow<T extends Float64Array | Uint32Array | Uint8Array>(from: T, to: T): T {
    to.set(from);
    return to;
}

function siftUp(heap: number[], i: number, worse: (a: number, b: number) => boolean): void {
    while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i], heap[parent])) break;
        [heap[i], heap[parent]] = [heap[parent], heap[i]];
        i = parent;
    }
}

function siftDown(heap: number[], i: number, worse: (a: number, b: number) => boolean): void {
    for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(heap[l], heap[m])) m = l;
        if (r < heap.length && worse(heap[r], heap[m])) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
    }
}
