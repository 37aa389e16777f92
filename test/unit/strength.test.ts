/** Match strength (src/core/search/strength.ts): the one 0-100 scale every surface shows, and where rankHits sets it. */
import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { rankHits } from "../../src/core/search/ranker";
import { LocalSource } from "../../src/core/store/localSource";
import {
    allWeak,
    combineEvidence,
    cosineScale,
    GOOD_AT,
    matchStrength,
    meaningShare,
    queryWords,
    STRONG_AT,
    strengthBand,
    strengthReason,
    strengthText,
    weakMatchesNotice,
    wordsMatched,
} from "../../src/core/search/strength";
import { IndexStore } from "../../src/core/store/indexStore";

const BGE = cosineScale("bge-small-en-v1.5-q", "query");

describe("query words and how many a text contains", () => {
    it("drops stop words and splits identifiers into their parts, whole form first", async () => {
        assert.deepEqual(queryWords("where do we retry failed uploads?"), [["retry"], ["failed"], ["uploads"]]);
        assert.deepEqual(queryWords("retryUpload"), [["retryupload", "retry", "upload"]]);
        assert.deepEqual(queryWords("how is the of"), []);
    });

    it("matches a word's close forms (uploads ~ upload, failed ~ failure) but not a different word (request ~ require)", async () => {
        assert.equal(wordsMatched(queryWords("uploads"), "function upload() {}"), 1);
        assert.equal(wordsMatched(queryWords("failed"), "on failure, try again"), 1);
        assert.equal(wordsMatched(queryWords("request"), "const x = require('y')"), 0);
        assert.equal(wordsMatched(queryWords("id"), "identifier"), 0, "short words match exactly only");
    });

    it("a compound found whole counts 1; found only in parts, its share of parts", async () => {
        assert.equal(wordsMatched(queryWords("retryUpload"), "export async function retryUpload(file) {}"), 1);
        assert.equal(wordsMatched(queryWords("retryUpload"), "retry the request"), 0.5);
    });
});

describe("strength from evidence", () => {
    it("maps a cosine onto the model's scale: 0 at `unrelated` or below, 1 at `close` or above", async () => {
        assert.equal(meaningShare(BGE.unrelated, BGE), 0);
        assert.equal(meaningShare(BGE.unrelated - 0.2, BGE), 0);
        assert.equal(meaningShare(BGE.close, BGE), 1);
        assert.equal(meaningShare(0.99, BGE), 1);
        const mid = meaningShare((BGE.unrelated + BGE.close) / 2, BGE);
        assert.ok(Math.abs(mid - 0.5) < 1e-9, String(mid));
    });

    it("each model has its own scale: the same cosine is close for MiniLM and unrelated for e5", async () => {
        const cos = 0.6;
        assert.equal(meaningShare(cos, cosineScale("all-minilm-l6-v2-q", "query")), 1);
        assert.equal(meaningShare(cos, cosineScale("e5-small-v2-q", "query")), 0);
        assert.deepEqual(cosineScale("local:/somewhere", "query"), cosineScale("another-unknown", "query"), "unknown models share one cautious scale");
    });

    it("the better evidence leads, agreement adds, nothing exceeds 100", async () => {
        assert.equal(combineEvidence(undefined, undefined), 0);
        assert.equal(combineEvidence(1, undefined), 100);
        assert.equal(combineEvidence(undefined, 1), 85, "all the words alone: strong, not 100");
        assert.equal(combineEvidence(0.6, 0), 60);
        assert.ok(combineEvidence(0.6, 0.6) > combineEvidence(0.6, 0), "words that agree with the meaning add");
        assert.ok(combineEvidence(0.6, 0.6) < 100);
        assert.equal(combineEvidence(1, 1), 100);
    });

    it("a nonsense query against unrelated code is weak; a close chunk that uses the words is strong", async () => {
        const nonsense = matchStrength({ cosine: BGE.unrelated - 0.01, words: queryWords("qwzx plorf blenk xyzzy"), text: "def parse(config): return config" }, BGE);
        assert.equal(nonsense.value, 0);
        assert.equal(nonsense.band, "weak");
        assert.equal(nonsense.wordsMatched, 0);
        assert.equal(nonsense.wordsTotal, 4);
        const good = matchStrength(
            { cosine: 0.78, words: queryWords("where do we retry failed uploads?"), text: "async function retryUpload(file) {\n  // on failure, wait and try again\n}" },
            BGE,
        );
        assert.equal(good.band, "strong", JSON.stringify(good));
        assert.equal(good.wordsMatched, 3);
        assert.equal(good.cosine, 0.78);
    });

    it("keyword mode (no vector): an exact identifier is strong, a missing one weak", async () => {
        const exact = matchStrength({ words: queryWords("retryUpload"), text: "export function retryUpload() {}" }, BGE);
        assert.equal(exact.band, "strong");
        assert.equal(exact.cosine, undefined);
        const other = matchStrength({ words: queryWords("retryUpload"), text: "export function parseConfig() {}" }, BGE);
        assert.equal(other.band, "weak");
    });

    it("Find Similar (no words) rests on the cosine alone, on the model's code-to-code scale", async () => {
        const scale = cosineScale("bge-small-en-v1.5-q", "similar");
        assert.ok(scale.unrelated > BGE.unrelated, "code-to-code cosines run higher than query-to-code ones");
        const s = matchStrength({ cosine: scale.close, words: [], text: "anything" }, scale);
        assert.equal(s.value, 100);
        assert.equal(s.wordsTotal, 0);
    });

    it("bands and text: one wording for every surface", async () => {
        assert.equal(strengthBand(STRONG_AT), "strong");
        assert.equal(strengthBand(STRONG_AT - 1), "good");
        assert.equal(strengthBand(GOOD_AT), "good");
        assert.equal(strengthBand(GOOD_AT - 1), "weak");
        assert.equal(strengthText(87), "strong 87");
        assert.equal(strengthText(12), "weak 12");
        const reason = strengthReason({ value: 82, band: "strong", cosine: 0.79, meaning: 0.95, wordsMatched: 2, wordsTotal: 3 });
        assert.equal(reason, "strong 82 of 100: close in meaning; 2 of 3 query words");
    });

    it("a list is weak when it has hits and none reaches good", async () => {
        assert.equal(allWeak([]), false);
        assert.equal(allWeak([10, 39]), true);
        assert.equal(allWeak([10, GOOD_AT]), false);
        assert.match(weakMatchesNotice("qwzx plorf"), /weak matches for “qwzx plorf”/);
        assert.match(weakMatchesNotice("retry.ts:3", "similar"), /look-alikes of retry\.ts:3/);
        assert.match(weakMatchesNotice(undefined), /^Only weak matches:/);
    });
});

