/**
 * The index of one folder as a long-lived MCP server holds it: opened once (read-only when another Seek process is
 * writing it), brought up to date in the background, and refreshed when a tool call comes after a quiet spell, so
 * an agent that edits files and searches again reads current code. Tool calls never wait for the embeddings: they
 * wait (briefly) for the keyword stage and answer from whatever stage the index is at. A server that opened the
 * index read-only takes it over for writing once the other process lets go, so it keeps the index current itself.
 */
import { CoreError, isCoreError } from "../core/errors";
import type { SeekEngine } from "../core/engine";
import type { IndexProgress, Logger } from "../core/types";
import type { IndexNote } from "../agent/indexNote";

export interface IndexSessionOptions {
    /** Opens the folder's engine; readOnly when another process holds the index lock. */
    open: (readOnly: boolean) => Promise<SeekEngine>;
    logger: Logger;
}

/**
 * Longest a tool call waits for the keyword stage before answering from what is stored: that stage takes about a
 * second on a mid-size repository and 43 s on a 23,000-file folder (README), and an agent is better served by a
 * partial answer that says so than by a call that seems to hang.
 */
const KEYWORD_STAGE_WAIT_MS = 20_000;
/** A tool call this long after the last run ends starts an incremental run first (files may have changed). */
const REFRESH_AFTER_MS = 10_000;
/** A read-only server tries the index lock again at most this often (one file operation; the model loads lazily). */
const PROMOTE_EVERY_MS = 2_000;

export class IndexSession {
    private engine: SeekEngine | undefined;
    private opening: Promise<SeekEngine> | undefined;
    private readonly controller = new AbortController();
    private progress: IndexProgress | undefined;
    private run: { keywordDone: Promise<void>; finished: Promise<void> } | undefined;
    private lastRunEnded = 0;
    private lastRunError: unknown;
    private lastPromoteTry = 0;
    /** Tool calls using each engine, so a replaced reader is closed only once its calls are done. */
    private readonly leases = new Map<SeekEngine, number>();
    private readonly retiring: Promise<void>[] = [];
    private closed = false;

    constructor(private readonly options: IndexSessionOptions) {}

    /** Opens the engine and starts the first run; never rejects (a failure is reported by the next tool call). */
    start(): void {
        void this.ready().catch((err: unknown) => this.options.logger.warn(`seek mcp: ${err instanceof Error ? err.message : String(err)}`));
    }

    /**
     * The engine, once the index is worth searching: its keyword stage done, or KEYWORD_STAGE_WAIT_MS spent on it.
     * Throws CoreError when the index cannot be opened at all.
     */
    async ready(signal?: AbortSignal): Promise<SeekEngine> {
        let engine = await this.open();
        if (engine.readOnly) engine = await this.promote(engine);
        if (!engine.readOnly && !this.run && Date.now() - this.lastRunEnded > REFRESH_AFTER_MS) this.startRun(engine);
        if (this.run) await waitAtMost(this.run.keywordDone, KEYWORD_STAGE_WAIT_MS, signal);
        return engine;
    }

    /** Runs one tool call on the ready engine; the engine stays open until the call is done. */
    async use<T>(signal: AbortSignal | undefined, work: (engine: SeekEngine) => Promise<T>): Promise<T> {
        const engine = await this.ready(signal);
        this.leases.set(engine, (this.leases.get(engine) ?? 0) + 1);
        try {
            return await work(engine);
        } finally {
            this.leases.set(engine, (this.leases.get(engine) ?? 1) - 1);
        }
    }

    /** What the index covers now, for the line every answer carries. */
    note(result: { coverage: number; semanticCoverage: number }): IndexNote {
        const note: IndexNote = { coverage: result.coverage, semanticCoverage: result.semanticCoverage };
        if (this.run) note.running = this.progress?.phase === "embedding" ? "semantic" : "keyword";
        if (this.engine?.readOnly) note.readOnly = true;
        return note;
    }

