#!/usr/bin/env node
/**
 * What one agent tool call costs and finds: for each query of the semble set (default: the 20-repo subset of issue
 * #10), the answer of ONE `search` call to `seek mcp` (default budget: 10 results, 6,000 characters), measured in
 * characters and in tokens of the model's tokenizer (bge-small-en-v1.5, WordPiece), and whether a target file of
 * the query is in it. Beside it, in the same run and at the same size, two grep-style baselines over the same folder:
 *   - rg:        `rg -n -i -F -e <word> ...` on the query's words (stop words out), matches in path order, first
 *                lines until the size of Seek's answer: what an agent's first grep shows;
 *   - rg-ranked: the same matches, files ordered by how many distinct query words they contain (then by match
 *                count), their lines until the same size: a grep with a ranking step, a stronger baseline.
 *
 *   node bench/agent/outputBudget.mjs [--repos-dir DIR] [--only a,b] [--max-chars 6000] [--count 10] [--out FILE]
 *
 * The index is built first with `seek index` (both stages; the shared embedding cache answers for chunks any
 * earlier run embedded), then the server answers from it. Writes per-query rows to --out (default
 * bench/results/agent-output-<date>.json, gitignored) and prints a per-repo table.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Tokenizer } from "@huggingface/tokenizers";
import { parseFlags } from "../lib/args.mjs";
import { snapshotCli } from "../lib/seekCli.mjs";
import { BENCH_DIR, REPO_ROOT, loadUnits } from "../semble/data.mjs";
import { pathMatches } from "../semble/score.mjs";

/** The 20-repo subset of issue #10 (bench/RESULTS.md "semble-20"). */
export const SEMBLE_20 = [
    "redux", "bats-core", "express", "model2vec", "zig-clap", "snapkit", "sinatra", "axios", "xmonad", "requests",
    "guzzle", "circe", "starlette", "httpx", "rack", "flask", "lazy.nvim", "chi", "click", "trpc",
];

/** Grammar words an agent would not grep for (the core's list, core/search/lexical.ts STOP_WORDS). */
const STOP_WORDS = new Set(
    ("a an and are as at be been being but by can could did do does doing for from had has have how i if in into is it its " +
        "me my of on or our should so than that the their them then there these they this those to was we were what when " +
        "where which who whom why will with would you your").split(" "),
);
/** Words this short match almost every line; an agent would not grep for them either. */
const MIN_WORD = 3;

/** A frozen copy of this build (bench/lib/seekCli.mjs): a rebuild of dist/ during the run cannot mix two builds. */
const CLI = join(BENCH_DIR, ".cache", `cli-${snapshotCli()}`, "dist", "cli.js");

const args = parseFlags(process.argv.slice(2), { lists: ["only"] });
const reposDir = args.reposDir ?? process.env.SEEK_BENCH_REPOS ?? join(REPO_ROOT, "..", "bench-repos");
const maxChars = Number(args.maxChars ?? 6000);
const count = Number(args.count ?? 10);
const out = args.out ?? join(BENCH_DIR, "results", `agent-output-${new Date().toISOString().slice(0, 10)}.json`);
const say = (m) => process.stdout.write(`${m}\n`);

const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(REPO_ROOT, "models", "bge-small-en-v1.5-q", "tokenizer.json"), "utf8")), {});
const tokens = (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.length;

/** The query's words as an agent would grep them. */
export function grepWords(query) {
    const words = query.match(/[\p{L}\p{N}_$]+/gu) ?? [];
    const kept = [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length >= MIN_WORD && !STOP_WORDS.has(w)))];
    return kept.length > 0 ? kept : [...new Set(words.map((w) => w.toLowerCase()))].slice(0, 1);
}

