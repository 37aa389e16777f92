/**
 * Each rule of the ranking stack on a small constructed case that fails when the rule is removed or switched off.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareCandidates, type Candidate, type CandidateMeta } from "../../src/core/search/candidate";
import { DEFAULT_RANK_CONFIG, type RankConfig } from "../../src/core/search/rankConfig";
import { queryIntent } from "../../src/core/search/intent";
import { applyRules, type RankContext } from "../../src/core/search/rules/index";
import { looseMatch, pathWords, queryWords } from "../../src/core/search/rules/pathWords";
import { priorOf } from "../../src/core/search/rules/pathPriors";
import { mergeOverlapping } from "../../src/core/search/merge";
import type { SearchMode } from "../../src/core/types";

type Def = CandidateMeta & { id: number };

/** Every rule neutral, so each test switches on only the rule it is about. */
const NEUTRAL: RankConfig = {
    ...DEFAULT_RANK_CONFIG,
    proseWeight: 1,
    testWeight: 1,
    auxiliaryWeight: 1,
    stubWeight: 1,
    declarationWeight: 1,
    symbolStemFactor: 1,
    proseSymbolFactor: 0,
    coherenceWeight: 0,
    pathMatchWeight: 0,
    codeSaturation: 1,
    proseSaturation: 1,
    saturationTieRatio: 1,
};

function cand(id: number, path: string, score: number, extra: Partial<Candidate> = {}): Candidate {
    return { id, path, score, kind: "code", language: "go", startLine: id * 10, endLine: id * 10 + 5, symbolKeys: "", ...extra };
}

function ctx(query: string, config: Partial<RankConfig> = {}, opts: { mode?: SearchMode; identifier?: boolean; defs?: Def[] } = {}): RankContext {
    const defs = opts.defs ?? [];
    return {
        query,
        mode: opts.mode ?? "hybrid",
        identifier: opts.identifier ?? false,
        intent: opts.identifier ? "identifier" : "topic",
        config: { ...NEUTRAL, ...config },
        index: { definitions: (key) => defs.filter((d) => d.symbolKeys.split(" ").includes(key)) },
    };
}

/** Paths (or ids) in final order. */
function order(cands: Candidate[], c: RankContext): string[] {
    return applyRules(cands, c)
        .sort(compareCandidates)
        .map((x) => `${x.path}#${x.id}`);
}

describe("rule: saturation", () => {
    const cands = [cand(1, "a.go", 0.9), cand(2, "a.go", 0.8), cand(3, "a.go", 0.7), cand(4, "b.go", 0.75)];
    it("the defaults decay code files and leave docs sections alone", () => {
        assert.ok(DEFAULT_RANK_CONFIG.codeSaturation < 1);
        assert.equal(DEFAULT_RANK_CONFIG.proseSaturation, 1);
    });
    it("a code file's second and third candidates fall behind another file's best", () => {
        assert.deepEqual(order(cands, ctx("q", { codeSaturation: 0.5 })), ["a.go#1", "b.go#4", "a.go#2", "a.go#3"]);
    });
    it("off: raw order", () => {
        assert.deepEqual(order(cands, ctx("q", { codeSaturation: 0.5, disabledRules: ["saturation"] })), ["a.go#1", "a.go#2", "b.go#4", "a.go#3"]);
    });
    it("a chunk nearly as good as its file's best is a second answer, not an echo", () => {
        const close = [cand(1, "a.go", 0.9), cand(2, "a.go", 0.85), cand(3, "b.go", 0.75)];
        assert.deepEqual(order(close, ctx("q", { codeSaturation: 0.5, saturationTieRatio: 0.9 })), ["a.go#1", "a.go#2", "b.go#3"]);
        assert.deepEqual(order(close, ctx("q", { codeSaturation: 0.5, saturationTieRatio: 1 })), ["a.go#1", "b.go#3", "a.go#2"]);
    });
    it("docs sections decay on their own setting", () => {
        const docs = cands.map((c) => ({ ...c, path: c.path.replace(".go", ".md"), kind: "docs" as const }));
        assert.deepEqual(order(docs, ctx("q", { codeSaturation: 0.5, proseSaturation: 1 })), ["a.md#1", "a.md#2", "b.md#4", "a.md#3"]);
    });
});

