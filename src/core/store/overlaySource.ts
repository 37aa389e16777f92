/**
 * A team index with the user's own edits on top: a shared source (PostgreSQL, indexed by CI for one ref) answers
 * for every file whose content is the same as there; the local index answers for the files that differ (edited,
 * added, on another commit) and for the files the caller names (open editors with unsaved changes). A file the
 * local index no longer has (deleted locally) is answered by neither. Which files differ is decided by content hash,
 * so it needs no git and is right whatever commit the workspace is on.
 *
 * Both sides use one model and BM25 formula, so their scores are comparable: the candidate lists are merged by
 * score before fusion, and the ranking stack runs once over the merged lists (search/ranker.ts). Local chunk ids are
 * negated to keep them apart from the shared index's.
 */
import type { StoredChunk } from "../types";
import type { IdentifiedMeta, LexicalRequest, ScoredCandidate, SearchFilter, SearchSource, SourceCounts, VectorRequest } from "./searchSource";

export interface OverlayOptions {
    /** Paths the local side answers for whatever their hash (files with unsaved edits). */
    localPaths?: () => Iterable<string>;
}

/** The split of one search's filter between the two sides. */
interface SplitFilter {
    shared: SearchFilter;
    local: SearchFilter;
}

export class OverlaySource implements SearchSource {
    readonly label: string;
    /** Each search's filter split once; emptied on refresh, when the set of differing files may change. */
    private splits = new WeakMap<SearchFilter, SplitFilter>();
    /** Paths answered locally, and paths answered by neither side; recomputed on every refresh. */
    private differing: { local: Set<string>; hidden: Set<string> } = { local: new Set(), hidden: new Set() };

    constructor(
        private readonly shared: SearchSource,
        private readonly local: SearchSource,
        private readonly options: OverlayOptions = {},
    ) {
        this.label = `${shared.label} + local changes`;
    }

    /** Files the local side answers for (edited, added or unsaved), as of the last refresh. */
    get localPaths(): ReadonlySet<string> {
        return this.differing.local;
    }

    /**
     * Catches both sides up and recomputes which files differ. Each source keeps its own catalog current (the
     * PostgreSQL one re-reads it only when a new build of its ref has landed), so a republished team index is seen
     * at the next search.
     */
    async refresh(): Promise<void> {
        await Promise.all([this.shared.refresh(), this.local.refresh()]);
        const [sharedHashes, localHashes] = await Promise.all([this.shared.fileHashes(), this.local.fileHashes()]);
        const local = new Set<string>();
        const hidden = new Set<string>();
        for (const [path, hash] of localHashes) if (sharedHashes.get(path) !== hash) local.add(path);
        for (const path of sharedHashes.keys()) if (!localHashes.has(path)) hidden.add(path);
        for (const path of this.options.localPaths?.() ?? []) local.add(path);
        this.differing = { local, hidden };
        this.splits = new WeakMap();
    }

    async fileHashes(): Promise<ReadonlyMap<string, string>> {
        const merged = new Map(await this.shared.fileHashes());
        const local = await this.local.fileHashes();
        for (const path of this.differing.hidden) merged.delete(path);
        for (const path of this.differing.local) {
            const hash = local.get(path);
            if (hash === undefined) merged.delete(path);
            else merged.set(path, hash);
        }
        return merged;
    }

    /** The shared index's figures (what the team index holds); the local side's own are the local index's status. */
    async counts(): Promise<SourceCounts> {
        return this.shared.counts();
    }

    async vectorTopK(req: VectorRequest): Promise<ScoredCandidate[]> {
        const { shared, local } = this.split(req.filter);
        const [a, b] = await Promise.all([this.shared.vectorTopK({ ...req, filter: shared }), this.local.vectorTopK({ ...req, filter: local })]);
        return mergeByScore(a, b.map(localId), req.limit);
    }

    async lexicalTopK(req: LexicalRequest): Promise<ScoredCandidate[]> {
        const { shared, local } = this.split(req.filter);
        const [a, b] = await Promise.all([this.shared.lexicalTopK({ ...req, filter: shared }), this.local.lexicalTopK({ ...req, filter: local })]);
        return mergeByScore(a, b.map(localId), req.limit);
    }

    async definitions(keys: readonly string[], filter: SearchFilter): Promise<Map<string, IdentifiedMeta[]>> {
        const { shared, local } = this.split(filter);
        const [a, b] = await Promise.all([this.shared.definitions(keys, shared), this.local.definitions(keys, local)]);
        return new Map(keys.map((key) => [key, [...(a.get(key) ?? []), ...(b.get(key) ?? []).map(localId)]]));
    }

    async cosines(ids: readonly number[], vector: Float32Array): Promise<Map<number, number>> {
        const [sharedIds, localIds] = partition(ids);
        const [a, b] = await Promise.all([this.shared.cosines(sharedIds, vector), this.local.cosines(localIds, vector)]);
        for (const [id, cosine] of b) a.set(-id, cosine);
        return a;
    }

    async chunks(ids: readonly number[]): Promise<StoredChunk[]> {
        const [sharedIds, localIds] = partition(ids);
        const [a, b] = await Promise.all([this.shared.chunks(sharedIds), this.local.chunks(localIds)]);
        return [...a, ...b.map(localId)];
    }

    async chunkSpans(paths: readonly string[]): Promise<Map<string, { startLine: number; endLine: number }[]>> {
        const localPaths = paths.filter((p) => this.differing.local.has(p));
        const sharedPaths = paths.filter((p) => !this.differing.local.has(p));
        const [a, b] = await Promise.all([this.shared.chunkSpans(sharedPaths), this.local.chunkSpans(localPaths)]);
        for (const [path, spans] of b) a.set(path, spans);
        return a;
    }

    /** The filter each side gets: the shared side skips the files answered locally, the local side keeps only them. */
    private split(filter: SearchFilter): SplitFilter {
        let split = this.splits.get(filter);
        if (!split) {
            const { local, hidden } = this.differing;
            const skip = new Set([...(filter.skipPaths ?? []), ...local, ...hidden]);
            const only = filter.onlyPaths ? new Set([...local].filter((p) => filter.onlyPaths!.has(p))) : local;
            split = { shared: { ...filter, skipPaths: skip }, local: { ...filter, onlyPaths: only } };
            this.splits.set(filter, split);
        }
        return split;
    }
}

/** A local row under its overlay id (negated, so it never collides with a shared id). */
function localId<T extends { id: number }>(row: T): T {
    return { ...row, id: -row.id };
}

/** Shared ids (positive) and local ids (negative, given back positive). */
function partition(ids: readonly number[]): [number[], number[]] {
    return [ids.filter((id) => id > 0), ids.filter((id) => id < 0).map((id) => -id)];
}

/** The best `limit` of two best-first lists: score descending, equal scores by id. */
function mergeByScore(a: ScoredCandidate[], b: ScoredCandidate[], limit: number): ScoredCandidate[] {
    return [...a, ...b].sort((x, y) => y.score - x.score || x.id - y.id).slice(0, limit);
}
