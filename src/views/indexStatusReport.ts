/**
 * Builds the Show Index Status report from the real index: per folder, the engine's counts, languages and the last
 * run's skips (engine.report() in the engine process), with the folder's state in the status bar's words.
 */
import { describeError } from "../commands/reportError";
import { SKIP_REASON_TEXT, isExpectedSkip } from "../core/skips";
import type { IndexReport } from "../core/indexReport";
import type { FolderIndex } from "../indexing/folderIndex";
import { summarize } from "../indexing/summary";
import type { FolderReportDto, IndexStatusDto, SkippedRowDto } from "../protocol/indexStatus";
import type { IndexStateDto } from "../protocol/messages";
import { isEmptyIndex, stageSentence } from "../protocol/stageText";
import type { ViewHost } from "./viewHost";

/** A folder's state as one line (the panel's heading under the folder name). */
export function stateLine(state: IndexStateDto): string {
    switch (state.phase) {
        case "starting":
            return "Opening the index…";
        case "indexing":
            return `Indexing: ${stageSentence(state) ?? "looking for files"}`;
        case "paused":
            return `Paused${stageSentence(state) ? ` (${stageSentence(state)})` : ""}; search works on what is indexed`;
        case "disabled":
            return state.message ?? "Indexing is turned off";
        case "error":
            return `Error: ${state.message ?? "Seek could not index this folder"}`;
        case "idle":
        case "noFolder":
            // The summary's empty-folder sentence ends "(Seek: Show Index Status says why)": on this page the note
            // and the skipped-files table below say why, so the heading is short.
            if (isEmptyIndex(state)) return "Nothing to search";
            return state.message ?? "Up to date";
    }
}

function skippedRows(report: IndexReport): SkippedRowDto[] {
    return report.skipped
        .map((s) => ({ path: s.path, reason: SKIP_REASON_TEXT[s.reason], detail: s.detail, expected: isExpectedSkip(s) }))
        .sort((a, b) => Number(a.expected) - Number(b.expected) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The report of one folder; a folder whose engine is not open (or fails to answer) says why instead. */
export async function folderReport(ctx: ViewHost, f: FolderIndex): Promise<FolderReportDto> {
    const state = stateLine(summarize([f], true, describeError));
    const empty = { name: f.folder.name, state, files: 0, chunks: 0, embeddedChunks: 0, semanticCoverage: 0, languages: [], skipped: [], skippedSummary: "", skippedTotal: 0, scanned: false };
    if (!f.isOpen) return { ...empty, unavailable: f.phase === "error" ? state : "The index is not open yet." };
    let report: IndexReport;
    try {
        report = await ctx.client.request("report", { key: f.key });
    } catch (err) {
        ctx.log.debug(`index status of ${f.folder.name}: ${String(err)}`);
        return { ...empty, unavailable: describeError(err).message };
    }
    const s = report.status;
    return {
        name: f.folder.name,
        state,
        files: s.files,
        chunks: s.chunks,
        embeddedChunks: s.embeddedChunks,
        semanticCoverage: s.chunks > 0 ? s.embeddedChunks / s.chunks : 1,
        lastIndexedAt: s.lastIndexedAt,
        languages: report.languages,
        skipped: skippedRows(report),
        skippedSummary: report.skippedByReason.map((r) => `${r.count} ${SKIP_REASON_TEXT[r.reason]}`).join(", "),
        skippedTotal: report.skippedTotal,
        scanned: report.scanned,
    };
}

export async function collectIndexStatus(ctx: ViewHost): Promise<IndexStatusDto> {
    const folders = ctx.index.list();
    const reports = await Promise.all(folders.map((f) => folderReport(ctx, f)));
    return { modelId: folders.find((f) => f.status)?.status?.modelId, folders: reports };
}
