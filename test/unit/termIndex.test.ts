import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Database } from "node-sqlite3-wasm";
import { porterStem } from "../../src/core/search/porterStem";
import { searchTokens } from "../../src/core/search/searchTokens";
import { chunkTermCounts, encodeTerms } from "../../src/core/store/chunkTerms";
import { IndexStore } from "../../src/core/store/indexStore";
import { FIELD_WEIGHTS, TermIndex } from "../../src/core/store/termIndex";
import { mulberry32 } from "../support/random";

/**
 * The in-memory BM25 index against SQLite FTS5's own bm25(), which it replaced: the same documents, already
 * tokenized, go into an FTS5 table (unicode61 on space-separated tokens keeps them as they are) and both must rank
 * the same chunks with the same scores, for OR-ed words and AND groups, after removals and after compaction.
 */

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const VOCAB = Array.from({ length: 60 }, (_, i) => `w${i}`);

/** Random documents with a skewed vocabulary (low words common, high words rare) over the four fields. */
function randomDocs(n: number, seed: number): { id: number; fields: string[] }[] {
    const rand = mulberry32(seed);
    const word = () => VOCAB[Math.floor(VOCAB.length * rand() * rand())];
    const field = (max: number) => Array.from({ length: Math.floor(rand() * max) }, word).join(" ");
    return Array.from({ length: n }, (_, i) => ({ id: i * 3 + 1, fields: [field(40), field(8), field(4), field(2)] }));
}

/** A chunk's blob from already-tokenized fields (the store builds it with chunkTermCounts). */
function blobOf(fields: string[], ids: Map<string, number>): Uint8Array {
    const counts = new Map<string, number>();
    let length = 0;
    fields.forEach((text, field) => {
        for (const t of text.split(" ").filter(Boolean)) {
            length++;
            counts.set(t, (counts.get(t) ?? 0) + (1 << (field * 8)));
        }
    });
    return encodeTerms({ length, counts }, (t) => {
        if (!ids.has(t)) ids.set(t, ids.size + 1);
        return ids.get(t)!;
    });
}

function ftsTable(docs: { id: number; fields: string[] }[]): Database {
    const db = new Database(":memory:");
    db.exec("CREATE VIRTUAL TABLE t USING fts5(text, idents, path, symbol, tokenize='unicode61')");
    for (const d of docs) db.run("INSERT INTO t(rowid, text, idents, path, symbol) VALUES (?, ?, ?, ?, ?)", [d.id, ...d.fields]);
    return db;
}

function ftsSearch(db: Database, groups: string[][], limit: number): { id: number; bm25: number }[] {
    const match = groups.map((g) => (g.length === 1 ? `"${g[0]}"` : `(${g.map((t) => `"${t}"`).join(" AND ")})`)).join(" OR ");
    const w = FIELD_WEIGHTS;
    const sql = `SELECT rowid AS id, bm25(t, ${w.text}, ${w.idents}, ${w.path}, ${w.symbol}) AS s FROM t WHERE t MATCH ? ORDER BY s, rowid LIMIT ?`;
    return db.all(sql, [match, limit]).map((r) => ({ id: Number(r.id), bm25: Number(r.s) }));
}

function assertSameRanking(actual: { id: number; bm25: number }[], expected: { id: number; bm25: number }[], what: string): void {
    assert.deepEqual(actual.map((m) => m.id), expected.map((m) => m.id), `${what}: ids`);
    actual.forEach((m, i) => assert.ok(Math.abs(m.bm25 - expected[i].bm25) < 1e-9, `${what}: score ${m.bm25} vs FTS5 ${expected[i].bm25}`));
}

const QUERIES: string[][][] = [
    [["w1"]],
    [["w40"], ["w3"]],
    [["w2"], ["w5"], ["w30"], ["w59"]],
    [["w7"], ["w0", "w9"]],
    [["w11", "w12", "w13"], ["w50"]],
    [["nosuchword"], ["w20"]],
];

