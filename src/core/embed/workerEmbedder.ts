/**
 * The {@link Embedder} the engine uses: ONNX inference in a worker thread (worker.ts), so the caller's event loop
 * never waits on the model. One request at a time goes to the worker; others queue here, where a cancel can drop
 * them without a round trip. A crashed worker is restarted and its batch retried once; a hung one is replaced, and
 * terminated as soon as that is safe (nativeGate.ts).
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { CoreError } from "../errors";
import type { Embedder, Logger, PromptedText } from "../types";
import type { ModelSpec } from "./modelSpec";
import { NativeGate } from "./nativeGate";
import { isFromWorker, type FromWorker, type ToWorker } from "./workerProtocol";

/** Options of {@link WorkerEmbedder}. */
export interface WorkerEmbedderOptions {
    /** Intra-op threads of the session (default: see onnxModel.ts `defaultThreads`). */
    threads?: number;
    logger?: Logger;
    /**
     * The worker script. Default `<this file's folder>/worker.js`: dist/worker.js next to the bundles, or
     * out/src/core/embed/worker.js under tsc output.
     */
    workerPath?: string;
    /**
     * No answer and no progress for this long (model load included) means a hung worker (default 120 s). The
     * worker reports progress after every batch, so this bounds one session.run, not a whole request.
     */
    timeoutMs?: number;
    /** Padded tokens per session.run (see onnxModel.ts). */
    tokenBudget?: number;
    /** Inputs per session.run at most (default 1; see onnxModel.ts `DEFAULT_MAX_BATCH` for why). */
    maxBatch?: number;
    /** Let idle intra-op threads spin (default off; see onnxModel.ts `DEFAULT_ALLOW_SPINNING`). */
    allowSpinning?: boolean;
}

/** Generous: a first request loads the model, and a slow machine under load may take seconds per batch. */
export const DEFAULT_WORKER_TIMEOUT_MS = 120_000;

