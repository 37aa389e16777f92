/**
 * "Seek: Open Search Panel": a singleton webview panel (createOrShow / revive). Its state (query, mode, scope,
 * results, scroll position) lives in the webview's setState, so the serializer restores it after a reload without
 * retainContextWhenHidden.
 */
import * as vscode from "vscode";
import type { SearchOutcome } from "../indexing/searchService";
import { ResultsController, webviewOptions } from "./resultsController";
import type { ResultsPanelHandle, ViewHost } from "./viewHost";

export const PANEL_VIEW_TYPE = "seek.resultsPanel";

export class ResultsPanel implements ResultsPanelHandle {
    private readonly disposables: vscode.Disposable[] = [];
    private readonly controller: ResultsController;

    private constructor(
        private readonly panel: vscode.WebviewPanel,
        private readonly ctx: ViewHost,
    ) {
        this.controller = new ResultsController(panel.webview, "panel", ctx);
        this.disposables.push(this.controller);
        panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, "media", "seek.svg");
        panel.onDidDispose(() => this.dispose(), this, this.disposables);
        panel.onDidChangeViewState((e) => {
            if (!e.webviewPanel.visible) this.controller.markHidden();
        }, this, this.disposables);
        ctx.panel = this;
    }

    /** Shows the panel (creating it if needed), optionally with results to display. */
    static createOrShow(ctx: ViewHost, outcome?: SearchOutcome): ResultsPanelHandle {
        const existing = ctx.panel;
        if (existing) {
            existing.show(outcome);
            return existing;
        }
        const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
        const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, "Seek", column, webviewOptions(ctx.extensionUri));
        const created = new ResultsPanel(panel, ctx);
        if (outcome) created.controller.showOutcome(outcome);
        return created;
    }

    /** Serializer entry after a reload: the webview restores its own state from getState(). */
    static revive(ctx: ViewHost, panel: vscode.WebviewPanel): void {
        ctx.panel?.dispose();
        new ResultsPanel(panel, ctx);
    }

    show(outcome?: SearchOutcome): void {
        this.panel.reveal(undefined, false);
        if (outcome) this.controller.showOutcome(outcome);
    }

    /** The panel's editor column while it is visible. */
    visibleColumn(): vscode.ViewColumn | undefined {
        return this.panel.visible ? this.panel.viewColumn : undefined;
    }

    postDefaults(): void {
        this.controller.postDefaults();
    }

    dispose(): void {
        if (this.ctx.panel === this) this.ctx.panel = undefined;
        this.panel.dispose();
        for (const d of this.disposables) d.dispose();
        this.disposables.length = 0;
    }
}

/** Registered in activate so VS Code can restore the panel after a reload. */
export function registerPanelSerializer(ctx: ViewHost): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
            ResultsPanel.revive(ctx, panel);
        },
    });
}
