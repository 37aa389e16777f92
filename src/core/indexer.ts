/**
 * The indexing run: discover -> diff against the catalog -> read, chunk and embed what changed -> store.
 * See core/README.md for the algorithm and why the catalog is committed together with the chunks.
 */
import { join } from "node:path";
import { chunkFile } from "./chunk/index";
import { discoverFiles } from "./discovery/discovery";
import { readTextFile } from "./discovery/fileReader";
import { formatDocument } from "./embed/instructions";
import { isCoreError, throwIfAborted } from "./errors";
import type { FileBatchEntry, IndexStore } from "./store/indexStore";
import type { Chunk, EmbedInput, Embedder, FileEntry, IndexProgress, Logger, PromptedText, SkippedFile } from "./types";

/**
 * Chunks per embedding call. Large enough that the worker's length-sorted batching has texts to sort
 * (less padding), small enough that a cancel or a kill loses at most a few seconds of work.
 */
const CHUNKS_PER_BATCH = 96;
/** Files per store transaction at most, so one commit never holds a huge number of files. */
const FILES_PER_BATCH = 64;
/** Throughput is averaged over this many recent batches for the ETA. */
const ETA_WINDOW = 8;

export interface IndexerDeps {
    folder: string;
    store: IndexStore;
    embedder: Embedder;
    /** Builds the instruction-prefixed prompt for one input. */
    prompt: (input: EmbedInput) => PromptedText;
    logger: Logger;
    maxFileBytes: number;
    maxChunkTokens: number;
    include?: string[];
    exclude?: string[];
    onSkip: (skipped: SkippedFile) => void;
}

interface PreparedFile {
    entry: FileEntry & { hash: string };
    chunks: Chunk[];
}

/** Domain used for instructions: prose-like files are embedded as docs. */
export function domainOf(kind: Chunk["kind"]): "code" | "docs" {
    return kind === "code" ? "code" : "docs";
}

/** Orders work so that what the user is looking at (priority paths), then recently changed files, come first. */
export function orderForIndexing(files: FileEntry[], priorityPaths: string[] = []): FileEntry[] {
    const priority = new Map(priorityPaths.map((p, i) => [p, i]));
    return [...files].sort((a, b) => {
        const pa = priority.get(a.path) ?? Infinity;
        const pb = priority.get(b.path) ?? Infinity;
        if (pa !== pb) return pa - pb;
        if (a.mtimeMs !== b.mtimeMs) return b.mtimeMs - a.mtimeMs;
        return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    });
}

export class Indexer {
    /** Files discovery saw in the last run (for coverage while a run is under way). */
    discoveredFiles = 0;

    constructor(private readonly deps: IndexerDeps) {}

    /** One full refresh. Yields progress after every stored batch; a failing file is skipped, not fatal. */
    async *run(signal?: AbortSignal, priorityPaths: string[] = []): AsyncGenerator<IndexProgress> {
        const { store } = this.deps;
        const progress: IndexProgress = { phase: "discovering", filesTotal: 0, filesDone: 0, chunksEmbedded: 0, skipped: 0 };
        yield { ...progress };
        const files: FileEntry[] = [];
        for await (const f of discoverFiles(this.deps.folder, {
            maxFileBytes: this.deps.maxFileBytes,
            include: this.deps.include,
            exclude: this.deps.exclude,
            onSkip: (s) => {
                // Ignored files (gitignore, node_modules) are by design, not a problem worth counting.
                if (s.reason !== "ignored") progress.skipped++;
                this.deps.onSkip(s);
            },
            signal,
            logger: this.deps.logger,
        })) {
            files.push(f);
        }
        this.discoveredFiles = files.length;
        const catalog = store.catalog();
        const present = new Set(files.map((f) => f.path));
        const removed = [...catalog.keys()].filter((p) => !present.has(p));
        if (removed.length > 0) {
            progress.phase = "removing";
            store.removeFiles(removed);
            this.deps.logger.info(`removed ${removed.length} deleted files from the index`);
        }
        const todo = orderForIndexing(files.filter((f) => this.maybeChanged(f)), priorityPaths);
        progress.filesTotal = files.length;
        progress.filesDone = files.length - todo.length;
        progress.phase = "embedding";
        // Totals are known now: report them before the first (slow) batch so the UI shows n/N at once.
        yield { ...progress };
        yield* this.indexFiles(todo, progress, signal);
        progress.phase = "done";
        progress.etaSeconds = 0;
        yield { ...progress };
    }

    /** Re-checks given paths (watcher events): re-indexes changed ones, removes vanished ones. */
    async refreshPaths(paths: string[], signal?: AbortSignal): Promise<{ updated: number; removed: number }> {
        const entries: FileEntry[] = [];
        const vanished: string[] = [];
        const wanted = new Set(paths);
        // Discovery applies every ignore rule; run it over the whole folder only when the batch is large.
        const discovered = new Map<string, FileEntry>();
        for await (const f of discoverFiles(this.deps.folder, {
            maxFileBytes: this.deps.maxFileBytes,
            include: this.deps.include,
            exclude: this.deps.exclude,
            onSkip: () => undefined,
            signal,
            logger: this.deps.logger,
        })) {
            discovered.set(f.path, f);
        }
        this.discoveredFiles = discovered.size;
        const catalog = this.deps.store.catalog();
        for (const p of wanted) {
            const f = discovered.get(p);
            if (f) entries.push(f);
            else if (catalog.has(p)) vanished.push(p);
        }
        if (vanished.length > 0) this.deps.store.removeFiles(vanished);
        const progress: IndexProgress = { phase: "embedding", filesTotal: entries.length, filesDone: 0, chunksEmbedded: 0, skipped: 0 };
        let updated = 0;
        for await (const p of this.indexFiles(entries, progress, signal)) updated = p.filesDone;
        return { updated, removed: vanished.length };
    }

