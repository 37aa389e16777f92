/**
 * Search and Find Similar over every open folder index, merged by score into one ranked list of HitDtos. The
 * QuickPick, both webviews and the test hooks all go through here, and the last outcome is kept for seek._testState.
 */
import { basename } from "node:path";
import * as vscode from "vscode";
import { CoreError, isCoreError } from "../core/errors";
import { compareRanked } from "../core/search/candidate";
import { allWeak, strengthBand, strengthReason, strengthText, weakMatchesNotice } from "../core/search/strength";
import type { SearchResult } from "../core/engine";
import type { Hit } from "../core/types";
import type { EngineClient } from "../engineHost/engineClient";
import type { Log } from "../log";
import type { HitDto, ScopeDto, SearchModeDto, SimilarTargetDto, StrengthDto } from "../protocol/messages";
import { scopeToOptions } from "../protocol/scope";
import type { FolderIndex } from "./folderIndex";
import type { IndexService } from "./indexService";
import { chunkCounts } from "./summary";

/** How long a search waits for engines that are still opening (model load) before searching what is open. */
const OPEN_WAIT_MS = 30_000;

export interface SearchRequest {
    query: string;
    mode: SearchModeDto;
    scope?: ScopeDto;
    top: number;
}

export interface SearchOutcome {
    /** Increases with every finished search or Find Similar (tests wait for it). */
    seq: number;
    source: "search" | "similar";
    query: string;
    hits: HitDto[];
    /** 0..1: the share of the workspace that was indexed when this ran. */
    coverage: number;
    /** 0..1: the share of the searched chunks that had a vector when this ran (search by meaning saw only those). */
    semanticCoverage: number;
    /** For Find Similar: what was compared (folder URI, 0-based lines), so a webview can run it again. */
    similarTo?: SimilarTargetDto;
    /** Set when every hit is weak (core/search/strength.ts): the sentence every surface shows above them. */
    weakNotice?: string;
    elapsedMs: number;
    /**
     * Which index answered, once per distinct answer over the folders: "local index", or a team index with the local
     * changes on top ("shared index acme/api@main + local changes"; core/teamIndex.ts).
     */
    answeredBy: string[];
    /** Set when a folder's team index could not be reached and its local index answered: the reason. */
    sharedUnavailable?: string;
}

export class SearchService implements vscode.Disposable {
    private seq = 0;
    private readonly emitter = new vscode.EventEmitter<SearchOutcome>();
    /** The last finished outcome (any surface). */
    last: SearchOutcome | undefined;
    readonly onDidSearch = this.emitter.event;

    constructor(
        private readonly index: IndexService,
        private readonly client: EngineClient,
        private readonly log: Log,
    ) {}

    async search(req: SearchRequest, signal?: AbortSignal): Promise<SearchOutcome> {
        const started = Date.now();
        const folders = await this.openFolders(signal);
        const options = { mode: req.mode, top: req.top, ...scopeToOptions(req.scope) };
        const results = await this.gather(
            folders.map((f) => async () => [f, await this.client.request("search", { key: f.key, query: req.query, options }, { signal })] as const),
        );
        return this.finish("search", req.query, results, req.top, started);
    }

    /** Code similar to lines of a document (0-based; without `end`, the chunk enclosing `start`). */
    async similar(uri: vscode.Uri, lines: { start: number; end?: number }, top: number, signal?: AbortSignal): Promise<SearchOutcome> {
        const started = Date.now();
        const f = this.index.folderFor(uri);
        const path = f?.relativePath(uri);
        if (!f || path === undefined) throw new CoreError("pathOutsideWorkspace", `${uri.toString()} is not in an indexed workspace folder`);
        await this.waitOpen([f], signal);
        if (!f.isOpen) throw new CoreError("badInput", `the index of ${f.folder.name} is not open`);
        const target = { path, startLine: lines.start + 1, endLine: lines.end === undefined ? undefined : lines.end + 1 };
        const result = await this.client.request("similar", { key: f.key, target, options: { top } }, { signal });
        const label = `${basename(path)}:${target.startLine}${target.endLine !== undefined && target.endLine !== target.startLine ? `-${target.endLine}` : ""}`;
        const similarTo: SimilarTargetDto = {
            location: { folder: f.folder.uri.toString(), path, startLine: lines.start, endLine: lines.end ?? lines.start },
            enclosing: lines.end === undefined,
        };
        return this.finish("similar", label, [[f, result]], top, started, similarTo);
    }

    private async openFolders(signal?: AbortSignal): Promise<FolderIndex[]> {
        const all = this.index.list();
        await this.waitOpen(all, signal);
        return all.filter((f) => f.isOpen);
    }

