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
import type { IndexIdentity } from "../core/store/indexStore";
import { PostgresSource } from "../core/store/postgres/postgresSource";
import { writerActive } from "../core/store/storeLock";
import type { SharedSource } from "../core/teamIndex";
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
import { describeTeamIndex, scrub, shownUrl, withPassword, type WireTeamIndex } from "./teamIndexConfig";
import { teamOpener, withDeadline, type TeamOpener } from "./teamOpener";

interface OpenEngine {
    key: string;
    /** Read-only while another process (the CLI, an MCP server) holds the index's writer lock; see takeOver. */
    engine: SeekEngine;
    options: WireEngineOptions;
    /** Runs and refreshes in flight, aborted on close/reset. */
    work: Set<AbortController>;
}

const engines = new Map<string, OpenEngine>();
/** The team index per folder key, as the host last sent it; applied to whichever engine is open under the key. */
const teams = new Map<string, WireTeamIndex>();
/** Unsaved editors per folder key (folder-relative paths): the local side answers for them. */
const unsaved = new Map<string, string[]>();
/** The opener of the team index attached under each key (abandoned when replaced: see teamOpener.ts). */
const openers = new Map<string, TeamOpener>();
/** Searches in flight per engine: a reader replaced by a writer is closed once its searches are done. */
const inUse = new Map<SeekEngine, number>();
/** How often a read-only engine checks whether the other process has let go of the index. */
const TAKEOVER_POLL_MS = 1000;
/** How long opening waits for another process that holds the lock but has not stored a readable index yet. */
const OPEN_WAIT_MS = 60_000;
const inFlight = new Map<number, AbortController>();
/** How long a team index change waits for the searches running on the old one (a slow database: it goes anyway). */
const SWAP_WAIT_MS = 10_000;
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
    openers.get(key)?.abandon();
    openers.delete(key);
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(new CoreError("cancelled", "cancelled"));
        const onAbort = () => {
            clearTimeout(timer);
            reject(new CoreError("cancelled", "cancelled"));
        };
        const timer = setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal.addEventListener("abort", onAbort, { once: true });
    });
}

/**
 * Opens the folder's engine. The index location is shared with the CLI and the MCP server (core/indexLocation.ts):
 * when one of them is writing it, open read-only (search answers from what it stored; a reader catches up before
 * every search) and let the next run take the index over once the other process lets go (takeOver).
 */
async function openShared(options: WireEngineOptions, signal: AbortSignal): Promise<SeekEngine> {
    const deadline = Date.now() + OPEN_WAIT_MS;
    for (;;) {
        try {
            return await SeekEngine.open({ ...options, logger });
        } catch (err) {
            if (!isCoreError(err, "storeLocked")) throw err;
        }
        try {
            const reader = await SeekEngine.open({ ...options, logger, readOnly: true });
            logger.info(`another Seek process is updating the index at ${options.indexDir}; searching what it has stored until it is done`);
            return reader;
        } catch (err) {
            // The other process has the lock but no readable index yet (it has just started): wait for either.
            if (!(isCoreError(err, "indexMismatch") || isCoreError(err, "storeLocked")) || Date.now() > deadline) throw err;
        }
        await sleep(TAKEOVER_POLL_MS, signal);
    }
}

