/**
 * Drives Seek only through its CLI contract (dist/cli.js): `index` then batch `search --queries`, JSON out.
 * Indexes are cached per (dataset, unit, model, instructions) under bench/.cache so the three modes share one.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = join(REPO_ROOT, "dist", "cli.js");
export const CACHE_DIR = join(REPO_ROOT, "bench", ".cache");

/** Runs the CLI; resolves with stdout, wall time and peak RSS (kB, from /usr/bin/time when present). */
function runCli(args, { log, timeoutMs = 4 * 3600_000 } = {}) {
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
    const qfile = join(opts.indexDir, `queries-${process.pid}.jsonl`);
    writeFileSync(qfile, queries.map((q) => JSON.stringify({ id: q.id, query: q.query, ...(q.task ? { task: q.task } : {}) })).join("\n") + "\n");
    const args = ["search", folder, "--queries", qfile, "--top", String(opts.top ?? 10), "--mode", opts.mode, ...commonArgs(opts), "--json"];
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
