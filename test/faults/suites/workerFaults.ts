/**
 * Inference worker faults through the core API, with the real model: a crash in the middle of a request (the
 * `crashWorkerForTest` hook), and a worker that crashes or hangs on one file (a wrapper worker, faultyWorker.ts,
 * passed as `workerPath`). Expected: the worker is restarted and the batch retried once; a file that still fails
 * is skipped with reason embedFailed; the other files of its batch are indexed and the run completes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { SeekEngine } from "../../../src/core/engine";
import { resolveModel } from "../../../src/core/embed/modelRegistry";
import { WorkerEmbedder } from "../../../src/core/embed/workerEmbedder";
import type { Logger } from "../../../src/core/types";
import { goodSource, marker, write, writeCodeCorpus, writeGood } from "../lib/corpus";
import { libDir, removeDir, tempDir, type Scale } from "../lib/env";
import { readSnapshot } from "../lib/indexDb";
import type { Tally } from "../lib/tally";

const realWorker = join(libDir, "..", "..", "..", "src", "core", "embed", "worker.js");
const faultyWorker = join(libDir, "faultyWorker.js");

function memoryLogger(): Logger & { lines: string[] } {
    const lines: string[] = [];
    const add = (level: string) => (m: string | Error) => lines.push(`${level}: ${m instanceof Error ? m.message : m}`);
    return { lines, trace: () => undefined, debug: () => undefined, info: add("info"), warn: add("warn"), error: add("error") };
}

async function indexWith(root: string, indexDir: string, embedder: WorkerEmbedder, logger: Logger): Promise<SeekEngine> {
    const engine = await SeekEngine.open({ folder: root, indexDir, embedder, logger });
    for await (const _ of engine.run()) void _;
    return engine;
}

/** A folder of good files plus one file carrying `trigger`, all small enough to share one batch. */
function corpus(root: string, trigger: string): { goods: { path: string; marker: string }[]; poison: string } {
    const goods = Array.from({ length: 6 }, (_, i) => writeGood(root, `src/good${i}.ts`, `worker${i}`));
    write(root, "src/poison.ts", `${goodSource(marker("poison"))}// ${trigger}\n`);
    return { goods, poison: "src/poison.ts" };
}

