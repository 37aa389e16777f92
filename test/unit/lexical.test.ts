import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
    queryAlternatives,
    type QueryAlternative,
    symbolKeysOf,
    identifierTokens,
    looksLikeIdentifier,
    MAX_QUERY_TERMS,
    queryTerms,
    splitIdentifier,
    symbolKey,
} from "../../src/core/search/lexical";
import { IndexStore } from "../../src/core/store/indexStore";

describe("identifier splitting", () => {
    const cases: [string, string[]][] = [
        ["getUserById", ["getuserbyid", "get", "user", "by", "id"]],
        ["get_user_by_id", ["getuserbyid", "get", "user", "by", "id"]],
        ["GET_USER_BY_ID", ["getuserbyid", "get", "user", "by", "id"]],
        ["HTTPServer", ["httpserver", "http", "server"]],
        ["XMLHttpRequest", ["xmlhttprequest", "xml", "http", "request"]],
        ["utf8Decode", ["utf8decode", "utf8", "decode"]],
        ["IOError", ["ioerror", "io", "error"]],
        ["__init__", ["init"]],
        ["$scope", ["scope"]],
        ["plain", ["plain"]],
        ["Café", ["café"]],
    ];
    for (const [input, expected] of cases) {
        it(`${input} -> ${expected.join(" ")}`, () => assert.deepEqual(identifierTokens(input), expected));
    }

    it("splits kebab-case and dotted paths into words", () => {
        assert.deepEqual(identifierTokens("max-width a.b/c"), ["max", "width", "a", "b", "c"]);
    });

    it("compoundOnly keeps only the tokens of multi-part identifiers", () => {
        assert.deepEqual(identifierTokens("the parseConfig of snake_case", { compoundOnly: true }), [
            "parseconfig", "parse", "config", "snakecase", "snake", "case",
        ]);
    });

    it("splitIdentifier handles acronym runs and digits", () => {
        assert.deepEqual(splitIdentifier("parseJSON2Data"), ["parse", "json2", "data"]);
        assert.deepEqual(splitIdentifier("___"), []);
    });
});

describe("query classification", () => {
    it("recognises identifier queries", () => {
        for (const q of ["parseConfig", "user_id", "Foo.bar", "fmt::println", "run()", "obj->field", "Class#method", "word"]) {
            assert.equal(looksLikeIdentifier(q), true, q);
        }
        for (const q of ["how to parse config", "", "  ", "a + b", "foo bar", "x".repeat(3000)]) {
            assert.equal(looksLikeIdentifier(q), false, q);
        }
    });

    it("symbolKey normalises the last segment", () => {
        assert.equal(symbolKey("Auth.loginUser()"), "loginuser");
        assert.equal(symbolKey("login_user"), "loginuser");
        assert.equal(symbolKey("Guide > Install steps"), "installsteps");
        assert.equal(symbolKey("!!!"), undefined);
    });
});

/** A readable rendering of alternatives: `joined` or `joined|(a b c)`, joined by " OR ". */
function render(alternatives: QueryAlternative[]): string | undefined {
    if (alternatives.length === 0) return undefined;
    return alternatives.map((a) => (a.parts.length === 0 ? a.joined : `${a.joined}|(${a.parts.join(" ")})`)).join(" OR ");
}

describe("lexical query alternatives", () => {
    it("drops stop words from prose queries but not from identifiers", () => {
        assert.deepEqual(queryTerms("how do we parse the config file"), ["parse", "config", "file"]);
        assert.deepEqual(queryTerms("getUserById"), ["getuserbyid", "get", "user", "by", "id"]);
        assert.deepEqual(queryTerms("the of and"), ["the", "of", "and"], "all stop words: keep them rather than nothing");
    });

    it("ORs words, each compound identifier as its joined form or all of its parts", () => {
        assert.equal(render(queryAlternatives("getUserById")), "getuserbyid|(get user by id)");
        // Two words make a prose query: stop words go (also among parts), the joined identifier stays.
        assert.equal(render(queryAlternatives("parse the getUserById")), "parse OR getuserbyid|(get user id)");
        assert.equal(render(queryAlternatives("config config CONFIG")), "config", "duplicates collapse");
        assert.equal(render(queryAlternatives("the of and")), "the OR of OR and", "all stop words: keep them rather than nothing");
        assert.equal(symbolKeysOf("Auth.loginUser"), "loginuser");
        assert.equal(symbolKeysOf("Field.deserialize.FieldVisitor, Field.deserialize.FieldVisitor.Value"), "fieldvisitor value");
        assert.equal(symbolKeysOf(undefined), "");
    });

    it("returns nothing for queries without a searchable term", () => {
        for (const q of ["", "   ", "!!!", '"', "''", "*", "()", "-- ; ::", "\u0000\u0001"]) {
            assert.deepEqual(queryAlternatives(q), [], JSON.stringify(q));
        }
    });

    it("caps the number of terms", () => {
        const q = Array.from({ length: 200 }, (_, i) => `term${i}`).join(" ");
        assert.equal(queryTerms(q).length, MAX_QUERY_TERMS);
        assert.equal(queryAlternatives(q).length, MAX_QUERY_TERMS);
        const compounds = Array.from({ length: 50 }, (_, i) => `getThing${i}ById`).join(" ");
        assert.ok(queryAlternatives(compounds).reduce((n, a) => n + 1 + a.parts.length, 0) <= MAX_QUERY_TERMS);
    });
});

describe("hostile queries run safely against a real index", () => {
    let dir: string;
    let store: IndexStore;
    before(() => {
        dir = fs.mkdtempSync(join(tmpdir(), "seek-lexical-"));
        store = IndexStore.open(dir, { modelId: "m", dimensions: 4, instructionSet: "i", chunkerVersion: "1" });
        const text = 'function getUserById(id) {\n  // NEAR the "cache" AND OR NOT *\n  return db.users.find(id);\n}';
        store.replaceFile({ path: "src/users.ts", hash: "h", size: 1, mtimeMs: 1 }, [
            { path: "src/users.ts", startLine: 1, endLine: 4, language: "typescript", kind: "code", symbol: "getUserById", text },
        ], [new Float32Array([1, 0, 0, 0])]);
    });
    after(() => {
        store.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const hostile = [
        '"', '""', '"unterminated', "NEAR", "NEAR(", "NEAR(a b, 3)", "*", "user*", "^user", "a AND", "OR OR OR", "NOT",
        "col:value", "symbol:", "{symbol text}: x", "(((", ")", "+-", "'; DROP TABLE chunks; --", "\u0000", "🙂 emoji",
        "x".repeat(10_000), "get user ".repeat(2000), "a".repeat(10_000) + " user",
    ];
    for (const q of hostile) {
        it(`does not throw for ${JSON.stringify(q.length > 30 ? `${q.slice(0, 30)}...(${q.length})` : q)}`, () => {
            const hits = store.lexicalSearch(q, 10);
            assert.ok(Array.isArray(hits));
        });
    }

    it("finds the chunk by its identifier in any naming convention and by stemmed words", () => {
        for (const q of ["getUserById", "get_user_by_id", "user", "users", "finding users"]) {
            const hits = store.lexicalSearch(q, 10);
            assert.equal(hits.length, 1, q);
        }
        const table = store.chunks;
        assert.deepEqual(table.slotsWithSymbol("getuserbyid").map((s) => table.idAt(s)), [store.lexicalSearch("getUserById", 10)[0].id]);
        assert.deepEqual(table.slotsWithSymbol("getuser"), [], "a prefix of the name is not the name");
    });
});
