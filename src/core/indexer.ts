/**
 * The indexing run, in two stages (core/README.md):
 * 1. keyword stage: discover -> diff against the catalog -> read and chunk what changed -> store chunks (with their
 *    lexical terms) and catalog rows, without vectors. Search works over the whole folder from the end of this stage on.
 * 2. semantic stage: embed every chunk still without a vector, in priority order (open files, then files near
 *    them, then recently changed ones), and store the vectors batch by batch; search's vector side grows with it.
 * The catalog is committed together with the chunks, so a crash never records a file that was not stored; a chunk
 * without a vector after a crash is simply still pending.
 */
import { dirname } from "node:path";
import { discoverFiles } from "./discovery/discovery";
import { formatDocument } from "./embed/instructions";
import { isCoreError, throwIfAborted } from "./errors";
import { prepareFile, type FilePreparation } from "./filePreparation";
import { PreparationPipeline, type ChunkWorkerOptions, type PipelineOptions } from "./preparationPipeline";
import type { FileBatchEntry, IndexStore } from "./store/indexStore";
import type { Chunk, EmbedInput, Embedder, FileEntry, IndexProgress, Logger, PromptedText, SkippedFile, StoredChunk } from "./types";

/**
 * Chunks per embedding call in the semantic stage. The worker runs one input per session.run (onnxModel.ts
 * DEFAULT_MAX_BATCH: the int8 models are not batch-exact), so a bigger call gains no speed; what it costs is
 * latency, since a search's query embedding waits for the call in flight: 32 chunks is about a second on 2 cores.
 * Each call is also one store transaction, so a cancel or a kill loses at most that much work.
 */
const CHUNKS_PER_BATCH = 32;
/**
 * Files and chunks per keyword-stage transaction at most. Every commit costs two fsyncs and a VFS lock round trip
 * (~20 ms here); the writes themselves take ~0.1 ms a chunk, so a full batch holds the lock for well under a second.
 * Measured on laravel-framework (1,791 files, cold, to the first result): 64 files / 2,000 chunks per commit 5.2-6.2 s,
 * 256 / 4,000 4.9 s (interleaved runs, machine busy with a benchmark).
 */
export const FILES_PER_BATCH = 256;
const CHUNKS_PER_STORE = 4000;
/** Throughput is averaged over this many recent batches for the ETA. */
const ETA_WINDOW = 8;

/** Options of one run. */
export interface RunOptions {
    /** Folder-relative paths to index and embed first (open editors), most important first. */
    priorityPaths?: string[];
    /** false: stop after the keyword stage (chunks stored, nothing embedded). Default true. */
    semantic?: boolean;
}

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
    /** When the keyword stage reads and chunks in a worker thread (default: from MIN_FILES_FOR_WORKER files on). */
    chunkWorker?: ChunkWorkerOptions;
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

/**
 * The order in which stage 2 embeds files: the priority paths (open editors) first, then files in their folders,
 * then the most recently modified, then by path. `mtimeOf` gives a stored file's modification time.
 */
export function embeddingRank(paths: Iterable<string>, priorityPaths: string[], mtimeOf: (path: string) => number): Map<string, number> {
    const priority = new Map(priorityPaths.map((p, i) => [p, i]));
    const nearFolders = new Set(priorityPaths.map((p) => dirname(p)));
    const key = (p: string) => (priority.has(p) ? 0 : nearFolders.has(dirname(p)) ? 1 : 2);
    const sorted = [...new Set(paths)].sort(
        (a, b) =>
            key(a) - key(b) ||
            (priority.get(a) ?? 0) - (priority.get(b) ?? 0) ||
            mtimeOf(b) - mtimeOf(a) ||
            (a < b ? -1 : a > b ? 1 : 0),
    );
    return new Map(sorted.map((p, i) => [p, i]));
}