/** `rg -n -i -F` matches of the words, as { path, line, text } in rg's path order. */
function rgMatches(folder, words) {
    if (words.length === 0) return [];
    const res = spawnSync("rg", ["-n", "-i", "-F", "--no-heading", "--color", "never", "--sort", "path", ...words.flatMap((w) => ["-e", w]), "."], {
        cwd: folder,
        encoding: "utf8",
        maxBuffer: 1 << 28,
    });
    return res.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => {
            const m = /^(.*?):(\d+):(.*)$/.exec(l);
            return m ? { path: m[1].replace(/^\.\//, ""), line: +m[2], text: m[3], raw: `${m[1].replace(/^\.\//, "")}:${m[2]}:${m[3]}` } : undefined;
        })
        .filter(Boolean);
}

/** Whole output lines, in order, until `size` characters (the first line is cut to fit if it alone is longer). */
function firstUntil(lines, size) {
    const kept = [];
    let used = 0;
    for (const l of lines) {
        if (used + l.raw.length + 1 > size) {
            if (kept.length === 0) kept.push({ ...l, raw: l.raw.slice(0, size) });
            break;
        }
        kept.push(l);
        used += l.raw.length + 1;
    }
    return kept;
}

/** Files ordered by distinct query words among their matching lines, then by matches; their lines in that order. */
function ranked(matches, words) {
    const byFile = new Map();
    for (const m of matches) {
        const f = byFile.get(m.path) ?? { lines: [], words: new Set() };
        f.lines.push(m);
        const lower = m.text.toLowerCase();
        for (const w of words) if (lower.includes(w)) f.words.add(w);
        byFile.set(m.path, f);
    }
    return [...byFile.values()].sort((a, b) => b.words.size - a.words.size || b.lines.length - a.lines.length).flatMap((f) => f.lines);
}

const hasTarget = (paths, targets) => targets.some((t) => paths.some((p) => pathMatches(p, t.path)));

/** The answer's distinct files in order of first appearance, and the 1-based rank of the first target file among them. */
function fileRanks(paths, targets) {
    const files = [...new Set(paths)];
    const i = files.findIndex((p) => targets.some((t) => pathMatches(p, t.path)));
    return { files: files.length, rank: i < 0 ? null : i + 1 };
}

function indexFolder(unit, indexDir) {
    const res = spawnSync(process.execPath, [CLI, "index", unit.indexRoot, "--index-dir", indexDir, "--json"], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (res.status !== 0) throw new Error(`seek index ${unit.name} failed: ${res.stderr.slice(-800)}`);
    return JSON.parse(res.stdout);
}

async function runUnit(unit) {
    const indexDir = join(BENCH_DIR, ".cache", "agent", unit.name);
    const started = Date.now();
    const index = indexFolder(unit, indexDir);
    const indexSeconds = (Date.now() - started) / 1000;
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp", unit.indexRoot, "--index-dir", indexDir], stderr: "ignore" });
    const client = new Client({ name: "seek-bench-agent", version: "1.0.0" });
    await client.connect(transport);
    const rows = [];
    try {
        for (const task of unit.tasks) {
            const t0 = performance.now();
            const r = await client.callTool({ name: "search", arguments: { query: task.query, count, maxChars } });
            const ms = performance.now() - t0;
            const text = r.content.map((c) => c.text ?? "").join("");
            const paths = [...text.matchAll(/^\d+\. (\S+):\d+/gm)].map((m) => m[1]);
            const size = text.length;
            const words = grepWords(task.query);
            const matches = rgMatches(unit.indexRoot, words);
            const plain = firstUntil(matches, size);
            const smart = firstUntil(ranked(matches, words), size);
            const plainText = plain.map((l) => l.raw).join("\n");
            const smartText = smart.map((l) => l.raw).join("\n");
            rows.push({
                repo: unit.name,
                query: task.query,
                category: task.category,
                isError: r.isError === true,
                ms: Math.round(ms),
                seek: { chars: size, tokens: tokens(text), results: paths.length, ...fileRanks(paths, task.targets) },
                rg: { chars: plainText.length, tokens: tokens(plainText), lines: plain.length, matches: matches.length, ...fileRanks(plain.map((l) => l.path), task.targets) },
                rgRanked: { chars: smartText.length, tokens: tokens(smartText), lines: smart.length, ...fileRanks(smart.map((l) => l.path), task.targets) },
            });
        }
    } finally {
        await client.close();
    }
    return { unit: unit.name, files: index.files, chunks: index.chunks, modelEmbedded: index.modelEmbedded, indexSeconds, rows };
}

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const share = (rows, pick, within = Infinity) => `${(100 * mean(rows.map((r) => (pick(r).rank !== null && pick(r).rank <= within ? 1 : 0)))).toFixed(0)}%`;
const avg = (rows, f) => Math.round(mean(rows.map(f)));

const HEADER = [
    "repo", "queries", "indexed files", "Seek chars", "Seek tokens", "Seek: target file in answer", "first file", "top 3 files", "files shown",
    "rg tokens", "rg: target file", "rg files", "rg-ranked tokens", "rg-ranked: target file", "first file", "top 3 files", "rg-ranked files",
];

function summary(name, files, rows) {
    return [
        name, rows.length, files,
        avg(rows, (r) => r.seek.chars), avg(rows, (r) => r.seek.tokens),
        share(rows, (r) => r.seek), share(rows, (r) => r.seek, 1), share(rows, (r) => r.seek, 3), avg(rows, (r) => r.seek.files),
        avg(rows, (r) => r.rg.tokens), share(rows, (r) => r.rg), avg(rows, (r) => r.rg.files),
        avg(rows, (r) => r.rgRanked.tokens), share(rows, (r) => r.rgRanked), share(rows, (r) => r.rgRanked, 1), share(rows, (r) => r.rgRanked, 3), avg(rows, (r) => r.rgRanked.files),
    ];
}

async function main() {
    const units = loadUnits({ reposDir, only: args.only ?? SEMBLE_20 });
    if (units.length === 0) throw new Error(`no benchmark checkouts under ${reposDir} (node bench/semble/repos.mjs brings them)`);
    say(`[agent] ${units.length} repos, ${units.reduce((n, u) => n + u.tasks.length, 0)} queries; one search call each (count ${count}, maxChars ${maxChars})`);
    const results = [];
    for (const unit of units) {
        const r = await runUnit(unit);
        results.push(r);
        say(`[agent] ${unit.name}: ${r.files} files, ${r.chunks} chunks, indexed in ${r.indexSeconds.toFixed(0)} s (${r.modelEmbedded} chunks embedded by the model)`);
    }
    const all = results.flatMap((r) => r.rows);
    const table = [...results.map((r) => summary(r.unit, r.files, r.rows)), summary("**all (query mean)**", "", all)];
    const md = [`| ${HEADER.join(" | ")} |`, `|${HEADER.map(() => " --- ").join("|")}|`, ...table.map((row) => `| ${row.join(" | ")} |`)].join("\n");
    say(`\n${md}\n`);
    say(`errors: ${all.filter((r) => r.isError).length}; Seek answer latency p50 ${Math.round(all.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(all.length / 2)] ?? 0)} ms`);
    mkdirSync(join(out, ".."), { recursive: true });
    writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), maxChars, count, repos: results.map(({ rows, ...rest }) => rest), rows: all, table: md }, null, 1));
    say(`[agent] wrote ${out}`);
}

main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
});
