/**
 * Drives Seek only through its CLI contract (dist/cli.js): `index` then batch `search --queries`, JSON out.
 * Indexes are cached per (dataset, unit, model, instructions) under bench/.cache so the three modes share one.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CACHE_DIR = join(REPO_ROOT, "bench", ".cache");
let CLI = join(REPO_ROOT, "dist", "cli.js");

/**
 * Freezes the current build for this run: dist/ is copied to bench/.cache/cli-<hash>/dist (with models/ linked
 * beside it, so the CLI finds its package root), and every later call uses that copy. A rebuild of dist/ while a
 * long run is under way would otherwise mix two builds in one table.
 * @returns {string} the build's short hash (dist/cli.js + dist/worker.js)
 */
export function snapshotCli() {
    const dist = join(REPO_ROOT, "dist");
    const h = createHash("sha256");
    for (const f of ["cli.js", "worker.js"]) if (existsSync(join(dist, f))) h.update(readFileSync(join(dist, f)));
    const hash = h.digest("hex").slice(0, 12);
    const root = join(CACHE_DIR, `cli-${hash}`);
    if (!existsSync(join(root, "dist", "cli.js"))) {
        rmSync(root, { recursive: true, force: true });
        mkdirSync(root, { recursive: true });
        cpSync(dist, join(root, "dist"), { recursive: true });
        symlinkSync(join(REPO_ROOT, "models"), join(root, "models"));
    }
    CLI = join(root, "dist", "cli.js");
    return hash;
}

/**
 * Runs the CLI, once more after a pause if it fails (another Seek process may hold the index briefly, e.g. someone
 * looking at a cached index); the second failure is reported.
 */
async function runCli(args, opts = {}) {
    try {
        return await runCliOnce(args, opts);
    } catch (err) {
        await new Promise((r) => setTimeout(r, 5000));
        if (opts.log) writeFileSync(opts.log, `retrying after: ${err instanceof Error ? err.message : err}\n`, { flag: "a" });
        return runCliOnce(args, opts);
    }
}

/** Runs the CLI; resolves with stdout, wall time and peak RSS (kB, from /usr/bin/time when present). */
function runCliOnce(args, { log, timeoutMs = 4 * 3600_000 } = {}) {
    return new Promise((resolvePromise, reject) => {
        const started = performance.now();
        const useTime = existsSync("/usr/bin/time");
        const cmd = useTime ? "/usr/bin/time" : process.execPath;
        const argv = useTime ? ["-f", "SEEK_BENCH_MAXRSS_KB=%M", process.execPath, CLI, ...args] : [CLI, ...args];
        const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
        const out = [];
        let errTail = "";
        const logStream = log ? createWriteStream(log, { flags: "a" }) : undefined;
        logStream?.write(`\n$ seek ${args.join(" ")}\n`);
        child.stdout.on("data", (d) => out.push(d));
        child.stderr.on("data", (d) => {
            logStream?.write(d);
            errTail = (errTail + d.toString()).slice(-4000);
        });
        const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            logStream?.end();
            const wallMs = performance.now() - started;
            const rss = /SEEK_BENCH_MAXRSS_KB=(\d+)/.exec(errTail);
            if (code !== 0) {
                reject(new Error(`seek ${args[0]} exited ${code}: ${errTail.replace(/SEEK_BENCH_MAXRSS_KB=\d+/, "").trim().slice(-1500)}`));
                return;
            }
            resolvePromise({ stdout: Buffer.concat(out).toString("utf8"), wallMs, peakRssKb: rss ? Number(rss[1]) : undefined });
        });
    });
}

/** Index folder for a unit + model + instructions; shared by the modes. */
export function indexDirFor(dataset, unit, model, instructions) {
    return join(CACHE_DIR, "index", dataset, unit, `${model}${instructions ? "" : "-noinstr"}`);
}

function commonArgs({ indexDir, model, instructions, threads }) {
    const a = ["--index-dir", indexDir, "--model", model];
    if (!instructions) a.push("--no-instructions");
    if (threads) a.push("--threads", String(threads));
    return a;
}

/**
 * Builds (or brings up to date) the index of a folder.
 * @returns {Promise<{ wallMs:number, peakRssKb?:number, status:any, fresh:boolean }>}
 */
export async function seekIndex(folder, opts) {
    if (opts.fresh) rmSync(opts.indexDir, { recursive: true, force: true });
    const fresh = !existsSync(opts.indexDir);
    mkdirSync(opts.indexDir, { recursive: true });
    const r = await runCli(["index", folder, ...commonArgs(opts), "--json"], { log: opts.log });
    const status = JSON.parse(r.stdout.trim().split("\n").pop());
    return { wallMs: r.wallMs, peakRssKb: r.peakRssKb, status, fresh };
}

/**
 * Runs a batch of queries. queries: [{ id, query, task? }].
 * @returns {Promise<{ wallMs:number, results: Map<string, Array<{path,startLine,endLine,score,symbol?,snippet?}>> }>}
 */
export async function seekSearch(folder, queries, opts) {
    mkdirSync(opts.indexDir, { recursive: true });
    const qfile = join(opts.indexDir, `queries-${process.pid}.jsonl`);
    writeFileSync(qfile, queries.map((q) => JSON.stringify({ id: q.id, query: q.query, ...(q.task ? { task: q.task } : {}) })).join("\n") + "\n");
    const args = ["search", folder, "--queries", qfile, "--top", String(opts.top ?? 10), "--mode", opts.mode, ...commonArgs(opts), "--json", ...(opts.noWait ? ["--no-wait"] : [])];
    const r = await runCli(args, { log: opts.log });
    rmSync(qfile, { force: true });
    const results = new Map();
    for (const line of r.stdout.split("\n")) {
        if (!line.trim()) continue;
        const row = JSON.parse(line);
        results.set(String(row.id), row.results ?? []);
    }
    return { wallMs: r.wallMs, results };
}

/** True when the CLI bundle exists and answers --help. */
export async function cliAvailable() {
    if (!existsSync(CLI)) return false;
    try {
        const r = await runCli(["--help"]);
        return /seek index/.test(r.stdout);
    } catch {
        return false;
    }
}