interface Job {
    /** Id of the current attempt (a retry gets a new one, so a dead worker's late answer never matches). */
    id: number;
    texts: PromptedText[];
    resolve: (vectors: Float32Array[]) => void;
    reject: (err: unknown) => void;
    signal?: AbortSignal;
    onAbort?: () => void;
    retried: boolean;
    sentAt: number;
}

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export class WorkerEmbedder implements Embedder {
    readonly modelId: string;
    private dims: number;
    private worker: Worker | undefined;
    /** Each worker's gate (nativeGate.ts): terminating a worker is safe only once its gate is closed. */
    private readonly gates = new WeakMap<Worker, NativeGate>();
    /** Workers being stopped (stopWorker); dispose() waits for them. */
    private readonly stopping = new Set<Promise<void>>();
    private current: Job | undefined;
    private readonly queue: Job[] = [];
    private timer: NodeJS.Timeout | undefined;
    /** Id of the embed request the worker is still working on (answered or not by us), for a safe dispose. */
    private awaitingId: number | undefined;
    private nextId = 1;
    private starts = 0;
    private disposed = false;
    private lastWorkerError: unknown;
    private readonly logger: Logger;
    private readonly workerPath: string;
    private readonly timeoutMs: number;

    constructor(
        private readonly spec: ModelSpec,
        private readonly options: WorkerEmbedderOptions = {},
    ) {
        this.modelId = spec.id;
        this.dims = spec.dimensions;
        this.logger = options.logger ?? silent;
        this.workerPath = options.workerPath ?? join(__dirname, "worker.js");
        this.timeoutMs = options.timeoutMs ?? DEFAULT_WORKER_TIMEOUT_MS;
    }

    /** From the model description, or from the worker once it has loaded a model that did not declare them. */
    get dimensions(): number {
        return this.dims;
    }

    /** True while a batch runs or waits: a query sent now would wait behind it. */
    get busy(): boolean {
        return this.current !== undefined || this.queue.length > 0;
    }

    /** Workers started so far (1 after the first call; more after crashes or timeouts). */
    get workerStarts(): number {
        return this.starts;
    }

    embed(texts: PromptedText[], signal?: AbortSignal): Promise<Float32Array[]> {
        if (this.disposed) return Promise.reject(new CoreError("cancelled", "The embedder was disposed."));
        if (signal?.aborted) return Promise.reject(new CoreError("cancelled", "cancelled"));
        if (texts.length === 0) return Promise.resolve([]);
        return new Promise<Float32Array[]>((resolve, reject) => {
            const job: Job = { id: 0, texts, resolve, reject, signal, retried: false, sentAt: 0 };
            if (signal) {
                job.onAbort = () => this.abort(job);
                signal.addEventListener("abort", job.onAbort, { once: true });
            }
            this.queue.push(job);
            this.pump();
        });
    }

    /** Loads the model now (rather than on the first embed) and resolves once the worker has answered. */
    async warmUp(signal?: AbortSignal): Promise<void> {
        await this.embed([{ instruction: "", text: "warm up" }], signal);
    }

    /** Rejects everything pending with CoreError("cancelled") and terminates the worker. */
    async dispose(): Promise<void> {
        this.disposed = true;
        const err = new CoreError("cancelled", "The embedder was disposed.");
        for (const job of this.queue.splice(0)) this.settle(job, err);
        const running = this.current;
        const worker = this.worker;
        const busyWith = this.awaitingId;
        this.worker = undefined;
        if (running) this.finish(running, err);
        if (!worker) return;
        // A cancelled worker answers after its current input: wait for that answer, bounded, so the common case
        // ends with a plain terminate.
        if (busyWith !== undefined) {
            this.post({ type: "cancel", id: busyWith }, worker);
            await waitForAnswer(worker, busyWith, DISPOSE_GRACE_MS);
        }
        void this.stopWorker(worker);
        await waitAtMost(Promise.all(this.stopping), STOPPING_WAIT_MS);
    }

    /** Test hook: makes the worker exit as if it crashed (protocol message `__crash`). */
    crashWorkerForTest(): void {
        this.post({ type: "__crash" });
    }

    private pump(): void {
        if (this.current || this.disposed) return;
        const job = this.queue.shift();
        if (!job) {
            // Idle: an unreferenced worker never keeps a CLI process alive.
            this.worker?.unref();
            return;
        }
        this.current = job;
        this.send(job);
    }

    private send(job: Job): void {
        let worker: Worker;
        try {
            worker = this.ensureWorker();
        } catch (err) {
            // A worker that cannot even be constructed (bad path, thread limits) fails this job, not the embedder.
            this.finish(job, new CoreError("workerCrashed", `Cannot start the inference worker ${this.workerPath}: ${String(err)}`, { cause: err }));
            return;
        }
        worker.ref();
        job.id = this.nextId++;
        job.sentAt = performance.now();
        this.armTimer(job);
        this.awaitingId = job.id;
        this.post({ type: "embed", id: job.id, texts: job.texts });
    }

    private armTimer(job: Job): void {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.onTimeout(job), this.timeoutMs);
    }

    private post(msg: ToWorker, worker = this.worker): void {
        worker?.postMessage(msg);
    }

    private ensureWorker(): Worker {
        if (this.worker) return this.worker;
        // Set here, on the thread that owns the real environment: a worker's process.env is a private copy that
        // the native onnxruntime never sees, and the variable must be set before its first session.
        process.env.ORT_DISABLE_TELEMETRY = "1";
        const gate = new NativeGate();
        const worker = new Worker(this.workerPath, { name: "seek-embed", workerData: { nativeGate: gate.buffer } });
        this.starts++;
        this.lastWorkerError = undefined;
        worker.on("message", (msg: unknown) => this.onMessage(worker, msg));
        worker.on("error", (err) => {
            if (worker === this.worker) this.lastWorkerError = err;
        });
        worker.on("exit", (code) => this.onExit(worker, code));
        this.worker = worker;
        this.gates.set(worker, gate);
        this.logger.info(`seek: starting inference worker for ${this.spec.id} (threads ${this.options.threads ?? "default"})`);
        this.post({
            type: "init",
            modelSpec: this.spec,
            threads: this.options.threads ?? 0,
            tokenBudget: this.options.tokenBudget,
            maxBatch: this.options.maxBatch,
            allowSpinning: this.options.allowSpinning,
        });
        return worker;
    }

    private onMessage(worker: Worker, msg: unknown): void {
        if (worker !== this.worker) return;
        if (!isFromWorker(msg)) {
            this.logger.warn("seek: unexpected message from the inference worker");
            return;
        }
        this.handle(msg);
    }

    private handle(msg: FromWorker): void {
        const job = this.current;
        if ((msg.type === "results" || msg.type === "error") && msg.id === this.awaitingId) this.awaitingId = undefined;
        switch (msg.type) {
            case "ready":
                this.dims = msg.dimensions;
                this.logger.debug(`seek: model ${this.spec.id} loaded (${msg.dimensions}-d, ${msg.threads} threads)`);
                if (job) this.armTimer(job);
                return;
            case "progress":
                if (job && msg.id === job.id) this.armTimer(job);
                return;
            case "results": {
                if (!job || msg.id !== job.id) return;
                if (msg.count !== job.texts.length) {
                    this.finish(job, new CoreError("workerCrashed", `The inference worker returned ${msg.count} vectors for ${job.texts.length} texts.`));
                    return;
                }
                const d = msg.dimensions;
                const vectors = Array.from({ length: msg.count }, (_, i) => msg.vectors.slice(i * d, (i + 1) * d));
                const total = performance.now() - job.sentAt;
                this.logger.debug(`seek: embedded ${msg.count} texts in ${total.toFixed(0)} ms (${msg.elapsedMs.toFixed(0)} ms in the worker)`);
                this.finish(job, undefined, vectors);
                return;
            }
            case "error":
                if (msg.id === undefined) {
                    // The worker cannot serve anything (the model failed to load): fail everything waiting for it.
                    this.discardWorker();
                    const err = new CoreError(msg.reason, msg.message);
                    for (const queued of this.queue.splice(0)) this.settle(queued, err);
                    if (job) this.finish(job, err);
                } else if (job && msg.id === job.id) {
                    this.finish(job, new CoreError(msg.reason, msg.message));
                }
                return;
        }
    }

    private onExit(worker: Worker, code: number): void {
        // A worker we terminated on purpose (timeout, init failure, dispose) is no longer this.worker.
        if (worker !== this.worker) return;
        this.worker = undefined;
        const cause = this.lastWorkerError;
        this.logger.warn(`seek: inference worker exited (code ${code})${cause ? `: ${String(cause)}` : ""}`);
        const job = this.current;
        // Idle crash: the next call starts a fresh worker.
        if (!job) return;
        clearTimeout(this.timer);
        if (!job.retried) {
            job.retried = true;
            this.logger.info(`seek: restarting the inference worker and retrying ${job.texts.length} texts`);
            this.send(job);
            return;
        }
        const detail = cause instanceof Error ? `: ${cause.message}` : "";
        const err = new CoreError("workerCrashed", `The inference worker stopped twice on the same batch (exit code ${code})${detail}.`, { cause });
        this.finish(job, err);
    }

    private onTimeout(job: Job): void {
        if (job !== this.current) return;
        this.logger.error(`seek: inference worker made no progress in ${this.timeoutMs} ms; replacing it`);
        this.discardWorker();
        this.finish(job, new CoreError("workerTimeout", `The inference worker made no progress in ${Math.round(this.timeoutMs / 1000)} s.`));
    }

    private abort(job: Job): void {
        const err = new CoreError("cancelled", "cancelled");
        if (job === this.current) {
            // The worker stops at its next batch boundary; the caller does not wait for that.
            this.post({ type: "cancel", id: job.id });
            this.finish(job, err);
            return;
        }
        const i = this.queue.indexOf(job);
        if (i >= 0) this.queue.splice(i, 1);
        this.settle(job, err);
    }

    private discardWorker(): void {
        const worker = this.worker;
        this.worker = undefined;
        if (!worker) return;
        if (this.awaitingId !== undefined) this.post({ type: "cancel", id: this.awaitingId }, worker);
        void this.stopWorker(worker);
    }

    /**
     * Terminates a worker as soon as that is safe: at once, unless it is inside an onnxruntime call, which
     * terminating would turn into a process abort (nativeGate.ts); then once that call returns, while a new worker
     * serves the next request. Meanwhile it stays referenced, so a process that ends waits for the call instead of
     * aborting; dispose() waits for it too, up to {@link STOPPING_WAIT_MS}.
     */
    private stopWorker(worker: Worker): Promise<void> {
        const gate = this.gates.get(worker);
        const stopped = new Promise<void>((resolve) => {
            const tryStop = (): boolean => {
                if (gate?.tryClose() === false) return false;
                worker.terminate().then(
                    () => resolve(),
                    (err: unknown) => {
                        this.logger.debug(`seek: terminating the worker failed: ${String(err)}`);
                        resolve();
                    },
                );
                return true;
            };
            if (tryStop()) return;
            this.logger.warn("seek: the old inference worker is inside an onnxruntime call; it is stopped when that call returns");
            const poll = setInterval(() => {
                if (tryStop()) clearInterval(poll);
            }, NATIVE_POLL_MS);
            poll.unref();
        });
        this.stopping.add(stopped);
        void stopped.then(() => this.stopping.delete(stopped));
        return stopped;
    }

    /** Ends the current job and moves on to the next. */
    private finish(job: Job, err: unknown, vectors?: Float32Array[]): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.current === job) this.current = undefined;
        this.settle(job, err, vectors);
        this.pump();
    }

    private settle(job: Job, err: unknown, vectors?: Float32Array[]): void {
        if (job.onAbort) job.signal?.removeEventListener("abort", job.onAbort);
        if (err !== undefined) job.reject(err);
        else job.resolve(vectors ?? []);
    }
}

