/**
 * Publishing a local index to a namespace of the team index: the difference by content hash. Files whose hash
 * differs (or that are new) are replaced, files gone from the local index are deleted, unchanged files are not
 * touched. Files go in batches of about {@link BATCH_CHUNKS} chunks, one transaction each (a file is never split),
 * so a killed publisher leaves whole files and a rerun picks up where it stopped: the hashes it committed match.
 */
import { throwIfAborted } from "../../errors";
import type { Logger } from "../../types";
import type { PublishChunk, PostgresWriter } from "./postgresWriter";

/** What a publisher reads from: the local catalog and each file's chunks with their vectors. */
export interface PublishInput {
    /** path -> content hash of every file to publish. */
    fileHashes(): ReadonlyMap<string, string>;
    /** All chunks of a file, with vectors where the local index has them. */
    fileChunks(path: string): PublishChunk[] | Promise<PublishChunk[]>;
}

export interface PublishReport {
    added: number;
    updated: number;
    removed: number;
    unchanged: number;
    /** Chunks written (of added and updated files). */
    chunks: number;
    seconds: number;
    chunksPerSecond: number;
}

/**
 * Chunks per transaction: big enough that the per-transaction work (statistics upsert, commit) is amortised, small
 * enough that a transaction holds a few MB of parameters and a kill loses little work.
 */
const BATCH_CHUNKS = 2_000;
/** Paths deleted per transaction. */
const REMOVE_BATCH = 1_000;

export async function publish(
    writer: PostgresWriter,
    input: PublishInput,
    opts: { logger: Logger; signal?: AbortSignal; onBatch?: (done: number, total: number) => void },
): Promise<PublishReport> {
    const started = performance.now();
    const local = input.fileHashes();
    const remote = await writer.fileHashes();
    const changed = [...local].filter(([path, hash]) => remote.get(path) !== hash).map(([path]) => path);
    const gone = [...remote.keys()].filter((path) => !local.has(path));
    const added = changed.filter((p) => !remote.has(p)).length;
    opts.logger.info(`seek: publishing ${changed.length} changed files (${added} new), removing ${gone.length}, ${local.size - changed.length} unchanged`);

    for (let i = 0; i < gone.length; i += REMOVE_BATCH) {
        throwIfAborted(opts.signal);
        await writer.removeFiles(gone.slice(i, i + REMOVE_BATCH));
    }
    let chunks = 0;
    let batch: { path: string; hash: string; chunks: PublishChunk[] }[] = [];
    let batchChunks = 0;
    const flush = async (done: number) => {
        if (batch.length === 0) return;
        await writer.replaceFiles(batch);
        chunks += batchChunks;
        batch = [];
        batchChunks = 0;
        opts.onBatch?.(done, changed.length);
    };
    for (const [i, path] of changed.entries()) {
        throwIfAborted(opts.signal);
        const fileChunks = await input.fileChunks(path);
        batch.push({ path, hash: local.get(path)!, chunks: fileChunks });
        batchChunks += fileChunks.length;
        if (batchChunks >= BATCH_CHUNKS) await flush(i + 1);
    }
    await flush(changed.length);
    const seconds = (performance.now() - started) / 1000;
    return {
        added,
        updated: changed.length - added,
        removed: gone.length,
        unchanged: local.size - changed.length,
        chunks,
        seconds,
        chunksPerSecond: seconds > 0 ? chunks / seconds : 0,
    };
}
