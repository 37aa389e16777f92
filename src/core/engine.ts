/**
 * SeekEngine: the one facade the CLI and the VS Code layer use. It owns the store, the embedder and the indexer
 * for one workspace folder. (Contract first; implementation lands with the indexer.)
 */
import type { Embedder, Hit, IndexProgress, IndexStatus, InstructionOverrides, Logger, SearchOptions } from "./types";

export type { InstructionOverrides } from "./types";


export interface EngineOptions {
    /** Absolute path of the workspace folder. */
    folder: string;
    /** Directory holding this folder's index (created if missing). */
    indexDir: string;
    /** Model id from models/manifest.json, or a local model directory (tokenizer.json + *.onnx). */
    model?: string;
    /** Where fetched models live (default: <package root>/models). */
    modelsDir?: string;
    /** false = no instructions on any side (to measure their effect). Default true. */
    instructions?: boolean;
    instructionOverrides?: InstructionOverrides;
    include?: string[];
    exclude?: string[];
    maxFileBytes?: number;
    /** Intra-op threads for inference. */
    threads?: number;
    logger?: Logger;
    /** Open without writing (another process holds the index): search works on what is stored, runs are refused. */
    readOnly?: boolean;
    /** Injected embedder (tests); default: ONNX model in a worker thread. */
    embedder?: Embedder;
    /**
     * The content-addressed embedding cache shared by every folder, the CLI and the extension: a directory, or
     * false for none. Default: `<seek cache root>/embeddings` for the real model, none for an injected embedder.
     */
    embeddingCache?: string | false;
    /** Size bound of the embedding cache's file per model (default 1 GiB). */
    embeddingCacheMaxBytes?: number;
}

/** What the document embedder did since the engine opened: sent to the model, or answered from the cache. */
export interface EmbedStats {
    embedded: number;
    cached: number;
}

export interface SearchResult {
    hits: Hit[];
    /** Fraction (0..1) of discovered files that are indexed (searchable by keyword); < 1 while the first build runs. */
    coverage: number;
    /** Fraction (0..1) of the indexed chunks that have a vector: what the meaning side of search could see. */
    semanticCoverage: number;
    elapsedMs: number;
    /** Which index answered ("local index", or a team index with the local changes on top). */
    answeredBy: string;
    /** Set when a team index is attached but could not be reached: the reason; the local index answered. */
    sharedUnavailable?: string;
}

/** A range to find similar code for. Without endLine, the chunk enclosing startLine is used. */
export interface SimilarTarget {
    path: string;
    startLine: number;
    endLine?: number;
}

import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { CHUNKER_VERSION } from "./chunk/index";
import { MAX_FILE_BYTES } from "./discovery/defaults";
import { formatDocument, instructionSetId, promptFor } from "./embed/instructions";
import { resolveModel, type ModelSpec } from "./embed/modelRegistry";
import { CachingEmbedder } from "./embed/cachingEmbedder";
import { EmbeddingCache } from "./embed/embeddingCache";
import { createEmbedder } from "./embed/workerEmbedder";
import { defaultEmbeddingCacheDir } from "./cacheRoot";
import { CoreError } from "./errors";
import { Indexer, domainOf } from "./indexer";
import { languageOf } from "./languages";
import { IndexStore, type IndexIdentity } from "./store/indexStore";
import { rankHits } from "./search/ranker";
import { TeamIndexLink, type Answered, type SharedSource } from "./teamIndex";
import { LocalSource } from "./store/localSource";
import type { SearchSource } from "./store/searchSource";
import { cosineScale } from "./search/strength";
import { languageCounts, type IndexReport } from "./indexReport";
import { SkipTally, skipLine, skipLogLevel } from "./skips";
import type { Chunk, Domain, EmbedInput, SearchMode, SkippedFile } from "./types";

/** Chunk budget in tokens, below the model's limit: smaller units rank more precisely and leave room for the header. */
const MAX_CHUNK_TOKENS = 400;
/** Skipped files remembered for display; the log has them all. */
const MAX_SKIPPED_KEPT = 1000;

