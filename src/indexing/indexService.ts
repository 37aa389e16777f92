/**
 * Keeps one index per workspace folder up to date: opens the engines (in the engine process), runs full
 * incremental passes, applies watcher batches, pauses/resumes/rebuilds, and recovers after an engine crash.
 * All engine-changing work goes through one WorkQueue; a new full run supersedes the one in flight.
 */
import { join } from "node:path";
import * as vscode from "vscode";
import type { Config } from "../config";
import { describeError } from "../commands/reportError";
import { isCoreError } from "../core/errors";
import type { CrashEvent, EngineClient } from "../engineHost/engineClient";
import type { Log } from "../log";
import type { IndexStateDto } from "../protocol/messages";
import { FolderWatcher, type WatchBatch } from "./fileWatcher";
import { FolderIndex } from "./folderIndex";
import type { LagMonitor } from "./lagMonitor";
import { IndexStatusBar, QUIET_RUN_CHUNKS, QUIET_RUN_FILES, RunProgress, type RunUiKind } from "./progressUi";
import { indexDirFor } from "./storage";
import { summarize } from "./summary";
import { WorkQueue } from "./workQueue";

export type RunTrigger = "startup" | "resume" | "rebuild" | "watch" | "restart" | "recover";

export interface IndexServiceDeps {
    context: vscode.ExtensionContext;
    log: Log;
    config: Config;
    client: EngineClient;
    lag: LagMonitor;
    /** Logs a failure and shows one message (the UI layer maps CoreError reasons to text and actions). */
    onError: (err: unknown, what: string) => void;
}

export class IndexService implements vscode.Disposable {
    private readonly folders = new Map<string, FolderIndex>();
    private readonly queue = new WorkQueue();
    private readonly statusBar = new IndexStatusBar();
    private readonly changeEmitter = new vscode.EventEmitter<void>();
    private readonly disposables: vscode.Disposable[] = [this.statusBar, this.changeEmitter];
    private runController: AbortController | undefined;
    /** Of the watcher refresh in flight; aborted with the run (pause, settings, disable), whose full pass covers it. */
    private refreshController: AbortController | undefined;
    private paused = false;
    private disposed = false;
    /** Fires on every state change (phase, progress, status); listeners throttle if they need to. */
    readonly onDidChange = this.changeEmitter.event;

    constructor(private readonly deps: IndexServiceDeps) {
        this.disposables.push(
            deps.client.onCrash((e) => this.onEngineCrash(e)),
            vscode.workspace.onDidChangeWorkspaceFolders((e) => {
                for (const f of e.removed) this.removeFolder(f);
                for (const f of e.added) this.addFolder(f);
            }),
        );
    }

    /** Opens every folder's index and starts the first run; returns at once (indexing is never awaited). */
    start(): void {
        for (const f of vscode.workspace.workspaceFolders ?? []) this.addFolder(f);
        this.changed();
    }

    get isPaused(): boolean {
        return this.paused;
    }

    list(): FolderIndex[] {
        return [...this.folders.values()];
    }

    /** The folder index holding a URI, if any. */
    folderFor(uri: vscode.Uri): FolderIndex | undefined {
        const wf = vscode.workspace.getWorkspaceFolder(uri);
        return wf ? this.list().find((f) => f.folder.uri.toString() === wf.uri.toString()) : undefined;
    }

    /** Summary over all folders, for the status bar, webviews and tests. */
    summary(): IndexStateDto {
        return summarize(this.list(), this.enabled(), describeError);
    }

    /**
     * Searchable: at least one folder's engine is open and has content (from an earlier session, or the first
     * keyword-stage batches of this run: searchable by keyword before any vector exists), or has finished a run (a
     * folder with nothing to index).
     */
    isReady(): boolean {
        return this.list().some((f) => f.isOpen && ((f.status?.chunks ?? 0) > 0 || (f.progress?.chunksTotal ?? 0) > 0 || f.ranOnce));
    }

    pause(): void {
        if (this.paused) return;
        this.paused = true;
        this.abortWork();
        for (const f of this.list()) if (f.phase === "idle") f.phase = "paused";
        this.deps.log.info("indexing paused");
        this.changed();
    }

