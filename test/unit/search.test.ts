import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isCoreError } from "../../src/core/errors";
import { bestLines, highlightTerms } from "../../src/core/search/bestLines";
import { rankHits } from "../../src/core/search/ranker";
import { RANK_RULES } from "../../src/core/search/rules/index";
import { LocalSource } from "../../src/core/store/localSource";
import { SimdKernel } from "../../src/core/search/simdKernel";
import { dot } from "../../src/core/search/simdKernel";
import { vectorTopK } from "../../src/core/search/vector";
import { IndexStore } from "../../src/core/store/indexStore";
import { VectorTable } from "../../src/core/store/vectorTable";
import type { Chunk, FileKind } from "../../src/core/types";
import { mulberry32 } from "../support/random";

const DIMS = 8;
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A unit vector whose cosine with e0 is `cos`, its remainder along axis `axis` (1..DIMS-1). */
function withCosine(cos: number, axis: number): Float32Array {
    const v = new Float32Array(DIMS);
    v[0] = cos;
    v[axis] = Math.sqrt(1 - cos * cos);
    return v;
}
const QUERY = withCosine(1, 1);

function lines(prefix: string, n: number): string {
    return Array.from({ length: n }, (_, i) => `${prefix} line ${i + 1}`).join("\n");
}

interface Spec {
    path: string;
    start: number;
    end: number;
    cos: number;
    axis: number;
    text?: string;
    symbol?: string;
    kind?: FileKind;
    language?: string;
}

const SPECS: Spec[] = [
    { path: "src/auth/session.py", start: 1, end: 10, cos: 0.99, axis: 1, symbol: "create_session", language: "python",
        text: "def create_session(user):\n    # issue a token for the user\n    token = new_token()\n" + lines("session", 7) },
    { path: "src/auth/session.py", start: 11, end: 20, cos: 0.95, axis: 2, language: "python", text: lines("refresh", 10) },
    { path: "src/db/users.ts", start: 1, end: 3, cos: 0.2, axis: 3, symbol: "getUserById",
        text: "export function getUserById(id: string) {\n  return db.users.find(id);\n}" },
    { path: "src/db/other.ts", start: 1, end: 3, cos: 0.6, axis: 3, symbol: "findUser",
        text: "// calls getUserById for each id\nconst users = ids.map(getUserById);\nexport default users;" },
    { path: "docs/guide.md", start: 1, end: 4, cos: 0.9, axis: 4, kind: "docs", language: "markdown", symbol: "Guide > Sessions",
        text: "# Sessions\nA session holds a token.\nTokens expire.\nSee auth." },
    ...[0.98, 0.97, 0.96, 0.94, 0.93].map((cos, i) => ({ path: "src/big.ts", start: i * 10 + 1, end: i * 10 + 5, cos, axis: 5, text: lines(`big${i}`, 5) })),
    { path: "src/tie/b.ts", start: 1, end: 2, cos: 0.1, axis: 6, text: "tie one\ntie two" },
    { path: "src/tie/a.ts", start: 1, end: 2, cos: 0.1, axis: 6, text: "tie one\ntie two" },
];

function chunkOf(s: Spec): Chunk {
    const chunk: Chunk = {
        path: s.path,
        startLine: s.start,
        endLine: s.end,
        language: s.language ?? "typescript",
        kind: s.kind ?? "code",
        text: s.text ?? lines(s.path, s.end - s.start + 1),
    };
    if (s.symbol) chunk.symbol = s.symbol;
    return chunk;
}

