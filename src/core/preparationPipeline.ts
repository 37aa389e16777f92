/**
 * Feeds the keyword stage its files' preparations (filePreparation.ts) in the stage's order. With enough files and
 * a second core, a chunking worker reads, chunks and counts terms ahead of the indexer, which meanwhile writes the
 * previous batch to SQLite, so that both cores work (on one thread, reading, parsing and tokenizing were more than
 * half of the stage). Otherwise, and from the moment a worker fails, files are prepared in the indexer's own
 * thread, one at a time as asked; either way each file is prepared exactly once and comes out the same.
 */
import { availableParallelism } from "node:os";
import { ChunkWorkerClient } from "./chunk/chunkWorkerClient";
import { isCoreError, throwIfAborted } from "./errors";
import { prepareFile, type FilePreparation, type PreparationOptions } from "./filePreparation";
import type { FileEntry, Logger } from "./types";

/**
 * Fewer files than this are prepared in-thread: the worker's start (loading the chunker and the tree-sitter
 * grammars a second time, ~0.3 s of CPU, and ~50 MiB) costs more than it saves. Measured on laravel-framework
 * PHP subsets, cold `seek search --no-wait`, interleaved, 3-4 runs each at load 1.7-2.7 (a shared machine), in-thread
 * / worker: 200 files 1.22 / 1.30 s, 300 1.45 / 1.63, 400 1.58 / 1.53, 600 2.22 / 1.93, 800 3.23 / 2.53.
 * Watcher refreshes stay far below it.
 */
export const MIN_FILES_FOR_WORKER = 500;
/** Files per request: one message each way per request, small enough that the first answer comes quickly. */
const FILES_PER_REQUEST = 32;
/**
 * Files the worker should have queued. The indexer's thread cannot hand out files while it writes a store batch
 * (FILES_PER_BATCH = 256 files, indexer.ts), so the worker needs about one batch queued to stay busy meanwhile.
 */
const WORKER_BACKLOG = 256;
/**
 * Files handed out (to either thread) ahead of the one the indexer is waiting for, at most: what bounds the
 * prepared files held in memory. Room for the worker's backlog, plus what this thread prepares meanwhile.
 */
const MAX_AHEAD_FILES = 640;
/** ... and at most this many bytes of source ahead (files up to maxFileBytes each), whatever their number. */
const MAX_AHEAD_BYTES = 32 * 1024 * 1024;

/** Where and when to use the chunking worker. */
export interface ChunkWorkerOptions {
    /** Fewest files to prepare that start a worker (default {@link MIN_FILES_FOR_WORKER}). */
    minFiles?: number;
    /** The worker script (default: chunkWorker.js beside the chunker, see chunkWorkerClient.ts). */
    workerPath?: string;
    /** Silence on one file after which the worker is stopped and the file left out (default STALL_MS). */
    stallMs?: number;
}

export interface PipelineOptions extends PreparationOptions {
    logger: Logger;
    /** path -> content hash of the stored files, read as files are handed out (a live view, see IndexStore.catalog). */
    catalog: ReadonlyMap<string, string>;
    worker?: ChunkWorkerOptions;
}

/**
 * Hands out the files of one stage, in order. The worker gets them in requests, keeping its backlog; whenever the
 * indexer would wait for the worker, it prepares the first file not handed out yet itself, so that both threads
 * stay busy whichever half of the stage (chunking or writing) is slower on this folder.
 */
export class PreparationPipeline {
    private client: ChunkWorkerClient | undefined;
    /** Next position to give out. */
    private position = 0;
    /** Positions below this have been handed out, to the worker or to this thread. */
    private handedOut = 0;
    /** Bytes of the files handed out but not given out yet. */
    private bytesAhead = 0;
    /** Files this thread prepared ahead while it waited for the worker, by position. */
    private readonly preparedHere = new Map<number, FilePreparation>();
    /** Files the worker prepared (those of a stopped worker included); undefined when none was started. */
    private byWorker: number | undefined;
    /** Files prepared in this thread. */
    private byThisThread = 0;

    constructor(
        private readonly todo: readonly FileEntry[],
        private readonly opts: PipelineOptions,
        private readonly signal?: AbortSignal,
    ) {
        if (todo.length < (opts.worker?.minFiles ?? MIN_FILES_FOR_WORKER) || availableParallelism() < 2) return;
        try {
            const { folder, maxFileBytes, maxChunkTokens } = opts;
            this.client = new ChunkWorkerClient({ folder, maxFileBytes, maxChunkTokens }, opts.logger, opts.worker?.workerPath, opts.worker?.stallMs);
            this.byWorker = 0;
        } catch (err) {
            this.opts.logger.warn(`seek: could not start the chunking worker (${String(err)}); chunking in this thread`);
        }
    }

