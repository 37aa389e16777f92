/**
 * Messages between the indexer's thread and the chunking worker (chunkWorker.ts). The worker only reads, chunks
 * and counts terms; it never touches the store, so a message carries plain data and no answer needs a reply.
 */
import type { FilePreparation } from "../filePreparation";
import type { FileEntry, Logger } from "../types";

/** `workerData` of a chunking worker: what every file of the run shares. */
export interface ChunkWorkerData {
    folder: string;
    maxFileBytes: number;
    maxChunkTokens: number;
}

/** One file to prepare, with the catalog's content hash for its path when the indexer handed it out. */
export interface FileToPrepare {
    entry: FileEntry;
    knownHash?: string;
}

/** Indexer -> worker: prepare these files, in this order, and answer once for all of them. */
export interface PrepareRequest {
    type: "prepare";
    id: number;
    files: FileToPrepare[];
}

/** Worker -> indexer. */
export type FromChunkWorker =
    /** The answer to request `id`: `results[i]` belongs to its `files[i]`. */
    | { type: "prepared"; id: number; results: FilePreparation[] }
    /** The worker starts on `files[index]` of request `id` (how the indexer knows which file a silent worker holds). */
    | { type: "started"; id: number; index: number }
    /** A line the chunker logged in the worker, for the indexer's logger. */
    | { type: "log"; level: LogLevel; message: string };

export type LogLevel = keyof Logger;