describe("rankHits", () => {
    let store: IndexStore;
    before(() => {
        const dir = fs.mkdtempSync(join(tmpdir(), "seek-search-"));
        dirs.push(dir);
        store = IndexStore.open(dir, { modelId: "m", dimensions: DIMS, instructionSet: "i", chunkerVersion: "1" });
        const byPath = new Map<string, Spec[]>();
        for (const s of SPECS) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s]);
        store.replaceFiles(
            [...byPath].map(([path, specs]) => ({
                file: { path, hash: `h-${path}`, size: 1, mtimeMs: 1 },
                chunks: specs.map(chunkOf),
                vectors: specs.map((s) => withCosine(s.cos, s.axis)),
            })),
        );
    });
    after(() => store.close());

    it("vector mode ranks by cosine similarity and reports it as the score", async () => {
        const hits = (await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 3, rankConfig: { maxHitsPerFile: 10, maxHitsPerCodeFile: 10 } }));
        assert.deepEqual(hits.map((h) => [h.path, h.startLine]), [["src/auth/session.py", 1], ["src/big.ts", 1], ["src/big.ts", 11]]);
        assert.ok(Math.abs(hits[0].score - 0.99) < 1e-5);
        assert.ok(hits[0].score >= hits[1].score && hits[1].score >= hits[2].score);
    });

    it("merges overlapping or touching chunks of one file into one hit with the union of their text", async () => {
        const hits = (await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 10 }));
        const session = hits.filter((h) => h.path === "src/auth/session.py");
        assert.equal(session.length, 1);
        assert.equal(session[0].startLine, 1);
        assert.equal(session[0].endLine, 20);
        assert.equal(session[0].text, `${chunkOf(SPECS[0]).text}\n${chunkOf(SPECS[1]).text}`);
        assert.equal(session[0].text.split("\n").length, 20);
        assert.equal(session[0].symbol, "create_session", "the best chunk's symbol");
        assert.ok(Math.abs(session[0].score - 0.99) < 1e-5, "the best chunk's score");
    });

    it("never returns the excluded range, even when it is the best match", async () => {
        const range = { path: "src/auth/session.py", startLine: 3, endLine: 5 };
        for (const mode of ["vector", "hybrid", "lexical"] as const) {
            const hits = (await rankHits(new LocalSource(store), QUERY, "session token", { mode, top: 20, excludeRange: range }));
            for (const h of hits) {
                assert.ok(!(h.path === range.path && h.startLine <= range.endLine && h.endLine >= range.startLine), `${mode}: ${h.path}:${h.startLine}-${h.endLine}`);
            }
        }
        const hits = (await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 20, excludeRange: range }));
        assert.ok(hits.some((h) => h.path === range.path && h.startLine === 11), "the neighbouring chunk is still found");
    });

    it("caps hits per file ahead of other files", async () => {
        const hits = (await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 10 }));
        const firstOther = hits.findIndex((h, i) => i > 0 && h.path !== "src/big.ts" && hits.slice(0, i).filter((x) => x.path === "src/big.ts").length >= 3);
        const bigBeforeOthers = hits.slice(0, firstOther).filter((h) => h.path === "src/big.ts").length;
        assert.ok(bigBeforeOthers <= 3, `big.ts had ${bigBeforeOthers} hits before the others`);
        const all = (await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 50 }));
        assert.equal(all.filter((h) => h.path === "src/big.ts").length, 5, "the surplus still comes after");
        assert.deepEqual(all.slice(-2).map((h) => h.path), ["src/big.ts", "src/big.ts"]);
        const top5 = (await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 5 }));
        assert.equal(top5.filter((h) => h.path === "src/big.ts").length, 3);
    });

    it("lets a docs file give more hits than a code file before other files", async () => {
        const dir = fs.mkdtempSync(join(tmpdir(), "seek-search-docs-"));
        dirs.push(dir);
        const docs = IndexStore.open(dir, { modelId: "m", dimensions: DIMS, instructionSet: "i", chunkerVersion: "1" });
        const sections = Array.from({ length: 12 }, (_, i) => ({ cos: 0.99 - i * 0.01, start: i * 10 + 1 }));
        docs.replaceFiles([
            {
                file: { path: "README.md", hash: "r", size: 1, mtimeMs: 1 },
                chunks: sections.map((s, i) => ({ path: "README.md", startLine: s.start, endLine: s.start + 2, language: "markdown", kind: "docs" as const, text: lines(`section${i}`, 3) })),
                vectors: sections.map((s, i) => withCosine(s.cos, 1 + (i % (DIMS - 1)))),
            },
            ...[0.5, 0.4, 0.3, 0.2, 0.1].map((cos, i) => ({
                file: { path: `src/f${i}.ts`, hash: `f${i}`, size: 1, mtimeMs: 1 },
                chunks: [{ path: `src/f${i}.ts`, startLine: 1, endLine: 3, language: "typescript", kind: "code" as const, text: lines(`f${i}`, 3) }],
                vectors: [withCosine(cos, 2)],
            })),
        ]);
        const hits = await rankHits(new LocalSource(docs), QUERY, "", { mode: "vector", top: 12 });
        assert.deepEqual(hits.slice(0, 11).map((h) => h.path), [...Array(10).fill("README.md"), "src/f0.ts"], "10 sections, then other files");
        const capped = await rankHits(new LocalSource(docs), QUERY, "", { mode: "vector", top: 10, rankConfig: { maxHitsPerFile: 3 } });
        assert.equal(capped[3].path, "src/f0.ts");
        docs.close();
    });

    it("fuses two lists with rrfK and ranks a single list (keyword mode) with singleListRrfK", async () => {
        const rankConfig = { disabledRules: RANK_RULES.map((r) => r.name), rrfK: 20, singleListRrfK: 60 };
        const keyword = await rankHits(new LocalSource(store), undefined, "session token", { mode: "lexical", top: 3, rankConfig });
        assert.ok(Math.abs(keyword[0].score - 1 / 61) < 1e-12, `first of one list: 1 / (60 + 1), got ${keyword[0].score}`);
        const hybrid = await rankHits(new LocalSource(store), QUERY, "session token", { mode: "hybrid", top: 3, rankConfig });
        // First in one list is worth 1 / 21 at k 20; at k 60 even first in both lists is only 2 / 61.
        assert.ok(hybrid[0].score >= 1 / 21 - 1e-12, `fused at k 20, got ${hybrid[0].score}`);
    });

    it("filters by kind, language and globs", async () => {
        const all = { mode: "vector" as const, top: 50 };
        const paths = async (opts: object) => [...new Set((await rankHits(new LocalSource(store), QUERY, "", { ...all, ...opts })).map((h) => h.path))].sort();
        assert.deepEqual(await paths({ kinds: ["docs"] }), ["docs/guide.md"]);
        assert.deepEqual(await paths({ languages: ["Python"] }), ["src/auth/session.py"]);
        assert.deepEqual(await paths({ include: ["src/auth/**"] }), ["src/auth/session.py"]);
        assert.deepEqual(await paths({ include: ["*.py", "*.md"] }), ["docs/guide.md", "src/auth/session.py"]);
        assert.ok(!(await paths({ exclude: ["*.md"] })).includes("docs/guide.md"));
        assert.deepEqual(await paths({ exclude: ["src/**"] }), ["docs/guide.md"]);
        assert.deepEqual(await paths({ include: ["nothing/**"] }), []);
        assert.deepEqual(await paths({ include: ["./src/db/*.ts"] }), ["src/db/other.ts", "src/db/users.ts"]);
        const lexical = (await rankHits(new LocalSource(store), undefined, "token", { mode: "lexical", kinds: ["code"] }));
        assert.ok(lexical.length > 0 && lexical.every((h) => h.kind === "code"));
    });

    it("puts the exact definition first for an identifier query", async () => {
        // The vector prefers other chunks (getUserById's cosine is 0.2) and other.ts mentions the name twice.
        const hits = (await rankHits(new LocalSource(store), QUERY, "getUserById", { mode: "hybrid", top: 5 }));
        assert.equal(hits[0].path, "src/db/users.ts");
        assert.equal(hits[0].symbol, "getUserById");
    });

    it("hybrid fuses both lists: a chunk strong in both beats one strong in a single list", async () => {
        const hits = (await rankHits(new LocalSource(store), QUERY, "session token", { mode: "hybrid", top: 3 }));
        assert.equal(hits[0].path, "src/auth/session.py");
        const vectorOnly = (await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 1 }));
        const lexicalOnly = (await rankHits(new LocalSource(store), undefined, "session token", { mode: "lexical", top: 1 }));
        assert.ok(vectorOnly.length === 1 && lexicalOnly.length === 1);
    });

    it("lexical scores are positive and best first; hybrid without a vector still works", async () => {
        const hits = (await rankHits(new LocalSource(store), undefined, "token", { mode: "lexical", top: 5 }));
        assert.ok(hits.length >= 2);
        assert.ok(hits.every((h) => h.score > 0));
        for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score || hits[i - 1].path !== hits[i].path);
        assert.ok((await rankHits(new LocalSource(store), undefined, "token", { mode: "hybrid" })).length > 0);
        assert.deepEqual((await rankHits(new LocalSource(store), undefined, "", { mode: "vector" })), []);
    });

    it("handles hostile and empty queries without throwing", async () => {
        for (const q of ["", "!!!", '"', "NEAR(", "*", "x".repeat(10_000), "how ".repeat(3000)]) {
            for (const mode of ["lexical", "hybrid"] as const) {
                const hits = (await rankHits(new LocalSource(store), mode === "hybrid" ? QUERY : undefined, q, { mode }));
                assert.ok(Array.isArray(hits));
                if (mode === "lexical" && !/\w/.test(q)) assert.deepEqual(hits, []);
            }
        }
    });

    it("marks the lines that share the most query terms", async () => {
        const [hit] = (await rankHits(new LocalSource(store), undefined, "token user", { mode: "lexical", top: 1, include: ["*.py"] }));
        assert.equal(hit.path, "src/auth/session.py");
        assert.deepEqual(hit.bestLines?.slice(0, 1), [1]);
        assert.ok(hit.bestLines!.includes(2), "the line with both terms");
        assert.ok(hit.bestLines!.length <= 3);
        assert.ok(hit.bestLines!.every((l) => l >= hit.startLine && l <= hit.endLine));
    });

    it("orders exact ties by path and line, the same on every run", async () => {
        const axis6 = withCosine(0, 6);
        const run = async () => (await rankHits(new LocalSource(store), axis6, "", { mode: "vector", top: 2 })).map((h) => h.path);
        assert.deepEqual(await run(), ["src/tie/a.ts", "src/tie/b.ts"]);
        for (let i = 0; i < 5; i++) assert.deepEqual(await run(), ["src/tie/a.ts", "src/tie/b.ts"]);
        const hybrid = async () => (await rankHits(new LocalSource(store), axis6, "tie", { mode: "hybrid", top: 2 })).map((h) => h.path);
        assert.deepEqual(await hybrid(), ["src/tie/a.ts", "src/tie/b.ts"]);
    });

    it("respects top and an aborted signal", async () => {
        assert.equal((await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 2 })).length, 2);
        assert.deepEqual((await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 0 })), []);
        const ac = new AbortController();
        ac.abort();
        await assert.rejects(rankHits(new LocalSource(store), QUERY, "x", { signal: ac.signal }), (e: unknown) => isCoreError(e, "cancelled"));
    });
});

