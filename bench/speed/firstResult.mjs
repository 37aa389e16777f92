/**
 * Issue #11, "Must show": time from a cold start (no index, no embedding cache) to the first ranked result over the
 * whole folder, in both front ends, and the shared embedding cache between them.
 *
 *   node bench/speed/firstResult.mjs [--build <seek root>] [--folders flask,laravel,big20k] [--repos-dir <dir>]
 *        [--cli-runs N] [--no-cli] [--no-vscode] [--shared-cache flask,laravel] [--full-index-timeout-s S] [--out f.json]
 *
 * 1. CLI, cold: `seek search <folder> "<query>" --no-wait --json` with a fresh --index-dir and XDG_CACHE_HOME set to
 *    a fresh temp dir (so ~/.cache/seek/embeddings is empty); wall clock from spawn to the JSON line on stdout (the
 *    ranked result) and to exit, peak RSS from /usr/bin/time. Not bench/speed/indexing.mjs timeToFirstResult: that
 *    one polls an in-process engine during a full run (open editors first), so its "first hit" can come from part of
 *    the folder and it never starts the CLI.
 * 2. VS Code, cold: firstResultVscode.mjs (code-server + Chromium through the Seek sidebar).
 * 3. Shared cache (--shared-cache): after the extension's semantic stage is done, with code-server still running,
 *    the CLI with its own fresh index dirs and XDG_CACHE_HOME = the extension's: `seek search ... --json --verbose`
 *    (timed; stderr says how many chunks the model embedded) and then `seek index ... --json` (modelEmbedded,
 *    cacheHits).
 * Every measurement records os.loadavg() before and after it: other people's jobs share these 2 cores.
 * `--build` is a Seek checkout with dist/ built, node_modules and models/ (default: this repository).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { duBytes, vscodeCold } from "./firstResultVscode.mjs";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Folders and the question asked of each (a question a user of that code base would ask). */
const FOLDERS = {
    flask: { dir: "flask", query: "how are blueprints registered on the application" },
    laravel: { dir: "laravel-framework", query: "where are database migrations run" },
    big20k: { dir: "big20k", query: "parse HTTP response headers" },
};

const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

function parseArgs(argv) {
    const o = { build: REPO_ROOT, folders: ["flask", "laravel"], reposDir: "/work/bench-repos", cliRuns: 1, cli: true, vscode: true, sharedCache: [], fullIndexTimeoutS: 1800 };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const v = () => argv[++i];
        if (a === "--build") o.build = resolve(v());
        else if (a === "--folders") o.folders = v().split(",");
        else if (a === "--repos-dir") o.reposDir = v();
        else if (a === "--cli-runs") o.cliRuns = Number(v());
        else if (a === "--no-cli") o.cli = false;
        else if (a === "--no-vscode") o.vscode = false;
        else if (a === "--shared-cache") o.sharedCache = v().split(",");
        else if (a === "--full-index-timeout-s") o.fullIndexTimeoutS = Number(v());
        else if (a === "--out") o.out = v();
        else throw new Error(`unknown argument ${a}`);
    }
    return o;
}

/**
 * Runs the CLI under /usr/bin/time: wall time to the first stdout line and to exit, peak RSS, stdout and stderr.
 * @returns {Promise<{ firstLineMs?:number, exitMs:number, peakRssMiB?:number, stdout:string, stderr:string }>}
 */
function runCli(build, args, env) {
    return new Promise((res, rej) => {
        const t0 = performance.now();
        const child = spawn("/usr/bin/time", ["-f", "SEEK_BENCH_MAXRSS_KB=%M", process.execPath, join(build, "dist", "cli.js"), ...args], {
            stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", ...env },
        });
        const out = { stdout: "", stderr: "" };
        child.stdout.on("data", (d) => {
            out.stdout += d;
            if (out.firstLineMs === undefined && out.stdout.includes("\n")) out.firstLineMs = performance.now() - t0;
        });
        child.stderr.on("data", (d) => (out.stderr += d));
        child.on("error", rej);
        child.on("close", (code) => {
            out.exitMs = performance.now() - t0;
            const rss = /SEEK_BENCH_MAXRSS_KB=(\d+)/.exec(out.stderr);
            out.peakRssMiB = rss ? Number(rss[1]) / 1024 : undefined;
            if (code !== 0) rej(new Error(`seek ${args[0]} exited ${code}: ${out.stderr.slice(-1500)}`));
            else res(out);
        });
    });
}

/** The ranked-result JSON line of `seek search --json`, summarised. */
function summarizeSearch(stdout) {
    const r = JSON.parse(stdout.trim().split("\n")[0]);
    return { results: r.results.length, top: r.results.slice(0, 3).map((h) => `${h.path}:${h.startLine}`), coverage: r.coverage, semanticCoverage: r.semanticCoverage, searchMs: r.elapsedMs };
}

