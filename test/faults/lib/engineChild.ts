/**
 * Child-process driver for the core API (SeekEngine), used where a test needs a process of its own: telemetry
 * (fresh $HOME), memory (RSS of one process over many searches) and load (peak RSS under /usr/bin/time).
 *   node engineChild.js index <folder> <indexDir>            real model
 *   node --expose-gc engineChild.js searchLoop <folder> <indexDir> <n>   real model; prints RSS before/after
 *   node engineChild.js load <folder> <indexDir>             hook embedder (no model); searches while indexing
 *   node engineChild.js disposeMidEmbed                      real model; dispose() while session.run is busy
 *   node engineChild.js abortRun <folder> <indexDir>          real model; abort a run mid-batch, then close()
 *   node engineChild.js timeoutMidRun                        real model; the worker times out inside session.run
 * Prints one JSON line on stdout.
 */
import { SeekEngine } from "../../../src/core/engine";
import { isCoreError } from "../../../src/core/errors";
import { resolveModel } from "../../../src/core/embed/modelRegistry";
import { WorkerEmbedder } from "../../../src/core/embed/workerEmbedder";
import type { Embedder, IndexProgress } from "../../../src/core/types";
import { HookEmbedder } from "./hookEmbedder";

const MB = 1024 * 1024;

function percentile(xs: number[], p: number): number {
    if (xs.length === 0) return 0;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function index(folder: string, indexDir: string): Promise<void> {
    const engine = await SeekEngine.open({ folder, indexDir });
    try {
        let last: IndexProgress | undefined;
        for await (const p of engine.run()) last = p;
        process.stdout.write(`${JSON.stringify({ status: engine.status(), last })}\n`);
    } finally {
        await engine.close();
    }
}

const QUERIES = [
    "where do we retry failed uploads?",
    "refresh the access token when it expires",
    "health check endpoint",
    "database migrations",
    "evict least recently used cache entries",
    "how do I configure a proxy",
    "fetchWithRetry",
    "session",
    "parse the configuration file and validate it",
    "string helpers",
];

function gc(): void {
    (globalThis as { gc?: () => void }).gc?.();
}

async function searchLoop(folder: string, indexDir: string, n: number): Promise<void> {
    const engine = await SeekEngine.open({ folder, indexDir });
    try {
        for await (const _ of engine.run()) void _;
        const modes = ["hybrid", "vector", "lexical"] as const;
        const run = async (i: number) => {
            const q = `${QUERIES[i % QUERIES.length]}${i % 7 === 0 ? ` variant ${i}` : ""}`;
            const r = await engine.search(q, { mode: modes[i % 3], top: 10 });
            return r.elapsedMs;
        };
        for (let i = 0; i < 50; i++) await run(i);
        gc();
        const before = process.memoryUsage();
        const samples: number[] = [];
        const latencies: number[] = [];
        for (let i = 0; i < n; i++) {
            latencies.push(await run(i));
            if (i % 100 === 99) {
                gc();
                samples.push(Math.round(process.memoryUsage().rss / MB));
            }
        }
        gc();
        const after = process.memoryUsage();
        process.stdout.write(
            `${JSON.stringify({
                searches: n,
                rssBeforeMB: before.rss / MB,
                rssAfterMB: after.rss / MB,
                heapBeforeMB: before.heapUsed / MB,
                heapAfterMB: after.heapUsed / MB,
                rssSamplesMB: samples,
                p50: percentile(latencies, 50),
                p95: percentile(latencies, 95),
            })}\n`,
        );
    } finally {
        await engine.close();
    }
}

async function load(folder: string, indexDir: string): Promise<void> {
    const embedder = new HookEmbedder(384);
    const engine = await SeekEngine.open({ folder, indexDir, embedder });
    const started = performance.now();
    const during: { latency: number; hits: number; coverage: number }[] = [];
    let failures = 0;
    let inFlight = false;
    let i = 0;
    const timer = setInterval(() => {
        if (inFlight) return;
        inFlight = true;
        const asked = performance.now();
        const mode = i % 2 === 0 ? "lexical" : "hybrid";
        engine
            .search(`handle stage ${i % 10} of module ${i * 37}`, { mode, top: 10 })
            .then((r) => during.push({ latency: performance.now() - asked, hits: r.hits.length, coverage: r.coverage }))
            .catch(() => failures++)
            .finally(() => {
                inFlight = false;
                i++;
            });
    }, 250);
    try {
        let last: IndexProgress | undefined;
        for await (const p of engine.run()) last = p;
        clearInterval(timer);
        const ms = performance.now() - started;
        const status = engine.status();
        const after = await engine.search("handle stage 3 of module 42", { mode: "hybrid", top: 10 });
        const lat = during.map((d) => d.latency);
        process.stdout.write(
            `${JSON.stringify({
                files: status.files,
                chunks: status.chunks,
                bytesOnDisk: status.bytesOnDisk,
                ms,
                skipped: last?.skipped ?? 0,
                embedded: embedder.texts,
                searchesDuring: during.length,
                searchFailures: failures,
                searchesWithHits: during.filter((d) => d.hits > 0).length,
                searchP50: percentile(lat, 50),
                searchP95: percentile(lat, 95),
                searchMax: percentile(lat, 100),
                coverageSeen: [...new Set(during.map((d) => Math.round(d.coverage * 10) / 10))],
                hitsAfter: after.hits.length,
                maxRssMB: process.resourceUsage().maxRSS / 1024,
            })}\n`,
        );
    } finally {
        clearInterval(timer);
        await engine.close();
    }
}

/** dispose() while the worker is inside onnxruntime's session.run: the process must survive it. */
async function disposeMidEmbed(): Promise<void> {
    const embedder = new WorkerEmbedder(resolveModel(undefined));
    await embedder.warmUp();
    const texts = Array.from({ length: 256 }, (_, i) => ({ instruction: "", text: `function ${i} retries the upload ${"and waits ".repeat(60)}` }));
    const pending = embedder.embed(texts).then(
        () => "resolved",
        (err: unknown) => (isCoreError(err) ? err.reason : String(err)),
    );
    await new Promise((r) => setTimeout(r, 300));
    const t = performance.now();
    await embedder.dispose();
    const disposeMs = performance.now() - t;
    const outcome = await pending;
    await new Promise((r) => setTimeout(r, 1500));
    process.stdout.write(`${JSON.stringify({ disposeMs, outcome, alive: true })}\n`);
}

/**
 * The worker's timeout fires while it is inside one long session.run (64 inputs of 512 tokens in one batch, ~10 s
 * on 2 cores, against a 2.5 s timeout). Terminating it then would abort the process (nativeGate.ts); instead the
 * request fails with workerTimeout, a new worker answers the next request, and dispose() waits for the old call.
 */
async function timeoutMidRun(): Promise<void> {
    const embedder = new WorkerEmbedder(resolveModel(undefined), { timeoutMs: 2500, maxBatch: 64, tokenBudget: 64 * 512, threads: 1 });
    await embedder.warmUp();
    const texts = Array.from({ length: 64 }, (_, i) => ({ instruction: "", text: `function ${i} retries the upload ${"and waits ".repeat(300)}` }));
    const asked = performance.now();
    const outcome = await embedder.embed(texts).then(
        () => "resolved",
        (err: unknown) => (isCoreError(err) ? err.reason : String(err)),
    );
    const outcomeMs = performance.now() - asked;
    const next = await embedder.embed([{ instruction: "", text: "still answering" }]).then(
        (v) => `${v.length} vector`,
        (err: unknown) => (isCoreError(err) ? err.reason : String(err)),
    );
    const t = performance.now();
    await embedder.dispose();
    const disposeMs = performance.now() - t;
    process.stdout.write(`${JSON.stringify({ outcome, outcomeMs, next, workerStarts: embedder.workerStarts, disposeMs })}\n`);
}

/**
 * Aborts a real-model run while the worker is inside the model (300 ms into the second embed call), as pause or a
 * window close would; measures how long the run takes to stop, then close().
 */
async function abortRun(folder: string, indexDir: string): Promise<void> {
    const worker = new WorkerEmbedder(resolveModel(undefined));
    const controller = new AbortController();
    let abortedAt = 0;
    let calls = 0;
    const embedder: Embedder = {
        modelId: worker.modelId,
        get dimensions() {
            return worker.dimensions;
        },
        embed(texts, signal) {
            calls++;
            if (calls === 2) {
                setTimeout(() => {
                    abortedAt = performance.now();
                    controller.abort();
                }, 300);
            }
            return worker.embed(texts, signal);
        },
        dispose: () => worker.dispose(),
    };
    const engine = await SeekEngine.open({ folder, indexDir, embedder });
    let stopMs = -1;
    let outcome = "finished";
    try {
        for await (const _ of engine.run({ signal: controller.signal })) void _;
    } catch (err) {
        stopMs = performance.now() - abortedAt;
        outcome = isCoreError(err) ? err.reason : String(err);
    }
    const t = performance.now();
    await engine.close();
    const closeMs = performance.now() - t;
    await new Promise((r) => setTimeout(r, 1000));
    process.stdout.write(`${JSON.stringify({ outcome, stopMs, closeMs, aborted: abortedAt > 0, embedCalls: calls })}\n`);
}

async function main(): Promise<void> {
    const [cmd, folder, indexDir, n] = process.argv.slice(2);
    if (cmd === "index") return index(folder, indexDir);
    if (cmd === "searchLoop") return searchLoop(folder, indexDir, Number(n));
    if (cmd === "load") return load(folder, indexDir);
    if (cmd === "disposeMidEmbed") return disposeMidEmbed();
    if (cmd === "abortRun") return abortRun(folder, indexDir);
    if (cmd === "timeoutMidRun") return timeoutMidRun();
    throw new Error(`unknown command ${cmd}`);
}

/**
 * Keeps the event loop alive while main() runs. Without it, the loop can go empty while tree-sitter's WebAssembly
 * compiles (no libuv handle is held; the inference worker is unref'd when idle), and Node 20 then sometimes
 * deadlocks in NodePlatform::DrainTasks (nodejs/node#54918): measured 3 hangs in 5 bare runs of `index` here. The
 * CLI and the VS Code engine process were not seen to hang (0 of 12 CLI runs); this child measures Seek, not that bug.
 */
const keepAlive = setInterval(() => undefined, 1 << 30);

main().then(
    () => {
        clearInterval(keepAlive);
        process.exit(0);
    },
    (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exit(1);
    },
);
