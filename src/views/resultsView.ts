/**
 * The sidebar webview view `seek.resultsView` in the Seek activity-bar container: the same search UI as the
 * panel, and where Find Similar from the editor shows its results.
 */
import * as vscode from "vscode";
import type { SearchOutcome } from "../indexing/searchService";
import { ResultsController } from "./resultsController";
import type { ViewHost } from "./viewHost";

export const RESULTS_VIEW_ID = "seek.resultsView";

export class ResultsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
    private view: vscode.WebviewView | undefined;
    private controller: ResultsController | undefined;
    /** Results to show once the view has been resolved (Find Similar before the view was ever opened). */
    private pending: SearchOutcome | undefined;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly ctx: ViewHost) {}

    resolveWebviewView(view: vscode.WebviewView): void {
        this.controller?.dispose();
        this.view = view;
        const controller = new ResultsController(view.webview, "view", this.ctx);
        this.controller = controller;
        view.onDidChangeVisibility(() => {
            if (!view.visible) controller.markHidden();
        }, this, this.disposables);
        view.onDidDispose(() => {
            controller.dispose();
            if (this.controller === controller) {
                this.controller = undefined;
                this.view = undefined;
            }
        }, this, this.disposables);
        if (this.pending) controller.showOutcome(this.pending);
        this.pending = undefined;
    }

    /** Reveals the view and shows the results there (queued until its webview says `ready`). */
    async show(outcome: SearchOutcome): Promise<void> {
        if (this.view && this.controller) {
            this.controller.showOutcome(outcome);
            this.view.show(true);
            return;
        }
        this.pending = outcome;
        // The generated `<viewId>.focus` command opens the container and resolves the view.
        await vscode.commands.executeCommand(`${RESULTS_VIEW_ID}.focus`);
    }

    postDefaults(): void {
        this.controller?.postDefaults();
    }

    dispose(): void {
        this.controller?.dispose();
        for (const d of this.disposables) d.dispose();
        this.disposables.length = 0;
    }
}
