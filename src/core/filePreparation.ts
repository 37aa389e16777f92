/**
 * The part of the keyword stage that needs no store: read one file, chunk it and (in the worker) count each chunk's
 * lexical terms. It runs in the indexer's thread or in the chunking worker (chunk/chunkWorker.ts), so all it returns is
 * plain data that survives postMessage's structured clone unchanged; the store-side decisions (is it unchanged,
 * drop a vanished file) stay with the caller, which owns the store.
 */
import { join } from "node:path";
import { chunkFile } from "./chunk/index";
import { readTextFile } from "./discovery/fileReader";
import { chunkTermCounts, pathWords } from "./store/chunkTerms";
import { packFileTerms, type FileTermCounts } from "./store/fileTermCounts";
import type { Chunk, FileEntry, Logger, SkippedFile } from "./types";

/** What one file turned into before the store. */
export type FilePreparation =
    /** Read and chunked; `termCounts`, when counted here, are the chunks' lexical terms. */
    | { kind: "ready"; entry: FileEntry & { hash: string }; chunks: Chunk[]; termCounts?: FileTermCounts }
    /** Read, and its content hash is the one the catalog held when the file was handed out: not chunked. */
    | { kind: "unchanged"; entry: FileEntry & { hash: string } }
    /** Not readable as text (or gone): the skip to report. */
    | { kind: "skipped"; skip: SkippedFile }
    /** The chunker threw; `message` is the error as text. */
    | { kind: "failed"; path: string; message: string };

/** The settings every file of a run shares. */
export interface PreparationOptions {
    /** Absolute folder the entries' paths are relative to. */
    folder: string;
    maxFileBytes: number;
    maxChunkTokens: number;
    /** Receives the chunker's debug lines (why a file fell back to line windows). */
    logger?: Logger;
    /**
     * Count each chunk's lexical terms too. The worker does, to take that work off the indexer's thread; in that
     * thread it makes no difference, so the store counts them as it always has (ChunkWriter).
     */
    countTerms?: boolean;
}

/**
 * Reads, chunks and term-counts one file. `knownHash` is the catalog's content hash for the path, if any: a file
 * that still has it is reported "unchanged" without the cost of chunking. Never throws for a bad file.
 */
export async function prepareFile(entry: FileEntry, knownHash: string | undefined, opts: PreparationOptions): Promise<FilePreparation> {
    const read = await readTextFile(join(opts.folder, entry.path), { maxFileBytes: opts.maxFileBytes });
    if (!read.ok) return { kind: "skipped", skip: { path: entry.path, reason: read.reason, detail: read.detail } };
    const withHash = { ...entry, size: read.bytes, hash: read.hash };
    if (knownHash === read.hash) return { kind: "unchanged", entry: withHash };
    let chunks: Chunk[];
    try {
        chunks = await chunkFile(entry.path, read.text, { maxTokens: opts.maxChunkTokens, logger: opts.logger });
    } catch (err) {
        return { kind: "failed", path: entry.path, message: String(err) };
    }
    if (!opts.countTerms) return { kind: "ready", entry: withHash, chunks };
    const pathText = pathWords(entry.path);
    const termCounts = packFileTerms(chunks.map((c) => chunkTermCounts(c.text, pathText, c.symbol)));
    return { kind: "ready", entry: withHash, chunks, termCounts };
}
