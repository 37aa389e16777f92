#!/usr/bin/env node
/**
 * Query latency at scale: real chunks and vectors from an indexed repo, replicated (under copyN/ prefixes, vectors
 * slightly perturbed) into stores of 10k / 100k / 500k chunks. Each size is measured in a fresh child process:
 * engine open, warm-up, then p50/p95 of engine.search (query encoding included) per mode; RSS after warm-up;
 * bytes on disk.
 *
 *   node bench/speed/latency.mjs --source-index DIR --source-folder DIR --sizes 10000,100000 [--model id] [--rounds 3]
 *   node bench/speed/latency.mjs --measure DIR --model id          (child: prints one JSON line)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseFlags } from "../lib/args.mjs";
import { CACHE_DIR } from "../lib/seekCli.mjs";
import { engineIdentity, engineStore, loadCore, percentile } from "./core.mjs";
import { mulberry32 } from "../lib/random.mjs";

/** Queries of the kinds users type: sentences and identifiers (from the semble quick repos). */
export const LATENCY_QUERIES = [
    "how are command line options parsed and validated",
    "render an error message and exit",
    "middleware that recovers from panics",
    "route parameters in the URL path",
    "register a new subcommand",
    "read configuration from environment variables",
    "ParseFlags",
    "handle HTTP redirects",
    "stream the response body in chunks",
    "context cancellation and timeouts",
    "URLParam",
    "serialize JSON response",
    "template rendering with context variables",
    "how does the request dispatching work",
    "shell completion script generation",
    "BasicAuth",
    "set a cookie on the response",
    "group routes under a common prefix",
    "progress bar for long running operations",
    "retry failed requests with backoff",
];

const MODES = ["vector", "lexical", "hybrid"];
const EMPTY_FOLDER = join(CACHE_DIR, "speed", "empty-folder");

/** Reads every chunk and vector of a real index (grouped by file). */
async function readSource(sourceIndex, sourceFolder, model) {
    const { SeekEngine } = loadCore();
    // Read-only: a source index of another identity (an older chunker) is an error to report, not a store to wipe.
    const engine = await SeekEngine.open({ folder: sourceFolder, indexDir: sourceIndex, model, readOnly: true });
    try {
        const store = engineStore(engine);
        const files = [];
        for (const path of store.catalog().keys()) {
            const chunks = store.chunksForPath(path);
            const vectors = chunks.map((c) => store.vectorOf(c.id));
            if (chunks.length && vectors.every(Boolean)) files.push({ path, info: store.fileInfo(path), chunks, vectors });
        }
        return { identity: engineIdentity(engine), files };
    } finally {
        await engine.close();
    }
}

/** Writes a store of ~n chunks by replicating the source files under copyK/ prefixes. */
function buildSynthetic(dir, identity, files, n) {
    const { IndexStore } = loadCore();
    rmSync(dir, { recursive: true, force: true });
    const store = IndexStore.open(dir, identity);
    const rand = mulberry32(n);
    let count = 0;
    try {
        for (let copy = 0; count < n; copy++) {
            let batch = [];
            for (const f of files) {
                if (count >= n) break;
                const take = f.chunks.slice(0, n - count);
                const path = `copy${copy}/${f.path}`;
                const vectors = take.map((_, i) => perturb(f.vectors[i], rand));
                const chunks = take.map(({ id: _id, ...c }) => ({ ...c, path }));
                batch.push({ file: { path, size: f.info?.size ?? 1, mtimeMs: 0, hash: `${f.info?.hash ?? "x"}-${copy}` }, chunks, vectors });
                count += take.length;
                if (batch.length >= 200) {
                    store.replaceFiles(batch);
                    batch = [];
                }
            }
            if (batch.length) store.replaceFiles(batch);
        }
        return { chunks: store.counts().chunks, bytesOnDisk: store.bytesOnDisk() };
    } finally {
        store.close();
    }
}

/** Small noise so copies are near, not exact, duplicates (keeps top-k selection honest); renormalised. */
function perturb(v, rand) {
    const out = new Float32Array(v.length);
    let norm = 0;
    for (let i = 0; i < v.length; i++) {
        out[i] = v[i] + (rand() - 0.5) * 0.02;
        norm += out[i] * out[i];
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < v.length; i++) out[i] /= norm;
    return out;
}

