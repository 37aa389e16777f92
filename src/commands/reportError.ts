/**
 * Maps failures to one short sentence plus the actions that can help (CoreError reasons, never message text),
 * for notifications and for the webviews' error banner. The full error goes to the log.
 */
import * as vscode from "vscode";
import { isCoreError } from "../core/errors";
import type { Log } from "../log";
import type { WebviewAction } from "../protocol/messages";

export interface ErrorDescription {
    message: string;
    actions: WebviewAction[];
    /** `silent`: nothing to tell (cancellation); `info`: nothing is broken, the user can act. */
    severity: "silent" | "info" | "error";
}

export const ACTION_LABELS: Record<WebviewAction, string> = {
    showLog: "Show Log",
    rebuildIndex: "Rebuild Index",
    fetchModel: "Fetch Model",
    resumeIndexing: "Resume Indexing",
    openSettings: "Open Settings",
};

/** Runs an action of a notification or a webview button. */
export function runAction(action: WebviewAction): Thenable<unknown> {
    switch (action) {
        case "showLog":
            return vscode.commands.executeCommand("seek.showLog");
        case "rebuildIndex":
            return vscode.commands.executeCommand("seek.rebuildIndex");
        case "fetchModel":
            return vscode.commands.executeCommand("seek.fetchModel");
        case "resumeIndexing":
            return vscode.commands.executeCommand("seek.resumeIndexing");
        case "openSettings":
            return vscode.commands.executeCommand("workbench.action.openSettings", "@ext:seek-dev.seek");
    }
}

export function describeError(err: unknown): ErrorDescription {
    if (!isCoreError(err)) return { message: "Seek hit an unexpected error.", actions: ["showLog"], severity: "error" };
    switch (err.reason) {
        case "cancelled":
            return { message: "Cancelled.", actions: [], severity: "silent" };
        case "modelMissing":
            return { message: "Seek's embedding model is not installed.", actions: ["fetchModel", "openSettings", "showLog"], severity: "error" };
        case "modelCorrupt":
            return { message: "Seek's embedding model files are damaged.", actions: ["fetchModel", "showLog"], severity: "error" };
        case "unknownModel":
            return { message: "Seek does not know the model named in seek.model.", actions: ["openSettings", "showLog"], severity: "error" };
        case "storeCorrupt":
            return { message: "Seek's index was damaged.", actions: ["rebuildIndex", "showLog"], severity: "error" };
        case "storeLocked":
            // The engine process opens a locked index read-only and takes it over once the other process lets go;
            // a rebuild is refused meanwhile, so it is not offered.
            return { message: "Seek's index is being updated by another Seek (a VS Code window, the CLI); Seek searches what it has stored and takes over when that one finishes.", actions: ["showLog"], severity: "info" };
        case "storeUnreachable":
            return { message: "Seek cannot reach the team index's database.", actions: ["showLog"], severity: "error" };
        case "indexMismatch":
            return { message: "Seek's index was built with other settings.", actions: ["rebuildIndex", "showLog"], severity: "error" };
        case "workerCrashed":
            return { message: "Seek's indexer stopped unexpectedly; it was restarted and kept what was indexed.", actions: ["showLog"], severity: "error" };
        case "workerTimeout":
            return { message: "Seek's indexer is not responding.", actions: ["showLog"], severity: "error" };
        case "badInput":
            return { message: `Seek could not do that: ${err.message}`, actions: ["showLog"], severity: "info" };
        case "fileTooLarge":
        case "unreadable":
            return { message: "Seek could not read a file.", actions: ["showLog"], severity: "info" };
        case "pathOutsideWorkspace":
            return { message: "Seek works only on files inside the workspace folders.", actions: [], severity: "info" };
    }
}

/** Don't repeat the same notification within this window (a failing model would report once per folder). */
const REPEAT_WINDOW_MS = 30_000;

/** Logs the full error and notifies once with short text and action buttons. */
export class ErrorReporter {
    private readonly lastShown = new Map<string, number>();

    constructor(private readonly log: Log) {}

    report(err: unknown, what: string): void {
        const d = describeError(err);
        if (d.severity === "silent") return;
        this.log.error(`${what}:`, err);
        const key = isCoreError(err) ? err.reason : d.message;
        const now = Date.now();
        if (now - (this.lastShown.get(key) ?? 0) < REPEAT_WINDOW_MS) return;
        this.lastShown.set(key, now);
        const labels = d.actions.map((a) => ACTION_LABELS[a]);
        const show = d.severity === "info" ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
        void show(d.message, ...labels).then((choice) => {
            const action = d.actions.find((a) => ACTION_LABELS[a] === choice);
            if (action) void runAction(action);
        });
    }
}
