import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { hasFloorWeight, withoutWeightlessTerms } from "../../src/core/search/commonTerms";
import { queryAlternatives } from "../../src/core/search/lexical";
import { IndexStore, type FileBatchEntry, type IndexIdentity } from "../../src/core/store/indexStore";
import { LocalSource } from "../../src/core/store/localSource";
import { FIELD_WEIGHTS } from "../../src/core/store/termIndex";

const IDENTITY: IndexIdentity = { modelId: "m", dimensions: 4, instructionSet: "i", chunkerVersion: "1" };
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/**
 * 40 one-chunk files. Every chunk says "widget" (1-4 times, so BM25 still has something to order by); every 5th
 * also says "gear" and every 7th "springs", in varying amounts and lengths; a few use forms of "parse".
 */
function corpusFile(i: number, extra = ""): FileBatchEntry {
    const words = [`${"widget ".repeat(1 + (i % 4))}`, "filler text ".repeat(i % 6)];
    if (i % 5 === 0) words.push("gear ".repeat(1 + (i % 3)));
    if (i % 7 === 0) words.push("springs ".repeat(1 + (i % 2)));
    if (i % 9 === 0) words.push(["parse", "parsing", "parsed", "parses", "parse"][i / 9]);
    if (extra) words.push(extra);
    const path = `src/f${i}.ts`;
    const v = new Float32Array(IDENTITY.dimensions);
    v[i % IDENTITY.dimensions] = 1;
    return {
        file: { path, hash: `h${i}-${extra}`, size: 1, mtimeMs: 1 },
        chunks: [{ path, startLine: 1, endLine: 1, language: "typescript", kind: "code", text: words.join(" ") }],
        vectors: [v],
    };
}

/** The BM25 list: each candidate's raw BM25 score (higher is better), best first. */
async function lexical(store: IndexStore, query: string, dropWeightless: boolean): Promise<{ id: number; score: number }[]> {
    const found = await new LocalSource(store).lexicalTopK({ query, limit: 100, filter: {}, weights: FIELD_WEIGHTS, dropWeightless });
    return found.map((c) => ({ id: c.id, score: c.score })).sort((a, b) => b.score - a.score || a.id - b.id);
}

/** Ids grouped by score (rounded past the floor weight's millionths), best first. */
function byScore(hits: { id: number; score: number }[]): [string, number[]][] {
    const groups = new Map<string, number[]>();
    for (const h of hits) {
        const key = h.score.toFixed(4);
        groups.set(key, [...(groups.get(key) ?? []), h.id].sort((a, b) => a - b));
    }
    return [...groups];
}

describe("weightless terms (pure rule)", () => {
    it("a term in half or more of the chunks has FTS5's floor weight", () => {
        assert.equal(hasFloorWeight(50, 100), true);
        assert.equal(hasFloorWeight(49, 100), false);
        assert.equal(hasFloorWeight(0, 0), false);
    });

    it("drops an alternative only when all of its terms are weightless, and never drops everything", () => {
        const df = new Map([["widget", 40], ["gear", 8], ["widgetgear", 0]]);
        const alts = queryAlternatives("widget gear");
        assert.deepEqual(withoutWeightlessTerms(alts, df, 40).map((a) => a.joined), ["gear"]);
        assert.deepEqual(withoutWeightlessTerms(queryAlternatives("widget"), df, 40).map((a) => a.joined), ["widget"]);
        // A compound whose joined form is rare stays, although both of its parts are common.
        const compound = queryAlternatives("widget_gear widget");
        assert.deepEqual(withoutWeightlessTerms(compound, new Map([["widget", 40], ["gear", 30], ["widgetgear", 1]]), 40).map((a) => a.joined), ["widgetgear"]);
    });

    it("keeps the common terms when the rarer ones match no chunk (else the search would find nothing)", () => {
        const df = new Map([["test", 30], ["function", 25], ["metadata", 0], ["registered", 0]]);
        const alts = queryAlternatives("test function metadata registered");
        assert.deepEqual(withoutWeightlessTerms(alts, df, 40).map((a) => a.joined), ["test", "function", "metadata", "registered"]);
        df.set("metadata", 1);
        assert.deepEqual(withoutWeightlessTerms(alts, df, 40).map((a) => a.joined), ["metadata", "registered"]);
    });
});

describe("weightless terms (real FTS5 index)", () => {
    let dir: string;
    let store: IndexStore;
    before(() => {
        dir = fs.mkdtempSync(join(tmpdir(), "seek-common-"));
        dirs.push(dir);
        store = IndexStore.open(dir, IDENTITY);
        store.replaceFiles(Array.from({ length: 40 }, (_, i) => corpusFile(i)));
    });
    after(() => store.close());

    it("counts chunks per term through FTS5's own stemmer", () => {
        const df = store.documentFrequencies(["widget", "gear", "spring", "parsing", "nowhere"]);
        assert.equal(df.get("widget"), 40);
        assert.equal(df.get("gear"), 8);
        assert.equal(df.get("spring"), 6, "'spring' counts the chunks that say 'springs'");
        assert.equal(df.get("parsing"), 5, "every form of parse is one stem");
        assert.equal(df.get("nowhere"), 0);
    });

    it("a read-only connection counts the same", () => {
        const reader = IndexStore.open(dir, IDENTITY, { readOnly: true });
        try {
            assert.deepEqual([...reader.documentFrequencies(["widget", "gear"])], [["widget", 40], ["gear", 8]]);
        } finally {
            reader.close();
        }
    });

    it("keeps the BM25 order and scores of every chunk that matches a rarer term", async () => {
        for (const query of ["widget gear springs", "the widget gear", "springs widget"]) {
            const kept = await lexical(store, query, false);
            const dropped = await lexical(store, query, true);
            assert.ok(kept.length === 40, `${query}: without the rule every chunk matches`);
            assert.ok(dropped.length > 0 && dropped.length < kept.length, `${query}: the common term no longer retrieves`);
            // Same scores rank by rank; only chunks tied on the rarer terms may swap, because the common term's
            // millionth was what broke their tie.
            dropped.forEach((h, i) => assert.ok(Math.abs(h.score - kept[i].score) < 1e-4, `${query}: score ${h.score} vs ${kept[i].score}`));
            assert.deepEqual(byScore(dropped), byScore(kept.slice(0, dropped.length)), query);
            // What was cut had (next to) no score.
            assert.ok(kept.slice(dropped.length).every((h) => h.score < 1e-4));
        }
    });

    it("leaves a query of common terms only whole", async () => {
        assert.equal((await lexical(store, "widget", true)).length, 40);
        assert.deepEqual(await lexical(store, "widget filler", true), await lexical(store, "widget filler", false));
    });

    it("counts again once the index has grown", () => {
        assert.equal(store.documentFrequencies(["gear"]).get("gear"), 8);
        store.replaceFiles(Array.from({ length: 20 }, (_, k) => corpusFile(40 + k, "gear")));
        assert.equal(store.documentFrequencies(["gear"]).get("gear"), 8 + 20);
    });
});
