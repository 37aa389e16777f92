/**
 * Syntax-aware chunking: unit boundaries and symbols per language (line ranges asserted against the fixtures in
 * test/fixtures/chunk), leading comments, class splitting, the token budget, and robustness.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkFile, estimateTokens, _private } from "../../src/core/chunk/index";
import { TreeSitterHost } from "../../src/core/chunk/treeSitter";
import type { Logger } from "../../src/core/types";
import { assertWellFormed, bySymbol, fixture, rangeOf } from "./chunkHelpers";

const CODE_FIXTURES = [
    "sample.ts",
    "sample.py",
    "sample.go",
    "Sample.java",
    "sample.rs",
    "sample.cpp",
    "Sample.cs",
    "sample.rb",
    "sample.php",
];

test("TypeScript: units with their leading comments; a small class stays whole", async () => {
    const chunks = await chunkFile("src/sample.ts", fixture("sample.ts"));
    assert.deepEqual(rangeOf(chunks, "parseDuration"), [6, 22, "function"]);
    assert.ok(bySymbol(chunks, "parseDuration").text.startsWith("/**\n * Parses a duration"));
    assert.deepEqual(rangeOf(chunks, "Settings"), [24, 28, "interface"]);
    assert.deepEqual(rangeOf(chunks, "SettingsCache"), [30, 54, "class"]);
    assert.deepEqual(rangeOf(chunks, "shout"), [56, 58, "function"]);
    assert.equal(chunks[0].startLine, 1);
    assert.equal(chunks[0].symbol, undefined, "imports are a gap chunk without a symbol");
    for (const c of chunks) {
        assert.equal(c.path, "src/sample.ts");
        assert.equal(c.language, "typescript");
        assert.equal(c.kind, "code");
    }
});

test("TypeScript: a class over the budget is split into its members", async () => {
    const chunks = await chunkFile("sample.ts", fixture("sample.ts"), { maxTokens: 200 });
    assert.deepEqual(rangeOf(chunks, "SettingsCache"), [30, 32, "class"]);
    assert.deepEqual(rangeOf(chunks, "SettingsCache.constructor"), [34, 34, "method"]);
    assert.deepEqual(rangeOf(chunks, "SettingsCache.load"), [36, 48, "method"]);
    assert.ok(bySymbol(chunks, "SettingsCache.load").text.startsWith("    /** Reads the settings"));
    assert.deepEqual(rangeOf(chunks, "SettingsCache.invalidate"), [50, 54, "method"]);
    assert.ok(
        bySymbol(chunks, "SettingsCache.invalidate").text.startsWith("    // Drops one folder"),
    );
});

test("Python: decorators, comments and docstrings stay with their unit", async () => {
    const whole = await chunkFile("auth/session.py", fixture("sample.py"));
    assert.deepEqual(rangeOf(whole, "Session"), [14, 29, "class"]);
    const chunks = await chunkFile("auth/session.py", fixture("sample.py"), { maxTokens: 150 });
    assert.deepEqual(rangeOf(chunks, "hash_token"), [9, 11, "function"]);
    assert.deepEqual(rangeOf(chunks, "Session"), [14, 20, "class"]);
    assert.ok(bySymbol(chunks, "Session").text.startsWith("@dataclass\nclass Session:"));
    assert.deepEqual(rangeOf(chunks, "Session.is_expired"), [22, 24, "method"]);
    assert.ok(bySymbol(chunks, "Session.is_expired").text.includes("# Sessions older"));
    assert.deepEqual(rangeOf(chunks, "Session.create"), [26, 29, "method"]);
    assert.ok(bySymbol(chunks, "Session.create").text.includes("@staticmethod"));
    assert.equal(chunks[chunks.length - 1].startLine, 32, "the __main__ block is a chunk too");
});

test("Go: methods are named after their receiver type", async () => {
    const chunks = await chunkFile("server/main.go", fixture("sample.go"), { maxTokens: 150 });
    assert.deepEqual(rangeOf(chunks, "Server"), [8, 12, "struct"]);
    assert.deepEqual(rangeOf(chunks, "NewServer"), [14, 17, "function"]);
    assert.deepEqual(rangeOf(chunks, "Server.Start"), [19, 23, "method"]);
    assert.ok(bySymbol(chunks, "Server.Start").text.startsWith("// Start listens"));
    assert.deepEqual(rangeOf(chunks, "Handler"), [25, 28, "interface"]);
});

test("Java: Javadoc and annotations are part of the method", async () => {
    const chunks = await chunkFile("db/Migrations.java", fixture("Sample.java"), {
        maxTokens: 150,
    });
    assert.deepEqual(rangeOf(chunks, "Migrations"), [6, 10, "class"]);
    assert.deepEqual(rangeOf(chunks, "Migrations.apply"), [12, 20, "method"]);
    assert.match(
        bySymbol(chunks, "Migrations.apply").text,
        /^ {4}\/\*\* Applies one migration[^]*@Deprecated/,
    );
    assert.deepEqual(rangeOf(chunks, "Migrations.history"), [22, 26, "method"]);
    assert.deepEqual(rangeOf(chunks, "Migration"), [28, 30, "interface"]);
});

test("Rust: attributes and doc comments, impl members", async () => {
    const chunks = await chunkFile("src/cache.rs", fixture("sample.rs"), { maxTokens: 150 });
    assert.deepEqual(rangeOf(chunks, "Cache"), [4, 9, "struct"]);
    assert.ok(bySymbol(chunks, "Cache").text.includes("#[derive(Debug, Clone)]"));
    // The `impl Cache {` header goes with the first member.
    assert.deepEqual(rangeOf(chunks, "Cache.new"), [11, 15, "impl"]);
    assert.deepEqual(rangeOf(chunks, "Cache.insert"), [17, 27, "method"]);
    const display = chunks.find((c) => c.startLine === 29);
    assert.deepEqual(
        [display?.endLine, display?.symbol, display?.symbolKind],
        [33, "Cache", "impl"],
    );
    assert.deepEqual(rangeOf(chunks, "default_cache"), [35, 38, "function"]);
});

test("C++: namespaces are walked through; out-of-class methods and templates", async () => {
    const chunks = await chunkFile("geo/polygon.cpp", fixture("sample.cpp"), { maxTokens: 150 });
    assert.deepEqual(rangeOf(chunks, "Point"), [6, 10, "struct"]);
    assert.deepEqual(rangeOf(chunks, "Polygon"), [12, 24, "class"]);
    assert.deepEqual(rangeOf(chunks, "Polygon.area"), [26, 35, "method"]);
    assert.ok(bySymbol(chunks, "Polygon.area").text.startsWith("// Shoelace formula."));
    // The closing `}  // namespace geometry` joins the last unit.
    assert.deepEqual(rangeOf(chunks, "clamp"), [37, 42, "function"]);
});

test("C#: namespace members, attributes and properties", async () => {
    const chunks = await chunkFile("Orders/Order.cs", fixture("Sample.cs"), { maxTokens: 150 });
    assert.deepEqual(rangeOf(chunks, "Order"), [6, 9, "class"]);
    assert.deepEqual(rangeOf(chunks, "Order.Items"), [11, 11, "property"]);
    assert.deepEqual(rangeOf(chunks, "Order.AddItem"), [13, 19, "method"]);
    assert.ok(bySymbol(chunks, "Order.AddItem").text.includes('[Obsolete("use AddItems")]'));
    assert.deepEqual(rangeOf(chunks, "Order.Total"), [21, 28, "method"]);
});

test("Ruby: modules and classes split into methods", async () => {
    const chunks = await chunkFile("lib/cache.rb", fixture("sample.rb"), { maxTokens: 120 });
    assert.deepEqual(rangeOf(chunks, "Cache"), [1, 4, "module"]);
    assert.deepEqual(rangeOf(chunks, "Cache.Store"), [5, 6, "class"]);
    assert.deepEqual(rangeOf(chunks, "Cache.Store.initialize"), [7, 10, "method"]);
    const fetch = bySymbol(chunks, "Cache.Store.fetch");
    assert.equal(fetch.startLine, 12);
    assert.ok(fetch.text.startsWith("    # Fetches a value"));
    assert.deepEqual(rangeOf(chunks, "load_json"), [27, 30, "function"]);
});

test("PHP: classes, methods with docblocks, functions", async () => {
    const chunks = await chunkFile("src/Billing/InvoiceMailer.php", fixture("sample.php"), {
        maxTokens: 120,
    });
    assert.deepEqual(rangeOf(chunks, "InvoiceMailer"), [7, 12, "class"]);
    assert.deepEqual(rangeOf(chunks, "InvoiceMailer.send"), [14, 24, "method"]);
    assert.ok(bySymbol(chunks, "InvoiceMailer.send").text.startsWith("    /**"));
    assert.deepEqual(rangeOf(chunks, "InvoiceMailer.count"), [26, 30, "method"]);
    assert.deepEqual(rangeOf(chunks, "format_price"), [32, 36, "function"]);
});

test("every fixture at every budget: in order, within budget, exact text, every line covered", async () => {
    for (const name of CODE_FIXTURES) {
        const text = fixture(name);
        for (const maxTokens of [40, 80, 120, 200, 400]) {
            assertWellFormed(text, await chunkFile(name, text, { maxTokens }), maxTokens);
        }
    }
});

test("a function over the budget is cut into line windows that keep its symbol", async () => {
    const body = Array.from(
        { length: 1500 },
        (_, i) => `    total += computeStep${i}(input, options) * ${i}; // step ${i}`,
    );
    const text = [
        "/** Adds everything up. */",
        "export function huge(input: number, options: object): number {",
        "    let total = 0;",
        ...body,
        "    return total;",
        "}",
        "",
        "export function after(): number {",
        "    return 1;",
        "}",
        "",
    ].join("\n");
    const chunks = await chunkFile("huge.ts", text);
    assertWellFormed(text, chunks, 400);
    const huge = chunks.filter((c) => c.symbol === "huge");
    assert.ok(huge.length > 20, `expected many windows, got ${huge.length}`);
    assert.equal(huge[0].startLine, 1, "the first window starts with the doc comment");
    assert.equal(huge[huge.length - 1].endLine, 1505);
    for (const c of huge) assert.equal(c.symbolKind, "function");
    for (let i = 1; i < huge.length; i++)
        assert.ok(huge[i].startLine <= huge[i - 1].endLine + 1, "windows leave no gap");
    assert.deepEqual(rangeOf(chunks, "after"), [1507, 1509, "function"]);
    for (const c of chunks) assert.ok(estimateTokens(c.text) <= 400);
});

