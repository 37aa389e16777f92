/**
 * Messages between {@link WorkerEmbedder} (the caller's thread) and the inference worker (worker.ts). Every
 * message crosses `postMessage` (structured clone), so they are plain data; vectors travel as one transferred
 * Float32Array per request.
 */
import type { CoreErrorReason } from "../errors";
import type { PromptedText } from "../types";
import type { ModelSpec } from "./modelSpec";

/** First message to a fresh worker: load this model. Answered by `ready` or an `error` without id. */
export interface InitRequest {
    type: "init";
    modelSpec: ModelSpec;
    /** Intra-op threads; 0 = the worker's default. */
    threads: number;
    /** Padded tokens per session.run (optional tuning, see onnxModel.ts). */
    tokenBudget?: number;
    /** Inputs per session.run at most (optional tuning, see onnxModel.ts). */
    maxBatch?: number;
    /** Let idle intra-op threads spin (optional tuning, see onnxModel.ts). */
    allowSpinning?: boolean;
}

/** Embed these texts. Answered by `results` or `error` with the same id. Requests are served in order. */
export interface EmbedRequest {
    type: "embed";
    id: number;
    texts: PromptedText[];
}

/** Stop work on request `id` at the next batch boundary (its answer is then an `error` with reason `cancelled`). */
export interface CancelRequest {
    type: "cancel";
    id: number;
}

/**
 * Test hook: the worker exits at once with a non-zero code, as a native crash would end it. Lets tests drive the
 * crash -> restart -> retry path of WorkerEmbedder with the real model. Never sent by production code.
 */
export interface CrashRequest {
    type: "__crash";
}

export type ToWorker = InitRequest | EmbedRequest | CancelRequest | CrashRequest;

/** The model is loaded. */
export interface ReadyResponse {
    type: "ready";
    dimensions: number;
    /** Intra-op threads in use. */
    threads: number;
}

/** Vectors of request `id`, row-major: vector i is `vectors[i * dimensions, (i + 1) * dimensions)`. */
export interface ResultsResponse {
    type: "results";
    id: number;
    count: number;
    dimensions: number;
    vectors: Float32Array;
    /** Time the worker spent on the request, for logging. */
    elapsedMs: number;
}

/**
 * Request `id` finished one more batch (`done` of its texts embedded so far). Resets the caller's hang timer: a
 * long request on a slow machine is not a hung one.
 */
export interface ProgressResponse {
    type: "progress";
    id: number;
    done: number;
}

/** A failure; without `id` it is the init's. `reason` maps back to a CoreError on the caller's side. */
export interface ErrorResponse {
    type: "error";
    id?: number;
    reason: CoreErrorReason;
    message: string;
}

export type FromWorker = ReadyResponse | ProgressResponse | ResultsResponse | ErrorResponse;

function isObject(x: unknown): x is Record<string, unknown> {
    return typeof x === "object" && x !== null;
}

/** Guard for messages arriving at the worker. */
export function isToWorker(x: unknown): x is ToWorker {
    if (!isObject(x)) return false;
    switch (x.type) {
        case "init":
            return isObject(x.modelSpec) && typeof x.threads === "number";
        case "embed":
            return typeof x.id === "number" && Array.isArray(x.texts);
        case "cancel":
            return typeof x.id === "number";
        case "__crash":
            return true;
        default:
            return false;
    }
}

/** Guard for messages arriving from the worker. */
export function isFromWorker(x: unknown): x is FromWorker {
    if (!isObject(x)) return false;
    switch (x.type) {
        case "ready":
            return typeof x.dimensions === "number";
        case "progress":
            return typeof x.id === "number" && typeof x.done === "number";
        case "results":
            return typeof x.id === "number" && typeof x.count === "number" && x.vectors instanceof Float32Array;
        case "error":
            return typeof x.reason === "string" && typeof x.message === "string";
        default:
            return false;
    }
}
