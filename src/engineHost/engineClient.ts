/**
 * Host side of the engine child process: forks dist/engineProcess.js at lower priority, sends typed requests with
 * ids, forwards cancellation, relays progress and log lines, and restarts the child after a crash (the index is on
 * disk, so a restart loses at most the batch in flight). No `vscode` import: it takes a Logger.
 */
import { fork, type ChildProcess } from "node:child_process";
import { setPriority } from "node:os";
import { CoreError } from "../core/errors";
import type { IndexProgress, Logger } from "../core/types";
import { isChildToHost, type ChildToHost, type EngineMethod, type ParamsOf, type ResultOf, type WireLogLevel } from "./ipc";

/** Nice value of the child: below the editor, above idle work. */
const CHILD_NICE = 10;
/** Crashes tolerated within CRASH_WINDOW_MS before giving up: a crash that repeats at once is not transient. */
const MAX_RESTARTS = 3;
const CRASH_WINDOW_MS = 5 * 60_000;
/** How long the child may take to start and say `ready` (bundle load only; the model loads on `open`). */
const START_TIMEOUT_MS = 30_000;
/** How long dispose waits for the child to close its stores before killing it. */
const STOP_TIMEOUT_MS = 5_000;
/** Delay before a restart, times the number of recent crashes. */
const RESTART_DELAY_MS = 500;

interface Pending {
    resolve(value: unknown): void;
    reject(err: unknown): void;
    onProgress?: (p: IndexProgress) => void;
    method: EngineMethod;
}

export interface RequestOptions {
    /** Aborting sends `cancel`; the promise then settles with the child's answer (CoreError "cancelled"). */
    signal?: AbortSignal;
    /** For `run`: progress events of this request. */
    onProgress?: (p: IndexProgress) => void;
}

export interface EngineClientOptions {
    scriptPath: string;
    logger: Logger;
    /** Extra environment for the child (merged over the host's). */
    env?: Record<string, string>;
}

/**
 * Lifecycle after an unexpected exit: `exited` at once (engines are gone; callers mark their state), then
 * `restarted` once a fresh child is up (callers re-open their engines) or `gaveUp` when crashes keep repeating.
 */
export type CrashEvent = { kind: "exited" | "restarted" | "gaveUp"; error: CoreError };
export type CrashListener = (event: CrashEvent) => void;

export class EngineClient {
    private child: ChildProcess | undefined;
    private starting: Promise<void> | undefined;
    private readonly pending = new Map<number, Pending>();
    private readonly crashes: number[] = [];
    private readonly crashListeners = new Set<CrashListener>();
    private nextId = 1;
    private stopped = false;
    private gaveUp: CoreError | undefined;
    private logLevel: WireLogLevel = "debug";
    private restartTimer: NodeJS.Timeout | undefined;

    constructor(private readonly options: EngineClientOptions) {}

    /** Called on every unexpected exit and again when a fresh child is up (or restarting was given up). */
    onCrash(listener: CrashListener): { dispose(): void } {
        this.crashListeners.add(listener);
        return { dispose: () => this.crashListeners.delete(listener) };
    }

    get pid(): number | undefined {
        return this.child?.pid;
    }

    /** Sends one request, starting the child first if needed. */
    async request<M extends EngineMethod>(method: M, params: ParamsOf<M>, opts: RequestOptions = {}): Promise<ResultOf<M>> {
        if (opts.signal?.aborted) throw new CoreError("cancelled", "cancelled");
        await this.ensureStarted();
        const child = this.child;
        if (!child?.connected) throw new CoreError("workerCrashed", "the engine process is not running");
        const id = this.nextId++;
        return new Promise<ResultOf<M>>((resolve, reject) => {
            const onAbort = () => this.post({ kind: "cancel", id });
            opts.signal?.addEventListener("abort", onAbort, { once: true });
            const done = () => opts.signal?.removeEventListener("abort", onAbort);
            this.pending.set(id, {
                method,
                onProgress: opts.onProgress,
                resolve: (v) => (done(), resolve(v as ResultOf<M>)),
                reject: (e) => (done(), reject(e)),
            });
            this.post({ kind: "request", id, method, params });
        });
    }

    /** Level of the log lines the child forwards (follows the output channel's level). */
    setLogLevel(level: WireLogLevel): void {
        this.logLevel = level;
        if (this.child?.connected) void this.request("setLogLevel", { level }).catch((e) => this.options.logger.debug(`setLogLevel: ${String(e)}`));
    }

