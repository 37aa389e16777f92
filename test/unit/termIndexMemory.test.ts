import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeTerms } from "../../src/core/store/chunkTerms";
import { Database } from "node-sqlite3-wasm";
import { TermDictionary } from "../../src/core/store/termDictionary";
import { TermIndex } from "../../src/core/store/termIndex";
import { mulberry32 } from "../support/random";

/**
 * The postings' storage (termIndex.ts): tail slices in pages, the exactly-sized base that trim and compaction build,
 * live document frequencies. Every layout must give the same answers as a plain recount; termIndex.test.ts checks
 * the scores against FTS5.
 */

interface Doc {
    id: number;
    /** token id -> packed field counts */
    terms: Map<number, number>;
    length: number;
}

/** Documents over `vocab` token ids, skewed: a few tokens in most documents, most tokens in a few. */
function randomDocs(n: number, vocab: number, seed: number, firstId = 1): Doc[] {
    const rand = mulberry32(seed);
    return Array.from({ length: n }, (_, i) => {
        const terms = new Map<number, number>();
        const k = 1 + Math.floor(rand() * 30);
        let length = 0;
        for (let j = 0; j < k; j++) {
            const token = 1 + Math.floor(vocab * rand() * rand() * rand());
            const field = Math.floor(rand() * 4);
            terms.set(token, ((terms.get(token) ?? 0) + (1 << (field * 8))) >>> 0);
            length++;
        }
        return { id: firstId + i * 2, terms, length };
    });
}

function blob(d: Doc): Uint8Array {
    const counts = new Map([...d.terms].map(([t, c]) => [String(t), c]));
    return encodeTerms({ length: d.length, counts }, (t) => Number(t));
}

/** Reference BM25 over the live documents, straight from the formula (termIndex.ts header). */
function reference(docs: Doc[], groups: number[][], limit: number): { id: number; bm25: number }[] {
    const n = docs.length;
    const avgdl = docs.reduce((s, d) => s + d.length, 0) / n;
    const dfs = new Map<number, number>();
    for (const d of docs) for (const t of d.terms.keys()) dfs.set(t, (dfs.get(t) ?? 0) + 1);
    const df = (t: number) => dfs.get(t) ?? 0;
    const part = (d: Doc, t: number) => {
        const packed = d.terms.get(t)!;
        const f = (packed & 0xff) + ((packed >>> 8) & 0xff) + 2 * ((packed >>> 16) & 0xff) + 4 * (packed >>> 24);
        const idf = Math.max(Math.log((n - df(t) + 0.5) / (df(t) + 0.5)), 1e-6);
        return (idf * f * 2.2) / (f + 1.2 * (1 - 0.75 + (0.75 * d.length) / avgdl));
    };
    const scored: { id: number; bm25: number }[] = [];
    for (const d of docs) {
        let s = 0;
        let hit = false;
        for (const g of groups) {
            if (g.every((t) => d.terms.has(t))) {
                hit = true;
                for (const t of g) s += part(d, t);
            }
        }
        if (hit) scored.push({ id: d.id, bm25: -s });
    }
    scored.sort((a, b) => a.bm25 - b.bm25 || a.id - b.id);
    return scored.slice(0, limit);
}

function assertSame(actual: { id: number; bm25: number }[], expected: { id: number; bm25: number }[], what: string): void {
    assert.deepEqual(actual.map((m) => m.id), expected.map((m) => m.id), `${what}: ids`);
    actual.forEach((m, i) => assert.ok(Math.abs(m.bm25 - expected[i].bm25) < 1e-9, `${what}: ${m.bm25} vs ${expected[i].bm25}`));
}

const QUERIES = [[[1]], [[2], [40]], [[3], [7], [150]], [[1, 2]], [[5, 9, 11], [300]], [[399]]];

function checkAll(index: TermIndex, live: Doc[], what: string): void {
    for (const q of QUERIES) assertSame(index.search(q, 15), reference(live, q, 15), `${what} ${JSON.stringify(q)}`);
    for (const t of [1, 2, 3, 50, 399, 1000]) {
        assert.equal(index.documentFrequency(t), live.filter((d) => d.terms.has(t)).length, `${what}: df of ${t}`);
    }
}

