/**
 * End to end through the built CLI (dist/cli.js) with the real ONNX model over a copy of the fixture workspace.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repoRoot = resolve(__dirname, "..", "..", "..");
const cli = join(repoRoot, "dist", "cli.js");
const fixture = join(repoRoot, "test", "fixtures", "workspace");

let work: string;
let folder: string;
let indexDir: string;

interface JsonHit {
    path: string;
    startLine: number;
    endLine: number;
    score: number;
    symbol?: string;
}

function seek(...args: string[]): { code: number; stdout: string; stderr: string } {
    return seekWith(indexDir, ...args);
}

/** The CLI on another index of the same folder; every run shares this test's own embedding cache (XDG_CACHE_HOME). */
function seekWith(index: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
    const env = { ...process.env, XDG_CACHE_HOME: join(work, "cache") };
    const res = spawnSync(process.execPath, [cli, ...args, "--index-dir", index], { encoding: "utf8", timeout: 240_000, env });
    return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

interface IndexJson {
    files: number;
    chunks: number;
    embeddedChunks: number;
    modelEmbedded: number;
    cacheHits: number;
}

function search(query: string, ...extra: string[]): JsonHit[] {
    const res = seek("search", folder, query, "--json", "--top", "5", ...extra);
    assert.equal(res.code, 0, res.stderr);
    return (JSON.parse(res.stdout) as { results: JsonHit[] }).results;
}

function rankOf(hits: JsonHit[], path: string, line?: number): number {
    return hits.findIndex((h) => h.path === path && (line === undefined || (h.startLine <= line && line <= h.endLine)));
}

before(() => {
    work = mkdtempSync(join(tmpdir(), "seek-cli-"));
    folder = join(work, "ws");
    indexDir = join(work, "index");
    cpSync(fixture, folder, { recursive: true });
    // Created here, not committed: a nested .gitignore in the repo would hide it from git itself.
    mkdirSync(join(folder, "ignored-output"));
    writeFileSync(join(folder, "ignored-output", "gen.js"), "function retryUploadGenerated() { /* retry failed uploads */ }\n");
});

after(() => rmSync(work, { recursive: true, force: true }));

test("index builds from scratch and reports files and chunks", () => {
    const res = seek("index", folder, "--json");
    assert.equal(res.code, 0, res.stderr);
    const status = JSON.parse(res.stdout) as IndexJson;
    assert.ok(status.files >= 8, `indexed ${status.files} files`);
    assert.ok(status.chunks >= status.files, `chunks ${status.chunks}`);
    assert.equal(status.embeddedChunks, status.chunks);
    assert.ok(status.modelEmbedded > 0 && status.modelEmbedded <= status.chunks, `the model embedded ${status.modelEmbedded}`);
});

test("a second index of the folder (another front end) embeds nothing: the embedding cache answers", () => {
    const other = join(work, "index-other");
    const res = seekWith(other, "index", folder, "--json");
    assert.equal(res.code, 0, res.stderr);
    const status = JSON.parse(res.stdout) as IndexJson;
    assert.equal(status.modelEmbedded, 0, res.stderr);
    assert.equal(status.cacheHits, status.chunks);
    const query = ["search", folder, "where do we retry failed uploads?", "--json", "--top", "5"];
    const here = JSON.parse(seekWith(other, ...query).stdout) as { results: JsonHit[] };
    const first = JSON.parse(seek(...query).stdout) as { results: JsonHit[] };
    assert.deepEqual(here.results, first.results, "the same vectors give the same results");
});

test("a natural-language question finds the right function in the top 3", () => {
    const hits = search("where do we retry failed uploads?");
    const rank = rankOf(hits, "src/upload/retry.ts", 15);
    assert.ok(rank >= 0 && rank < 3, `retryUpload rank ${rank}: ${JSON.stringify(hits.map((h) => h.path))}`);
});

test("questions in other languages find their functions", () => {
    const cases: [string, string][] = [
        ["refresh the access token when it expires", "src/auth/session.py"],
        ["health check endpoint for the load balancer", "server/main.go"],
        ["apply database schema migrations in a transaction", "src/db/Migrations.java"],
        ["evict least recently used entries from the cache", "lib/cache.rb"],
    ];
    for (const [q, path] of cases) {
        const rank = rankOf(search(q), path);
        assert.ok(rank >= 0 && rank < 3, `${q} -> ${path} at rank ${rank}`);
    }
});

test("a docs question finds the right section", () => {
    const hits = search("how do I configure an HTTP proxy?", "--task", "docs");
    const top = hits.slice(0, 3);
    assert.ok(
        top.some((h) => h.path === "docs/README.md" && (h.symbol ?? "").includes("Proxy")),
        JSON.stringify(top),
    );
});

test("ignored and secret files are never indexed", () => {
    const hits = search("retryUploadGenerated", "--mode", "lexical");
    assert.equal(rankOf(hits, "ignored-output/gen.js"), -1);
    const secret = search("ACME_TOKEN super-secret-token-value", "--mode", "lexical");
    assert.equal(rankOf(secret, ".env"), -1);
});

test("similar finds the near-duplicate function and never the query range", () => {
    const res = seek("similar", folder, "src/upload/retry.ts:15", "--json", "--top", "5");
    assert.equal(res.code, 0, res.stderr);
    const hits = (JSON.parse(res.stdout) as { results: JsonHit[] }).results;
    assert.equal(hits[0]?.path, "src/net/fetchWithRetry.ts", JSON.stringify(hits));
    assert.ok(!hits.some((h) => h.path === "src/upload/retry.ts" && h.startLine <= 15 && 15 <= h.endLine));
});

test("an edit is picked up and only the changed file is re-embedded", () => {
    appendFileSync(
        join(folder, "src/utils/strings.ts"),
        "\n/** Converts a temperature from degrees Celsius to Fahrenheit. */\nexport function celsiusToFahrenheit(c: number): number {\n    return (c * 9) / 5 + 32;\n}\n",
    );
    const res = seek("index", folder, "--json");
    assert.equal(res.code, 0, res.stderr);
    const status = JSON.parse(res.stdout) as IndexJson;
    assert.ok(status.embeddedChunks > 0 && status.embeddedChunks <= 3, `re-stored ${status.embeddedChunks} chunks`);
    assert.ok(status.modelEmbedded > 0 && status.modelEmbedded <= status.embeddedChunks, `the model embedded ${status.modelEmbedded}`);
    const hits = search("convert celsius to fahrenheit");
    assert.equal(hits[0]?.path, "src/utils/strings.ts");
});

test("batch queries give one JSON line per query with ids", () => {
    const file = join(work, "queries.jsonl");
    writeFileSync(file, '{"id":"a","query":"retry failed uploads"}\n{"id":7,"query":"proxy settings","task":"docs"}\n');
    const res = seek("search", folder, "--queries", file, "--json", "--top", "3");
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: unknown; results: JsonHit[] });
    assert.deepEqual(lines.map((l) => l.id), ["a", 7]);
    assert.ok(lines.every((l) => l.results.length > 0 && l.results.length <= 3));
});

