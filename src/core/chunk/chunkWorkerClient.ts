/**
 * The indexer's side of one chunking worker (chunkWorker.ts), for one keyword stage: files go out in numbered
 * requests, answers come back in order and wait here, by the file's position in the run, until the indexer takes
 * them. A worker that fails to start, throws or exits on its own turns every wait, present and future, into
 * CoreError("workerCrashed"); the caller then prepares the rest itself. So does a worker that stays silent on one
 * file for too long (a chunker caught in a pathological input): it is stopped, and {@link stalledPosition} names the
 * file, which the caller leaves out instead of hanging on it in its own thread.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { CoreError } from "../errors";
import type { FilePreparation } from "../filePreparation";
import type { Logger } from "../types";
import type { ChunkWorkerData, FileToPrepare, FromChunkWorker, PrepareRequest } from "./chunkWorkerProtocol";

/** The worker script: dist/chunkWorker.js beside the bundles, or out/src/core/chunk/chunkWorker.js under tsc. */
export const DEFAULT_CHUNK_WORKER_PATH = join(__dirname, "chunkWorker.js");
/**
 * Silence, with files pending, after which the worker counts as stuck. A file is at most maxFileBytes (1 MiB by
 * default), which the chunker takes well under a second over; 30 s leaves room for a starved, niced process.
 */
export const STALL_MS = 30_000;

interface Waiter {
    position: number;
    resolve: (result: FilePreparation) => void;
    reject: (err: unknown) => void;
}

export class ChunkWorkerClient {
    private readonly worker: Worker;
    /** Answers not taken yet, by position in the run. */
    private readonly results = new Map<number, FilePreparation>();
    /** First position and size of each request still unanswered, by request id. */
    private readonly requests = new Map<number, { first: number; files: number }>();
    /** Files sent and not answered yet: the worker's backlog. */
    private pending = 0;
    /** Files the worker has answered for. */
    private answeredFiles = 0;
    private nextId = 1;
    private waiter: Waiter | undefined;
    private failure: CoreError | undefined;
    private stopping = false;
    /** The file the worker said it started last, by position in the run. */
    private current: number | undefined;
    /** Time the worker has been silent with files pending, counted only while this thread was listening. */
    private silentMs = 0;
    private lastCheck = Date.now();
    private readonly watchdog: NodeJS.Timeout;
    /** The file the worker was stopped on for being silent too long, by position in the run. */
    stalledPosition: number | undefined;

    constructor(
        data: ChunkWorkerData,
        private readonly logger: Logger,
        workerPath = DEFAULT_CHUNK_WORKER_PATH,
        private readonly stallMs = STALL_MS,
    ) {
        this.worker = new Worker(workerPath, { name: "seek-chunk", workerData: data });
        const every = Math.min(1000, Math.max(10, stallMs / 4));
        this.watchdog = setInterval(() => this.checkSilence(every), every);
        this.watchdog.unref();
        this.worker.on("message", (msg: FromChunkWorker) => this.onMessage(msg));
        this.worker.on("error", (err) => this.fail(`the chunking worker failed: ${String(err)}`, err));
        this.worker.on("messageerror", (err) => this.fail(`a chunking worker message could not be read: ${String(err)}`, err));
        this.worker.on("exit", (code) => this.fail(`the chunking worker exited (code ${code})`));
    }

    /** Hands the files at positions `first`, `first + 1`, ... of the run to the worker. */
    send(first: number, files: FileToPrepare[]): void {
        if (this.failure) return;
        const id = this.nextId++;
        this.requests.set(id, { first, files: files.length });
        this.pending += files.length;
        this.worker.postMessage({ type: "prepare", id, files } satisfies PrepareRequest);
    }

    /** Files sent and not answered yet. */
    get backlog(): number {
        return this.pending;
    }

    /** The silence, in seconds, after which the worker counts as stuck. */
    get stallSeconds(): number {
        return Math.round(this.stallMs / 1000);
    }