describe("bestLines", () => {
    it("prefers lines with more distinct terms and matches word prefixes", async () => {
        const text = "nothing here\nparsing the config\nconfig only\nparse config files";
        assert.deepEqual(bestLines(text, 10, highlightTerms("parse config"), 2), [11, 13]);
        assert.equal(bestLines(text, 1, highlightTerms("zebra"), 3), undefined);
        assert.equal(bestLines(text, 1, highlightTerms(""), 3), undefined);
    });
});

describe("exact vector scan", () => {
    function randomTable(n: number, dims: number, seed: number): VectorTable {
        const table = new VectorTable(dims);
        let x = seed;
        const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
        for (let i = 0; i < n; i++) {
            const v = Float32Array.from({ length: dims }, rnd);
            const norm = Math.hypot(...v);
            table.add(i + 1, v.map((c) => c / norm), { path: `p${i % 7}`, kind: i % 2 ? "code" : "docs", language: "ts", startLine: 1, endLine: 1 });
        }
        return table;
    }

    it("the SIMD kernel is available and agrees with the JS dot product", async () => {
        assert.ok(SimdKernel.create(1024), "WebAssembly SIMD available in this Node");
        for (const dims of [384, 8, 12]) {
            const table = randomTable(3000, dims, dims);
            const q = table.vectorAt(17).slice();
            const scores = table.scores(q);
            assert.equal(scores.length, 3000);
            for (let slot = 0; slot < 3000; slot += 37) {
                assert.ok(Math.abs(scores[slot] - dot(table.data, slot * dims, q, dims)) < 1e-5, `dims ${dims} slot ${slot}`);
            }
            assert.ok(Math.abs(scores[17] - 1) < 1e-5);
        }
    });

    it("returns the same top-k as a brute-force sort, with and without a filter", async () => {
        const dims = 384;
        const table = randomTable(5000, dims, 3);
        for (let r = 0; r < 3; r++) table.remove(r * 100 + 1);
        const q = table.vectorAt(42).slice();
        const accept = (slot: number) => table.kindAt(slot) === "code";
        for (const filter of [undefined, accept]) {
            const expected: { id: number; score: number }[] = [];
            for (let slot = 0; slot < table.count; slot++) {
                if (!filter || filter(slot)) expected.push({ id: table.idAt(slot), score: dot(table.data, slot * dims, q, dims) });
            }
            expected.sort((a, b) => b.score - a.score || a.id - b.id);
            const got = vectorTopK(table, q, 25, filter);
            assert.deepEqual(got.map((h) => h.id), expected.slice(0, 25).map((h) => h.id));
        }
        assert.deepEqual(vectorTopK(table, q, 0), []);
        assert.equal(vectorTopK(new VectorTable(dims), q, 5).length, 0);
    });

    it("rejects a query of the wrong dimension", async () => {
        assert.throws(() => vectorTopK(randomTable(10, 8, 1), new Float32Array(4), 3), RangeError);
    });
});