    resume(): void {
        this.paused = false;
        for (const f of this.list()) if (f.phase === "paused") f.phase = "idle";
        this.deps.log.info("indexing resumed");
        this.changed();
        void this.scheduleRun("resume");
    }

    /** Deletes every folder's index and builds it again, with a cancellable notification. */
    rebuild(): Promise<void> {
        this.paused = false;
        const controller = this.supersede();
        return this.queue.push(async () => {
            for (const f of this.list()) {
                if (controller.signal.aborted) return;
                f.options = this.optionsFor(f.folder);
                if (f.isOpen) await this.guard(f, "Rebuilding the index", async () => (f.status = await this.deps.client.request("reset", { key: f.key })));
                else await this.openFolder(f);
            }
            await this.runFolders("rebuild", controller);
        });
    }

    /** Re-opens every engine with the current settings and runs incrementally (a new identity means a rebuild). */
    restart(): Promise<void> {
        const controller = this.supersede();
        return this.queue.push(async () => {
            for (const f of this.list()) {
                f.options = this.optionsFor(f.folder);
                await this.openFolder(f);
            }
            if (!this.paused && this.enabled() && !controller.signal.aborted) await this.runFolders("restart", controller);
        });
    }

    /** `seek.indexing.enabled` changed. */
    enablementChanged(): void {
        if (this.enabled()) {
            for (const f of this.list()) if (f.phase === "disabled") f.phase = this.paused ? "paused" : "idle";
            void this.scheduleRun("resume");
        } else {
            this.abortWork();
            for (const f of this.list()) if (f.phase !== "error" && f.phase !== "starting") f.phase = "disabled";
        }
        this.changed();
    }

    /** Chunks in all indexes (to decide whether a rebuild needs asking first). */
    totalChunks(): number {
        return this.list().reduce((n, f) => n + (f.status?.chunks ?? 0), 0);
    }

    private enabled(): boolean {
        return this.deps.config.get("indexing.enabled");
    }

    private optionsFor(folder: vscode.WorkspaceFolder) {
        const options = this.deps.config.engineOptions(folder, { indexDir: "", modelsDir: join(this.deps.context.extensionPath, "models") });
        // The directory depends on the model and instructions (the index identity): one per identity, shared with the CLI.
        return { ...options, indexDir: indexDirFor(this.deps.context, folder, options, this.deps.log) };
    }

    private addFolder(folder: vscode.WorkspaceFolder): void {
        if (folder.uri.scheme !== "file") {
            this.deps.log.info(`skipping ${folder.uri.toString()}: Seek indexes folders on the file system only`);
            return;
        }
        const f = new FolderIndex(folder, this.optionsFor(folder));
        if (this.folders.has(f.key)) return;
        this.folders.set(f.key, f);
        this.deps.log.info(`folder ${folder.name}: index at ${f.options.indexDir}; settings ${this.deps.config.describe(folder.uri)}`);
        f.watcher = new FolderWatcher(folder, (batch) => this.onWatch(f, batch));
        void this.queue.push(() => this.openFolder(f));
        void this.scheduleRun("startup");
    }

    private removeFolder(folder: vscode.WorkspaceFolder): void {
        const f = this.list().find((x) => x.folder.uri.toString() === folder.uri.toString());
        if (!f) return;
        this.folders.delete(f.key);
        f.watcher?.dispose();
        this.abortWork();
        void this.queue.push(() => this.deps.client.request("close", { key: f.key })).catch((e) => this.deps.log.debug(`close ${f.key}: ${String(e)}`));
        void this.scheduleRun("restart");
        this.changed();
    }

    private async openFolder(f: FolderIndex): Promise<void> {
        f.phase = "starting";
        f.error = undefined;
        f.ranOnce = false;
        f.progress = undefined;
        this.changed();
        try {
            f.status = await this.deps.client.request("open", { key: f.key, options: f.options });
            f.phase = !this.enabled() ? "disabled" : this.paused ? "paused" : "idle";
        } catch (err) {
            f.status = undefined;
            this.fail(f, err, `Opening the index of ${f.folder.name}`);
        } finally {
            f.opened();
            this.changed();
        }
    }

