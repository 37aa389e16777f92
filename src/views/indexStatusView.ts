/**
 * "Seek: Show Index Status": a read-only singleton webview panel that shows, per folder, the index's files, chunks,
 * semantic coverage, languages and the files the last run skipped with their reasons. The HTML is static; the
 * report arrives by message and media/dist/indexStatus.js puts it on the page with DOM nodes and textContent.
 * Not restored after a reload (no serializer): it is a snapshot, cheap to open again.
 */
import * as vscode from "vscode";
import { isFromIndexStatusView, type IndexStatusDto, type ToIndexStatusView } from "../protocol/indexStatus";
import { collectIndexStatus } from "./indexStatusReport";
import type { IndexStatusPanelHandle, ViewHost } from "./viewHost";
import { webviewDocument, type WebviewResources } from "./webviewHtml";

export const INDEX_STATUS_VIEW_TYPE = "seek.indexStatus";
/** Index changes come many times a second while a run goes; the panel follows at this pace at most. */
const REFRESH_THROTTLE_MS = 1000;

const INDEX_STATUS_BODY = `    <header class="status-header">
        <h1>Seek index status</h1>
        <button id="refresh" type="button" class="status-refresh">Refresh</button>
    </header>
    <p id="model" class="status-model"></p>
    <main id="folders" aria-live="polite"><p class="status-loading">Reading the index…</p></main>`;

/** The panel's static document: a strict CSP, our script by nonce, nothing interpolated but resource URIs. */
export function buildIndexStatusHtml(resources: WebviewResources): string {
    return webviewDocument(resources, { title: "Seek Index Status", body: INDEX_STATUS_BODY });
}

export class IndexStatusPanel implements IndexStatusPanelHandle {
    private readonly disposables: vscode.Disposable[] = [];
    private timer: NodeJS.Timeout | undefined;
    /** The report last sent to the webview (what the command returns, for tests and callers). */
    lastReport: IndexStatusDto | undefined;

    private constructor(
        private readonly panel: vscode.WebviewPanel,
        private readonly ctx: ViewHost,
    ) {
        const media = vscode.Uri.joinPath(ctx.extensionUri, "media");
        const webview = panel.webview;
        const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(media, ...p)).toString();
        webview.html = buildIndexStatusHtml({
            cspSource: webview.cspSource,
            scriptUri: uri("dist", "indexStatus.js"),
            styleUris: [uri("vscode.css"), uri("indexStatus.css")],
        });
        panel.iconPath = vscode.Uri.joinPath(media, "seek.svg");
        panel.onDidDispose(() => this.dispose(), this, this.disposables);
        webview.onDidReceiveMessage((m: unknown) => {
            // Both messages ask for the same thing: the report as it is now.
            if (isFromIndexStatusView(m)) void this.refresh();
        }, this, this.disposables);
        ctx.index.onDidChange(() => this.scheduleRefresh(), this, this.disposables);
        ctx.indexStatusPanel = this;
    }

    /** Shows the panel (creating it if needed) and resolves with the report it shows. */
    static async createOrShow(ctx: ViewHost): Promise<IndexStatusDto> {
        const existing = ctx.indexStatusPanel;
        if (existing) return existing.show();
        const panel = vscode.window.createWebviewPanel(INDEX_STATUS_VIEW_TYPE, "Seek Index Status", vscode.ViewColumn.Active, {
            enableScripts: true,
            localResourceRoots: [vscode.Uri.joinPath(ctx.extensionUri, "media")],
        });
        return new IndexStatusPanel(panel, ctx).refresh();
    }

    show(): Promise<IndexStatusDto> {
        this.panel.reveal(undefined, false);
        return this.refresh();
    }

    /** Collects the report and posts it; a webview not loaded yet asks again with `ready`. */
    async refresh(): Promise<IndexStatusDto> {
        const report = await collectIndexStatus(this.ctx);
        this.lastReport = report;
        const message: ToIndexStatusView = { type: "report", report };
        void this.panel.webview.postMessage(message);
        return report;
    }

    private scheduleRefresh(): void {
        if (this.timer || !this.panel.visible) return;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.refresh();
        }, REFRESH_THROTTLE_MS);
    }

    dispose(): void {
        if (this.ctx.indexStatusPanel === this) this.ctx.indexStatusPanel = undefined;
        clearTimeout(this.timer);
        this.timer = undefined;
        this.panel.dispose();
        for (const d of this.disposables.splice(0)) d.dispose();
    }
}
