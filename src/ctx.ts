/**
 * Ctx owns the extension's session: the log, settings, the engine process client, the index and search services,
 * the result views and every disposable. `activate` builds exactly one; nothing else holds mutable module state.
 */
import { join } from "node:path";
import * as vscode from "vscode";
import { ErrorReporter } from "./commands/reportError";
import { Config } from "./config";
import { EngineClient } from "./engineHost/engineClient";
import { IndexService } from "./indexing/indexService";
import { LagMonitor } from "./indexing/lagMonitor";
import { SearchService } from "./indexing/searchService";
import { TeamIndexService } from "./indexing/teamIndexService";
import { Log } from "./log";
import type { SearchModeDto } from "./protocol/messages";
import { RangeOpener } from "./views/openLocation";
import { ResultsViewProvider } from "./views/resultsView";
import type { IndexStatusPanelHandle, ResultsPanelHandle, ViewHost, WebviewStats } from "./views/viewHost";
import type { Surface } from "./views/webviewHtml";

/** Context keys this extension sets (used in `when` clauses of package.json). */
export type ContextKey = "seek.indexReady" | "seek.indexPaused";

/** Indexes above this many chunks are worth a question before a settings change throws them away. */
const ASK_BEFORE_REBUILD_CHUNKS = 1_000;

export class Ctx implements ViewHost, vscode.Disposable {
    readonly log: Log;
    readonly config = new Config();
    readonly errors: ErrorReporter;
    readonly lag = new LagMonitor();
    readonly client: EngineClient;
    readonly index: IndexService;
    readonly search: SearchService;
    /** The team index (#12): follows its settings, the password and unsaved editors from activation on. */
    readonly team: TeamIndexService;
    readonly opener = new RangeOpener(() => this.panel?.visibleColumn());
    readonly resultsView: ResultsViewProvider;
    /** The results panel while it is open (singleton). */
    panel: ResultsPanelHandle | undefined;
    /** The Show Index Status panel while it is open (singleton). */
    indexStatusPanel: IndexStatusPanelHandle | undefined;
    readonly webviewStats: Record<Surface, WebviewStats> = {
        panel: { opened: 0, ready: 0, malformed: 0 },
        view: { opened: 0, ready: 0, malformed: 0 },
    };
    private readonly stateEmitter = new vscode.EventEmitter<void>();
    /** Fires when anything seek._testState reports may have changed. */
    readonly onDidChangeState = this.stateEmitter.event;
    private readonly extCleanup: vscode.Disposable[] = [];
    private readonly contextValues = new Map<ContextKey, unknown>();
    private disposing: Promise<void> | undefined;

    constructor(readonly extensionContext: vscode.ExtensionContext) {
        extensionContext.subscriptions.push(this);
        this.log = this.pushExtCleanup(new Log());
        this.errors = new ErrorReporter(this.log);
        this.client = new EngineClient({ scriptPath: join(extensionContext.extensionPath, "dist", "engineProcess.js"), logger: this.log });
        this.index = new IndexService({
            context: extensionContext,
            log: this.log,
            config: this.config,
            client: this.client,
            lag: this.lag,
            onError: (err, what) => this.errors.report(err, what),
        });
        this.search = this.pushExtCleanup(new SearchService(this.index, this.client, this.log));
        this.team = this.pushExtCleanup(new TeamIndexService(this));
        this.resultsView = this.pushExtCleanup(new ResultsViewProvider(this));
        this.pushExtCleanup(this.opener);
        this.pushExtCleanup(this.lag);
        this.pushExtCleanup(this.stateEmitter);
        this.index.onDidChange(() => this.onIndexChange(), this, this.extCleanup);
        this.search.onDidSearch(() => this.stateChanged(), this, this.extCleanup);
        vscode.workspace.onDidChangeConfiguration((e) => void this.onConfigChange(e), this, this.extCleanup);
        this.log.channel.onDidChangeLogLevel(() => this.client.setLogLevel(this.log.wireLevel()), this, this.extCleanup);
        this.client.setLogLevel(this.log.wireLevel());
    }

    get extensionUri(): vscode.Uri {
        return this.extensionContext.extensionUri;
    }

    /** Registers something that lives as long as the extension. */
    pushExtCleanup<T extends vscode.Disposable>(d: T): T {
        this.extCleanup.push(d);
        return d;
    }

    /** Settings with live effect on the search UIs. */
    defaults(): { mode: SearchModeDto; maxResults: number } {
        return { mode: this.config.get("search.mode"), maxResults: this.config.get("results.max") };
    }

    /** Sets a `when`-clause context key (only when its value changes). */
    setContext(key: ContextKey, value: unknown): void {
        if (this.contextValues.get(key) === value) return;
        this.contextValues.set(key, value);
        void vscode.commands.executeCommand("setContext", key, value);
    }

    /** The value a context key was last set to (the tests read the menus' state through seek._testState). */
    contextValue(key: ContextKey): unknown {
        return this.contextValues.get(key);
    }

    stateChanged(): void {
        this.stateEmitter.fire();
    }

    private onIndexChange(): void {
        this.setContext("seek.indexReady", this.index.isReady());
        // The sidebar's "..." menu offers Pause or Resume, whichever applies (package.json `when` clauses).
        this.setContext("seek.indexPaused", this.index.isPaused);
        this.stateChanged();
    }

    private async onConfigChange(e: vscode.ConfigurationChangeEvent): Promise<void> {
        const kind = this.config.classify(e);
        if (!kind) return;
        this.log.info(`settings changed (${kind}): ${this.config.describe(vscode.workspace.workspaceFolders?.[0]?.uri)}`);
        this.panel?.postDefaults();
        this.resultsView.postDefaults();
        switch (kind) {
            case "live":
                return;
            case "enablement":
                this.index.enablementChanged();
                return;
            case "restart":
                await this.index.restart();
                return;
            case "rebuild":
                return this.confirmRebuild();
        }
    }

    /** The model or instructions changed: the vectors must be rebuilt; ask first when a large index would go. */
    private async confirmRebuild(): Promise<void> {
        const chunks = this.index.totalChunks();
        if (chunks > ASK_BEFORE_REBUILD_CHUNKS) {
            const choice = await vscode.window.showInformationMessage(
                `The new model or instructions need a new index; the current one (${chunks.toLocaleString("en-US")} chunks) will be rebuilt.`,
                "Rebuild Now",
                "Later",
            );
            if (choice !== "Rebuild Now") {
                this.log.info("rebuild postponed: the new settings apply at the next Rebuild Index or window reload");
                return;
            }
        }
        await this.index.restart();
    }

    /**
     * Stops indexing and the engine process (stores flush on close), then disposes the UI. Idempotent: `deactivate`
     * awaits it, and VS Code calls it again through context.subscriptions.
     */
    dispose(): Promise<void> {
        this.disposing ??= this.shutdown();
        return this.disposing;
    }

    private async shutdown(): Promise<void> {
        this.panel?.dispose();
        this.indexStatusPanel?.dispose();
        try {
            await this.index.dispose();
            await this.client.dispose();
        } finally {
            for (const d of this.extCleanup.splice(0).reverse()) d.dispose();
        }
    }
}