describe("TermIndex storage", () => {
    it("a token with more postings than a page holds is read back whole, before and after trim", () => {
        // Token 1 is in every document: its slices reach the largest size and span many (4 KiB, for the test) pages.
        const docs = randomDocs(70_000, 50, 3).map((d) => ({ ...d, terms: new Map([...d.terms, [1, 1]]) }));
        const index = new TermIndex({ pageBits: 10 });
        for (const d of docs) assert.ok(index.add(d.id, blob(d)));
        assert.equal(index.memoryStats().tailPostings, index.memoryStats().postings);
        assert.ok(index.memoryStats().postingBytes > 100 * 1024 * 4, "many pages");
        assert.equal(index.documentFrequency(1), docs.length);
        assertSame(index.search([[1]], 5), reference(docs, [[1]], 5), "tail");
        index.trim();
        const m = index.memoryStats();
        assert.equal(m.tailPostings, 0);
        assert.equal(m.postingBytes, m.postings * 8, "the base holds exactly the postings: no slack");
        assertSame(index.search([[1]], 5), reference(docs, [[1]], 5), "base");
        assertSame(index.search([[1, 2]], 5), reference(docs, [[1, 2]], 5), "base AND");
    });

    it("slices that fill a page to its last word continue on a new page", () => {
        // One posting per token: 3-word slices, and the first page's 1,023 free words hold exactly 341 of them.
        const docs: Doc[] = Array.from({ length: 30_000 }, (_, i) => ({ id: i + 1, terms: new Map([[i + 1, 1]]), length: 1 }));
        const index = new TermIndex({ pageBits: 10 });
        for (const d of docs) assert.ok(index.add(d.id, blob(d)));
        for (const t of [2, 341, 342, 343, 30_000]) assertSame(index.search([[t]], 3), reference(docs, [[t]], 3), `token ${t}`);
        index.trim();
        for (const t of [342, 30_000]) assertSame(index.search([[t]], 3), reference(docs, [[t]], 3), `trimmed ${t}`);
    });

    it("answers the same from tail slices, the trimmed base, and both (adds after a trim), with removals in between", () => {
        const docs = randomDocs(3000, 400, 5);
        const index = new TermIndex({ pageBits: 10 });
        const live: Doc[] = [];
        docs.slice(0, 1000).forEach((d) => (index.add(d.id, blob(d)), live.push(d)));
        checkAll(index, live, "tail only");
        index.trim(true);
        checkAll(index, live, "base only");
        docs.slice(1000).forEach((d) => (index.add(d.id, blob(d)), live.push(d)));
        checkAll(index, live, "base + tail");
        // Removals: the live document frequencies must drop (they are cached per removal epoch).
        for (let i = 0; i < live.length; i += 5) index.remove(live[i].id);
        const left = live.filter((_, i) => i % 5 !== 0);
        checkAll(index, left, "after removals");
        // A document added after the counts were cached is counted.
        const late = { id: 100_000, terms: new Map([[1, 1], [399, 1]]), length: 2 };
        index.add(late.id, blob(late));
        left.push(late);
        checkAll(index, left, "added after removals");
        index.trim(true);
        checkAll(index, left, "trimmed with dead postings kept");
    });

    it("trim is skipped while the tail is small next to the base, and always moves a first load", () => {
        const docs = randomDocs(2000, 300, 9);
        const index = new TermIndex({ pageBits: 10 });
        docs.slice(0, 1900).forEach((d) => index.add(d.id, blob(d)));
        index.trim();
        assert.equal(index.memoryStats().tailPostings, 0, "a first load goes into the base");
        docs.slice(1900).forEach((d) => index.add(d.id, blob(d)));
        const tail = index.memoryStats().tailPostings;
        assert.ok(tail > 0);
        index.trim();
        assert.equal(index.memoryStats().tailPostings, tail, "a small catch-up stays in the tail");
        checkAll(index, docs, "small tail kept");
    });

    it("compaction drops dead postings from base and tail, renumbers, and later adds still work", () => {
        // Enough postings that dead ones pass the compaction threshold (50k) and outnumber the live.
        const docs = randomDocs(12_000, 400, 13);
        const index = new TermIndex({ pageBits: 10 });
        docs.slice(0, 6000).forEach((d) => index.add(d.id, blob(d)));
        index.trim(true);
        docs.slice(6000).forEach((d) => index.add(d.id, blob(d)));
        const keptDocs = docs.filter((_, i) => i % 4 === 0);
        for (const [i, d] of docs.entries()) if (i % 4 !== 0) index.remove(d.id);
        const m = index.memoryStats();
        assert.equal(m.tailPostings, 0, "compaction rebuilt the base");
        const all = docs.reduce((n, d) => n + d.terms.size, 0);
        const kept = keptDocs.reduce((n, d) => n + d.terms.size, 0);
        // Compaction ran once dead postings outnumbered live ones; removals after it leave fewer dead than live.
        assert.ok(m.postings < all && m.postings - kept <= kept, `${m.postings} postings held, ${kept} live of ${all}`);
        checkAll(index, keptDocs, "compacted");
        const late = randomDocs(200, 400, 17, 1_000_000);
        late.forEach((d) => index.add(d.id, blob(d)));
        checkAll(index, [...keptDocs, ...late], "after compaction and new adds");
    });
});