export class Indexer {
    /** Files discovery saw in the last run (for coverage while a run is under way). */
    discoveredFiles = 0;
    /** True once a run's discovery has finished: from then on, 0 discovered files means an empty folder, not "not yet". */
    discovered = false;

    constructor(private readonly deps: IndexerDeps) {}

    /**
     * One full refresh: the keyword stage over every changed file, then (unless `semantic` is false) the semantic
     * stage over every chunk without a vector. Yields progress after every stored batch; a failing file is skipped,
     * not fatal.
     */
    async *run(signal?: AbortSignal, opts: RunOptions = {}): AsyncGenerator<IndexProgress> {
        const { store } = this.deps;
        const priorityPaths = opts.priorityPaths ?? [];
        const progress: IndexProgress = { phase: "discovering", filesTotal: 0, filesDone: 0, chunksEmbedded: 0, skipped: 0, ...this.semanticCounts() };
        yield { ...progress };
        const files: FileEntry[] = [];
        for await (const f of this.discover(signal, (s) => {
            // Ignored files (gitignore, node_modules) are by design, not a problem worth counting.
            if (s.reason !== "ignored") progress.skipped++;
            this.deps.onSkip(s);
        })) {
            files.push(f);
        }
        this.discoveredFiles = files.length;
        this.discovered = true;
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
        progress.phase = "chunking";
        // Totals are known now: report them before the first batch so the UI shows n/N at once.
        yield { ...progress };
        yield* this.chunkFiles(todo, progress, signal);
        if (opts.semantic !== false) yield* this.embedPending(progress, priorityPaths, signal);
        progress.phase = "done";
        progress.etaSeconds = 0;
        Object.assign(progress, this.semanticCounts());
        yield { ...progress };
    }

    /** Re-checks given paths (watcher events): re-indexes changed ones, removes vanished ones, embeds them. */
    async refreshPaths(paths: string[], signal?: AbortSignal): Promise<{ updated: number; removed: number }> {
        const entries: FileEntry[] = [];
        const vanished: string[] = [];
        const wanted = new Set(paths);
        // Discovery applies every ignore rule; run it over the whole folder only when the batch is large.
        const discovered = new Map<string, FileEntry>();
        for await (const f of this.discover(signal, () => undefined)) discovered.set(f.path, f);
        this.discoveredFiles = discovered.size;
        const catalog = this.deps.store.catalog();
        for (const p of wanted) {
            const f = discovered.get(p);
            if (f) entries.push(f);
            else if (catalog.has(p)) vanished.push(p);
        }
        if (vanished.length > 0) this.deps.store.removeFiles(vanished);
        const progress: IndexProgress = { phase: "chunking", filesTotal: entries.length, filesDone: 0, chunksEmbedded: 0, skipped: 0, ...this.semanticCounts() };
        let updated = 0;
        for await (const p of this.chunkFiles(entries, progress, signal)) updated = p.filesDone;
        for await (const _ of this.embedPending(progress, [...wanted], signal)) {
            // Progress of a watcher refresh is not shown; the loop only drives the stage.
        }
        return { updated, removed: vanished.length };
    }

    private discover(signal: AbortSignal | undefined, onSkip: (s: SkippedFile) => void): AsyncGenerator<FileEntry> {
        return discoverFiles(this.deps.folder, {
            maxFileBytes: this.deps.maxFileBytes,
            include: this.deps.include,
            exclude: this.deps.exclude,
            onSkip,
            signal,
            logger: this.deps.logger,
        });
    }

    /** The index-wide semantic coverage: chunks stored, and chunks with a vector. */
    private semanticCounts(): { chunksTotal: number; chunksWithVectors: number } {
        const c = this.deps.store.counts();
        return { chunksTotal: c.chunks, chunksWithVectors: c.embedded };
    }

    /** A file needs a look unless the catalog has it with the same size and mtime. */
    private maybeChanged(f: FileEntry): boolean {
        const known = this.deps.store.fileInfo(f.path);
        return !known || known.size !== f.size || known.mtimeMs !== f.mtimeMs;
    }