const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * The embedding cache's namespace for a model: anything that changes its vectors. Manifest models are pinned by
 * checksum; a bring-your-own folder may get new weights under the same path, so its file's size and time count.
 */
function cacheNamespace(model: ModelSpec): string {
    let weights = "";
    if (model.id.startsWith("local:")) {
        try {
            const st = statSync(model.onnxPath);
            weights = `/${st.size}-${Math.round(st.mtimeMs)}`;
        } catch {
            weights = "/unknown";
        }
    }
    return `${model.id}/${model.pooling}${model.normalize ? "" : "/raw"}${weights}`;
}

/** Facade over store, embedder and indexer for one workspace folder. */
export class SeekEngine {
    /** The last run's skips, ignored files left out (there can be thousands), at most MAX_SKIPPED_KEPT. */
    private readonly skipped: SkippedFile[] = [];
    /** The same skips counted by reason, uncapped: every count a user sees comes from here. */
    private readonly skipTally = new SkipTally();
    private readonly indexer: Indexer;
    /** A second model worker for queries, started the first time one would wait behind a document batch. */
    private queryEmbedder: Embedder | undefined;
    /** The local index as searches read it (store/searchSource.ts). */
    private readonly source: LocalSource;
    /** A team index searched with the local changes on top, when one is attached. */
    private shared: TeamIndexLink | undefined;

    private constructor(
        readonly folder: string,
        readonly model: ModelSpec,
        private readonly store: IndexStore,
        /** The model itself: queries go straight to it (a cache entry per keystroke would only churn the cache). */
        private readonly embedder: Embedder,
        /** Documents go through the cache, which also embeds identical texts once. */
        private readonly documentEmbedder: CachingEmbedder,
        private readonly options: EngineOptions,
        private readonly logger: Logger,
        /** Makes the query worker; undefined when the caller supplied the embedder (it serves queries too). */
        private readonly makeQueryEmbedder: (() => Embedder) | undefined,
    ) {
        this.source = new LocalSource(store);
        this.indexer = new Indexer({
            folder,
            store,
            embedder: documentEmbedder,
            prompt: (input) => this.prompt(input),
            logger,
            maxFileBytes: options.maxFileBytes ?? MAX_FILE_BYTES,
            maxChunkTokens: Math.min(MAX_CHUNK_TOKENS, model.maxTokens - 32),
            include: options.include,
            exclude: options.exclude,
            onSkip: (s) => this.recordSkip(s),
        });
    }

    /** Opens (or creates) the index for a folder. Throws CoreError for a missing/corrupt model or a locked store. */
    static async open(options: EngineOptions): Promise<SeekEngine> {
        const logger = options.logger ?? silentLogger;
        const folder = resolve(options.folder);
        const model = resolveModel(options.model, options.modelsDir, { logger });
        const instructionOpts = { enabled: options.instructions !== false, overrides: options.instructionOverrides };
        const embedder = options.embedder ?? createEmbedder(model, { threads: options.threads, logger });
        try {
            // A bring-your-own model may not declare its width; load it once to learn it (part of the identity).
            if (model.dimensions === 0) await embedder.warmUp?.();
            const identity = {
                modelId: model.id,
                dimensions: model.dimensions || embedder.dimensions,
                instructionSet: instructionSetId(model, instructionOpts),
                chunkerVersion: CHUNKER_VERSION,
            };
            const store = IndexStore.open(options.indexDir, identity, { logger, readOnly: options.readOnly });
            logger.info(`seek: folder ${folder}, model ${model.id}, instructions ${instructionOpts.enabled ? "on" : "off"}, index ${options.indexDir}`);
            const cacheDir = options.embeddingCache ?? (options.embedder ? false : defaultEmbeddingCacheDir());
            const cache = cacheDir === false ? undefined : new EmbeddingCache(cacheDir, { maxBytes: options.embeddingCacheMaxBytes, logger });
            const documents = new CachingEmbedder(embedder, cache, { logger, namespace: cacheNamespace(model) });
            // One thread: a query is one short text, and the other core is the document worker's.
            const makeQueryEmbedder = options.embedder ? undefined : () => createEmbedder(model, { threads: 1, logger });
            return new SeekEngine(folder, model, store, embedder, documents, options, logger, makeQueryEmbedder);
        } catch (err) {
            await embedder.dispose();
            throw err;
        }
    }