function runNode(args: string[], timeoutMs: number): { code: number | null; signal: string | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, args, { encoding: "utf8", timeout: timeoutMs });
    return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function defineWorkerFaultSuite(scale: Scale, tally: Tally): void {
    const spec = () => resolveModel(undefined);

    tally.test("dispose() while the worker is inside onnxruntime session.run: the process survives (core API, child process)", () => {
        const r = runNode([join(libDir, "engineChild.js"), "disposeMidEmbed"], 120_000);
        tally.fault();
        tally.trial();
        assert.equal(r.signal, null, `the process died with ${r.signal} (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
        assert.equal(r.code, 0, r.stderr.slice(-2000));
        tally.note(`dispose mid-inference: ${r.stdout.trim()}`);
    });

    tally.test("the worker times out inside onnxruntime session.run: the process survives, a new worker answers, dispose() waits for the old call", () => {
        const r = runNode([join(libDir, "engineChild.js"), "timeoutMidRun"], 300_000);
        tally.fault();
        tally.trial();
        assert.equal(r.signal, null, `the process died with ${r.signal} (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
        assert.equal(r.code, 0, `exit ${r.code} (134 is the abort this guards against):\n${r.stderr.slice(-2000)}`);
        const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { outcome: string; outcomeMs: number; next: string; workerStarts: number; disposeMs: number };
        tally.note(`timeout inside session.run: ${JSON.stringify(out)}`);
        assert.equal(out.outcome, "workerTimeout", "the long run finished inside the timeout; make its batch bigger");
        assert.equal(out.next, "1 vector");
        assert.equal(out.workerStarts, 2);
    });

    // engineChild keeps its event loop alive: a bare process can deadlock in Node 20 (nodejs/node#54918, see there).
    tally.test("abort a real-model run mid-batch (core API, as pause/window close do): stops within 1 s, close() survives", () => {
        const work = tempDir("abort");
        try {
            const root = join(work, "ws");
            writeCodeCorpus(root, 40, 5);
            const r = runNode([join(libDir, "engineChild.js"), "abortRun", root, join(work, "index")], 300_000);
            tally.fault();
            tally.trial();
            assert.equal(r.signal, null, `the process died with ${r.signal} (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
            assert.equal(r.code, 0, r.stderr.slice(-2000));
            const out = JSON.parse(r.stdout.trim()) as { outcome: string; stopMs: number; closeMs: number; aborted: boolean };
            tally.note(`abort mid-run (core API): ${JSON.stringify(out)}`);
            assert.ok(out.aborted, "the run finished before it could be aborted; make the corpus bigger");
            assert.equal(out.outcome, "cancelled");
            // The run must be over and the worker idle (close() waits for its current input) within a second.
            assert.ok(out.stopMs + out.closeMs < 1000, `abort -> run stopped in ${Math.round(out.stopMs)} ms, close() took ${Math.round(out.closeMs)} ms`);
        } finally {
            removeDir(work);
        }
    });

    tally.test("worker crash in the middle of a request (crashWorkerForTest): restarted, request retried, same vectors", async () => {
        const texts = Array.from({ length: 64 }, (_, i) => ({ instruction: "", text: `function number ${i} retries the upload ${"and waits ".repeat(i % 20)}` }));
        const reference = new WorkerEmbedder(spec(), { workerPath: realWorker });
        const expected = await reference.embed(texts);
        await reference.dispose();
        const embedder = new WorkerEmbedder(spec(), { workerPath: realWorker });
        try {
            await embedder.warmUp();
            const pending = embedder.embed(texts);
            embedder.crashWorkerForTest();
            tally.fault();
            tally.trial();
            const got = await pending;
            assert.equal(embedder.workerStarts, 2, "the worker was not restarted");
            assert.equal(got.length, expected.length);
            for (let i = 0; i < got.length; i++) {
                let dot = 0;
                for (let k = 0; k < got[i].length; k++) dot += got[i][k] * expected[i][k];
                assert.ok(dot > 0.999, `vector ${i} differs after the retry (cos ${dot})`);
            }
        } finally {
            await embedder.dispose();
        }
    });

    const modes: { trigger: string; what: string; quick: boolean; timeoutMs?: number }[] = [
        { trigger: "SEEKCRASHONCE", what: "crashes once on a batch (retry succeeds, nothing skipped)", quick: false },
        { trigger: "SEEKCRASHALWAYS", what: "crashes on every attempt at one file (file skipped as embedFailed)", quick: true },
        { trigger: "SEEKHANG", what: "hangs on one file (timeout, file skipped as embedFailed)", quick: true, timeoutMs: 4000 },
    ];
    for (const m of modes.filter((x) => scale.name === "full" || x.quick)) {
        tally.test(`worker ${m.what}: the run completes and the other files are indexed`, async () => {
            const work = tempDir("worker");
            const flag = join(work, "crash.flag");
            process.env.SEEK_CRASH_FLAG = flag;
            try {
                const root = join(work, "ws");
                const { goods, poison } = corpus(root, m.trigger);
                const logger = memoryLogger();
                const embedder = new WorkerEmbedder(spec(), { workerPath: faultyWorker, timeoutMs: m.timeoutMs, logger });
                const started = performance.now();
                const engine = await indexWith(root, join(work, "index"), embedder, logger);
                const ms = performance.now() - started;
                tally.fault();
                tally.trial();
                try {
                    const skipped = engine.skippedFiles();
                    const poisonSkip = skipped.find((s) => s.path === poison);
                    for (const g of goods) {
                        const r = await engine.search(g.marker, { mode: "lexical" });
                        assert.ok(r.hits.some((h) => h.path === g.path), `${g.path} not indexed after the worker fault; log:\n${logger.lines.join("\n")}`);
                    }
                    const found = (await engine.search(marker("poison"), { mode: "lexical" })).hits.some((h) => h.path === poison);
                    if (m.trigger === "SEEKCRASHONCE") {
                        assert.ok(found, `the file was not indexed after one crash and a retry; log:\n${logger.lines.join("\n")}`);
                        assert.equal(poisonSkip, undefined);
                        assert.ok(embedder.workerStarts >= 2, "the worker was not restarted");
                    } else {
                        // The model cannot embed it, but its chunks were stored in the keyword stage: still found by keyword,
                        // never by meaning, and not retried on every run.
                        assert.ok(found, "the poisoned file is not searchable by keyword");
                        const status = engine.status();
                        assert.ok(status.embeddedChunks < status.chunks, "the poisoned file's chunks have vectors");
                        assert.equal(poisonSkip?.reason, "embedFailed", `skips: ${JSON.stringify(skipped)}; log:\n${logger.lines.join("\n")}`);
                        assert.ok(poisonSkip?.detail, "embedFailed without a detail");
                    }
                    tally.note(`worker ${m.trigger}: ${embedder.workerStarts} worker starts, run ${Math.round(ms)} ms, skip: ${poisonSkip ? `${poisonSkip.reason} (${poisonSkip.detail})` : "none"}`);
                } finally {
                    await engine.close();
                }
                assert.deepEqual(readSnapshot(join(work, "index")).problems, []);
            } finally {
                delete process.env.SEEK_CRASH_FLAG;
                removeDir(work);
            }
        });
    }
}