test("a big class is split into its methods, each named Class.method", async () => {
    const methods = Array.from({ length: 12 }, (_, m) => [
        `    /** Handles case ${m}. */`,
        `    handle${m}(request: Request): Response {`,
        ...Array.from(
            { length: 8 },
            (_, k) =>
                `        const value${k} = request.params.get("key${m}_${k}") ?? defaultValue(${k});`,
        ),
        `        return respond(value0, value7);`,
        `    }`,
        ``,
    ]).flat();
    const text = [
        "export class Router {",
        "    private routes = new Map<string, Handler>();",
        "",
        ...methods,
        "}",
        "",
    ].join("\n");
    const chunks = await chunkFile("router.ts", text);
    assertWellFormed(text, chunks, 400);
    for (let m = 0; m < 12; m++) {
        const c = bySymbol(chunks, `Router.handle${m}`);
        assert.equal(c.symbolKind, "method");
        assert.ok(c.text.includes(`handle${m}(request`));
    }
    assert.equal(bySymbol(chunks, "Router").startLine, 1);
});

test("units wrapped in an IIFE are found", async () => {
    const fn = (name: string) => [
        `    function ${name}(a, b) {`,
        ...Array.from({ length: 12 }, (_, k) => `        a.push(b[${k}] + "${name}-${k}");`),
        "        return a;",
        "    }",
        "",
    ];
    const text = [
        "(function (global) {",
        '    "use strict";',
        ...fn("first"),
        ...fn("second"),
        ...fn("third"),
        "    global.lib = { first, second, third };",
        "})(this);",
        "",
    ].join("\n");
    const chunks = await chunkFile("lib.js", text, { maxTokens: 250 });
    assertWellFormed(text, chunks, 250);
    assert.deepEqual(rangeOf(chunks, "first"), [3, 17, "function"]);
    assert.deepEqual(rangeOf(chunks, "second"), [19, 33, "function"]);
    assert.deepEqual(rangeOf(chunks, "third"), [35, 49, "function"]);
});

