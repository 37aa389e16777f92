#!/usr/bin/env node
/**
 * Memory of the in-memory lexical index (termIndex.ts): the keyword stage of a cold index of a folder (no model:
 * the semantic stage is skipped), then a read-only re-open of the index it wrote (the load path). Prints one JSON
 * line: peak RSS sampled every 20 ms during each phase, RSS/heap/array buffers after a GC, and the postings' own
 * figures when the build exposes them (tokens, postings, bytes).
 *
 *   node --expose-gc bench/speed/postingsMemory.mjs --folder DIR --index-dir DIR [--core DIR] [--phase index|open|both]
 *
 * --core: a compiled core (`out/src/core` of a checkout, default this one's) to compare builds in the same run.
 * The index dir is deleted first when --phase is index or both.
 */
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { parseFlags } from "../lib/args.mjs";
import { REPO_ROOT } from "../semble/data.mjs";

const flags = parseFlags(process.argv.slice(2));
const core = resolve(flags.core ?? join(REPO_ROOT, "out", "src", "core"));
const folder = resolve(flags.folder);
const indexDir = resolve(flags.indexDir);
const phase = flags.phase ?? "both";
const require = createRequire(import.meta.url);
const { SeekEngine } = require(join(core, "engine.js"));

const MiB = 2 ** 20;
const mib = (n) => Math.round(n / MiB);

/** Stands in for the model: the keyword stage never calls it. */
const embedder = {
    modelId: "bge-small-en-v1.5-q",
    dimensions: 384,
    async embed(texts) {
        return texts.map(() => new Float32Array(384));
    },
    async dispose() {},
};

function sampler() {
    let peak = process.memoryUsage.rss();
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
    return () => {
        clearInterval(timer);
        return Math.max(peak, process.memoryUsage.rss());
    };
}

function settled() {
    global.gc?.();
    global.gc?.();
    const m = process.memoryUsage();
    return { rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), arrayBuffersMiB: mib(m.arrayBuffers), externalMiB: mib(m.external) };
}

/** The postings' own figures, from whichever layout this build has. */
function postingStats(engine) {
    const terms = engine.store?.terms;
    if (!terms) return undefined;
    if (typeof terms.memoryStats === "function") return terms.memoryStats();
    if (Array.isArray(terms.postings)) {
        const lists = terms.postings.filter(Boolean);
        const postings = lists.reduce((n, p) => n + p.length / 2, 0);
        const capacity = lists.reduce((n, p) => n + p.data.length, 0);
        return { tokens: lists.length, postings, postingBytes: capacity * 4, layout: "one Uint32Array per token" };
    }
    return undefined;
}

const options = { folder, indexDir, model: "bge-small-en-v1.5-q", embedder, embeddingCache: false };
const out = { core, folder, indexDir, node: process.version, baseline: settled() };

if (phase === "index" || phase === "both") {
    rmSync(indexDir, { recursive: true, force: true });
    const stop = sampler();
    const started = performance.now();
    const engine = await SeekEngine.open(options);
    let last;
    for await (const p of engine.run({ semantic: false })) last = p;
    out.index = { seconds: +((performance.now() - started) / 1000).toFixed(1), peakRssMiB: mib(stop()), chunks: last?.chunksTotal, after: settled(), postings: postingStats(engine) };
    await engine.close();
}
if (phase === "open" || phase === "both") {
    global.gc?.();
    const stop = sampler();
    const started = performance.now();
    const engine = await SeekEngine.open({ ...options, readOnly: true });
    out.open = { seconds: +((performance.now() - started) / 1000).toFixed(1), peakRssMiB: mib(stop()), after: settled(), postings: postingStats(engine) };
    await engine.close();
}
process.stdout.write(`${JSON.stringify(out)}\n`);
