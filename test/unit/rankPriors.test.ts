/**
 * Ranking refinements measured on the bench (bench/RESULTS.md): the test-file prior, the exact-definition lookup
 * for identifier queries, prose-score calibration and file evidence (the last two are off by default).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { declaresName } from "../../src/core/search/declarations";
import { calibrateKinds } from "../../src/core/search/kindCalibration";
import { isTestPath } from "../../src/core/search/rules/pathPriors";
import { rankHits } from "../../src/core/search/ranker";
import { LocalSource } from "../../src/core/store/localSource";
import { IndexStore } from "../../src/core/store/indexStore";
import { VectorTable } from "../../src/core/store/vectorTable";
import type { Chunk, FileKind } from "../../src/core/types";

const DIMS = 8;
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A unit vector whose cosine with e0 is `cos`, the rest along `axis`. */
function withCosine(cos: number, axis = 1): Float32Array {
    const v = new Float32Array(DIMS);
    v[0] = cos;
    v[axis] = Math.sqrt(1 - cos * cos);
    return v;
}
const QUERY = withCosine(1);

interface Spec {
    path: string;
    cos: number;
    text: string;
    symbol?: string;
    start?: number;
}

function openStore(specs: Spec[]): IndexStore {
    const dir = fs.mkdtempSync(join(tmpdir(), "seek-priors-"));
    dirs.push(dir);
    const store = IndexStore.open(dir, { modelId: "m", dimensions: DIMS, instructionSet: "i", chunkerVersion: "1" });
    const byPath = new Map<string, Spec[]>();
    for (const s of specs) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s]);
    store.replaceFiles(
        [...byPath].map(([path, list]) => ({
            file: { path, hash: `h-${path}`, size: 1, mtimeMs: 1 },
            chunks: list.map((s, i): Chunk => {
                const start = s.start ?? i * 10 + 1;
                const chunk: Chunk = { path, startLine: start, endLine: start + s.text.split("\n").length - 1, language: "typescript", kind: "code", text: s.text };
                if (s.symbol) chunk.symbol = s.symbol;
                return chunk;
            }),
            vectors: list.map((s, i) => withCosine(s.cos, 1 + (i % (DIMS - 1)))),
        })),
    );
    return store;
}

describe("isTestPath", () => {
    it("knows the test conventions of the chunked languages, and nothing else", async () => {
        const tests = [
            "tests/test_app.py", "src/test_utils.py", "pkg/server_test.go", "src/app.test.ts", "src/app.spec.tsx", "lib/x.test.mjs",
            "src/test/java/FooTest.java", "FooTests.cs", "spec/models/user_spec.rb", "__tests__/a.js", "test_suite/tests/ser.rs",
            "crates/x/tests/it.rs", "Sources/AppTests/AppTests.swift",
        ];
        const code = [
            "src/app.ts", "src/testing_utils_impl.go", "contest.py", "src/attest.ts", "lib/latest/spec.md", "src/Tester.java",
            "src/protest/a.rb", "docs/testing.md",
        ];
        for (const p of tests) assert.equal(isTestPath(p), true, p);
        for (const p of code) assert.equal(isTestPath(p), false, p);
    });
});

describe("test-file prior (hybrid)", () => {
    let store: IndexStore;
    before(() => {
        store = openStore([
            { path: "src/retry.test.ts", cos: 0.9, text: "it('retries the upload', async () => retryUpload(file))" },
            { path: "src/retry.ts", cos: 0.85, text: "export function retryUpload(file) { /* backoff */ }" },
        ]);
    });
    after(() => store.close());

    it("puts the implementation above a slightly closer test, and keeps the test in the list", async () => {
        const hits = (await rankHits(new LocalSource(store), QUERY, "retries the upload", { mode: "hybrid", top: 5 }));
        assert.deepEqual(hits.map((h) => h.path), ["src/retry.ts", "src/retry.test.ts"]);
    });

    it("is a tunable: weight 1 restores the raw fused order", async () => {
        const hits = (await rankHits(new LocalSource(store), QUERY, "retries the upload", { mode: "hybrid", top: 5, rankConfig: { testWeight: 1 } }));
        assert.equal(hits[0].path, "src/retry.test.ts");
    });

    it("leaves vector mode (and Find Similar) alone", async () => {
        const hits = (await rankHits(new LocalSource(store), QUERY, "", { mode: "vector", top: 5 }));
        assert.equal(hits[0].path, "src/retry.test.ts");
    });
});