    /** The next file's preparation, in the order given. Rejects with CoreError("cancelled") when the signal aborts. */
    async next(): Promise<FilePreparation> {
        const position = this.position++;
        const result = await this.resultFor(position);
        this.bytesAhead -= this.todo[position].size;
        return result;
    }

    /** Stops the worker, if any; call when the stage ends, however it ends. */
    async close(): Promise<void> {
        await this.stopWorker();
        if (this.byWorker !== undefined) {
            this.opts.logger.debug(`keyword stage: ${this.byWorker} files chunked by the worker, ${this.byThisThread} in this thread`);
        }
    }

    /**
     * Stops a worker that has answered for every file of the stage, keeping its answers: the indexer may still have
     * a batch or two to write, and an idle worker would hold its heap and grammars (~100 MiB) through them.
     */
    private async retireWorker(client: ChunkWorkerClient): Promise<void> {
        this.keepAnswers(client);
        await this.stopWorker();
    }

    /**
     * Keeps what a worker answered and was not taken yet. A file it got stuck on is answered here as failed (the
     * indexer logs it and leaves it out): chunking it again in this thread would hang the whole stage on it. What
     * the worker had not answered is prepared here from then on, as it is asked for.
     */
    private keepAnswers(client: ChunkWorkerClient): void {
        for (const [position, result] of client.takeAll()) this.preparedHere.set(position, result);
        const stuck = client.stalledPosition;
        if (stuck === undefined) return;
        const message = `chunking took too long (${client.stallSeconds} s without an answer), so the file is left out of the index`;
        this.preparedHere.set(stuck, { kind: "failed", path: this.todo[stuck].path, message });
    }

    private async stopWorker(): Promise<void> {
        const client = this.client;
        if (!client) return;
        this.client = undefined;
        this.byWorker! += client.prepared;
        await client.terminate();
    }

    private async resultFor(position: number): Promise<FilePreparation> {
        const ahead = this.preparedHere.get(position);
        if (ahead) {
            this.preparedHere.delete(position);
            return ahead;
        }
        const client = this.client;
        if (client) {
            try {
                const result = await this.fromWorker(client, position);
                if (this.handedOut === this.todo.length && client.backlog === 0) await this.retireWorker(client);
                return result;
            } catch (err) {
                if (!isCoreError(err, "workerCrashed")) throw err;
                this.opts.logger.warn(`seek: ${err.message}; chunking the remaining ${this.todo.length - position} files in this thread`);
                this.keepAnswers(client);
                await this.stopWorker();
                return this.resultFor(position);
            }
        }
        if (position >= this.handedOut) this.hand(position, 1);
        return this.prepareHere(position);
    }

    /** The worker's answer for `position`; until it comes, this thread prepares files not handed out yet. */
    private async fromWorker(client: ChunkWorkerClient, position: number): Promise<FilePreparation> {
        this.feed(client, position);
        while (!client.answered(position) && this.hasRoomAhead(position)) {
            throwIfAborted(this.signal);
            const mine = this.handedOut;
            this.hand(mine, 1);
            this.preparedHere.set(mine, await this.prepareHere(mine));
            // Answers that came in meanwhile shrank the worker's backlog.
            this.feed(client, position);
        }
        return client.take(position, this.signal);
    }

    /**
     * Tops up the worker's backlog from the files not handed out yet, within the bounds ahead of `position`; sends
     * `position` itself whatever the bounds if nobody has it yet.
     */
    private feed(client: ChunkWorkerClient, position: number): void {
        while (this.handedOut <= position || (client.backlog < WORKER_BACKLOG && this.hasRoomAhead(position))) {
            const first = this.handedOut;
            const count = Math.min(FILES_PER_REQUEST, this.todo.length - first);
            this.hand(first, count);
            client.send(first, this.todo.slice(first, first + count).map((entry) => ({ entry, knownHash: this.opts.catalog.get(entry.path) })));
        }
    }

    private hasRoomAhead(position: number): boolean {
        return this.handedOut < this.todo.length && this.handedOut - position < MAX_AHEAD_FILES && this.bytesAhead < MAX_AHEAD_BYTES;
    }

    /** Marks `count` files from `first` (= handedOut) as handed out. */
    private hand(first: number, count: number): void {
        for (let p = first; p < first + count; p++) this.bytesAhead += this.todo[p].size;
        this.handedOut = first + count;
    }

    private prepareHere(position: number): Promise<FilePreparation> {
        const file = this.todo[position];
        this.byThisThread++;
        return prepareFile(file, this.opts.catalog.get(file.path), this.opts);
    }
}