    /** Why the store was rebuilt on open, if it was: the UI tells the user once ("corrupt") or not at all. */
    /** What this index was built with (model, dimensions, instructions, chunker): a team index must match it. */
    get indexIdentity(): IndexIdentity {
        return this.store.identity;
    }

    get storeRebuilt(): "identityChanged" | "corrupt" | undefined {
        return this.store.rebuilt;
    }

    get readOnly(): boolean {
        return this.store.readOnly;
    }

    /** Brings the index up to date: the keyword stage, then (unless `semantic` is false) the semantic stage. */
    run(opts: { signal?: AbortSignal; priorityPaths?: string[]; semantic?: boolean } = {}): AsyncGenerator<IndexProgress> {
        if (this.store.readOnly) throw new CoreError("storeLocked", "This index is open read-only; another process is updating it.");
        this.skipped.length = 0;
        this.skipTally.clear();
        return this.logged(this.indexer.run(opts.signal, { priorityPaths: opts.priorityPaths, semantic: opts.semantic }));
    }

    /** Passes a run's progress through and logs, at its end, what the model embedded and what the cache answered. */
    private async *logged(run: AsyncGenerator<IndexProgress>): AsyncGenerator<IndexProgress> {
        const before = this.embedStats();
        yield* run;
        this.store.recordRunEnd();
        const after = this.embedStats();
        const embedded = after.embedded - before.embedded;
        const cached = after.cached - before.cached;
        this.logger.info(`seek: index run done: ${embedded} chunks embedded by the model, ${cached} answered by the embedding cache`);
        const skips = this.skipTally;
        if (skips.total > 0) {
            const warned = skips.unexpected > 0 ? `; ${skips.unexpected} unexpected, warned about above` : "";
            this.logger.info(`skipped ${skips.total} ${skips.total === 1 ? "file" : "files"}: ${skips.text()}${warned}`);
        }
    }

    refreshPaths(paths: string[], signal?: AbortSignal): Promise<{ updated: number; removed: number }> {
        return this.indexer.refreshPaths(paths, signal);
    }

    /** Ranked hits for a natural-language or identifier query; works on whatever is indexed so far. */
    async search(query: string, opts: SearchOptions = {}): Promise<SearchResult> {
        const started = performance.now();
        const trimmed = query.trim();
        if (trimmed.length === 0) return { hits: [], ...this.coverages(), elapsedMs: 0, answeredBy: this.answeringLabel() };
        const mode = opts.mode ?? "hybrid";
        const task = opts.task ?? "auto";
        const kinds = opts.kinds ?? (task === "code" ? ["code"] : task === "docs" ? ["docs", "text"] : undefined);
        const domain: Domain = task === "docs" ? "docs" : "code";
        const rankOpts = { ...opts, mode, kinds, strengthScale: cosineScale(this.model.id, "query") };
        const encoding = mode === "lexical" || this.noVectorsYet(mode) ? undefined : this.embedQuery({ role: "query", domain, text: trimmed }, opts.signal);
        // rankHits starts the BM25 side before it awaits the vector; a failure there must not leave this unhandled.
        encoding?.catch(() => undefined);
        // Taken before ranking: a search that starts while the keyword stage is storing files ranks what was stored
        // then, and must not be labelled with the (larger) coverage the index has by the time it answers, or the
        // views would never re-run it (an answer of 0 hits "over the whole folder" was seen this way).
        const coverages = this.coverages();
        const { value: hits, ...answered } = await this.onSources((source) => rankHits(source, encoding, trimmed, rankOpts));
        return { hits, ...coverages, elapsedMs: performance.now() - started, ...answered };
    }