describe("exact definitions: the file named after the symbol", () => {
    it("a definition in a file named after it, plural included, beats one elsewhere that is closer", async () => {
        const store = openStore([
            // Closer to the query on both sides: more vector-similar, and it says Field more often.
            { path: "src/field/schema.ts", cos: 0.9, symbol: "Field", text: "export function Field(name: string) { return Field.of(name, Field); }" },
            { path: "src/fields.ts", cos: 0.3, symbol: "Field", text: "export function Field(name: string) { return name; }" },
        ]);
        const hits = await rankHits(new LocalSource(store), QUERY, "Field", { mode: "hybrid", top: 2 });
        assert.equal(hits[0].path, "src/fields.ts");
        const flat = await rankHits(new LocalSource(store), QUERY, "Field", { mode: "hybrid", top: 2, rankConfig: { symbolStemFactor: 1 } });
        assert.equal(flat[0].path, "src/field/schema.ts", "without the stem factor the closer definition wins");
        store.close();
    });
});

describe("exact definitions: spelled as asked", () => {
    let store: IndexStore;
    before(() => {
        // A trait and many methods of the same name in lowercase, the methods closer to the query and more numerous.
        const methods = Array.from({ length: 12 }, (_, i) => ({
            path: `src/de/impl${i}.rs`,
            cos: 0.9 - i * 0.01,
            symbol: `Type${i}.deserialize`,
            text: `fn deserialize<D: Deserializer>(d: D) -> Result<Self, D::Error> { Deserialize::deserialize(d) }`,
        }));
        store = openStore([
            ...methods,
            { path: "src/de/traits.rs", cos: 0.2, symbol: "Deserialize", text: `pub trait Deserialize<'de>: Sized {\n${"    // docs\n".repeat(20)}}` },
        ]);
    });
    after(() => store.close());

    it("the definition whose case matches the query wins over same-key names in another case", async () => {
        const hits = await rankHits(new LocalSource(store), QUERY, "Deserialize", { mode: "hybrid", top: 3 });
        assert.equal(hits[0].symbol, "Deserialize");
        const blind = await rankHits(new LocalSource(store), QUERY, "Deserialize", { mode: "hybrid", top: 3, rankConfig: { symbolCaseMismatchFactor: 1 } });
        assert.notEqual(blind[0].symbol, "Deserialize", "without the case rule the methods' numbers and closeness win");
    });
});

describe("exact definitions for identifier queries", () => {
    let store: IndexStore;
    before(() => {
        // Many symbols contain the word; the definition itself is far from the query vector and long.
        const lookalikes = Array.from({ length: 40 }, (_, i) => ({
            path: `src/impls/field${i}.rs`,
            cos: 0.9 - i * 0.001,
            symbol: `Field${i}Visitor`,
            text: `struct Field${i}Visitor;\nimpl Visitor for Field${i}Visitor { type Value = u8; }`,
        }));
        store = openStore([
            ...lookalikes,
            { path: "src/de/mod.rs", cos: 0.1, symbol: "Visitor", text: `pub trait Visitor<'de>: Sized {\n${"    fn visit(&self);\n".repeat(30)}}` },
            { path: "src/de/mod.rs", cos: 0.1, symbol: "Visitor.expecting", start: 100, text: "fn expecting(&self) {}" },
        ]);
    });
    after(() => store.close());

    it("ranks the chunk whose symbol is the identifier first, not the ones merely containing it", async () => {
        const hits = (await rankHits(new LocalSource(store), QUERY, "Visitor", { mode: "hybrid", top: 5 }));
        assert.equal(hits[0].path, "src/de/mod.rs");
        assert.equal(hits[0].symbol, "Visitor");
    });

    it("matches one name of a chunk that lists several", async () => {
        const table = store.chunks;
        const slots = table.slotsWithSymbol("field3visitor");
        assert.equal(slots.length, 1);
        assert.equal(table.pathAt(slots[0]), "src/impls/field3.rs");
    });
});