describe("TermDictionary: tokens in an arena behind a hash table", () => {
    it("finds every committed token by its id through growth, forgets rolled-back ones, and loads new rows", () => {
        const dict = new TermDictionary();
        const tokens = Array.from({ length: 50_000 }, (_, i) => (i % 7 === 0 ? `café${i}` : i % 11 === 0 ? `名前${i}` : `t${i.toString(36)}`));
        tokens.push("", "a".repeat(70_000));
        for (const [i, t] of tokens.entries()) {
            assert.equal(dict.assign(t), i + 1);
            assert.equal(dict.assign(t), i + 1, "assigning again gives the pending id");
            if (i % 1000 === 999) dict.commit();
        }
        dict.commit();
        assert.equal(dict.size, tokens.length);
        assert.equal(dict.highestId, tokens.length);
        for (const [i, t] of tokens.entries()) assert.equal(dict.idOf(t), i + 1, t.slice(0, 20));
        assert.equal(dict.idOf("t0x"), undefined);
        assert.equal(dict.idOf("caf"), undefined, "a prefix of a token is another token");

        const id = dict.assign("rolledback");
        assert.equal(id, tokens.length + 1);
        dict.rollback();
        assert.equal(dict.idOf("rolledback"), undefined);
        assert.equal(dict.assign("other"), id, "a rolled-back id is given again");
        dict.commit();

        const db = new Database(":memory:");
        try {
            db.exec("CREATE TABLE terms(id INTEGER PRIMARY KEY, term TEXT)");
            db.run("INSERT INTO terms(id, term) VALUES (?, ?), (?, ?)", [id + 1, "fromdb", id + 2, "ünïcode"]);
            assert.equal(dict.load(db), 2);
            assert.equal(dict.idOf("fromdb"), id + 1);
            assert.equal(dict.idOf("ünïcode"), id + 2);
            assert.equal(dict.load(db), 0, "only rows above the highest id");
        } finally {
            db.close();
        }
    });
});

describe("TermIndex default pages", () => {
    it("works with the default 32 MiB pages, counting only the words written", () => {
        const docs = randomDocs(2000, 300, 21);
        const index = new TermIndex();
        docs.forEach((d) => index.add(d.id, blob(d)));
        const m = index.memoryStats();
        assert.ok(m.postingBytes < 2 * 8 * m.postings + 64, `${m.postingBytes} bytes for ${m.postings} postings`);
        checkAll(index, docs, "default pages");
        index.trim();
        checkAll(index, docs, "default pages, trimmed");
    });
});
