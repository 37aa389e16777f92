/**
 * Host side of one results webview (panel or sidebar view; both use this class and the same HTML and script).
 * Sets the options and HTML, answers the `ready` handshake, validates every incoming message and dispatches it with
 * an exhaustive switch, and queues outgoing results while the webview is not ready.
 */
import * as vscode from "vscode";
import { isCoreError } from "../core/errors";
import { describeError, runAction } from "../commands/reportError";
import type { SearchOutcome } from "../indexing/searchService";
import { assertNever, isFromWebview, type FromWebview, type LocationDto, type ToWebview } from "../protocol/messages";
import { locationUri } from "./openLocation";
import type { ViewHost } from "./viewHost";
import { buildResultsHtml, type Surface } from "./webviewHtml";

/** Index progress is posted at most this often (a run reports after every batch). */
const STATE_THROTTLE_MS = 300;

/** Scripts on, and resources from media/ only. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, "media")] };
}

export class ResultsController implements vscode.Disposable {
    private readonly disposables: vscode.Disposable[] = [];
    private ready = false;
    /** The latest results/error posted while not ready; delivered after `ready`. */
    private queued: ToWebview | undefined;
    private searchAbort: AbortController | undefined;
    private stateTimer: NodeJS.Timeout | undefined;

    constructor(
        private readonly webview: vscode.Webview,
        private readonly surface: Surface,
        private readonly ctx: ViewHost,
    ) {
        webview.options = webviewOptions(ctx.extensionUri);
        this.render();
        webview.onDidReceiveMessage((m: unknown) => this.receive(m), this, this.disposables);
        ctx.index.onDidChange(() => this.scheduleState(), this, this.disposables);
        ctx.webviewStats[surface].opened++;
        ctx.stateChanged();
    }

    /** Sets the HTML (again): the page reloads and says `ready` once its script runs. */
    render(): void {
        const media = (...p: string[]) => this.webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, "media", ...p)).toString();
        this.ready = false;
        this.webview.html = buildResultsHtml({
            cspSource: this.webview.cspSource,
            scriptUri: media("dist", "results.js"),
            styleUris: [media("dist", "codicon.css"), media("vscode.css"), media("results.css")],
            surface: this.surface,
        });
    }

    /** The page was hidden and its content dropped (no retainContextWhenHidden): queue until the next `ready`. */
    markHidden(): void {
        this.ready = false;
    }

    showOutcome(outcome: SearchOutcome, requestId = 0): void {
        const { source, query, hits, coverage, semanticCoverage, similarTo, weakNotice, elapsedMs } = outcome;
        const msg: ToWebview = { type: "results", requestId, source, query, hits, coverage, semanticCoverage, elapsedMs };
        if (similarTo) msg.similarTo = similarTo;
        if (weakNotice) msg.weakNotice = weakNotice;
        this.post(msg);
    }

    postDefaults(): void {
        this.post({ type: "defaults", defaults: this.ctx.defaults() });
    }

    private post(msg: ToWebview): void {
        if (!this.ready) {
            if (msg.type === "results" || msg.type === "error") this.queued = msg;
            return;
        }
        void this.webview.postMessage(msg).then(
            (delivered) => {
                if (!delivered && (msg.type === "results" || msg.type === "error")) this.queued = msg;
            },
            (err) => this.ctx.log.debug(`postMessage failed: ${String(err)}`),
        );
    }

    private scheduleState(): void {
        if (this.stateTimer || !this.ready) return;
        this.stateTimer = setTimeout(() => {
            this.stateTimer = undefined;
            this.post({ type: "indexState", index: this.ctx.index.summary() });
        }, STATE_THROTTLE_MS);
    }

    private receive(raw: unknown): void {
        if (!isFromWebview(raw)) {
            this.ctx.webviewStats[this.surface].malformed++;
            this.ctx.log.warn(`dropped a malformed message from the ${this.surface} webview: ${safeJson(raw)}`);
            return;
        }
        void this.handle(raw).catch((err) => this.ctx.log.error(`handling ${raw.type} from the ${this.surface} webview failed`, err));
    }

    private async handle(msg: FromWebview): Promise<void> {
        switch (msg.type) {
            case "ready":
                this.onReady();
                return;
            case "search":
                return this.runSearch(msg.requestId, (signal) =>
                    this.ctx.search.search({ query: msg.query, mode: msg.mode, scope: msg.scope, top: this.ctx.defaults().maxResults }, signal),
                );
            case "open": {
                const uri = this.uri(msg.location);
                if (uri) await this.ctx.opener.open(uri, msg.location.startLine, msg.location.endLine, { preview: false, preserveFocus: false, highlight: true });
                return;
            }
            case "findSimilar": {
                const uri = this.uri(msg.location);
                if (!uri) return;
                const { startLine, endLine } = msg.location;
                // `enclosing`: a re-run of the editor's cursor Find Similar, which compares the chunk around the line.
                const end = msg.enclosing ? undefined : endLine;
                return this.runSearch(msg.requestId, (signal) =>
                    this.ctx.search.similar(uri, { start: startLine, end }, this.ctx.defaults().maxResults, signal),
                );
            }
            case "runAction":
                // The empty-folder banner's button; the other actions are the notifications' too (reportError.ts).
                if (msg.action === "showIndexStatus") await vscode.commands.executeCommand("seek.showIndexStatus");
                else await runAction(msg.action);
                return;
            default:
                assertNever(msg);
        }
    }

    private onReady(): void {
        this.ready = true;
        this.ctx.webviewStats[this.surface].ready++;
        this.ctx.stateChanged();
        this.post({ type: "init", defaults: this.ctx.defaults(), index: this.ctx.index.summary() });
        const queued = this.queued;
        this.queued = undefined;
        if (queued) this.post(queued);
    }

    /** Runs one search for this webview, superseding (aborting) the previous one. */
    private async runSearch(requestId: number, run: (signal: AbortSignal) => Promise<SearchOutcome>): Promise<void> {
        this.searchAbort?.abort();
        const controller = new AbortController();
        this.searchAbort = controller;
        try {
            const outcome = await run(controller.signal);
            if (!controller.signal.aborted) this.showOutcome(outcome, requestId);
        } catch (err) {
            if (isCoreError(err, "cancelled") || controller.signal.aborted) return;
            this.ctx.log.error(`search from the ${this.surface} failed`, err);
            const d = describeError(err);
            this.post({ type: "error", requestId, message: d.message, actions: d.actions });
        }
    }

    /** A webview location as a file URI, or undefined (logged, and the user told) when it is outside the workspace. */
    private uri(loc: LocationDto): vscode.Uri | undefined {
        const uri = locationUri(loc, this.ctx.log);
        if (!uri) void vscode.window.showWarningMessage("Seek opens only files inside the workspace folders.");
        return uri;
    }

    dispose(): void {
        this.searchAbort?.abort();
        clearTimeout(this.stateTimer);
        for (const d of this.disposables) d.dispose();
        this.disposables.length = 0;
    }
}

function safeJson(x: unknown): string {
    try {
        return (JSON.stringify(x) ?? String(x)).slice(0, 300);
    } catch {
        return "(unserializable)";
    }
}