    /**
     * True when a hybrid search can only be answered by keyword: nothing local has a vector yet and no team index is
     * attached. Then the query is not encoded at all, so a search during the keyword stage does not wait seconds for
     * the model to load on a machine busy indexing; the ranking is the same, since the vector side would be empty.
     * A read-only index (another process writes it) may have vectors its last sync has not seen: encode there.
     */
    private noVectorsYet(mode: SearchMode): boolean {
        return mode === "hybrid" && !this.shared && !this.store.readOnly && this.store.counts().embedded === 0;
    }

    /**
     * Attaches a team index (store/searchSource.ts; e.g. store/postgres/postgresSource.ts): searches then answer
     * from it, with the files that differ from it answered by this folder's local index (teamIndex.ts). `open`
     * connects; it runs at the first search and again after the database was unreachable. `localPaths` adds files
     * the local side answers for whatever their hash (unsaved edits). Replaces (and closes) one attached before.
     */
    async attachShared(open: () => Promise<SharedSource>, options: { localPaths?: () => Iterable<string>; retryMs?: number } = {}): Promise<void> {
        await this.detachShared();
        this.shared = new TeamIndexLink(this.source, open, this.logger, options);
    }

    /** Back to the local index alone; closes the team index's connections. */
    async detachShared(): Promise<void> {
        const link = this.shared;
        this.shared = undefined;
        await link?.close();
    }

    /** Runs a search on the team index with local changes on top when one is attached, else on the local index. */
    private async onSources<T>(search: (source: SearchSource) => Promise<T>): Promise<{ value: T } & Answered> {
        if (!this.shared) return { value: await search(this.source), answeredBy: this.source.label };
        return this.shared.run(search);
    }

    private answeringLabel(): string {
        return (!this.shared?.unavailable && this.shared?.label) || this.source.label;
    }

    /** Chunks similar to a range of a file (or to the chunk enclosing a line); never the range itself. */
    async similar(target: SimilarTarget, opts: SearchOptions = {}): Promise<SearchResult> {
        const started = performance.now();
        const path = this.relativePath(target.path);
        const compared = await this.similarSource(path, target);
        const vector = await this.embedQuery(
            // Without its path: a shared path would pull the query's own neighbours above look-alikes elsewhere.
            { role: "similar", domain: domainOf(compared.kind), language: compared.language, text: formatDocument(compared, { includePath: false }) },
            opts.signal,
        );
        const { value: hits, ...answered } = await this.onSources((source) =>
            rankHits(source, vector, "", {
                ...opts,
                mode: "vector",
                excludeRange: { path, startLine: compared.startLine, endLine: compared.endLine },
                similarTo: path,
                strengthScale: cosineScale(this.model.id, "similar"),
            }),
        );
        return { hits, ...this.coverages(), elapsedMs: performance.now() - started, ...answered };
    }

    status(): IndexStatus {
        const counts = this.store.counts();
        return {
            modelId: this.model.id,
            files: counts.files,
            chunks: counts.chunks,
            embeddedChunks: counts.embedded,
            pendingFiles: Math.max(0, this.indexer.discoveredFiles - counts.files - this.skippedCount()),
            bytesOnDisk: this.store.bytesOnDisk(),
            lastIndexedAt: counts.lastIndexedAt,
            identity: this.store.identityKey,
        };
    }

    /** The last run's skipped files (ignored ones left out), at most MAX_SKIPPED_KEPT; skipSummary() counts them all. */
    skippedFiles(): SkippedFile[] {
        return [...this.skipped];
    }

    /** The last run's skips counted: all of them, by reason, and how many were surprises (warnings). */
    skipSummary(): { total: number; unexpected: number; byReason: { reason: SkippedFile["reason"]; count: number }[] } {
        return { total: this.skipTally.total, unexpected: this.skipTally.unexpected, byReason: this.skipTally.byReason() };
    }

    /** The index per language and the last run's skips, for the status view. */
    report(): IndexReport {
        const skips = this.skipSummary();
        return {
            status: this.status(),
            languages: languageCounts(this.store.chunks, (id) => this.store.vectors.slotOf(id) !== undefined),
            skipped: this.skippedFiles(),
            skippedByReason: skips.byReason,
            skippedTotal: skips.total,
            skippedUnexpected: skips.unexpected,
            scanned: this.indexer.discovered,
        };
    }

