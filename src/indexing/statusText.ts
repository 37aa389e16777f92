/**
 * The status bar's words for an index state, and how far a run is over its two stages. Pure (no `vscode`), so unit
 * tests pin the exact strings; progressUi.ts puts them on screen.
 */
import type { IndexStateDto } from "../protocol/messages";
import { formatCount, isEmptyIndex, percent, stageText } from "../protocol/stageText";

/**
 * Share of a run's progress bar given to the keyword stage. It reads and chunks without the model, so it is short
 * next to the semantic stage (240 small files: 0.7 s against 11 s on 2 cores).
 */
const KEYWORD_SHARE = 0.2;

/** One line for tooltips: why the status bar talks about two stages. */
export const STAGES_EXPLAINED = "Keyword search works already; results improve as the semantic stage runs.";

export function formatEta(seconds: number | undefined): string | undefined {
    if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
    if (seconds < 60) return "less than a minute left";
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return `about ${minutes} min left`;
    return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** How far a run is, 0..100, over both stages: the keyword stage fills the first KEYWORD_SHARE of the bar. */
export function runPercent(state: IndexStateDto): number {
    if (state.stage === "semantic") return Math.floor(100 * (KEYWORD_SHARE + (1 - KEYWORD_SHARE) * state.semanticCoverage));
    if (state.stage === "keyword" && state.filesTotal > 0) return Math.floor((100 * KEYWORD_SHARE * state.filesDone) / state.filesTotal);
    return 0;
}

/** The status bar text for an index state ($(…) are codicons). */
export function statusBarText(state: IndexStateDto): string {
    switch (state.phase) {
        case "starting":
            return "$(sync~spin) Seek";
        case "indexing": {
            const stage = stageText(state);
            return stage ? `$(sync~spin) Seek: ${stage}` : "$(sync~spin) Seek: indexing…";
        }
        case "paused":
            return "$(debug-pause) Seek paused";
        case "disabled":
            return "$(circle-slash) Seek";
        case "error":
            return "$(warning) Seek";
        case "idle":
            return isEmptyIndex(state) ? "$(info) Seek: nothing to index" : "$(search) Seek";
        case "noFolder":
            return "$(search) Seek";
    }
}

/** Tooltip lines describing where the two stages are (empty outside a run). */
export function stageLines(state: IndexStateDto): string[] {
    const eta = state.phase === "indexing" ? formatEta(state.etaSeconds) : undefined;
    const left = eta ? ` (${eta})` : "";
    switch (state.stage) {
        case "keyword":
            return [
                state.filesTotal > 0 ? `Keyword index: ${formatCount(state.filesDone)}/${formatCount(state.filesTotal)} files${left}, then the semantic stage.` : "Looking for files to index…",
                "Keyword search works on what is indexed so far; search by meaning follows in the semantic stage.",
            ];
        case "semantic":
            return [
                `Keyword index ready. Semantic stage: ${percent(state.semanticCoverage)}% of ${formatCount(state.chunksTotal)} chunks have a vector${left}.`,
                STAGES_EXPLAINED,
            ];
        default:
            return [];
    }
}


/** The team index as the status bar shows it (indexing/teamIndexService.ts). */
export type TeamIndexState =
    | { kind: "off"; off: "unset" | "restricted" | "invalidUrl" }
    /** Set up; no search has run on it yet (it connects at the first search). */
    | { kind: "configured"; namespaces: string[]; url: string }
    /** The last search was answered by it (`answeredBy`: the core's labels, one per folder). */
    | { kind: "answered"; namespaces: string[]; url: string; answeredBy: string[] }
    /** The last search fell back to the local index; `reason` is the core's one sentence. */
    | { kind: "unavailable"; namespaces: string[]; url: string; reason: string };

/** "shared index acme/api@main + local changes" (the core's label) in the words the settings and README use. */
export function answeredByText(label: string): string {
    return label.replace(/^shared index /, "team index ");
}

/** The team index status bar item: text, Markdown tooltip, and whether it warns; undefined hides it. */
export function teamIndexStatus(state: TeamIndexState): { text: string; tooltip: string; warning: boolean } | undefined {
    const where = state.kind === "off" ? "" : `${state.namespaces.join(", ")} at \`${state.url}\``;
    switch (state.kind) {
        case "off":
            if (state.off === "restricted") {
                return { text: "$(shield) Seek team index off", tooltip: "**Seek team index**\n\nNot used in Restricted Mode: searches answer from your local index. Trust the workspace to use the team index.", warning: false };
            }
            if (state.off === "invalidUrl") {
                return { text: "$(warning) Seek team index", tooltip: "**Seek team index**\n\n`seek.teamIndex.url` is not a `postgres://` URL: searches answer from your local index.", warning: true };
            }
            return undefined;
        case "configured":
            return { text: "$(database) Seek team index", tooltip: `**Seek team index**\n\nTeam index ${where}, with your local changes on top. It connects at the first search.`, warning: false };
        case "answered": {
            const by = [...new Set(state.answeredBy.map(answeredByText))].join("; ");
            return { text: "$(database) Seek team index", tooltip: `**Seek team index**\n\nLast search answered by ${by}.\n\nTeam index ${where}.`, warning: false };
        }
        case "unavailable":
            return {
                text: "$(warning) Seek team index offline",
                tooltip: `**Seek team index**\n\n${state.reason}.\n\nSearches answer from your local index until the team index is back; Seek tries it again every few seconds.`,
                warning: true,
            };
    }
}