/** The default embedder for a model: ONNX in a worker thread. */
export function createEmbedder(spec: ModelSpec, opts: WorkerEmbedderOptions = {}): Embedder {
    return new WorkerEmbedder(spec, opts);
}

/** How often a replaced worker's gate is checked (stopWorker). */
const NATIVE_POLL_MS = 100;

/**
 * Longest wait in dispose() for replaced workers to leave onnxruntime. One session.run takes well under a second
 * with the default batch of 1; a call still running after this is taken to be stuck, and the caller goes on.
 */
const STOPPING_WAIT_MS = 30_000;

function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
    return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        void promise.then(() => {
            clearTimeout(timer);
            resolve();
        });
    });
}

/** Longest wait in dispose() for a busy worker to finish its current input (one text: well under a second). */
const DISPOSE_GRACE_MS = 5000;

function waitForAnswer(worker: Worker, id: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
        const done = () => {
            clearTimeout(timer);
            worker.off("message", onMessage);
            worker.off("exit", done);
            resolve();
        };
        const onMessage = (msg: unknown) => {
            if (isFromWorker(msg) && (msg.type === "results" || msg.type === "error") && msg.id === id) done();
        };
        const timer = setTimeout(done, timeoutMs);
        worker.on("message", onMessage);
        worker.on("exit", done);
    });
}