    /** Aborts the run in flight and returns the controller of the next one. */
    private supersede(): AbortController {
        this.abortWork();
        this.runController = new AbortController();
        return this.runController;
    }

    private scheduleRun(trigger: RunTrigger): Promise<void> {
        if (!this.enabled() || this.paused || this.disposed) return Promise.resolve();
        const controller = this.supersede();
        return this.queue.push(async () => {
            if (!controller.signal.aborted && !this.paused) await this.runFolders(trigger, controller);
        });
    }

    private async runFolders(trigger: RunTrigger, controller: AbortController): Promise<void> {
        const folders = this.list().filter((f) => f.isOpen);
        const ui = new RunProgress(this.uiKind(trigger, folders), () => this.pause());
        const endLag = this.deps.lag.begin();
        const started = Date.now();
        try {
            for (const f of folders) {
                if (controller.signal.aborted) break;
                if (!f.isOpen || !this.folders.has(f.key)) continue;
                await this.runFolder(f, controller.signal, ui);
            }
        } finally {
            endLag();
            ui.end();
            const lag = this.deps.lag.stats();
            this.deps.log.info(`${trigger} run finished in ${Date.now() - started} ms; host event-loop lag while indexing: p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms`);
        }
    }

    private uiKind(trigger: RunTrigger, folders: FolderIndex[]): RunUiKind {
        if (trigger === "rebuild") return "notification";
        const firstBuild = folders.some((f) => (f.status?.files ?? 0) === 0);
        const backlog = folders.reduce((n, f) => n + (f.status?.pendingFiles ?? 0), 0);
        const toEmbed = folders.reduce((n, f) => n + Math.max(0, (f.status?.chunks ?? 0) - (f.status?.embeddedChunks ?? 0)), 0);
        return firstBuild || backlog >= QUIET_RUN_FILES || toEmbed >= QUIET_RUN_CHUNKS || trigger === "watch" ? "window" : "quiet";
    }

    private async runFolder(f: FolderIndex, signal: AbortSignal, ui: RunProgress): Promise<void> {
        f.phase = "indexing";
        f.progress = undefined;
        f.pendingPaths.clear();
        f.needsFullRun = false;
        this.changed();
        const started = Date.now();
        try {
            const last = await this.deps.client.request("run", { key: f.key, priorityPaths: this.visiblePaths(f) }, {
                signal,
                onProgress: (p) => {
                    if (p.phase === "embedding" && f.progress?.phase !== "embedding") {
                        this.deps.log.info(
                            `${f.folder.name}: keyword stage done in ${Date.now() - started} ms (${p.filesDone} files, ${p.chunksTotal} chunks searchable by keyword); ` +
                                `semantic stage: ${p.chunksTotal - p.chunksWithVectors} chunks to embed`,
                        );
                    }
                    f.progress = p;
                    this.changed();
                    ui.update(this.summary());
                },
            });
            f.status = await this.deps.client.request("status", { key: f.key });
            f.phase = "idle";
            f.ranOnce = true;
            const skipped = last?.skipped ?? 0;
            this.deps.log.info(
                `${f.folder.name}: indexed ${f.status.files} files (${f.status.chunks} chunks) in ${Date.now() - started} ms` +
                    (skipped > 0 ? `; ${skipped} skipped (see the warnings above)` : ""),
            );
            if (f.needsFullRun) void this.scheduleRun("watch");
            else if (f.pendingPaths.size > 0) this.scheduleRefresh(f);
        } catch (err) {
            if (isCoreError(err, "cancelled")) {
                f.phase = this.paused ? "paused" : !this.enabled() ? "disabled" : "idle";
                // What the stopped run stored stays: the summary (files, chunks with vectors) must say so, not the last run's.
                await this.deps.client.request("status", { key: f.key }).then(
                    (status) => (f.status = status),
                    (e: unknown) => this.deps.log.debug(`status after a cancelled run of ${f.folder.name}: ${String(e)}`),
                );
            } else this.fail(f, err, `Indexing ${f.folder.name}`);
        } finally {
            this.changed();
        }
    }