test("CRLF files keep the same line numbers and lose the carriage returns", async () => {
    const lf = fixture("sample.py");
    const crlf = lf.replace(/\n/g, "\r\n");
    const a = await chunkFile("s.py", lf, { maxTokens: 150 });
    const b = await chunkFile("s.py", crlf, { maxTokens: 150 });
    assert.deepEqual(
        b.map((c) => [c.startLine, c.endLine, c.symbol]),
        a.map((c) => [c.startLine, c.endLine, c.symbol]),
    );
    for (const c of b) assert.ok(!c.text.includes("\r"));
    assert.deepEqual(rangeOf(b, "Session.create"), [26, 29, "method"]);
});

test("empty and blank files have no chunks", async () => {
    for (const text of ["", "\n", "  \n\t\n\r\n", "\ufeff"]) {
        assert.deepEqual(await chunkFile("empty.ts", text), []);
        assert.deepEqual(await chunkFile("empty.md", text), []);
        assert.deepEqual(await chunkFile("empty.txt", text), []);
    }
});

test("a minified line is cut by characters; every piece refers to that line and fits the budget", async () => {
    const unit = "var a=function(b,c){return b+c*2};window.fooBarBaz=a(1,2);";
    const line = unit.repeat(5000);
    const text = `// header\n${line}\n// footer\n`;
    const chunks = await chunkFile("bundle.min.js", text);
    assertWellFormed(text, chunks, 400);
    const pieces = chunks.filter((c) => c.startLine === 2 && c.endLine === 2);
    assert.ok(pieces.length > 10);
    assert.equal(
        pieces.map((c) => c.text).join(""),
        line,
        "the pieces are the whole line, in order",
    );
});