describe("rule: fileCoherence", () => {
    const cands = [cand(1, "lonely.go", 0.5), cand(2, "busy.go", 0.48), cand(3, "busy.go", 0.4), cand(4, "busy.go", 0.3)];
    it("a file with several good candidates overtakes one lucky chunk", () => {
        assert.deepEqual(order(cands, ctx("q", { coherenceWeight: 0.2 })).slice(0, 2), ["busy.go#2", "lonely.go#1"]);
        assert.deepEqual(order(cands, ctx("q", { coherenceWeight: 0 })).slice(0, 2), ["lonely.go#1", "busy.go#2"]);
    });
    it("only the file's best candidate gains", () => {
        const out = applyRules(cands, ctx("q", { coherenceWeight: 0.2 }));
        assert.equal(out.find((c) => c.id === 3)?.score, 0.4);
        assert.ok((out.find((c) => c.id === 2)?.score ?? 0) > 0.48);
    });
});

describe("rule: pathMatch", () => {
    const cands = [cand(1, "src/util/strings.go", 0.5), cand(2, "src/routing/matcher.go", 0.4)];
    it("a prose query's words matched by stem and folder lift the file", () => {
        assert.equal(order(cands, ctx("how are routes matched", { pathMatchWeight: 1 }))[0], "src/routing/matcher.go#2");
        assert.equal(order(cands, ctx("how are routes matched", { pathMatchWeight: 0 }))[0], "src/util/strings.go#1");
    });
    it("identifier queries and vector mode are left alone", () => {
        assert.equal(order(cands, ctx("routeMatcher", { pathMatchWeight: 1 }, { identifier: true }))[0], "src/util/strings.go#1");
        assert.equal(order(cands, ctx("how are routes matched", { pathMatchWeight: 1 }, { mode: "vector" }))[0], "src/util/strings.go#1");
    });
    it("matches words loosely but not by accident", () => {
        assert.ok(looseMatch("routes", "routing") && looseMatch("app", "application") && looseMatch("request", "requests"));
        assert.ok(looseMatch("handler", "handling") && looseMatch("matched", "matcher"));
        assert.ok(!looseMatch("parse", "part") && !looseMatch("io", "ion"));
        assert.deepEqual(pathWords("src/routing/route_table.py"), { stem: ["route", "table", "routetable"], stemKey: "routetable", folder: ["routing"] });
        assert.deepEqual(queryWords("How does the Router match a URL?"), ["router", "match", "url"]);
    });
});

describe("rule: exactSymbol", () => {
    const defs: Def[] = [
        { id: 9, path: "pkg/other.go", kind: "code", language: "go", startLine: 1, endLine: 9, symbolKeys: "newrouter" },
        { id: 8, path: "pkg/newrouter.go", kind: "code", language: "go", startLine: 1, endLine: 9, symbolKeys: "newrouter" },
    ];
    const cands = [cand(1, "a.go", 0.02), cand(2, "b.go", 0.01)];
    it("an identifier query brings in its definitions, the one in a file named after it first", () => {
        const got = order(cands, ctx("NewRouter", { symbolStemFactor: 1.5 }, { identifier: true, defs }));
        assert.deepEqual(got.slice(0, 2), ["pkg/newrouter.go#8", "pkg/other.go#9"]);
        assert.deepEqual(order(cands, ctx("NewRouter", { disabledRules: ["exactSymbol"] }, { identifier: true, defs })), ["a.go#1", "b.go#2"]);
    });
    it("identifiers named in a prose query gain part of the boost; plain words do not", () => {
        const prose = order(cands, ctx("when does NewRouter add middleware", { proseSymbolFactor: 0.5 }, { defs }));
        assert.ok(prose.indexOf("pkg/other.go#9") >= 0 && prose.indexOf("pkg/other.go#9") < prose.indexOf("b.go#2"));
        const none = order(cands, ctx("when does NewRouter add middleware", { proseSymbolFactor: 0 }, { defs }));
        assert.deepEqual(none, ["a.go#1", "b.go#2"]);
        const plain = order(cands, ctx("newrouter middleware", { proseSymbolFactor: 0.5 }, { defs }));
        assert.deepEqual(plain, ["a.go#1", "b.go#2"]);
    });
});