    private async waitOpen(folders: FolderIndex[], signal?: AbortSignal): Promise<void> {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, OPEN_WAIT_MS)));
        const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
        await Promise.race([Promise.all(folders.map((f) => f.firstOpen)), timeout, aborted]);
        clearTimeout(timer);
        if (signal?.aborted) throw new CoreError("cancelled", "cancelled");
    }

    /** Runs per-folder requests; one failing folder is logged, all failing is an error. */
    private async gather(jobs: (() => Promise<readonly [FolderIndex, SearchResult]>)[]): Promise<(readonly [FolderIndex, SearchResult])[]> {
        const settled = await Promise.allSettled(jobs.map((j) => j()));
        const ok = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
        const failed = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
        const cancelled = failed.find((e) => isCoreError(e, "cancelled"));
        if (cancelled) throw cancelled;
        if (ok.length === 0 && failed.length > 0) throw failed[0];
        for (const e of failed) this.log.warn("search failed in one folder", e);
        return ok;
    }

    private finish(
        source: SearchOutcome["source"],
        query: string,
        results: (readonly [FolderIndex, SearchResult])[],
        top: number,
        started: number,
        similarTo?: SimilarTargetDto,
    ): SearchOutcome {
        const hits = results
            .flatMap(([f, r]) => r.hits.map((h) => toHitDto(f, h)))
            .sort(compareRanked)
            .slice(0, top);
        const coverage = results.length === 0 ? 0 : results.reduce((s, [, r]) => s + r.coverage, 0) / results.length;
        const semanticCoverage = weightedSemanticCoverage(results);
        const answeredBy = [...new Set(results.map(([, r]) => r.answeredBy))];
        const outcome: SearchOutcome = { seq: ++this.seq, source, query, hits, coverage, semanticCoverage, elapsedMs: Date.now() - started, answeredBy };
        const unavailable = results.find(([, r]) => r.sharedUnavailable)?.[1].sharedUnavailable;
        if (unavailable) outcome.sharedUnavailable = unavailable;
        if (similarTo) outcome.similarTo = similarTo;
        if (allWeak(hits.map((h) => h.strength?.value))) outcome.weakNotice = weakMatchesNotice(query, source);
        this.last = outcome;
        this.log.debug(
            `${source} "${query.slice(0, 80)}": ${hits.length} hits in ${outcome.elapsedMs} ms, coverage ${Math.round(coverage * 100)}%, ` +
                `semantic ${Math.round(semanticCoverage * 100)}%; answered by ${answeredBy.join(", ") || "no index"}`,
        );
        this.emitter.fire(outcome);
        return outcome;
    }

    dispose(): void {
        this.emitter.dispose();
    }
}

/**
 * The folders' semantic coverages weighted by their chunk counts, as the index summary computes it (vectors / chunks
 * over all folders): the webviews compare the two to decide that results are stale, so they must agree.
 */
function weightedSemanticCoverage(results: (readonly [FolderIndex, SearchResult])[]): number {
    let weight = 0;
    let sum = 0;
    for (const [f, r] of results) {
        const chunks = Math.max(1, chunkCounts(f).total);
        weight += chunks;
        sum += chunks * Math.min(1, Math.max(0, r.semanticCoverage));
    }
    return weight === 0 ? 0 : sum / weight;
}

/** Core hit (1-based lines, folder-relative) -> protocol DTO (0-based lines, folder URI). */
export function toHitDto(f: FolderIndex, h: Hit): HitDto {
    const dto: HitDto = {
        folder: f.folder.uri.toString(),
        folderName: f.folder.name,
        path: h.path,
        startLine: Math.max(0, h.startLine - 1),
        endLine: Math.max(0, h.endLine - 1),
        score: h.score,
        strength: toStrengthDto(h),
        language: h.language,
        kind: h.kind,
        text: h.text,
        bestLines: (h.bestLines ?? []).map((l) => Math.max(0, l - 1)),
    };
    if (h.symbol !== undefined) dto.symbol = h.symbol;
    if (h.symbolKind !== undefined) dto.symbolKind = h.symbolKind;
    return dto;
}

/** The hit's strength as every surface shows it; a hit without one (never from rankHits) reads as weak 0. */
function toStrengthDto(h: Hit): StrengthDto {
    const s = h.strength ?? { value: 0, band: strengthBand(0), wordsMatched: 0, wordsTotal: 0 };
    return { value: s.value, band: s.band, label: strengthText(s.value), reason: strengthReason(s) };
}