    /** Stage 1: reads, chunks and stores files (no vectors), a transaction per batch. */
    private async *chunkFiles(todo: FileEntry[], progress: IndexProgress, signal?: AbortSignal): AsyncGenerator<IndexProgress> {
        progress.phase = "chunking";
        const recent: { done: number; ms: number }[] = [];
        // Files are read and chunked ahead (in a worker when that pays) while each batch is written here.
        const prepared = new PreparationPipeline(todo, this.preparationOptions(), signal);
        try {
            let i = 0;
            while (i < todo.length) {
                throwIfAborted(signal);
                const started = Date.now();
                const batch: FileBatchEntry[] = [];
                let chunkCount = 0;
                let filesInBatch = 0;
                while (i < todo.length && batch.length < FILES_PER_BATCH && chunkCount < CHUNKS_PER_STORE) {
                    progress.currentPath = todo[i++].path;
                    filesInBatch++;
                    const stored = await this.toStore(await prepared.next());
                    if (stored === "unchanged") continue;
                    if (!stored) {
                        progress.skipped++;
                        continue;
                    }
                    batch.push(stored);
                    chunkCount += stored.chunks.length;
                }
                throwIfAborted(signal);
                this.deps.store.replaceFiles(batch);
                progress.filesDone += filesInBatch;
                Object.assign(progress, this.semanticCounts());
                progress.etaSeconds = estimateEta(recent, { done: filesInBatch, ms: Date.now() - started }, progress.filesTotal - progress.filesDone);
                yield { ...progress };
            }
        } finally {
            await prepared.close();
        }
    }

    private preparationOptions(): PipelineOptions {
        const { folder, maxFileBytes, maxChunkTokens, logger, chunkWorker } = this.deps;
        return { folder, maxFileBytes, maxChunkTokens, logger, catalog: this.deps.store.catalog(), worker: chunkWorker };
    }

    /**
     * Stage 2: embeds every chunk without a vector, in priority order ({@link embeddingRank}), storing each batch's
     * vectors as it comes. Ends when nothing is pending (chunks stored meanwhile by a watcher refresh included).
     */
    private async *embedPending(progress: IndexProgress, priorityPaths: string[], signal?: AbortSignal): AsyncGenerator<IndexProgress> {
        const { store } = this.deps;
        const recent: { done: number; ms: number }[] = [];
        for (let pending = this.pendingInOrder(priorityPaths); pending.length > 0; pending = this.pendingInOrder(priorityPaths)) {
            progress.phase = "embedding";
            progress.currentPath = undefined;
            Object.assign(progress, this.semanticCounts());
            yield { ...progress };
            for (let i = 0; i < pending.length; i += CHUNKS_PER_BATCH) {
                throwIfAborted(signal);
                const started = Date.now();
                // Texts are read per batch: a chunk deleted meanwhile (its file changed) simply drops out.
                const chunks = store.getChunks(pending.slice(i, i + CHUNKS_PER_BATCH));
                progress.currentPath = chunks[0]?.path;
                progress.chunksEmbedded += await this.embedAndStore(chunks, signal);
                Object.assign(progress, this.semanticCounts());
                const left = progress.chunksTotal - progress.chunksWithVectors - store.counts().failed;
                progress.etaSeconds = estimateEta(recent, { done: chunks.length, ms: Date.now() - started }, left);
                yield { ...progress };
            }
        }
    }

    /** Pending chunk ids, by file rank, then position in the file. */
    private pendingInOrder(priorityPaths: string[]): number[] {
        const { store } = this.deps;
        const ids = store.pendingChunkIds();
        const metas = new Map(ids.map((id) => [id, store.chunks.metaOf(id)!]));
        const rank = embeddingRank(
            [...metas.values()].map((m) => m.path),
            priorityPaths,
            (p) => store.fileInfo(p)?.mtimeMs ?? 0,
        );
        return ids.sort((a, b) => {
            const ma = metas.get(a)!;
            const mb = metas.get(b)!;
            return (rank.get(ma.path) ?? 0) - (rank.get(mb.path) ?? 0) || ma.startLine - mb.startLine || a - b;
        });
    }