    private onWatch(f: FolderIndex, batch: WatchBatch): void {
        if (!this.enabled() || this.disposed) return;
        for (const p of batch.paths) f.pendingPaths.add(p);
        if (batch.full) f.needsFullRun = true;
        this.deps.log.debug(`${f.folder.name}: ${batch.paths.length} changed paths${batch.full ? " (full run)" : ""}`);
        // While paused, the paths wait: resume runs a full pass. While a run is in flight, it flushes them at the end.
        if (this.paused || f.phase === "indexing" || !f.isOpen) return;
        if (f.needsFullRun) void this.scheduleRun("watch");
        else this.scheduleRefresh(f);
    }

    /** Stops the run and the watcher refresh in flight (each stops within a batch; what is stored stays). */
    private abortWork(): void {
        this.runController?.abort();
        this.refreshController?.abort();
    }

    private scheduleRefresh(f: FolderIndex): void {
        void this.queue.push(async () => {
            const paths = [...f.pendingPaths];
            f.pendingPaths.clear();
            if (paths.length === 0 || !f.isOpen || this.paused || !this.folders.has(f.key)) return;
            const started = Date.now();
            // A cancelled refresh drops its paths: whatever cancelled it (pause, settings, disable) ends in a full pass.
            const controller = (this.refreshController = new AbortController());
            await this.guard(f, `Updating the index of ${f.folder.name}`, async () => {
                const r = await this.deps.client.request("refreshPaths", { key: f.key, paths }, { signal: controller.signal });
                f.status = await this.deps.client.request("status", { key: f.key });
                this.deps.log.info(`${f.folder.name}: refreshed ${paths.length} paths (${r.updated} updated, ${r.removed} removed) in ${Date.now() - started} ms`);
            });
            this.changed();
        });
    }

    /** Runs an engine call for a folder, turning a failure into the folder's error state (cancellation is silent). */
    private async guard(f: FolderIndex, what: string, fn: () => Promise<unknown>): Promise<void> {
        try {
            await fn();
        } catch (err) {
            if (!isCoreError(err, "cancelled")) this.fail(f, err, what);
        }
    }

    private fail(f: FolderIndex, err: unknown, what: string): void {
        if (isCoreError(err, "workerCrashed")) {
            // The crash listener reports it once and re-opens every folder.
            f.phase = "starting";
            return;
        }
        f.phase = "error";
        f.error = err;
        this.deps.onError(err, what);
    }

    private onEngineCrash(e: CrashEvent): void {
        switch (e.kind) {
            case "exited":
                // The engines died with the process: nothing may use them until they are re-opened.
                this.abortWork();
                for (const f of this.list()) {
                    f.status = undefined;
                    if (f.phase !== "error") f.phase = "starting";
                }
                break;
            case "restarted":
                this.deps.onError(e.error, "The engine process was restarted");
                for (const f of this.list()) void this.queue.push(() => this.openFolder(f));
                void this.scheduleRun("recover");
                break;
            case "gaveUp":
                this.deps.onError(e.error, "The engine process stopped");
                for (const f of this.list()) {
                    f.phase = "error";
                    f.error = e.error;
                }
                break;
        }
        this.changed();
    }

    /** Paths of the visible editors in this folder: indexed first, so early searches find what the user works on. */
    private visiblePaths(f: FolderIndex): string[] {
        const paths = vscode.window.visibleTextEditors.map((e) => f.relativePath(e.document.uri));
        return [...new Set(paths.filter((p): p is string => p !== undefined))];
    }

    private changed(): void {
        if (this.disposed) return;
        const indexed = this.list().reduce((a, f) => ({ files: a.files + (f.status?.files ?? 0), chunks: a.chunks + (f.status?.chunks ?? 0) }), { files: 0, chunks: 0 });
        this.statusBar.update(this.summary(), indexed);
        this.changeEmitter.fire();
    }

    /** Stops runs and closes the engines (their stores flush on close). */
    async dispose(): Promise<void> {
        this.abortWork();
        this.disposed = true;
        for (const f of this.list()) f.watcher?.dispose();
        for (const d of this.disposables) d.dispose();
        await this.queue.idle();
        await Promise.all(this.list().map((f) => this.deps.client.request("close", { key: f.key }).catch((e) => this.deps.log.debug(`close: ${String(e)}`))));
    }
}
