/**
 * Typed IPC between the extension host (EngineClient) and the engine child process (engineProcess.ts).
 * Messages travel as JSON over Node's fork() channel. Every request has an id; the host may cancel it, and the
 * child answers every request exactly once (a cancelled one with reason "cancelled").
 * No `vscode` import: the child process bundles this file.
 */
import type { EngineOptions, SearchResult, SimilarTarget } from "../core/engine";
import type { CoreErrorReason } from "../core/errors";
import type { IndexReport } from "../core/indexReport";
import type { IndexProgress, IndexStatus, SearchOptions, SkippedFile } from "../core/types";
import type { WireTeamIndex } from "./teamIndexConfig";

/** Engine options that cross the process boundary (no logger or injected embedder: they are not JSON). */
export type WireEngineOptions = Omit<EngineOptions, "logger" | "embedder">;
/** Search options without the AbortSignal: cancellation travels as a `cancel` message instead. */
export type WireSearchOptions = Omit<SearchOptions, "signal">;

/** Log levels in the order of vscode.LogLevel (Off=0 .. Error=5), so the host can pass its channel's level. */
export type WireLogLevel = "trace" | "debug" | "info" | "warn" | "error";

/** Method name -> [params, result]. One engine per workspace folder, addressed by `key`. */
export interface EngineMethods {
    /** Opens (or creates) the index of one folder. Replaces an engine already open under that key. */
    open: [{ key: string; options: WireEngineOptions }, IndexStatus];
    /** A full incremental run; progress arrives as `progress` events with this request's id. */
    run: [{ key: string; priorityPaths: string[] }, IndexProgress | null];
    refreshPaths: [{ key: string; paths: string[] }, { updated: number; removed: number }];
    search: [{ key: string; query: string; options: WireSearchOptions }, SearchResult];
    similar: [{ key: string; target: SimilarTarget; options: WireSearchOptions }, SearchResult];
    status: [{ key: string }, IndexStatus];
    skippedFiles: [{ key: string }, SkippedFile[]];
    /** The index per language and the last run's skips (Seek: Show Index Status). */
    report: [{ key: string }, IndexReport];
    /** Closes the engine, deletes its index directory and opens it again, empty. */
    reset: [{ key: string }, IndexStatus];
    close: [{ key: string }, null];
    /**
     * The team index a folder searches with its local changes on top (#12), or null for the local index alone. Kept
     * per key across open, reset and a reader's takeover, so it may arrive before the folder's engine is open.
     */
    teamIndex: [{ key: string; team: WireTeamIndex | null }, null];
    /** Folder-relative paths of unsaved editors: the local index answers for them whatever the team index holds. */
    localPaths: [{ key: string; paths: string[] }, null];
    /** The least severe level forwarded to the host (trace lines are many; skip them unless asked for). */
    setLogLevel: [{ level: WireLogLevel }, null];
}
export type EngineMethod = keyof EngineMethods;
export type ParamsOf<M extends EngineMethod> = EngineMethods[M][0];
export type ResultOf<M extends EngineMethod> = EngineMethods[M][1];

/** Host -> child. */
export type HostToChild =
    | { kind: "request"; id: number; method: EngineMethod; params: unknown }
    | { kind: "cancel"; id: number };

/** A failure as it crosses the boundary; the host turns it back into a CoreError. */
export interface WireError {
    reason?: CoreErrorReason;
    message: string;
    stack?: string;
}

/** Child -> host. */
export type ChildToHost =
    | { kind: "response"; id: number; ok: true; value: unknown }
    | { kind: "response"; id: number; ok: false; error: WireError }
    | { kind: "progress"; id: number; progress: IndexProgress }
    | { kind: "log"; level: WireLogLevel; message: string }
    /** Sent once after the child has set up its message handler. */
    | { kind: "ready"; pid: number };

export const LOG_LEVELS: readonly WireLogLevel[] = ["trace", "debug", "info", "warn", "error"];

function isObj(x: unknown): x is Record<string, unknown> {
    return typeof x === "object" && x !== null;
}

/** Structural check of a child message (the child is ours, but a broken one must not crash the host). */
export function isChildToHost(x: unknown): x is ChildToHost {
    if (!isObj(x)) return false;
    switch (x.kind) {
        case "response":
            return typeof x.id === "number" && typeof x.ok === "boolean" && (x.ok || isObj(x.error));
        case "progress":
            return typeof x.id === "number" && isObj(x.progress);
        case "log":
            return typeof x.message === "string" && LOG_LEVELS.includes(x.level as WireLogLevel);
        case "ready":
            return typeof x.pid === "number";
        default:
            return false;
    }
}

export function isHostToChild(x: unknown): x is HostToChild {
    if (!isObj(x) || typeof x.id !== "number") return false;
    return x.kind === "cancel" || (x.kind === "request" && typeof x.method === "string");
}
