/**
 * Folds the per-folder states into the one state the status bar and the webviews show: phase, the run's stage
 * (keyword, then semantic), file counts of the keyword stage and the semantic coverage.
 * Type imports only, so unit tests run it without VS Code; the error text comes in as `describe`.
 */
import type { IndexProgress, IndexStatus } from "../core/types";
import type { IndexStageDto, IndexStateDto, WebviewAction } from "../protocol/messages";

/** What summarize reads of a folder (FolderIndex has it; tests pass plain objects). */
export interface FolderView {
    readonly folder: { readonly name: string };
    readonly phase: FolderPhase;
    readonly progress: IndexProgress | undefined;
    readonly status: IndexStatus | undefined;
    readonly error: unknown;
    /** A full run finished in this session (FolderIndex.ranOnce): an empty index is then a fact, not "not yet". */
    readonly ranOnce?: boolean;
}

export type DescribeError = (err: unknown) => { message: string; actions: WebviewAction[] };

/** Where one folder's index is in its life (FolderIndex.phase). */
export type FolderPhase = "starting" | "indexing" | "idle" | "paused" | "disabled" | "error";

/** When folders disagree, the phase shown is the first of these that any folder is in. */
const PHASE_PRIORITY: FolderPhase[] = ["indexing", "starting", "error", "paused", "disabled", "idle"];

/** A run's own counts while it runs (or before the engine has said anything else), else the index summary's. */
function useProgress(f: FolderView): f is FolderView & { progress: IndexProgress } {
    return f.progress !== undefined && (f.phase === "indexing" || !f.status);
}

/** Files done/total of the keyword stage: the run's counts while it runs, else the index summary's (fresher after refreshes). */
export function fileCounts(f: FolderView): { done: number; total: number } {
    const p = f.progress;
    if (p && p.filesTotal > 0 && (f.phase === "indexing" || !f.status)) return { done: p.filesDone, total: p.filesTotal };
    if (f.status) return { done: f.status.files, total: f.status.files + f.status.pendingFiles };
    return { done: 0, total: 0 };
}

/** Chunks stored, and chunks with a vector. */
export function chunkCounts(f: FolderView): { total: number; withVectors: number } {
    if (useProgress(f)) return { total: f.progress.chunksTotal, withVectors: f.progress.chunksWithVectors };
    if (f.status) return { total: f.status.chunks, withVectors: f.status.embeddedChunks };
    return { total: 0, withVectors: 0 };
}

/**
 * The stage a folder's run is in (indexing) or was stopped in (paused); undefined otherwise. Discovery and removals
 * count as the keyword stage: both come before any chunk can be searched.
 */
export function folderStage(f: FolderView): IndexStageDto | undefined {
    if (f.phase !== "indexing" && f.phase !== "paused") return undefined;
    const p = f.progress;
    if (p) return p.phase === "embedding" ? "semantic" : p.phase === "done" ? undefined : "keyword";
    if (f.phase === "indexing") return "keyword";
    // Paused before any run of this session: what the stored index says is left.
    if (f.status && f.status.pendingFiles > 0) return "keyword";
    if (f.status && f.status.embeddedChunks < f.status.chunks) return "semantic";
    return undefined;
}

export function summarize(folders: readonly FolderView[], enabled: boolean, describe: DescribeError): IndexStateDto {
    const empty = { filesDone: 0, filesTotal: 0, coverage: 0, chunksTotal: 0, chunksWithVectors: 0, semanticCoverage: 0 };
    if (folders.length === 0) return { phase: "noFolder", ...empty };
    let done = 0;
    let total = 0;
    let chunks = 0;
    let vectors = 0;
    for (const f of folders) {
        const c = fileCounts(f);
        done += c.done;
        total += c.total;
        const k = chunkCounts(f);
        chunks += k.total;
        vectors += Math.min(k.withVectors, k.total);
    }
    const phase = PHASE_PRIORITY.find((p) => folders.some((f) => f.phase === p)) ?? "idle";
    const state: IndexStateDto = {
        phase,
        filesDone: done,
        filesTotal: total,
        coverage: total > 0 ? Math.min(1, done / total) : phase === "idle" ? 1 : 0,
        chunksTotal: chunks,
        chunksWithVectors: vectors,
        // An idle index without chunks has nothing left to embed: complete, not 0%.
        semanticCoverage: chunks > 0 ? vectors / chunks : phase === "idle" ? 1 : 0,
    };
    // Folders run one at a time: the stage and ETA are the running folder's (or, paused, the first one stopped mid-way).
    const active = phase === "indexing" ? folders.find((f) => f.phase === "indexing") : phase === "paused" ? folders.find((f) => folderStage(f)) : undefined;
    const stage = active && folderStage(active);
    if (stage) state.stage = stage;
    if (phase === "indexing" && active?.progress?.etaSeconds !== undefined) state.etaSeconds = active.progress.etaSeconds;
    const failed = folders.find((f) => f.phase === "error");
    if (phase === "error" && failed) {
        const d = describe(failed.error);
        state.message = folders.length > 1 ? `${failed.folder.name}: ${d.message}` : d.message;
        state.actions = d.actions;
    }
    else if (phase === "disabled" || !enabled) state.message = "Indexing is turned off (seek.indexing.enabled). Search uses the existing index.";
    else if (phase === "idle" && chunks === 0 && total === 0 && folders.every((f) => f.ranOnce)) state.message = emptyIndexMessage(folders);
    return state;
}

/**
 * The idle state's message when every run finished and nothing was indexed: the folder has no file Seek indexes.
 * It names how many files were skipped, so "nothing here" never hides "2 images were passed over".
 */
export function emptyIndexMessage(folders: readonly FolderView[]): string {
    const skipped = folders.reduce((n, f) => n + (f.progress?.skipped ?? 0), 0);
    const where = folders.length > 1 ? "these folders have" : "this folder has";
    const why = skipped > 0 ? ` ${skipped} ${skipped === 1 ? "file was" : "files were"} skipped (Seek: Show Index Status says why).` : "";
    return `Nothing to search: ${where} no code, docs or other text files Seek indexes.${why}`;
}