describe("exact definitions: the chunk that declares a long class", () => {
    let store: IndexStore;
    before(() => {
        // One long Java class in pieces that all carry its name: banner comments and fields closer to the query
        // than the declaration, then the declaration itself; and one other file that only mentions it.
        const pieces = Array.from({ length: 6 }, (_, i) => ({
            path: "src/ObjectMapper.java",
            cos: 0.8 - i * 0.01,
            symbol: "ObjectMapper",
            start: 200 + i * 20,
            text: `    /*\n    /* Configuration, part ${i}\n     */\n    protected int _setting${i};`,
        }));
        store = openStore([
            { path: "src/ObjectMapper.java", cos: 0.3, symbol: "ObjectMapper", start: 80, text: "/**\n * Reads and writes JSON.\n */\npublic class ObjectMapper\n    implements Versioned\n{" },
            ...pieces,
            { path: "src/ObjectReader.java", cos: 0.5, symbol: "ObjectReader", text: "public class ObjectReader { ObjectMapper mapper; }" },
        ]);
    });
    after(() => store.close());

    it("puts the declaration above the class's other pieces", async () => {
        for (const mode of ["hybrid", "lexical"] as const) {
            const hits = await rankHits(new LocalSource(store), QUERY, "ObjectMapper", { mode, top: 3 });
            assert.equal(hits[0].startLine, 80, `${mode}: ${hits.map((h) => h.startLine).join(", ")}`);
        }
        const blind = await rankHits(new LocalSource(store), QUERY, "ObjectMapper", { mode: "hybrid", top: 3, rankConfig: { continuationFactor: 1 } });
        assert.notEqual(blind[0].startLine, 80, "with every piece boosted alike, a banner closer to the query wins");
    });

    it("declaresName: a keyword right before the name, in any naming convention", () => {
        assert.equal(declaresName("public class ObjectMapper\n{", "objectmapper"), true);
        assert.equal(declaresName("    /* Versioned impl */\n    ObjectMapper copy();", "objectmapper"), false);
        assert.equal(declaresName("func (r *Mux) Use(middlewares ...func(http.Handler) http.Handler) {", "use"), true);
        assert.equal(declaresName("def get_user(self, user_id):", "getuser"), true);
        assert.equal(declaresName("export const createStore = (reducer) => {", "createstore"), true);
        assert.equal(declaresName("pub struct Router<S> {", "router"), true);
        assert.equal(declaresName("impl<S> Router<S> {", "router"), false);
        assert.equal(declaresName("public <T> T readValue(JsonParser p) {", "readvalue"), false, "Java methods have no keyword");
    });
});

describe("prose calibration", () => {
    function table(codeScores: number[], proseScores: number[]): { table: VectorTable; scores: Float32Array } {
        const t = new VectorTable(DIMS);
        const all: [number, FileKind][] = [...codeScores.map((s): [number, FileKind] => [s, "code"]), ...proseScores.map((s): [number, FileKind] => [s, "docs"])];
        all.forEach(([s, kind], i) => t.add(i + 1, withCosine(s), { path: `f${i}`, kind, language: "x", startLine: 1, endLine: 1 }));
        return { table: t, scores: t.scores(QUERY) };
    }
    const spread = (base: number, step: number) => Array.from({ length: 20 }, (_, i) => base + i * step);

    it("'scale' maps prose scores onto the code scores' mean and spread; code scores are untouched", async () => {
        const { table: t, scores } = table(spread(0.5, 0.01), spread(0.3, 0.02));
        const before = Array.from(scores);
        calibrateKinds(t, scores, "scale");
        const code = Array.from(scores.subarray(0, 20));
        const prose = Array.from(scores.subarray(20));
        assert.deepEqual(code, before.slice(0, 20));
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        assert.ok(Math.abs(mean(prose) - mean(code)) < 1e-5);
        assert.ok(Math.abs(prose[19] - prose[0] - (code[19] - code[0])) < 1e-5, "same spread");
        assert.ok(prose.every((p, i) => i === 0 || p > prose[i - 1]), "order within prose kept");
    });

    it("does nothing when either group is too small to measure, or with 'none'", async () => {
        const few = table(spread(0.5, 0.01), [0.9, 0.8]);
        const before = Array.from(few.scores);
        calibrateKinds(few.table, few.scores, "scale");
        assert.deepEqual(Array.from(few.scores), before);
        const many = table(spread(0.5, 0.01), spread(0.3, 0.02));
        const raw = Array.from(many.scores);
        calibrateKinds(many.table, many.scores, "none");
        assert.deepEqual(Array.from(many.scores), raw);
    });
});

describe("file coherence through rankHits (hybrid)", () => {
    let store: IndexStore;
    before(() => {
        store = openStore([
            { path: "src/lucky.ts", cos: 0.95, text: "one lucky chunk about parsing" },
            ...[0.94, 0.93, 0.92].map((cos, i) => ({ path: "src/parser.ts", cos, start: i * 100 + 1, text: `parser part ${i} about parsing` })),
        ]);
    });
    after(() => store.close());

    it("a file with several good candidates overtakes a file with one slightly better chunk", async () => {
        const off = (await rankHits(new LocalSource(store), QUERY, "parsing", { mode: "hybrid", top: 3, rankConfig: { disabledRules: ["fileCoherence"] } }));
        assert.equal(off[0].path, "src/lucky.ts");
        const on = (await rankHits(new LocalSource(store), QUERY, "parsing", { mode: "hybrid", top: 3, rankConfig: { coherenceWeight: 0.5 } }));
        assert.equal(on[0].path, "src/parser.ts");
    });
});
