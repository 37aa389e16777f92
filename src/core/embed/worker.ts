/**
 * worker_threads entry of the inference worker (bundled to dist/worker.js; tsc puts it next to
 * workerEmbedder.js). Serves the protocol of workerProtocol.ts: one model per worker, requests in order,
 * cancellation between batches.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CoreError, isCoreError } from "../errors";
import { NativeGate } from "./nativeGate";
import { OnnxModel } from "./onnxModel";
import { isToWorker, type EmbedRequest, type FromWorker, type InitRequest } from "./workerProtocol";

const port = parentPort;
if (!port) throw new Error("worker.ts must run as a worker thread");

/** Shared with WorkerEmbedder, which terminates this thread only when no onnxruntime call is in flight. */
const shared = (workerData as { nativeGate?: unknown } | undefined)?.nativeGate;
const gate = new NativeGate(shared instanceof SharedArrayBuffer ? shared : undefined);
let model: Promise<OnnxModel> | undefined;
/** Requests cancelled before or while they ran; checked between batches. */
const cancelled = new Set<number>();
/** Requests run one after another: one session, and the caller's timeouts then measure one request each. */
let queue: Promise<void> = Promise.resolve();

function post(msg: FromWorker, transfer?: ArrayBuffer[]): void {
    port!.postMessage(msg, transfer);
}

/** A CoreError keeps its reason; anything else is an inference failure of this worker. */
function toError(err: unknown, id?: number): FromWorker {
    if (isCoreError(err)) return { type: "error", id, reason: err.reason, message: err.message };
    const detail = err instanceof Error ? err.message : String(err);
    return { type: "error", id, reason: "workerCrashed", message: `Inference failed: ${detail}` };
}

function init(msg: InitRequest): void {
    model = OnnxModel.load(msg.modelSpec, {
        threads: msg.threads,
        tokenBudget: msg.tokenBudget,
        maxBatch: msg.maxBatch,
        allowSpinning: msg.allowSpinning,
        gate,
    });
    model.then(
        (m) => post({ type: "ready", dimensions: m.dimensions, threads: m.threads }),
        (err: unknown) => post(toError(err)),
    );
}

async function embed(msg: EmbedRequest): Promise<void> {
    const started = performance.now();
    const stop = () => cancelled.has(msg.id);
    try {
        if (!model) throw new CoreError("badInput", "The worker got an embed request before init.");
        if (stop()) throw new CoreError("cancelled", "cancelled");
        const m = await model;
        const vectors = await m.embed(msg.texts, stop, (done) => {
            if (done < msg.texts.length) post({ type: "progress", id: msg.id, done });
        });
        const dimensions = vectors.length > 0 ? vectors[0].length : m.dimensions;
        const flat = new Float32Array(vectors.length * dimensions);
        vectors.forEach((v, i) => flat.set(v, i * dimensions));
        post(
            { type: "results", id: msg.id, count: vectors.length, dimensions, vectors: flat, elapsedMs: performance.now() - started },
            [flat.buffer],
        );
    } catch (err) {
        post(toError(err, msg.id));
    } finally {
        // Ids only grow and requests run in order: a cancel that raced with this answer is stale now.
        for (const c of cancelled) if (c <= msg.id) cancelled.delete(c);
    }
}

port.on("message", (msg: unknown) => {
    // Only WorkerEmbedder talks to this port; anything else is a programming error there, answered as one.
    if (!isToWorker(msg)) {
        post({ type: "error", reason: "badInput", message: "The worker got a message it does not understand." });
        return;
    }
    switch (msg.type) {
        case "init":
            init(msg);
            break;
        case "embed":
            queue = queue.then(() => embed(msg));
            break;
        case "cancel":
            cancelled.add(msg.id);
            break;
        case "__crash":
            // Test hook (see CrashRequest): end the thread the way a native crash would.
            process.exit(70);
    }
});