    /**
     * The store's side of one prepared file: what to write, "unchanged" when its content hash is still the catalog's
     * (only its size and mtime are recorded), undefined for a skip or a chunking failure (both reported here).
     */
    private async toStore(result: FilePreparation): Promise<FileBatchEntry | "unchanged" | undefined> {
        const { store } = this.deps;
        if (result.kind === "skipped") {
            this.deps.onSkip(result.skip);
            if (result.skip.reason === "vanished") store.removeFiles([result.skip.path]);
            return undefined;
        }
        if (result.kind === "failed") {
            this.deps.logger.warn(`chunking failed for ${result.path}: ${result.message}`);
            return undefined;
        }
        if (store.catalog().get(result.entry.path) === result.entry.hash) {
            store.touchFile(result.entry);
            return "unchanged";
        }
        // Judged unchanged against a catalog entry that has changed since (not by this run, which alone writes
        // here; kept exact anyway): chunk it after all.
        if (result.kind === "unchanged") return this.toStore(await prepareFile(result.entry, undefined, this.preparationOptions()));
        return { file: result.entry, chunks: result.chunks, termCounts: result.termCounts };
    }

    /**
     * Embeds stored chunks and stores their vectors; returns how many got one. When the model fails on a batch, the
     * batch is retried file by file, and the chunks of a file that still fails are marked failed (they stay
     * searchable by keyword) and the file is reported as skipped ("embedFailed").
     */
    private async embedAndStore(chunks: StoredChunk[], signal?: AbortSignal): Promise<number> {
        if (chunks.length === 0) return 0;
        const prompts = chunks.map((c) =>
            this.deps.prompt({ role: "document", domain: domainOf(c.kind), language: c.language, text: formatDocument(c) }),
        );
        let vectors: Float32Array[];
        try {
            vectors = await this.deps.embedder.embed(prompts, signal);
        } catch (err) {
            if (isFatal(err)) throw err;
            const files = [...new Set(chunks.map((c) => c.path))];
            if (files.length === 1) {
                const detail = err instanceof Error ? err.message : String(err);
                this.deps.store.markEmbedFailed(chunks.map((c) => c.id));
                this.deps.onSkip({ path: files[0], reason: "embedFailed", detail });
                return 0;
            }
            // One bad file must not sink the batch: retry file by file and give up only on the ones that still fail.
            this.deps.logger.warn(`embedding a batch failed (${String(err)}); retrying file by file`);
            let stored = 0;
            for (const path of files) stored += await this.embedAndStore(chunks.filter((c) => c.path === path), signal);
            return stored;
        }
        return this.deps.store.storeVectors(chunks.map((c, i) => ({ id: c.id, vector: vectors[i] })));
    }
}

/** Errors no other file would escape: stop the run instead of skipping every file one by one. */
function isFatal(err: unknown): boolean {
    return isCoreError(err) && ["cancelled", "modelMissing", "modelCorrupt", "unknownModel"].includes(err.reason);
}

/** Seconds left at the pace of the last few batches (`latest` joins them); undefined until there is a pace. */
function estimateEta(recent: { done: number; ms: number }[], latest: { done: number; ms: number }, remaining: number): number | undefined {
    recent.push(latest);
    if (recent.length > ETA_WINDOW) recent.shift();
    const done = recent.reduce((s, r) => s + r.done, 0);
    const ms = recent.reduce((s, r) => s + r.ms, 0);
    if (done === 0 || ms === 0) return undefined;
    return Math.round((Math.max(0, remaining) * ms) / done / 1000);
}
