/**
 * The words for an index run's stage, shared by the status bar, the webviews' state line and the QuickPick, so every
 * surface says the same: "keyword index 120/229 files", then "keyword index ready · semantic 34% · ~1m20s".
 * No `vscode` and no Node imports: the webview bundle uses it too.
 */
import type { IndexStateDto } from "./messages";

export function formatCount(n: number): string {
    return n.toLocaleString("en-US");
}

/** Whole percent, rounded down, so "100%" only ever means complete (0.29 is 29 despite 100 * 0.29 = 28.999...). */
export function percent(ratio: number): number {
    return Math.floor(100 * Math.min(1, Math.max(0, ratio)) + 1e-6);
}

/** A compact time left: "~45s", "~1m20s", "~2h05m"; undefined when unknown or nothing is left. */
export function formatShortEta(seconds: number | undefined): string | undefined {
    if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return undefined;
    const s = Math.max(1, Math.round(seconds));
    if (s < 60) return `~${s}s`;
    const two = (n: number) => String(n).padStart(2, "0");
    if (s < 3600) return s % 60 === 0 ? `~${s / 60}m` : `~${Math.floor(s / 60)}m${two(s % 60)}s`;
    const minutes = Math.round(s / 60);
    return `~${Math.floor(minutes / 60)}h${two(minutes % 60)}m`;
}

/**
 * The stage line, lower-case (callers prefix "Seek: " or capitalise): undefined outside a run. The ETA is the
 * current stage's and only shown while the run is going (a paused run has none).
 */
export function stageText(index: IndexStateDto): string | undefined {
    let text: string;
    switch (index.stage) {
        case "keyword":
            text = index.filesTotal > 0 ? `keyword index ${formatCount(index.filesDone)}/${formatCount(index.filesTotal)} files` : "keyword index: looking for files";
            break;
        case "semantic":
            text = `keyword index ready · semantic ${percent(index.semanticCoverage)}%`;
            break;
        default:
            return undefined;
    }
    const eta = index.phase === "indexing" ? formatShortEta(index.etaSeconds) : undefined;
    return eta ? `${text} · ${eta}` : text;
}

/**
 * True for an idle index whose runs finished with nothing in it (the folder has no file Seek indexes); its `message`
 * then says so and how many files were skipped (indexing/summary.ts). Webviews show that message instead of results.
 */
export function isEmptyIndex(index: IndexStateDto): boolean {
    return index.phase === "idle" && index.chunksTotal === 0 && index.filesTotal === 0 && index.message !== undefined;
}

/** The same with a capital first letter, for a line of its own. */
export function stageSentence(index: IndexStateDto): string | undefined {
    const t = stageText(index);
    return t && t.charAt(0).toUpperCase() + t.slice(1);
}