    /** The current or last run: its progress and how it ended, for the status tool. */
    runState(): { running: boolean; progress?: IndexProgress; error?: string } {
        const out: { running: boolean; progress?: IndexProgress; error?: string } = { running: this.run !== undefined };
        if (this.progress) out.progress = this.progress;
        if (this.lastRunError !== undefined) out.error = this.lastRunError instanceof Error ? this.lastRunError.message : String(this.lastRunError);
        return out;
    }

    /** Stops the run (what is stored stays) and closes the store, releasing its lock. */
    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        this.controller.abort();
        await this.run?.finished;
        const engine = this.engine ?? (await this.opening?.catch(() => undefined));
        await engine?.close();
        await Promise.all(this.retiring);
    }

    /**
     * The writer's engine in place of a reader's, once the other process has let go of the index lock (else the
     * reader, unchanged). The reader is closed when the calls still using it are done.
     */
    private async promote(reader: SeekEngine): Promise<SeekEngine> {
        if (Date.now() - this.lastPromoteTry < PROMOTE_EVERY_MS) return reader;
        this.lastPromoteTry = Date.now();
        let writer: SeekEngine;
        try {
            writer = await this.options.open(false);
        } catch (err) {
            if (!isCoreError(err, "storeLocked")) this.options.logger.warn(`seek mcp: could not take over the index: ${err instanceof Error ? err.message : String(err)}`);
            return reader;
        }
        if (this.closed || this.engine !== reader) {
            await writer.close();
            return this.engine ?? reader;
        }
        this.engine = writer;
        this.opening = Promise.resolve(writer);
        this.options.logger.info("seek mcp: the other process let go of the index; this server now keeps it up to date");
        this.retiring.push(this.retire(reader));
        return writer;
    }

    private async retire(reader: SeekEngine): Promise<void> {
        while ((this.leases.get(reader) ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        this.leases.delete(reader);
        await reader.close().catch((err: unknown) => this.options.logger.warn(`seek mcp: closing the read-only index: ${String(err)}`));
    }

    private open(): Promise<SeekEngine> {
        if (this.closed) return Promise.reject(new CoreError("cancelled", "the server is shutting down"));
        if (this.engine) return Promise.resolve(this.engine);
        // A failed open is not cached: the next call tries again (the other process may have finished or gone).
        this.opening ??= this.openEngine().then(
            (engine) => {
                this.engine = engine;
                return engine;
            },
            (err: unknown) => {
                this.opening = undefined;
                throw err;
            },
        );
        return this.opening;
    }

    private async openEngine(): Promise<SeekEngine> {
        try {
            return await this.options.open(false);
        } catch (err) {
            if (!isCoreError(err, "storeLocked")) throw err;
        }
        // Another Seek is writing this index: read what it stores (a reader catches up before every search).
        try {
            const engine = await this.options.open(true);
            this.options.logger.info("seek mcp: another process is updating this index; answering from what it has stored");
            return engine;
        } catch (err) {
            throw new CoreError(
                "storeLocked",
                "Another Seek process is building this folder's index and has not stored any of it yet; try again in a few seconds.",
                { cause: err },
            );
        }
    }

    private startRun(engine: SeekEngine): void {
        let markKeywordDone!: () => void;
        const keywordDone = new Promise<void>((resolve) => (markKeywordDone = resolve));
        const finished = (async () => {
            try {
                for await (const p of engine.run({ signal: this.controller.signal, semantic: true })) {
                    this.progress = p;
                    if (p.phase === "embedding" || p.phase === "done") markKeywordDone();
                }
                this.lastRunError = undefined;
            } catch (err) {
                if (!isCoreError(err, "cancelled")) {
                    this.lastRunError = err;
                    this.options.logger.error(err instanceof Error ? err : String(err));
                }
            } finally {
                markKeywordDone();
                this.run = undefined;
                this.lastRunEnded = Date.now();
            }
        })();
        this.run = { keywordDone, finished };
    }
}

async function waitAtMost(p: Promise<void>, ms: number, signal?: AbortSignal): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
        await Promise.race([
            p,
            new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
            new Promise<void>((resolve) => {
                onAbort = resolve;
                signal?.addEventListener("abort", onAbort, { once: true });
            }),
        ]);
    } finally {
        clearTimeout(timer);
        if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
    if (signal?.aborted) throw new CoreError("cancelled", "cancelled");
}