    /** Chunks embedded by the model and chunks answered from the embedding cache since the engine opened. */
    embedStats(): EmbedStats {
        return { embedded: this.documentEmbedder.embeddedCount, cached: this.documentEmbedder.cachedCount };
    }

    async close(): Promise<void> {
        try {
            // Disposes the model too (the cache wraps it).
            await Promise.all([this.documentEmbedder.dispose(), this.queryEmbedder?.dispose(), this.detachShared()]);
        } finally {
            this.store.close();
        }
    }

    /**
     * The shared worker, unless it is embedding documents: a query sent there would wait behind the batch (1-2 s at
     * one thread, measured in VS Code right after the keyword stage). Then queries get a worker of their own, which
     * stays for the engine's life once started (its model load, ~0.5 s, is paid once).
     */
    private embedderForQuery(): Embedder {
        if (this.queryEmbedder) return this.queryEmbedder;
        if (!this.makeQueryEmbedder || !this.embedder.busy) return this.embedder;
        this.logger.debug("seek: a query worker starts (the model worker is embedding documents)");
        this.queryEmbedder = this.makeQueryEmbedder();
        return this.queryEmbedder;
    }

    private prompt(input: EmbedInput) {
        return promptFor(input, this.model, {
            enabled: this.options.instructions !== false,
            overrides: this.options.instructionOverrides,
        });
    }

    private async embedQuery(input: EmbedInput, signal?: AbortSignal): Promise<Float32Array> {
        const [vector] = await this.embedderForQuery().embed([this.prompt(input)], signal);
        return vector;
    }

    /** The chunk to compare against: the selected lines, or the indexed chunk enclosing the line. */
    private async similarSource(path: string, target: SimilarTarget): Promise<Chunk> {
        if (target.endLine === undefined) {
            const enclosing = this.store.chunkAt(path, target.startLine);
            if (enclosing) return enclosing;
        }
        let text: string;
        try {
            text = await readFile(join(this.folder, path), "utf8");
        } catch (err) {
            throw new CoreError("unreadable", `Cannot read ${path}`, { cause: err });
        }
        const lines = text.split(/\r?\n/);
        const startLine = Math.max(1, Math.min(target.startLine, lines.length));
        const endLine = Math.max(startLine, Math.min(target.endLine ?? target.startLine, lines.length));
        const { language, kind } = languageOf(path);
        return { path, startLine, endLine, language, kind, text: lines.slice(startLine - 1, endLine).join("\n") };
    }

    /** Accepts folder-relative or absolute paths inside the folder; refuses anything outside it. */
    private relativePath(p: string): string {
        const abs = isAbsolute(p) ? p : resolve(this.folder, p);
        const rel = relative(this.folder, abs);
        if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
            throw new CoreError("pathOutsideWorkspace", `${p} is not inside ${this.folder}`);
        }
        return rel.split(sep).join("/");
    }

    private coverages(): { coverage: number; semanticCoverage: number } {
        const c = this.store.counts();
        return { coverage: this.coverage(), semanticCoverage: c.chunks === 0 ? 0 : c.embedded / c.chunks };
    }

    private coverage(): number {
        const discovered = this.indexer.discoveredFiles;
        // A folder whose run found nothing to index is fully covered: there is nothing left to wait for.
        if (discovered === 0) return this.store.counts().files > 0 || this.indexer.discovered ? 1 : 0;
        return Math.min(1, this.store.counts().files / Math.max(1, discovered - this.skippedCount()));
    }

    /** Files skipped in the current/last full run (ignored files are not counted: they are not "pending"). */
    private skippedCount(): number {
        return this.skipTally.total;
    }

    private recordSkip(s: SkippedFile): void {
        this.skipTally.add(s);
        if (s.reason !== "ignored" && this.skipped.length < MAX_SKIPPED_KEPT) this.skipped.push(s);
        // Expected skips (images, lock files, secrets) at info or debug; only surprises are warnings.
        this.logger[skipLogLevel(s)](skipLine(s));
    }
}