describe("query intent gates the file-level rules", () => {
    const cands = [cand(1, "a.go", 0.9), cand(2, "a.go", 0.8), cand(3, "b.go", 0.75)];
    it("a description of one behaviour keeps its file's second chunk where the retrievers put it", () => {
        const on = { ...ctx("q", { codeSaturation: 0.5 }), intent: "description" as const };
        assert.deepEqual(order(cands, on), ["a.go#1", "a.go#2", "b.go#3"]);
        const all = { ...on, config: { ...on.config, fileRulesFor: ["identifier", "topic", "description"] as const } };
        assert.deepEqual(order(cands, all), ["a.go#1", "b.go#3", "a.go#2"]);
    });
    it("tells the kinds apart by form", () => {
        assert.equal(queryIntent("parseConfig"), "identifier");
        assert.equal(queryIntent("session management"), "topic");
        assert.equal(queryIntent("how are routes registered in the application"), "topic");
        assert.equal(queryIntent("Returns true if this DateTime is in a leap year, false otherwise"), "description");
        assert.equal(queryIntent("Masks a buffer using the given mask."), "description");
        assert.equal(queryIntent("HTTP router and middleware composition"), "topic");
    });
});

describe("rule: pathPriors", () => {
    it("demotes tests, examples, vendored copies, stubs and declarations by their own weights", () => {
        const cfg = { ...NEUTRAL, testWeight: 0.8, auxiliaryWeight: 0.3, stubWeight: 0.5, declarationWeight: 0.7 };
        assert.equal(priorOf("src/app.py", "code", cfg), 1);
        assert.equal(priorOf("tests/test_app.py", "code", cfg), 0.8);
        assert.equal(priorOf("examples/basic/app.py", "code", cfg), 0.3);
        assert.equal(priorOf("vendor/lib/x.go", "code", cfg), 0.3);
        assert.equal(priorOf("pkg/__init__.py", "code", cfg), 0.5);
        assert.equal(priorOf("types/index.d.ts", "code", cfg), 0.7);
    });
    it("an example that matches a little better than the implementation comes after it", () => {
        const cands = [cand(1, "examples/upload.go", 0.5), cand(2, "upload/retry.go", 0.45)];
        assert.equal(order(cands, ctx("q", { auxiliaryWeight: 0.3 }))[0], "upload/retry.go#2");
        assert.equal(order(cands, ctx("q", { auxiliaryWeight: 1 }))[0], "examples/upload.go#1");
    });
});

describe("rule: sameFile", () => {
    it("Find Similar demotes the compared file's own chunks", () => {
        const cands = [cand(1, "a.go", 0.9), cand(2, "b.go", 0.85)];
        const similar = { ...ctx("", {}, { mode: "vector" }), similarTo: "a.go" };
        assert.equal(order(cands, similar)[0], "b.go#2");
        assert.equal(order(cands, { ...similar, config: { ...similar.config, disabledRules: ["sameFile"] } })[0], "a.go#1");
    });
});

describe("merging a file's neighbouring chunks", () => {
    const chunk = (id: number, start: number, lines: string[]) => ({
        chunk: { id, path: "a.ts", startLine: start, endLine: start + lines.length - 1, language: "typescript", kind: "code" as const, text: lines.join("\n") },
        score: 1 / id,
    });
    const ranked = [chunk(1, 1, ["interface A {", "}"]), chunk(2, 4, ["function f() {", "}"])];
    it("joins chunks apart by blank lines that hold no chunk, filling the gap", () => {
        const [hit, ...rest] = mergeOverlapping(ranked, 150, () => true, 2);
        assert.equal(rest.length, 0);
        assert.deepEqual([hit.startLine, hit.endLine], [1, 5]);
        assert.equal(hit.text, "interface A {\n}\n\nfunction f() {\n}");
    });
    it("keeps them apart when the gap holds another chunk", () => {
        assert.equal(mergeOverlapping(ranked, 150, () => false, 2).length, 2);
        assert.equal(mergeOverlapping(ranked, 150, () => true, 0).length, 2, "0 = touching only");
    });
});