describe("keyword mode", () => {
    it("ranks exactly like a hybrid search before any vector exists: the same BM25 candidates feed the same rules", async () => {
        // Many files share the query's words, so the file-level rules (coherence, saturation) see candidates well
        // past the 40 hits shown; keyword mode once took only those 40 and ranked 0.007 lower on the semble set.
        const random = mulberry32(7);
        const words = ["upload", "retry", "failed", "queue", "token", "session", "parse", "header", "cache", "socket"];
        const dir = fs.mkdtempSync(join(tmpdir(), "seek-keyword-"));
        dirs.push(dir);
        const store = IndexStore.open(dir, { modelId: "m", dimensions: DIMS, instructionSet: "i", chunkerVersion: "1" });
        try {
            const files = Array.from({ length: 40 }, (_, f) => {
                const path = `src/${words[f % words.length]}/${words[(f * 3) % words.length]}_${f}.ts`;
                const chunks: Chunk[] = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, c) => ({
                    path,
                    startLine: c * 10 + 1,
                    endLine: c * 10 + 8,
                    language: "typescript",
                    kind: "code",
                    text: Array.from({ length: 8 }, () => words[Math.floor(random() * words.length)]).join(" "),
                }));
                return { file: { path, hash: `h${f}`, size: 1, mtimeMs: 1 }, chunks };
            });
            store.replaceFiles(files);
            const source = new LocalSource(store);
            for (const query of ["retry failed upload", "parse header cache", "session token"]) {
                const keyword = await rankHits(source, undefined, query, { mode: "lexical", top: 10 });
                const hybrid = await rankHits(source, undefined, query, { mode: "hybrid", top: 10 });
                assert.ok(keyword.length === 10, query);
                assert.deepEqual(keyword.map((h) => [h.path, h.startLine, h.score]), hybrid.map((h) => [h.path, h.startLine, h.score]), query);
            }
        } finally {
            store.close();
        }
    });
});