test("usage errors exit 2, other errors exit 1 with one line", () => {
    assert.equal(seek("search", folder).code, 2);
    assert.equal(seek("bogus", folder).code, 2);
    assert.equal(seek("search", folder, "x", "--mode", "fuzzy").code, 2);
    const missing = seek("search", folder, "x", "--model", join(work, "no-such-model"));
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);
});

test("status of a folder never indexed says so and creates nothing", () => {
    const never = join(work, "never-index");
    const res = seekWith(never, "status", folder);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /index: +none yet/);
    const json = seekWith(never, "status", folder, "--json");
    assert.equal((JSON.parse(json.stdout) as { indexed: boolean }).indexed, false);
    assert.ok(!existsSync(never), "status must not create the index directory");
});

test("an empty folder indexes to a clear 'nothing to index', and status dates that run", () => {
    const empty = join(work, "empty-folder");
    mkdirSync(empty);
    const index = join(work, "empty-index");
    const res = seekWith(index, "index", empty);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^Indexed 0 files \(0 chunks\)\. There is nothing here Seek indexes\./);
    const before = Date.now();
    const status = seekWith(index, "status", empty);
    assert.doesNotMatch(status.stdout, /indexed: +never/);
    const when = /indexed: +(\S+)/.exec(status.stdout)?.[1] ?? "";
    const at = Date.parse(when);
    assert.ok(Number.isFinite(at) && at <= before && at > before - 120_000, `status dates the run that found nothing: ${status.stdout}`);
});

test("skips: expected ones at info, surprises as warnings, one count everywhere, no doubled prefix", () => {
    const mixed = join(work, "mixed-folder");
    mkdirSync(mixed);
    writeFileSync(join(mixed, "main.py"), "def hello():\n    return 1\n");
    writeFileSync(join(mixed, "screenshot.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    writeFileSync(join(mixed, "data.bin"), Buffer.alloc(64, 1));
    writeFileSync(join(mixed, "yarn.lock"), "# lock\n");
    writeFileSync(join(mixed, "notes.txt"), "text with a NUL \0 inside\n");
    const res = seekWith(join(work, "mixed-index"), "index", mixed, "--verbose");
    assert.equal(res.code, 0, res.stderr);
    // The summary counts what the log lists: 3 skipped (two by extension, one surprise); the lock file is ignored.
    assert.match(res.stdout, /^Indexed 1 file \(1 chunk\); skipped 3: 3 binary \(--verbose lists them\)\./);
    const lines = res.stderr.split("\n");
    const skipLines = (level: string) => lines.filter((l) => l.startsWith(`seek ${level}: skipped `) && !/skipped \d+ files?:/.test(l));
    assert.deepEqual(skipLines("warn").map((l) => l.split(":")[1].trim().split(" ")[1]), ["notes.txt"]);
    assert.deepEqual(skipLines("info").map((l) => l.split(" ")[3].replace(/:$/, "")).sort(), ["data.bin", "screenshot.png"]);
    assert.ok(skipLines("debug").some((l) => l.includes("yarn.lock")), res.stderr);
    assert.ok(lines.some((l) => l === "seek info: skipped 3 files: 3 binary; 1 unexpected, warned about above"), res.stderr);
    assert.ok(!res.stderr.includes("seek info: seek:") && !res.stderr.includes("seek debug: seek:"), "no doubled prefix");
});