test("a 5 MB single line is chunked quickly", async () => {
    const line = "x=[1,2,3].map(function(v){return v*v}).filter(Boolean);".repeat(95_000);
    const started = performance.now();
    const chunks = await chunkFile("huge.min.js", line);
    const ms = performance.now() - started;
    assert.ok(line.length > 5_000_000);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    assert.ok(
        chunks.every((c) => c.startLine === 1 && c.endLine === 1 && estimateTokens(c.text) <= 400),
    );
});

test("a missing grammar falls back to line windows and says why at debug level", async () => {
    await chunkFile("warm.ts", "export const a = 1;\n"); // the runtime itself is fine
    const debug: string[] = [];
    const logger: Logger = {
        trace() {},
        debug: (m: string) => debug.push(m),
        info() {},
        warn() {},
        error() {},
    };
    const host = new TreeSitterHost(() => "/nonexistent/grammars");
    const text = fixture("sample.go");
    const chunks = await _private.chunkWith(host, "main.go", text, { logger });
    assertWellFormed(text, chunks, 400);
    assert.ok(
        chunks.every((c) => c.symbol === undefined),
        "line windows have no symbols",
    );
    assert.equal(debug.length, 1);
    assert.match(debug[0], /main\.go: falling back to line windows: .*grammar go/);
});

test("odd input never throws: garbage in a code file, binary-ish text, unknown languages", async () => {
    const garbage = Array.from({ length: 300 }, (_, i) =>
        i % 3 === 0 ? "}}} ))) def class {{{ <?php ]]" : `%% ${i} @@ \u0000 ~~`,
    ).join("\n");
    for (const name of [
        "x.py",
        "x.ts",
        "x.rs",
        "x.cpp",
        "x.rb",
        "x.php",
        "x.cs",
        "x.java",
        "x.go",
        "x.kt",
        "x.md",
        "x.rst",
        "x.json",
    ]) {
        const chunks = await chunkFile(name, garbage, { maxTokens: 100 });
        assertWellFormed(garbage, chunks, 100);
    }
});

test("a file that does not parse falls back to line windows and says why at debug level", async () => {
    const debug: string[] = [];
    const logger: Logger = {
        trace() {},
        debug: (m: string) => debug.push(m),
        info() {},
        warn() {},
        error() {},
    };
    const text = Array.from({ length: 120 }, (_, i) => `}} ]] def ${i} ((( class :: {{`).join("\n");
    const chunks = await chunkFile("broken.py", text, { logger, maxTokens: Number.NaN });
    assertWellFormed(text, chunks, 400);
    assert.deepEqual(debug, ["chunker: broken.py: parse errors cover 120 of 120 lines"]);
    // Line windows: no symbols, each overlapping the previous by 5 lines.
    assert.ok(chunks.length > 2 && chunks.every((c) => c.symbol === undefined));
    assert.deepEqual([chunks[0].startLine, chunks[chunks.length - 1].endLine], [1, 120]);
    for (let i = 1; i < chunks.length; i++)
        assert.equal(chunks[i].startLine, chunks[i - 1].endLine - 4);
});

test("languages without a grammar get line windows", async () => {
    const text = Array.from({ length: 100 }, (_, i) => `val v${i} = ${i}`).join("\n");
    const chunks = await chunkFile("Main.kt", text);
    assert.deepEqual(
        chunks.map((c) => [c.startLine, c.endLine]),
        [
            [1, 40],
            [36, 75],
            [71, 100],
        ],
    );
    assert.ok(
        chunks.every((c) => c.language === "kotlin" && c.kind === "code" && c.symbol === undefined),
    );
});