    /** Files the worker has prepared so far. */
    get prepared(): number {
        return this.answeredFiles;
    }

    /** Whether {@link take} would answer at once: the worker has answered for `position`, or has failed. */
    answered(position: number): boolean {
        return this.results.has(position) || this.failure !== undefined;
    }

    /**
     * The answer for the file at `position` (already sent), once the worker has given it. Rejects with
     * CoreError("workerCrashed") when the worker is gone, and "cancelled" as soon as `signal` aborts.
     */
    take(position: number, signal?: AbortSignal): Promise<FilePreparation> {
        const ready = this.results.get(position);
        if (ready) {
            this.results.delete(position);
            return Promise.resolve(ready);
        }
        if (this.failure) return Promise.reject(this.failure);
        if (signal?.aborted) return Promise.reject(new CoreError("cancelled", "cancelled"));
        return new Promise<FilePreparation>((resolve, reject) => {
            const onAbort = () => this.settle(undefined, new CoreError("cancelled", "cancelled"));
            signal?.addEventListener("abort", onAbort, { once: true });
            const done = () => signal?.removeEventListener("abort", onAbort);
            this.waiter = {
                position,
                resolve: (r) => (done(), resolve(r)),
                reject: (e) => (done(), reject(e)),
            };
        });
    }

    /** Every answer received and not taken yet, by position; they are no longer kept here. */
    takeAll(): Map<number, FilePreparation> {
        const all = new Map(this.results);
        this.results.clear();
        return all;
    }

    /** Stops the worker (at the end of the stage, or on cancel); answers still on their way are dropped. */
    async terminate(): Promise<void> {
        this.stopping = true;
        clearInterval(this.watchdog);
        this.results.clear();
        await this.worker.terminate();
    }

    private onMessage(msg: FromChunkWorker): void {
        this.silentMs = 0;
        if (msg.type === "log") {
            this.logger[msg.level](msg.message);
            return;
        }
        const request = this.requests.get(msg.id);
        if (!request) return;
        if (msg.type === "started") {
            this.current = request.first + msg.index;
            return;
        }
        this.requests.delete(msg.id);
        this.current = undefined;
        this.pending -= request.files;
        this.answeredFiles += request.files;
        msg.results.forEach((r, i) => this.results.set(request.first + i, r));
        const waiter = this.waiter;
        if (waiter && this.results.has(waiter.position)) {
            const result = this.results.get(waiter.position)!;
            this.results.delete(waiter.position);
            this.settle(result);
        }
    }

    /**
     * Runs every `every` ms. A gap far longer than that means this thread was busy (a long store write) and could
     * not have heard the worker, so only the expected interval counts as silence.
     */
    private checkSilence(every: number): void {
        const now = Date.now();
        const elapsed = Math.min(now - this.lastCheck, 2 * every);
        this.lastCheck = now;
        if (this.pending === 0 || this.failure) {
            this.silentMs = 0;
            return;
        }
        this.silentMs += elapsed;
        if (this.silentMs < this.stallMs) return;
        // Requests are served in order (and kept in the order sent), so a worker silent since its last answer is on
        // the oldest request's first file.
        this.stalledPosition = this.current ?? this.requests.values().next().value?.first;
        this.fail(`the chunking worker spent more than ${this.stallSeconds} s on one file`);
    }

    private fail(message: string, cause?: unknown): void {
        if (this.stopping || this.failure) return;
        clearInterval(this.watchdog);
        this.failure = new CoreError("workerCrashed", message, { cause });
        this.settle(undefined, this.failure);
        // After an exit this is a no-op; after an error it keeps the thread from lingering; a stuck worker is
        // stopped here.
        void this.worker.terminate();
    }

    private settle(result: FilePreparation | undefined, err?: unknown): void {
        const waiter = this.waiter;
        this.waiter = undefined;
        if (!waiter) return;
        if (result) waiter.resolve(result);
        else waiter.reject(err);
    }
}