describe("rankHits sets strength without changing the order", () => {
    const DIMS = 4;
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
    const unit = (cos: number, axis: number) => {
        const v = new Float32Array(DIMS);
        v[0] = cos;
        v[axis] = Math.sqrt(1 - cos * cos);
        return v;
    };

    it("same hits in the same order with and without a scale; each hit's cosine is its chunk's", async () => {
        const dir = fs.mkdtempSync(join(tmpdir(), "seek-strength-"));
        dirs.push(dir);
        const store = IndexStore.open(dir, { modelId: "m", dimensions: DIMS, instructionSet: "i", chunkerVersion: "1" });
        try {
            const files = [
                { path: "src/retry.ts", text: "export function retryUpload() {\n  // retry a failed upload\n}", cos: 0.9, axis: 1 },
                { path: "src/parse.ts", text: "export function parseConfig() {\n  return {};\n}", cos: 0.5, axis: 2 },
                { path: "docs/a.md", text: "# Uploads\nFailed uploads are retried.", cos: 0.7, axis: 3 },
            ];
            store.replaceFiles(
                files.map((f) => ({
                    file: { path: f.path, hash: `h-${f.path}`, size: 1, mtimeMs: 1 },
                    chunks: [{ path: f.path, startLine: 1, endLine: f.text.split("\n").length, language: "typescript", kind: f.path.endsWith(".md") ? ("docs" as const) : ("code" as const), text: f.text }],
                    vectors: [unit(f.cos, f.axis)],
                })),
            );
            const query = unit(1, 1);
            for (const mode of ["hybrid", "vector", "lexical"] as const) {
                const plain = (await rankHits(new LocalSource(store), mode === "lexical" ? undefined : query, "retry failed uploads", { mode }));
                const scored = (await rankHits(new LocalSource(store), mode === "lexical" ? undefined : query, "retry failed uploads", { mode, strengthScale: BGE }));
                assert.deepEqual(scored.map((h) => [h.path, h.score]), plain.map((h) => [h.path, h.score]), mode);
                assert.ok(plain.every((h) => h.strength === undefined), "no scale, no strength");
                assert.ok(scored.every((h) => h.strength !== undefined), `${mode}: every hit has a strength`);
                for (const h of scored) {
                    const f = files.find((x) => x.path === h.path);
                    if (mode === "lexical") assert.equal(h.strength?.cosine, undefined, "keyword mode has no query vector");
                    else assert.ok(Math.abs((h.strength?.cosine ?? NaN) - (f?.cos ?? NaN)) < 1e-5, `${mode} ${h.path}: ${h.strength?.cosine}`);
                }
            }
            const retry = (await rankHits(new LocalSource(store), query, "retry failed uploads", { mode: "hybrid", strengthScale: BGE })).find((h) => h.path === "src/retry.ts");
            assert.equal(retry?.strength?.band, "strong");
        } finally {
            store.close();
        }
    });
});