    /** Stops the child: it closes its stores on disconnect; killed if it takes longer than STOP_TIMEOUT_MS. */
    async dispose(): Promise<void> {
        this.stopped = true;
        clearTimeout(this.restartTimer);
        const child = this.child;
        this.child = undefined;
        if (!child || child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        if (child.connected) child.disconnect();
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
    }

    private ensureStarted(): Promise<void> {
        if (this.stopped) return Promise.reject(new CoreError("cancelled", "Seek is shutting down"));
        if (this.gaveUp) return Promise.reject(this.gaveUp);
        if (this.child?.connected) return Promise.resolve();
        this.starting ??= this.start().finally(() => (this.starting = undefined));
        return this.starting;
    }

    private start(): Promise<void> {
        const { logger } = this.options;
        const child = fork(this.options.scriptPath, [], {
            stdio: ["ignore", "pipe", "pipe", "ipc"],
            // execArgv: none of the extension host's flags (an inspector port would collide). ELECTRON_RUN_AS_NODE:
            // in desktop VS Code, process.execPath is the Electron binary and must behave as plain Node.
            execArgv: [],
            env: { ...process.env, ELECTRON_RUN_AS_NODE: "1", ORT_DISABLE_TELEMETRY: "1", ...this.options.env },
        });
        this.child = child;
        try {
            if (child.pid !== undefined) setPriority(child.pid, CHILD_NICE);
        } catch (err) {
            logger.debug(`could not renice the engine process: ${String(err)}`);
        }
        child.stdout?.on("data", (d: Buffer) => logger.info(`[engine] ${d.toString().trimEnd()}`));
        child.stderr?.on("data", (d: Buffer) => logger.warn(`[engine] ${d.toString().trimEnd()}`));
        return new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(new CoreError("workerTimeout", "the engine process did not start"));
            }, START_TIMEOUT_MS);
            child.on("message", (msg: unknown) => {
                if (!isChildToHost(msg)) return logger.warn(`dropped a malformed message from the engine: ${JSON.stringify(msg)?.slice(0, 200)}`);
                if (msg.kind === "ready") {
                    clearTimeout(timer);
                    logger.info(`engine process started (pid ${msg.pid})`);
                    this.post({ kind: "request", id: this.nextId++, method: "setLogLevel", params: { level: this.logLevel } });
                    resolve();
                } else this.onMessage(msg);
            });
            child.on("error", (err) => logger.error("engine process error", err));
            child.on("exit", (code, signal) => {
                clearTimeout(timer);
                reject(new CoreError("workerCrashed", `the engine process exited during start (${code ?? signal})`));
                this.onExit(child, code, signal);
            });
        });
    }

    private post(msg: { kind: "request"; id: number; method: EngineMethod; params: unknown } | { kind: "cancel"; id: number }): void {
        if (this.child?.connected) this.child.send(msg);
    }

    private onMessage(msg: ChildToHost): void {
        const { logger } = this.options;
        switch (msg.kind) {
            case "log":
                logger[msg.level](msg.message);
                return;
            case "progress":
                this.pending.get(msg.id)?.onProgress?.(msg.progress);
                return;
            case "response": {
                const p = this.pending.get(msg.id);
                if (!p) return; // internal fire-and-forget requests (setLogLevel on start)
                this.pending.delete(msg.id);
                if (msg.ok) p.resolve(msg.value);
                else p.reject(fromWire(msg.error, p.method));
                return;
            }
            case "ready":
                return;
        }
    }

    private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
        if (this.child !== child && this.child !== undefined) return;
        this.child = undefined;
        const crash = new CoreError("workerCrashed", `the engine process exited unexpectedly (${signal ?? `code ${code}`})`);
        for (const p of this.pending.values()) p.reject(crash);
        this.pending.clear();
        if (this.stopped) return;
        const now = Date.now();
        this.crashes.push(now);
        while (this.crashes.length > 0 && now - this.crashes[0] > CRASH_WINDOW_MS) this.crashes.shift();
        const restart = this.crashes.length <= MAX_RESTARTS;
        this.options.logger.error(`${crash.message}; ${restart ? "restarting it" : `giving up after ${this.crashes.length} crashes`}`);
        if (!restart) this.gaveUp = crash;
        const notify = (kind: CrashEvent["kind"]) => {
            for (const l of this.crashListeners) l({ kind, error: crash });
        };
        notify("exited");
        if (!restart) return notify("gaveUp");
        // A short, growing delay: lets the old process's file handles go and avoids a tight crash loop.
        this.restartTimer = setTimeout(() => {
            this.restartTimer = undefined;
            this.ensureStarted().then(
                () => notify("restarted"),
                (err) => {
                    this.options.logger.error("restarting the engine process failed", err);
                    this.gaveUp = crash;
                    notify("gaveUp");
                },
            );
        }, RESTART_DELAY_MS * this.crashes.length);
    }
}

function fromWire(error: { reason?: CoreError["reason"]; message: string; stack?: string }, method: string): Error {
    const err = error.reason ? new CoreError(error.reason, error.message) : new Error(`${method}: ${error.message}`);
    if (error.stack) err.stack = error.stack;
    return err;
}