/** Child: open the engine on a store, warm up, time each mode. */
async function measure(dir, model, rounds) {
    const { SeekEngine } = loadCore();
    mkdirSync(EMPTY_FOLDER, { recursive: true });
    const rssBefore = process.memoryUsage().rss;
    const openStarted = performance.now();
    // Read-only: a build whose identity differs (another chunker version) must fail here, not wipe the store.
    const engine = await SeekEngine.open({ folder: EMPTY_FOLDER, indexDir: dir, model, readOnly: true });
    const openMs = performance.now() - openStarted;
    const out = { chunks: engine.status().chunks, bytesOnDisk: engine.status().bytesOnDisk, openMs, modes: {} };
    try {
        for (const q of LATENCY_QUERIES) await engine.search(q, { mode: "hybrid" });
        for (const mode of MODES) {
            const times = [];
            for (let r = 0; r < rounds; r++) {
                for (const q of LATENCY_QUERIES) {
                    const t = performance.now();
                    await engine.search(q, { mode, top: 10 });
                    times.push(performance.now() - t);
                }
            }
            out.modes[mode] = { p50: percentile(times, 50), p95: percentile(times, 95), n: times.length };
        }
        const mem = process.memoryUsage();
        out.rssMiB = mem.rss / 2 ** 20;
        out.rssDeltaMiB = (mem.rss - rssBefore) / 2 ** 20;
        out.heapMiB = mem.heapUsed / 2 ** 20;
        out.externalMiB = (mem.external + mem.arrayBuffers) / 2 ** 20;
    } finally {
        await engine.close();
    }
    return out;
}

/**
 * Parent: builds (or reuses) the synthetic stores and measures each in a child.
 * @returns {Promise<Array<any>>}
 */
export async function runLatency({ sourceIndex, sourceFolder, sizes, model, rounds = 3, progress }) {
    const meta = join(CACHE_DIR, "speed", "scale-meta.json");
    const known = existsSync(meta) ? JSON.parse(readFileSync(meta, "utf8")) : {};
    let source;
    const results = [];
    for (const n of sizes) {
        const dir = join(CACHE_DIR, "speed", `scale-${model}-${n}`);
        const key = `${model}-${n}`;
        let build = known[key];
        // The identity (model, instructions, chunker version) the synthetic store must have for this build.
        source ??= await readSource(sourceIndex, sourceFolder, model);
        const identity = JSON.stringify(source.identity);
        if (!build || !existsSync(dir) || build.source !== sourceIndex || build.identity !== identity) {
            progress?.(`  latency: building ${n.toLocaleString("en-US")}-chunk store from ${source.files.length} files`);
            const t = performance.now();
            build = { ...buildSynthetic(dir, source.identity, source.files, n), buildMs: performance.now() - t, source: sourceIndex, identity };
            known[key] = build;
            mkdirSync(join(CACHE_DIR, "speed"), { recursive: true });
            writeFileSync(meta, JSON.stringify(known, null, 1));
        }
        const child = spawnSync(process.execPath, [new URL(import.meta.url).pathname, "--measure", dir, "--model", model, "--rounds", String(rounds)], {
            encoding: "utf8",
            maxBuffer: 1 << 24,
        });
        if (child.status !== 0) throw new Error(`latency child failed at ${n}: ${child.stderr.slice(-1500)}`);
        const r = JSON.parse(child.stdout.trim().split("\n").pop());
        results.push({ size: n, ...r, buildMs: build.buildMs });
        progress?.(`  latency @${n}: ${MODES.map((m) => `${m} p50 ${r.modes[m].p50.toFixed(1)} / p95 ${r.modes[m].p95.toFixed(1)} ms`).join("; ")}; rss ${r.rssMiB.toFixed(0)} MiB`);
    }
    return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const args = parseFlags(process.argv.slice(2), { lists: ["sizes"] });
    if (args.measure) {
        const r = await measure(args.measure, args.model, Number(args.rounds ?? 3));
        process.stdout.write(`${JSON.stringify(r)}\n`);
    } else {
        const r = await runLatency({
            sourceIndex: args.sourceIndex,
            sourceFolder: args.sourceFolder,
            sizes: (args.sizes ?? ["10000", "100000"]).map(Number),
            model: args.model ?? "bge-small-en-v1.5-q",
            rounds: Number(args.rounds ?? 3),
            progress: (m) => process.stdout.write(`${m}\n`),
        });
        process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
    }
}
