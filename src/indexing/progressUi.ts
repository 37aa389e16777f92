/**
 * Indexing progress in the UI: one status bar item that is always there (the run's stage and how far it is while
 * indexing, a search shortcut when idle) and, for Rebuild Index, a cancellable Notification. Background runs show
 * only the status bar item: a Window progress would be a second status bar entry saying the same thing.
 * A run has two stages (core/indexer.ts): the keyword stage (files read, chunked, searchable by keyword) and the
 * semantic stage (chunks get vectors); both surfaces name the stage with the webviews' words (protocol/stageText.ts).
 */
import * as vscode from "vscode";
import type { IndexStateDto, WebviewAction } from "../protocol/messages";
import { formatCount, isEmptyIndex, percent, stageText } from "../protocol/stageText";
import { runPercent, stageLines, statusBarText } from "./statusText";

/**
 * How a run shows itself: `notification` (Rebuild Index) adds a cancellable notification; `quiet` and `window` (a
 * long background run) both show only the status bar item, which already names the stage and how far it is.
 */
export type RunUiKind = "quiet" | "window" | "notification";

/** A run with at least this many files still to do is worth a Window progress entry; fewer stay quiet. */
export const QUIET_RUN_FILES = 20;
/** Likewise chunks still without a vector: about 6 s of embedding on 2 cores (32 chunks per second). */
export const QUIET_RUN_CHUNKS = 200;
const COMMAND_LINKS = ["seek.pauseIndexing", "seek.resumeIndexing", "seek.showLog", "seek.showIndexStatus", "seek.search", "seek.rebuildIndex", "seek.fetchModel", "workbench.action.openSettings"];

/** Tooltip links for the actions an error state suggests. */
const ACTION_LINKS: Record<WebviewAction, string> = {
    showLog: "", // always listed last
    rebuildIndex: "[$(refresh) Rebuild Index](command:seek.rebuildIndex)",
    fetchModel: "[$(cloud-download) Fetch Model](command:seek.fetchModel)",
    resumeIndexing: "[$(play) Resume](command:seek.resumeIndexing)",
    openSettings: `[$(gear) Settings](command:workbench.action.openSettings?${encodeURIComponent(JSON.stringify(["@ext:seek-dev.seek"]))})`,
};

/** One run's progress UI; opened lazily once the run has work, closed by end(). */
export class RunProgress {
    private report: ((message: string, increment: number) => void) | undefined;
    private finish: (() => void) | undefined;
    private lastPercent = 0;
    private ended = false;

    constructor(
        private readonly kind: RunUiKind,
        private readonly onCancel: () => void,
    ) {}

    update(state: IndexStateDto): void {
        if (this.ended || this.kind !== "notification") return;
        const work = state.stage === "keyword" ? state.filesTotal - state.filesDone > 0 : state.stage === "semantic" && state.semanticCoverage < 1;
        if (!this.report && state.phase === "indexing" && work) this.open();
        if (!this.report || !state.stage) return;
        const percent = runPercent(state);
        this.report(stageText(state) ?? "", Math.max(0, percent - this.lastPercent));
        this.lastPercent = Math.max(this.lastPercent, percent);
    }

    end(): void {
        this.ended = true;
        this.finish?.();
    }

    private open(): void {
        const options = { location: vscode.ProgressLocation.Notification, title: "Seek: rebuilding the index", cancellable: true };
        void vscode.window.withProgress(options, (progress, token) => {
            const sub = token.onCancellationRequested(() => this.onCancel());
            this.report = (message, increment) => progress.report({ message, increment });
            return new Promise<void>((resolve) => {
                this.finish = () => {
                    sub.dispose();
                    resolve();
                };
                if (this.ended) this.finish();
            });
        });
    }
}

/** The status bar item: text, tooltip with command links, and the click action per phase. */
export class IndexStatusBar implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem("seek.status", vscode.StatusBarAlignment.Left, 0);

    constructor() {
        this.item.name = "Seek";
    }

    update(state: IndexStateDto, indexed: { files: number; chunks: number }): void {
        const item = this.item;
        if (state.phase === "noFolder") {
            item.hide();
            return;
        }
        const counts = `${formatCount(state.filesDone)}/${formatCount(state.filesTotal)} files`;
        const lines: string[] = [];
        const links: string[] = [];
        item.text = statusBarText(state);
        item.backgroundColor = undefined;
        switch (state.phase) {
            case "starting":
                lines.push("Seek is opening the index…");
                break;
            case "indexing":
                lines.push(...stageLines(state));
                links.push("[$(debug-pause) Pause](command:seek.pauseIndexing)");
                break;
            case "paused": {
                const at = state.stage === "semantic" ? ` in the semantic stage (${percent(state.semanticCoverage)}% of chunks have a vector)` : state.stage === "keyword" ? ` in the keyword stage (${counts})` : ` (${counts})`;
                lines.push(`Indexing is paused${at}. Search still works on what is indexed.`);
                links.push("[$(play) Resume](command:seek.resumeIndexing)");
                break;
            }
            case "disabled":
                lines.push(state.message ?? "Indexing is turned off (`seek.indexing.enabled`).");
                break;
            case "error":
                item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
                lines.push(state.message ?? "Seek could not index this workspace.");
                for (const a of state.actions ?? ["rebuildIndex"]) if (ACTION_LINKS[a]) links.push(ACTION_LINKS[a]);
                break;
            case "idle":
                if (isEmptyIndex(state)) {
                    // Nothing indexable: say so, and where the skipped files and their reasons are.
                    lines.push(state.message ?? "Nothing to index.");
                    links.push("[$(database) Show Index Status](command:seek.showIndexStatus)");
                    break;
                }
                lines.push(`${formatCount(indexed.files)} files, ${formatCount(indexed.chunks)} chunks indexed.`);
                // Below 100% when idle: chunks the model failed on (see the log); they are found by keyword only.
                if (state.semanticCoverage < 1) lines.push(`${percent(state.semanticCoverage)}% of chunks have a vector; the rest are found by keyword only (see the log).`);
                links.push("[$(search) Search by Meaning](command:seek.search)", "[$(database) Index Status](command:seek.showIndexStatus)");
                break;
        }
        links.push("[$(output) Show Log](command:seek.showLog)");
        const tooltip = new vscode.MarkdownString(`**Seek**\n\n${lines.join("\n\n")}\n\n${links.join(" · ")}`, true);
        tooltip.isTrusted = { enabledCommands: COMMAND_LINKS };
        item.tooltip = tooltip;
        item.command = state.phase === "error" ? "seek.showLog" : state.phase === "paused" ? "seek.resumeIndexing" : isEmptyIndex(state) ? "seek.showIndexStatus" : "seek.search";
        item.show();
    }

    dispose(): void {
        this.item.dispose();
    }
}
