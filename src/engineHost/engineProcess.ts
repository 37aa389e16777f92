/**
 * Entry of the engine child process (bundled to dist/engineProcess.js, started by EngineClient with fork()).
 * It owns one SeekEngine per workspace folder, so chunking, SQLite and inference never run on the extension host's
 * thread. It speaks the typed protocol in ipc.ts and exits when the host disconnects.
 */
process.env.ORT_DISABLE_TELEMETRY = "1";

import { rm } from "node:fs/promises";
import { setPriority } from "node:os";
import { SeekEngine } from "../core/engine";
import { CoreError, isCoreError } from "../core/errors";
import type { Logger } from "../core/types";
import {
    LOG_LEVELS,
    isHostToChild,
    type ChildToHost,
    type EngineMethod,
    type EngineMethods,
    type ParamsOf,
    type ResultOf,
    type WireEngineOptions,
    type WireError,
    type WireLogLevel,
} from "./ipc";

interface OpenEngine {
    engine: SeekEngine;
    options: WireEngineOptions;
    /** Runs and refreshes in flight, aborted on close/reset. */
    work: Set<AbortController>;
}

const engines = new Map<string, OpenEngine>();
const inFlight = new Map<number, AbortController>();
let minLevel = LOG_LEVELS.indexOf("debug");

function send(msg: ChildToHost): void {
    if (process.connected) process.send?.(msg);
}

function format(message: string | Error, args: unknown[]): string {
    const head = message instanceof Error ? (message.stack ?? message.message) : message;
    const tail = args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : typeof a === "string" ? a : JSON.stringify(a)));
    return [head, ...tail].join(" ");
}

function forward(level: WireLogLevel): (message: string | Error, ...args: unknown[]) => void {
    return (message, ...args) => {
        if (LOG_LEVELS.indexOf(level) >= minLevel) send({ kind: "log", level, message: format(message, args) });
    };
}

const logger: Logger = { trace: forward("trace"), debug: forward("debug"), info: forward("info"), warn: forward("warn"), error: forward("error") };

/**
 * Lower our own priority before any worker or ONNX thread exists: on Linux a nice value is per thread and new
 * threads inherit it from their creator, so doing it first covers the inference threads too. (The host also
 * renices our pid, which covers only the main thread.)
 */
const BACKGROUND_NICE = 10;
try {
    setPriority(BACKGROUND_NICE);
} catch (err) {
    // Not permitted everywhere (some containers); normal priority still works, only less politely.
    logger.debug(`could not lower the engine process priority: ${String(err)}`);
}

function toWireError(err: unknown): WireError {
    if (isCoreError(err)) return { reason: err.reason, message: err.message, stack: err.stack };
    if (err instanceof Error) return { message: err.message, stack: err.stack };
    return { message: String(err) };
}

function engineFor(key: string): OpenEngine {
    const open = engines.get(key);
    if (!open) throw new CoreError("badInput", `no engine is open for ${key}`);
    return open;
}

async function closeEngine(key: string): Promise<void> {
    const open = engines.get(key);
    if (!open) return;
    engines.delete(key);
    for (const c of open.work) c.abort();
    await open.engine.close();
}

/** Runs `fn` with an AbortController registered on the engine, so close/reset can stop it. */
async function withWork<T>(open: OpenEngine, signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener("abort", onAbort);
    open.work.add(controller);
    try {
        return await fn(controller.signal);
    } finally {
        open.work.delete(controller);
        signal.removeEventListener("abort", onAbort);
    }
}

type Handlers = { [M in EngineMethod]: (params: ParamsOf<M>, id: number, signal: AbortSignal) => Promise<ResultOf<M>> };

const handlers: Handlers = {
    async open({ key, options }) {
        await closeEngine(key);
        const engine = await SeekEngine.open({ ...options, logger });
        engines.set(key, { engine, options, work: new Set() });
        return engine.status();
    },
    async run({ key, priorityPaths }, id, signal) {
        const open = engineFor(key);
        return withWork(open, signal, async (s) => {
            let last: EngineMethods["run"][1] = null;
            for await (const progress of open.engine.run({ signal: s, priorityPaths })) {
                last = progress;
                send({ kind: "progress", id, progress });
            }
            return last;
        });
    },
    async refreshPaths({ key, paths }, _id, signal) {
        const open = engineFor(key);
        return withWork(open, signal, (s) => open.engine.refreshPaths(paths, s));
    },
    async search({ key, query, options }, _id, signal) {
        return engineFor(key).engine.search(query, { ...options, signal });
    },
    async similar({ key, target, options }, _id, signal) {
        return engineFor(key).engine.similar(target, { ...options, signal });
    },
    async status({ key }) {
        return engineFor(key).engine.status();
    },
    async skippedFiles({ key }) {
        return engineFor(key).engine.skippedFiles();
    },
    async report({ key }) {
        return engineFor(key).engine.report();
    },
    async reset({ key }) {
        const { options } = engineFor(key);
        await closeEngine(key);
        await rm(options.indexDir, { recursive: true, force: true });
        logger.info(`deleted the index at ${options.indexDir}`);
        return handlers.open({ key, options }, 0, new AbortController().signal);
    },
    async close({ key }) {
        await closeEngine(key);
        return null;
    },
    async setLogLevel({ level }) {
        minLevel = LOG_LEVELS.indexOf(level);
        return null;
    },
};

async function handle(id: number, method: EngineMethod, params: unknown): Promise<void> {
    const controller = new AbortController();
    inFlight.set(id, controller);
    try {
        const handler = handlers[method] as (p: unknown, id: number, s: AbortSignal) => Promise<unknown>;
        if (typeof handler !== "function") throw new CoreError("badInput", `unknown method ${String(method)}`);
        const value = await handler(params, id, controller.signal);
        send({ kind: "response", id, ok: true, value });
    } catch (err) {
        if (!isCoreError(err, "cancelled")) logger.debug(`${method} failed: ${format(err instanceof Error ? err : String(err), [])}`);
        send({ kind: "response", id, ok: false, error: toWireError(err) });
    } finally {
        inFlight.delete(id);
    }
}

async function shutdown(code: number): Promise<void> {
    for (const c of inFlight.values()) c.abort();
    for (const key of [...engines.keys()]) {
        try {
            await closeEngine(key);
        } catch (err) {
            logger.error(`closing ${key} failed`, err);
        }
    }
    process.exit(code);
}

process.on("message", (msg: unknown) => {
    if (!isHostToChild(msg)) {
        logger.warn(`dropped a malformed message from the host: ${JSON.stringify(msg)?.slice(0, 200)}`);
        return;
    }
    if (msg.kind === "cancel") inFlight.get(msg.id)?.abort();
    else void handle(msg.id, msg.method, msg.params);
});
// The host went away (window closed, extension host crashed): flush and leave rather than linger as an orphan.
process.on("disconnect", () => void shutdown(0));
process.on("unhandledRejection", (reason) => logger.error("unhandled rejection in the engine process", reason));

send({ kind: "ready", pid: process.pid });
