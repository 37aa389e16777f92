#!/usr/bin/env node
/**
 * Issue #11, "Must show": the extension indexes a folder, then `seek search` on it answers in under 3 s and embeds
 * nothing. The extension's side runs as the extension runs it: its engine process (dist/engineProcess.js) driven
 * through EngineClient, at the directory src/indexing/storage.ts gives it (compiled to out/ by tsc). Then the CLI
 * (dist/cli.js) with the same XDG_CACHE_HOME:
 *   shared: `seek search <folder> "<query>" --json --verbose`              (the shared index: what users now get)
 *   own:    the same with `--index-dir <fresh>` each time                   (session 5's situation: own index, shared cache)
 * wall clock to exit and peak RSS under /usr/bin/time, and the log's "index run done" counts; load before each run.
 *
 *   node bench/speed/sharedIndex.mjs --folders flask,laravel [--runs 3] [--seed-cache <embeddings dir>] [--work <dir>]
 *
 * --seed-cache copies an existing embedding cache in first, so the extension's semantic stage is answered from it
 * rather than taking 10 minutes of model time; what is measured (the CLI afterwards) does not depend on how the
 * extension got its vectors. --work keeps the extension's cache and index in <dir> (else a temp dir, deleted after):
 * a second run then finds the extension's index complete.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);
const FOLDERS = {
    flask: { dir: "flask", query: "how are blueprints registered on the application" },
    laravel: { dir: "laravel-framework", query: "where are database migrations run" },
};
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

function flags(argv) {
    const o = { folders: ["flask", "laravel"], runs: 3, reposDir: "/work/bench-repos" };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--folders") o.folders = argv[++i].split(",");
        else if (a === "--runs") o.runs = Number(argv[++i]);
        else if (a === "--seed-cache") o.seedCache = argv[++i];
        else if (a === "--repos-dir") o.reposDir = argv[++i];
        else if (a === "--work") o.work = resolve(argv[++i]);
        else throw new Error(`unknown argument ${a}`);
    }
    return o;
}

function runCli(args, env) {
    return new Promise((res, rej) => {
        const t0 = performance.now();
        const child = spawn("/usr/bin/time", ["-f", "MAXRSS_KB=%M", process.execPath, join(REPO, "dist", "cli.js"), ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => {
            const ms = performance.now() - t0;
            if (code !== 0) return rej(new Error(`seek exited ${code}: ${stderr.slice(-1500)}`));
            const done = /index run done: (\d+) chunks embedded by the model, (\d+) answered by the embedding cache/.exec(stderr);
            const opened = /index (\S+): (\d+) files, (\d+) chunks/.exec(stderr);
            const out = JSON.parse(stdout.trim().split("\n")[0]);
            res({
                seconds: +(ms / 1000).toFixed(2),
                peakRssMiB: Math.round(Number(/MAXRSS_KB=(\d+)/.exec(stderr)?.[1]) / 1024),
                modelEmbedded: done ? +done[1] : undefined,
                cacheAnswered: done ? +done[2] : undefined,
                chunksAtOpen: opened ? +opened[3] : undefined,
                coverage: out.coverage,
                semanticCoverage: out.semanticCoverage,
                top: out.results.slice(0, 2).map((h) => `${h.path}:${h.startLine}`),
            });
        });
    });
}

async function extensionIndex(folder, cache) {
    const { EngineClient } = require(join(REPO, "out", "src", "engineHost", "engineClient.js"));
    const { indexDirFor } = require(join(REPO, "out", "src", "indexing", "storage.js"));
    const uri = (p) => ({ scheme: "file", fsPath: p, toString: () => `file://${p}` });
    const context = { storageUri: uri(join(cache, "..", "ws-storage")), globalStorageUri: uri(join(cache, "..", "global-storage")) };
    const wf = { name: folder.split("/").pop(), uri: uri(folder), index: 0 };
    // config.engineOptions for default settings; the threads the extension uses on 2 cores.
    const base = { folder, indexDir: "", modelsDir: join(REPO, "models"), instructions: true, threads: 2 };
    process.env.XDG_CACHE_HOME = cache;
    const options = { ...base, indexDir: indexDirFor(context, wf, base) };
    const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const client = new EngineClient({ scriptPath: join(REPO, "dist", "engineProcess.js"), logger: silent, env: { XDG_CACHE_HOME: cache } });
    const t0 = performance.now();
    try {
        await client.request("open", { key: "k", options });
        await client.request("run", { key: "k", priorityPaths: [] });
        const status = await client.request("status", { key: "k" });
        await client.request("close", { key: "k" });
        return { indexDir: options.indexDir, seconds: +((performance.now() - t0) / 1000).toFixed(1), files: status.files, chunks: status.chunks, embeddedChunks: status.embeddedChunks };
    } finally {
        await client.dispose();
    }
}

const o = flags(process.argv.slice(2));
const root = o.work ?? mkdtempSync(join(tmpdir(), "seek-shared-index-"));
const results = [];
try {
    for (const name of o.folders) {
        const spec = FOLDERS[name];
        const folder = join(o.reposDir, spec.dir);
        const cache = join(root, name, "cache");
        mkdirSync(join(cache, "seek"), { recursive: true });
        if (o.seedCache && !existsSync(join(cache, "seek", "embeddings"))) cpSync(o.seedCache, join(cache, "seek", "embeddings"), { recursive: true });
        const ext = await extensionIndex(folder, cache);
        console.log(`[${name}] extension's engine process indexed ${ext.files} files / ${ext.chunks} chunks (${ext.embeddedChunks} with vectors) in ${ext.seconds} s at ${ext.indexDir}`);
        const row = { name, extension: ext, shared: [], own: [] };
        for (let k = 0; k < o.runs; k++) {
            const before = load();
            const shared = await runCli(["search", folder, spec.query, "--json", "--verbose"], { XDG_CACHE_HOME: cache });
            row.shared.push({ ...shared, load: before });
            console.log(`[${name}] CLI search, shared index: ${shared.seconds} s, ${shared.modelEmbedded} embedded / ${shared.cacheAnswered} from the cache, opened with ${shared.chunksAtOpen} chunks, peak ${shared.peakRssMiB} MiB; load ${before}`);
            const ownDir = join(root, name, `own-${k}`);
            const before2 = load();
            const own = await runCli(["search", folder, spec.query, "--json", "--verbose", "--index-dir", ownDir], { XDG_CACHE_HOME: cache });
            row.own.push({ ...own, load: before2 });
            console.log(`[${name}] CLI search, own index (session 5): ${own.seconds} s, ${own.modelEmbedded} embedded / ${own.cacheAnswered} from the cache, peak ${own.peakRssMiB} MiB; load ${before2}`);
            rmSync(ownDir, { recursive: true, force: true });
        }
        results.push(row);
    }
} finally {
    if (!o.work) rmSync(root, { recursive: true, force: true });
}
console.log(JSON.stringify(results));
