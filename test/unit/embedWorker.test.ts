/**
 * WorkerEmbedder: the real model in a worker thread (out/src/core/embed/worker.js), cancellation, crash ->
 * restart + retry, hung worker -> timeout, init failures, dispose. Failure modes that the real worker cannot be
 * made to show on demand use tiny stand-in worker scripts written to a temp folder.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isCoreError } from "../../src/core/errors";
import { resolveModel } from "../../src/core/embed/modelRegistry";
import { WorkerEmbedder, createEmbedder } from "../../src/core/embed/workerEmbedder";
import type { ModelSpec } from "../../src/core/embed/modelSpec";
import type { PromptedText } from "../../src/core/types";

const modelsDir = resolve(__dirname, "..", "..", "..", "models");
let spec: ModelSpec;
let scratch = "";

/** Code-like texts of ~250 tokens, different from each other. */
function texts(n: number, tag = ""): PromptedText[] {
    return Array.from({ length: n }, (_, i) => ({
        instruction: "",
        text: `// ${tag} variant ${i}\n` + `export function handler${i}(request: Request): Response { return dispatch(request.path, ${i}); }\n`.repeat(12),
    }));
}

function cosine(a: Float32Array, b: Float32Array): number {
    let dot = 0;
    for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
    return dot;
}

/** Writes a stand-in worker script (CommonJS) and returns its path. */
function fakeWorker(name: string, body: string): string {
    const path = join(scratch, name);
    writeFileSync(
        path,
        `const { parentPort } = require("node:worker_threads");\n` +
            `parentPort.on("message", (msg) => {\n` +
            `  if (msg.type === "init") parentPort.postMessage({ type: "ready", dimensions: 4, threads: 1 });\n` +
            `  ${body}\n` +
            `});\n`,
    );
    return path;
}

const rejectsWith = (reason: Parameters<typeof isCoreError>[1]) => (err: unknown) => {
    assert.ok(isCoreError(err, reason), `expected CoreError(${reason}), got ${String(err)}`);
    return true;
};

