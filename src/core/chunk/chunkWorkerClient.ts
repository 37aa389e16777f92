/**
 * The indexer's side of one chunking worker (chunkWorker.ts), for one keyword stage: files go out in numbered
 * requests, answers come back in order and wait here, by the file's position in the run, until the indexer takes
 * them. A worker that fails to start, throws or exits on its own turns every wait, present and future, into
 * CoreError("workerCrashed"); the caller then prepares the rest itself.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { CoreError } from "../errors";
import type { FilePreparation } from "../filePreparation";
import type { Logger } from "../types";
import type { ChunkWorkerData, FileToPrepare, FromChunkWorker, PrepareRequest } from "./chunkWorkerProtocol";

/** The worker script: dist/chunkWorker.js beside the bundles, or out/src/core/chunk/chunkWorker.js under tsc. */
export const DEFAULT_CHUNK_WORKER_PATH = join(__dirname, "chunkWorker.js");

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

    constructor(data: ChunkWorkerData, private readonly logger: Logger, workerPath = DEFAULT_CHUNK_WORKER_PATH) {
        this.worker = new Worker(workerPath, { name: "seek-chunk", workerData: data });
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
        this.results.clear();
        await this.worker.terminate();
    }

    private onMessage(msg: FromChunkWorker): void {
        if (msg.type === "log") {
            this.logger[msg.level](msg.message);
            return;
        }
        const request = this.requests.get(msg.id);
        if (!request) return;
        this.requests.delete(msg.id);
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

    private fail(message: string, cause?: unknown): void {
        if (this.stopping || this.failure) return;
        this.failure = new CoreError("workerCrashed", message, { cause });
        this.settle(undefined, this.failure);
        // The exit (or the error before it) has happened; terminate() keeps the thread from lingering if only an
        // error was emitted.
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