/** Waits (abortable) until this read-only engine can become the writer, then swaps the writer in. */
async function takeOver(open: OpenEngine, signal: AbortSignal): Promise<void> {
    while (open.engine.readOnly) {
        if (!writerActive(open.options.indexDir)) {
            let writer: SeekEngine | undefined;
            try {
                writer = await SeekEngine.open({ ...open.options, logger });
            } catch (err) {
                if (!isCoreError(err, "storeLocked")) throw err;
            }
            if (writer && signal.aborted) {
                // Closed (or reset) while the writer opened: the entry is gone, so this writer must not keep the lock.
                await writer.close();
                throw new CoreError("cancelled", "cancelled");
            }
            if (writer) {
                const reader = open.engine;
                open.engine = writer;
                await applyTeam(open.key, writer);
                logger.info(`the other process let go of the index at ${open.options.indexDir}; this window keeps it up to date now`);
                while ((inUse.get(reader) ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
                await reader.close().catch((e: unknown) => logger.warn(`closing the read-only index: ${String(e)}`));
                return;
            }
        }
        await sleep(TAKEOVER_POLL_MS, signal);
    }
}

/** Runs a query on the engine open now, keeping a replaced reader open until it returns. */
async function using<T>(key: string, fn: (engine: SeekEngine) => Promise<T>): Promise<T> {
    const engine = engineFor(key).engine;
    inUse.set(engine, (inUse.get(engine) ?? 0) + 1);
    try {
        return await fn(engine);
    } finally {
        const n = (inUse.get(engine) ?? 1) - 1;
        if (n > 0) inUse.set(engine, n);
        else inUse.delete(engine);
    }
}

/**
 * Attaches the folder's team index to an engine (or detaches it): searches then answer from the team index with the
 * local changes on top (core/teamIndex.ts). Connecting is lazy: the opener runs at the first search.
 */
async function applyTeam(key: string, engine: SeekEngine): Promise<void> {
    // Replacing the link closes the old one's pool: let the searches running on it finish first (a search runs
    // several queries), then swap in this same tick, so every later search sees the new link.
    const deadline = Date.now() + SWAP_WAIT_MS;
    while ((inUse.get(engine) ?? 0) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const team = teams.get(key);
    openers.get(key)?.abandon();
    openers.delete(key);
    if (!team) return engine.detachShared();
    const opener = teamOpener(() => connectTeam(team, engine.indexIdentity), `The team index ${team.repository}@${team.ref} at ${shownUrl(team.url)}`);
    openers.set(key, opener);
    await engine.attachShared(() => opener.open(), { localPaths: () => unsaved.get(key) ?? [] });
}

/**
 * Connects to the team index with the password put into the URL here and nowhere else. A failure to connect of any
 * kind (database down, nothing published for this ref, another model, a rejected password, a newer schema) becomes
 * "storeUnreachable": the local index answers, the user sees the reason once, and the team index is tried again
 * after a pause (core/teamIndex.ts), so fixing the database or publishing the ref needs no action in the editor.
 */
async function connectTeam(team: WireTeamIndex, identity: IndexIdentity): Promise<SharedSource> {
    const key = { repo: team.repository, ref: team.ref };
    try {
        const source = await PostgresSource.open(withPassword(team.url, team.password), key, identity, { logger });
        return withDeadline(source, `The team index ${key.repo}@${key.ref} at ${shownUrl(team.url)}`);
    } catch (err) {
        if (isCoreError(err, "cancelled")) throw err;
        const why = err instanceof Error ? err.message : String(err);
        // The core's errors name the team index already; others (a rejected password) get the context here.
        const message = isCoreError(err) ? why : `The team index ${key.repo}@${key.ref} at ${shownUrl(team.url)} cannot be used: ${why}`;
        throw new CoreError("storeUnreachable", scrub(message, team.password));
    }
}

/**
 * Answers "cancelled" as soon as the host cancels, even while the work is still waiting on something that does not
 * look at the signal (a team index query): the QuickPick's next keystroke must not queue behind it.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) return work;
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(new CoreError("cancelled", "cancelled"));
        signal.addEventListener("abort", onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
}

type Handlers = { [M in EngineMethod]: (params: ParamsOf<M>, id: number, signal: AbortSignal) => Promise<ResultOf<M>> };

const handlers: Handlers = {
    async open({ key, options }, _id, signal) {
        await closeEngine(key);
        const engine = await openShared(options, signal);
        engines.set(key, { key, engine, options, work: new Set() });
        await applyTeam(key, engine);
        return engine.status();
    },
    async run({ key, priorityPaths }, id, signal) {
        const open = engineFor(key);
        return withWork(open, signal, async (s) => {
            await takeOver(open, s);
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
        return withWork(open, signal, async (s) => {
            await takeOver(open, s);
            return open.engine.refreshPaths(paths, s);
        });
    },
    async search({ key, query, options }, _id, signal) {
        return untilAborted(using(key, (engine) => engine.search(query, { ...options, signal })), signal);
    },
    async similar({ key, target, options }, _id, signal) {
        return untilAborted(using(key, (engine) => engine.similar(target, { ...options, signal })), signal);
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
        const { options, engine } = engineFor(key);
        // Deleting an index another process is writing would pull it from under that process.
        if (engine.readOnly) throw new CoreError("storeLocked", "Another Seek process (the seek CLI or an MCP server) is updating this folder's index; rebuild it when that is done.");
        await closeEngine(key);
        await rm(options.indexDir, { recursive: true, force: true });
        logger.info(`deleted the index at ${options.indexDir}`);
        return handlers.open({ key, options }, 0, new AbortController().signal);
    },
    async close({ key }) {
        await closeEngine(key);
        return null;
    },
    async teamIndex({ key, team }) {
        // The same settings again (another setting changed, a window reloaded its config): keep the connection.
        if (JSON.stringify(teams.get(key) ?? null) === JSON.stringify(team)) return null;
        if (team) {
            teams.set(key, team);
            logger.info(`${key}: team index ${describeTeamIndex(team)}`);
        } else if (teams.delete(key)) {
            logger.info(`${key}: no team index; searching the local index`);
        }
        const open = engines.get(key);
        if (open) await applyTeam(key, open.engine);
        return null;
    },
    async localPaths({ key, paths }) {
        unsaved.set(key, paths.filter((p): p is string => typeof p === "string"));
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
        // Not the message itself: a request may carry the team index password.
        logger.warn(`dropped a malformed message from the host (${typeof msg})`);
        return;
    }
    if (msg.kind === "cancel") inFlight.get(msg.id)?.abort();
    else void handle(msg.id, msg.method, msg.params);
});
// The host went away (window closed, extension host crashed): flush and leave rather than linger as an orphan.
process.on("disconnect", () => void shutdown(0));
process.on("unhandledRejection", (reason) => logger.error("unhandled rejection in the engine process", reason));

send({ kind: "ready", pid: process.pid });