    /** A file needs a look unless the catalog has it with the same size and mtime. */
    private maybeChanged(f: FileEntry): boolean {
        const known = this.deps.store.fileInfo(f.path);
        return !known || known.size !== f.size || known.mtimeMs !== f.mtimeMs;
    }

    private async *indexFiles(todo: FileEntry[], progress: IndexProgress, signal?: AbortSignal): AsyncGenerator<IndexProgress> {
        progress.phase = "embedding";
        const recent: { files: number; ms: number }[] = [];
        let i = 0;
        while (i < todo.length) {
            throwIfAborted(signal);
            const started = Date.now();
            const batch: PreparedFile[] = [];
            let chunkCount = 0;
            while (i < todo.length && batch.length < FILES_PER_BATCH && chunkCount < CHUNKS_PER_BATCH) {
                const entry = todo[i++];
                progress.currentPath = entry.path;
                const prepared = await this.prepare(entry);
                if (prepared === "unchanged") {
                    progress.filesDone++;
                    continue;
                }
                if (!prepared) {
                    progress.filesDone++;
                    progress.skipped++;
                    continue;
                }
                batch.push(prepared);
                chunkCount += prepared.chunks.length;
            }
            if (batch.length > 0) {
                await this.embedAndStore(batch, signal);
                progress.chunksEmbedded += chunkCount;
                progress.filesDone += batch.length;
            }
            recent.push({ files: batch.length, ms: Date.now() - started });
            if (recent.length > ETA_WINDOW) recent.shift();
            progress.etaSeconds = estimateEta(recent, progress.filesTotal - progress.filesDone);
            yield { ...progress };
        }
    }

    /** Reads and chunks one file; "unchanged" when its content hash matches the catalog. */
    private async prepare(entry: FileEntry): Promise<PreparedFile | "unchanged" | undefined> {
        const read = await readTextFile(join(this.deps.folder, entry.path), { maxFileBytes: this.deps.maxFileBytes });
        if (!read.ok) {
            this.deps.onSkip({ path: entry.path, reason: read.reason, detail: read.detail });
            if (read.reason === "vanished") this.deps.store.removeFiles([entry.path]);
            return undefined;
        }
        const withHash = { ...entry, size: read.bytes, hash: read.hash };
        if (this.deps.store.catalog().get(entry.path) === read.hash) {
            this.deps.store.touchFile(withHash);
            return "unchanged";
        }
        try {
            const chunks = await chunkFile(entry.path, read.text, { maxTokens: this.deps.maxChunkTokens, logger: this.deps.logger });
            return { entry: withHash, chunks };
        } catch (err) {
            this.deps.logger.warn(`chunking failed for ${entry.path}: ${String(err)}`);
            return undefined;
        }
    }

    private async embedAndStore(batch: PreparedFile[], signal?: AbortSignal): Promise<void> {
        const chunks = batch.flatMap((f) => f.chunks);
        const prompts = chunks.map((c) =>
            this.deps.prompt({ role: "document", domain: domainOf(c.kind), language: c.language, text: formatDocument(c) }),
        );
        let vectors: Float32Array[];
        try {
            vectors = chunks.length > 0 ? await this.deps.embedder.embed(prompts, signal) : [];
        } catch (err) {
            if (isFatal(err)) throw err;
            if (batch.length === 1) {
                const detail = err instanceof Error ? err.message : String(err);
                this.deps.onSkip({ path: batch[0].entry.path, reason: "embedFailed", detail });
                return;
            }
            // One bad file must not sink the batch: retry file by file and skip the ones that still fail.
            this.deps.logger.warn(`embedding a batch failed (${String(err)}); retrying file by file`);
            for (const f of batch) await this.embedAndStore([f], signal);
            return;
        }
        let offset = 0;
        const entries: FileBatchEntry[] = batch.map((f) => {
            const v = vectors.slice(offset, offset + f.chunks.length);
            offset += f.chunks.length;
            return { file: f.entry, chunks: f.chunks, vectors: v };
        });
        this.deps.store.replaceFiles(entries);
    }
}

/** Errors no other file would escape: stop the run instead of skipping every file one by one. */
function isFatal(err: unknown): boolean {
    return isCoreError(err) && ["cancelled", "modelMissing", "modelCorrupt", "unknownModel"].includes(err.reason);
}

function estimateEta(recent: { files: number; ms: number }[], remaining: number): number | undefined {
    const files = recent.reduce((s, r) => s + r.files, 0);
    const ms = recent.reduce((s, r) => s + r.ms, 0);
    if (files === 0 || ms === 0) return undefined;
    return Math.round((remaining * ms) / files / 1000);
}