before(() => {
    spec = resolveModel("bge-small-en-v1.5-q", modelsDir);
    scratch = mkdtempSync(join(tmpdir(), "seek-worker-test-"));
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test("embeds in the worker: input order, unit vectors, dimensions, one worker reused", async () => {
    const embedder = new WorkerEmbedder(spec, { threads: 1 });
    try {
        assert.equal(embedder.modelId, "bge-small-en-v1.5-q");
        assert.equal(embedder.dimensions, 384);
        const input = [{ instruction: "", text: "short" }, ...texts(3), { instruction: "", text: "another short one" }];
        const vectors = await embedder.embed(input);
        assert.equal(vectors.length, input.length);
        for (const v of vectors) {
            assert.equal(v.length, 384);
            assert.ok(Math.abs(cosine(v, v) - 1) < 1e-5);
        }
        const [alone] = await embedder.embed([input[4]]);
        assert.ok(cosine(alone, vectors[4]) > 0.99999, "same text, same vector, in its place");
        assert.deepEqual(await embedder.embed([]), []);
        assert.equal(embedder.workerStarts, 1);
    } finally {
        await embedder.dispose();
    }
});

test("cancellation: rejects at once, queued work is dropped, the worker stays usable", async () => {
    const embedder = createEmbedder(spec, { threads: 1 }) as WorkerEmbedder;
    try {
        await embedder.embed(texts(1)); // model loaded
        const controller = new AbortController();
        const big = embedder.embed(texts(64, "big"), controller.signal);
        const queued = embedder.embed(texts(8, "queued"), controller.signal);
        await new Promise((r) => setTimeout(r, 150));
        const aborted = performance.now();
        controller.abort();
        await assert.rejects(big, rejectsWith("cancelled"));
        await assert.rejects(queued, rejectsWith("cancelled"));
        const rejectMs = performance.now() - aborted;
        assert.ok(rejectMs < 50, `rejected in ${rejectMs.toFixed(1)} ms`);
        // The worker stops at its next batch boundary, so the next request is not stuck behind 64 texts.
        const started = performance.now();
        const [v] = await embedder.embed([{ instruction: "", text: "after cancel" }]);
        const nextMs = performance.now() - started;
        assert.equal(v.length, 384);
        assert.ok(nextMs < 3000, `next request took ${nextMs.toFixed(0)} ms`);
        // An already-aborted signal never reaches the worker.
        await assert.rejects(embedder.embed(texts(1), AbortSignal.abort()), rejectsWith("cancelled"));
        assert.equal(embedder.workerStarts, 1);
    } finally {
        await embedder.dispose();
    }
});

test("a worker crash mid-batch: restarted and the batch retried once, same vectors", async () => {
    const embedder = new WorkerEmbedder(spec, { threads: 1 });
    try {
        const input = texts(6, "crash");
        const expected = await embedder.embed(input);
        const pending = embedder.embed(input);
        embedder.crashWorkerForTest();
        const got = await pending;
        assert.equal(embedder.workerStarts, 2);
        for (let i = 0; i < input.length; i++) assert.ok(cosine(got[i], expected[i]) > 0.99999);
        // A crash while idle: the next call starts a fresh worker lazily.
        embedder.crashWorkerForTest();
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(embedder.workerStarts, 2, "not restarted until needed");
        const [v] = await embedder.embed([input[0]]);
        assert.ok(cosine(v, expected[0]) > 0.99999);
        assert.equal(embedder.workerStarts, 3);
    } finally {
        await embedder.dispose();
    }
});

test("a batch that crashes the worker twice -> workerCrashed", async () => {
    const workerPath = fakeWorker("crasher.js", `if (msg.type === "embed") process.exit(3);`);
    const embedder = new WorkerEmbedder({ ...spec, dimensions: 4 }, { workerPath });
    try {
        await assert.rejects(embedder.embed(texts(1)), (err: unknown) => {
            rejectsWith("workerCrashed")(err);
            assert.match((err as Error).message, /exit code 3/);
            return true;
        });
        assert.equal(embedder.workerStarts, 2, "one retry");
    } finally {
        await embedder.dispose();
    }
});

test("a hung worker -> workerTimeout, terminated, and the next call gets a fresh one", async () => {
    const workerPath = fakeWorker("hung.js", `/* never answers embed */`);
    const embedder = new WorkerEmbedder({ ...spec, dimensions: 4 }, { workerPath, timeoutMs: 300 });
    try {
        const started = performance.now();
        await assert.rejects(embedder.embed(texts(1)), rejectsWith("workerTimeout"));
        assert.ok(performance.now() - started < 2000);
        await assert.rejects(embedder.embed(texts(1)), rejectsWith("workerTimeout"));
        assert.equal(embedder.workerStarts, 2);
    } finally {
        await embedder.dispose();
    }
});

test("a slow worker that reports progress is not a hung one", async () => {
    const workerPath = fakeWorker(
        "slow.js",
        `if (msg.type === "embed") {
            let done = 0;
            const tick = setInterval(() => {
                done++;
                if (done < 6) return parentPort.postMessage({ type: "progress", id: msg.id, done });
                clearInterval(tick);
                const vectors = new Float32Array(msg.texts.length * 4).fill(0.5);
                parentPort.postMessage({ type: "results", id: msg.id, count: msg.texts.length, dimensions: 4, vectors, elapsedMs: 1 });
            }, 100);
        }`,
    );
    const embedder = new WorkerEmbedder({ ...spec, dimensions: 4 }, { workerPath, timeoutMs: 300 });
    try {
        const vectors = await embedder.embed(texts(2));
        assert.equal(vectors.length, 2);
        assert.deepEqual([...vectors[1]], [0.5, 0.5, 0.5, 0.5]);
    } finally {
        await embedder.dispose();
    }
});

test("a model that fails to load in the worker -> its CoreError reason, no retry loop", async () => {
    const garbage = join(scratch, "garbage.onnx");
    writeFileSync(garbage, "this is not an onnx model");
    const embedder = new WorkerEmbedder({ ...spec, onnxPath: garbage }, { threads: 1 });
    try {
        const a = embedder.embed(texts(1));
        const b = embedder.embed(texts(1));
        await assert.rejects(a, (err: unknown) => {
            rejectsWith("modelCorrupt")(err);
            assert.match((err as Error).message, /garbage\.onnx/);
            return true;
        });
        await assert.rejects(b, rejectsWith("modelCorrupt"));
        assert.equal(embedder.workerStarts, 1);
    } finally {
        await embedder.dispose();
    }
});

test("dispose rejects pending work and later calls", async () => {
    const embedder = new WorkerEmbedder(spec, { threads: 1 });
    const pending = assert.rejects(embedder.embed(texts(4)), rejectsWith("cancelled"));
    await embedder.dispose();
    await pending;
    await assert.rejects(embedder.embed(texts(1)), rejectsWith("cancelled"));
});

test("dimensions of a model that does not declare them come from the worker", async () => {
    const embedder = new WorkerEmbedder({ ...spec, id: "undeclared", dimensions: 0 }, { threads: 1 });
    try {
        assert.equal(embedder.dimensions, 0);
        await embedder.warmUp();
        assert.equal(embedder.dimensions, 384);
    } finally {
        await embedder.dispose();
    }
});