describe("TermIndex: exact BM25, the same as FTS5's bm25()", () => {
    const docs = randomDocs(600, 7);
    const ids = new Map<string, number>();
    const index = new TermIndex();
    for (const d of docs) assert.ok(index.add(d.id, blobOf(d.fields, ids)));
    const db = ftsTable(docs);
    after(() => db.close());
    const groupsOf = (q: string[][]) => q.map((g) => g.map((t) => ids.get(t)));

    it("ranks every query like FTS5, scores included", () => {
        for (const q of QUERIES) assertSameRanking(index.search(groupsOf(q), 25), ftsSearch(db, q, 25), JSON.stringify(q));
    });

    it("filters before the cut, so the limit counts accepted chunks", () => {
        const even = (id: number) => id % 2 === 0;
        const q = [["w2"], ["w5"]];
        const expected = ftsSearch(db, q, 1000).filter((m) => even(m.id)).slice(0, 10);
        assert.equal(expected.length, 10);
        assertSameRanking(index.search(groupsOf(q), 10, even), expected, "filtered");
    });

    it("stays exact after removals and after the compaction they trigger", () => {
        const big = randomDocs(4000, 11).map((d) => ({ id: d.id, fields: [d.fields[0].repeat(1), d.fields[1], d.fields[2], d.fields[3]] }));
        const bigIds = new Map<string, number>();
        const idx = new TermIndex();
        for (const d of big) idx.add(d.id, blobOf(d.fields, bigIds));
        const removed = big.filter((_, i) => i % 3 !== 0);
        const kept = big.filter((_, i) => i % 3 === 0);
        const ftsKept = ftsTable(kept);
        try {
            const half = removed.slice(0, 100);
            for (const d of half) idx.remove(d.id);
            const ftsPartial = ftsTable(big.filter((d) => !half.includes(d)));
            try {
                for (const q of QUERIES) assertSameRanking(idx.search(q.map((g) => g.map((t) => bigIds.get(t))), 20), ftsSearch(ftsPartial, q, 20), `partial ${JSON.stringify(q)}`);
            } finally {
                ftsPartial.close();
            }
            for (const d of removed.slice(100)) idx.remove(d.id);
            assert.equal(idx.size, kept.length);
            for (const q of QUERIES) assertSameRanking(idx.search(q.map((g) => g.map((t) => bigIds.get(t))), 20), ftsSearch(ftsKept, q, 20), `compacted ${JSON.stringify(q)}`);
            // Ids added after a compaction still follow (document numbers were renumbered).
            const late = { id: 1_000_000, fields: ["w58 w58 w58", "", "", ""] };
            idx.add(late.id, blobOf(late.fields, bigIds));
            assert.equal(idx.search([[bigIds.get("w58")]], 1)[0].id, late.id);
        } finally {
            ftsKept.close();
        }
    });

    it("rejects malformed blobs and out-of-order ids", () => {
        const idx = new TermIndex();
        assert.equal(idx.add(5, new Uint8Array(6)), false);
        assert.equal(idx.add(5, "text"), false);
        assert.ok(idx.add(5, blobOf(["a b"], new Map())));
        assert.throws(() => idx.add(4, blobOf(["a"], new Map())), /out of order/);
    });
});

describe("search tokens", () => {
    it("stems like Porter's algorithm", () => {
        const cases: [string, string][] = [
            ["caresses", "caress"], ["ponies", "poni"], ["cats", "cat"], ["agreed", "agre"], ["plastered", "plaster"],
            ["motoring", "motor"], ["hopping", "hop"], ["filing", "file"], ["happy", "happi"], ["relational", "relat"],
            ["conditional", "condit"], ["generalization", "gener"], ["hopeful", "hope"], ["goodness", "good"],
            ["adjustment", "adjust"], ["adoption", "adopt"], ["controlling", "control"], ["rolling", "roll"],
            ["parsing", "pars"], ["parsed", "pars"], ["parses", "pars"], ["uploads", "upload"], ["retrying", "retri"],
        ];
        for (const [word, stem] of cases) assert.equal(porterStem(word), stem, word);
        assert.equal(porterStem("id"), "id", "short words stay");
        assert.equal(porterStem("v2"), "v2", "not letters only: stays");
    });

    it("splits like unicode61 (underscores and punctuation separate), lowercases and drops diacritics", () => {
        assert.deepEqual(searchTokens("get_user ByID café naïve x2"), ["get", "user", "byid", "cafe", "naiv", "x2"]);
        assert.deepEqual(searchTokens("--- !!! "), []);
    });

    it("counts a chunk's tokens per field, identifiers both joined and split", () => {
        const counts = chunkTermCounts("def getUserById(): getUserById", "src users py", "getUserById");
        const field = (t: string, f: number) => ((counts.counts.get(t) ?? 0) >>> (f * 8)) & 0xff;
        assert.equal(field("getuserbyid", 0), 2, "joined in the body text");
        assert.equal(field("user", 1), 2, "parts in the identifier field");
        assert.equal(field("user", 2), 1, "path words");
        assert.equal(field("getuserbyid", 3), 1, "symbol");
    });
});

describe("IndexStore lexical search on the term index", () => {
    it("finds chunks by stemmed words and identifier parts, and a reader sees a writer's new terms", () => {
        const dir = fs.mkdtempSync(join(tmpdir(), "seek-terms-"));
        dirs.push(dir);
        const identity = { modelId: "m", dimensions: 2, instructionSet: "i", chunkerVersion: "1" };
        const store = IndexStore.open(dir, identity);
        const chunk = (path: string, text: string) => ({ path, startLine: 1, endLine: 1, language: "python", kind: "code" as const, text });
        store.replaceFile({ path: "a.py", hash: "a", size: 1, mtimeMs: 1 }, [chunk("a.py", "def retry_uploads(): parsing the config")]);
        const reader = IndexStore.open(dir, identity, { readOnly: true });
        try {
            assert.equal(store.lexicalSearch("retried upload", 5).length, 1, "stems: retried ~ retry, upload ~ uploads");
            assert.equal(store.lexicalSearch("retryUploads", 5).length, 1, "identifier in another convention");
            assert.deepEqual(reader.lexicalSearch("zebra", 5), []);
            store.replaceFile({ path: "b.py", hash: "b", size: 1, mtimeMs: 1 }, [chunk("b.py", "zebra crossing")]);
            reader.refresh();
            assert.equal(reader.lexicalSearch("zebra", 5).length, 1, "the reader loaded the new term and chunk");
            store.removeFiles(["b.py"]);
            reader.refresh();
            assert.deepEqual(reader.lexicalSearch("zebra", 5), [], "and dropped the removed chunk");
        } finally {
            reader.close();
            store.close();
        }
    });
});