/** 1. One cold CLI search: fresh index dir and empty embedding cache. */
async function cliCold(build, folder, query, runRoot) {
    const dir = mkdtempSync(join(runRoot, "cli-"));
    const env = { XDG_CACHE_HOME: join(dir, "cache") };
    const loadBefore = load();
    const r = await runCli(build, ["search", folder, query, "--no-wait", "--json", "--index-dir", join(dir, "index")], env);
    const loadAfter = load();
    const status = JSON.parse((await runCli(build, ["status", folder, "--json", "--index-dir", join(dir, "index")], env)).stdout);
    return { firstResultMs: Math.round(r.firstLineMs), exitMs: Math.round(r.exitMs), peakRssMiB: Math.round(r.peakRssMiB), ...summarizeSearch(r.stdout), files: status.files, chunks: status.chunks, loadBefore, loadAfter };
}

/** 3. After the extension indexed `folder`: the CLI on the extension's embedding cache, with its own index dirs. */
async function sharedCacheCheck(build, folder, query, runRoot, info) {
    const env = { XDG_CACHE_HOME: info.env.XDG_CACHE_HOME };
    const dir = mkdtempSync(join(runRoot, "shared-"));
    const loadBefore = load();
    const s = await runCli(build, ["search", folder, query, "--json", "--verbose", "--index-dir", join(dir, "search-index")], env);
    const loadAfter = load();
    const done = /index run done: (\d+) chunks embedded by the model, (\d+) answered by the embedding cache/.exec(s.stderr);
    const i = await runCli(build, ["index", folder, "--json", "--index-dir", join(dir, "index-index")], env);
    const idx = JSON.parse(i.stdout.trim().split("\n").pop());
    return {
        embeddingCacheDir: info.embeddingCacheDir, embeddingCacheMiB: +(duBytes(info.embeddingCacheDir) / 2 ** 20).toFixed(1),
        search: { exitMs: Math.round(s.exitMs), firstResultMs: Math.round(s.firstLineMs), modelEmbedded: done ? +done[1] : undefined, cacheHits: done ? +done[2] : undefined, ...summarizeSearch(s.stdout), loadBefore, loadAfter },
        index: { exitMs: Math.round(i.exitMs), chunks: idx.chunks, embeddedChunks: idx.embeddedChunks, modelEmbedded: idx.modelEmbedded, cacheHits: idx.cacheHits },
    };
}

async function measureFolder(name, o, runRoot) {
    const spec = FOLDERS[name];
    if (!spec) throw new Error(`unknown folder ${name} (known: ${Object.keys(FOLDERS).join(", ")})`);
    const folder = join(o.reposDir, spec.dir);
    if (!existsSync(folder)) throw new Error(`${folder} does not exist`);
    const row = { name, folder, query: spec.query, cli: [], vscode: undefined };
    for (let k = 0; o.cli && k < o.cliRuns; k++) {
        const r = await cliCold(o.build, folder, spec.query, runRoot);
        console.log(`[${name}] CLI cold: first result ${r.firstResultMs} ms (exit ${r.exitMs} ms), peak RSS ${r.peakRssMiB} MiB, ${r.files} files / ${r.chunks} chunks, coverage ${r.coverage}; load ${r.loadBefore} -> ${r.loadAfter}`);
        row.cli.push(r);
    }
    if (o.vscode) {
        const shared = o.sharedCache.includes(name);
        const loadBefore = load();
        const v = await vscodeCold({
            folder, query: spec.query, build: o.build, runRoot,
            fullIndexTimeoutMs: shared ? o.fullIndexTimeoutS * 1000 : undefined,
            afterFullIndex: shared ? (info) => sharedCacheCheck(o.build, folder, spec.query, runRoot, info) : undefined,
        });
        row.vscode = { ...v, loadBefore, loadAfter: load() };
        console.log(`[${name}] VS Code cold: workbench ${v.workbenchMs} ms, keyword stage done ${v.keywordDoneMs} ms, first ranked result shown ${v.firstResultMs} ms ` +
            `(${v.shown?.summary}; sent ${v.shown?.sends}x), ${v.files} files / ${v.chunks} chunks, engine peak RSS ${v.enginePeakRssAtFirstResultMiB?.toFixed(0)} MiB; load ${loadBefore} -> ${v.loadAtFirstResult}`);
        if (v.sharedCache) console.log(`[${name}] shared cache: full index in VS Code ${v.fullIndexMs} ms; CLI search ${JSON.stringify(v.sharedCache.search)}; CLI index ${JSON.stringify(v.sharedCache.index)}`);
    }
    return row;
}

async function main() {
    const o = parseArgs(process.argv.slice(2));
    const runRoot = mkdtempSync(join(tmpdir(), "seek-first-result-"));
    const result = { at: new Date().toISOString(), build: o.build, rows: [] };
    for (const name of o.folders) {
        try {
            result.rows.push(await measureFolder(name, o, runRoot));
        } catch (err) {
            console.error(`[${name}] failed: ${err.stack ?? err}`);
            result.rows.push({ name, error: String(err) });
        }
    }
    const outFile = o.out ?? join(REPO_ROOT, "bench", "results", `first-result-${Date.now()}.json`);
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, JSON.stringify(result, null, 2));
    console.log(`results: ${outFile} (run dirs under ${runRoot})`);
}

main().catch((err) => {
    console.error(err.stack ?? err);
    process.exit(1);
});
