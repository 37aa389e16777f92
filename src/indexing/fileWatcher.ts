/**
 * One FileSystemWatcher per workspace folder. Events are collected into a set and flushed as one batch after a
 * quiet period, so a save is one refresh and a branch switch that touches thousands of files is one run.
 */
import { posix, relative, sep } from "node:path";
import * as vscode from "vscode";

/** Quiet period before a batch is flushed: long enough to coalesce "save all" and git operations. */
const DEBOUNCE_MS = 750;
/** Upper bound on how long events may keep postponing a flush (a build writing files for minutes). */
const MAX_WAIT_MS = 5_000;
/** Above this many paths a batch becomes one full incremental run instead of per-path refreshes. */
export const LARGE_BATCH = 200;

export interface WatchBatch {
    /** Folder-relative POSIX paths that were created, changed or deleted. */
    paths: string[];
    /**
     * True when per-path refresh cannot be trusted to see everything: a big batch, or a created/deleted path that may
     * be a directory (the watcher may report only the directory, not the files inside it). Extensionless names are
     * treated as possible directories: a needless full run costs a discovery pass, a missed one leaves stale chunks.
     */
    full: boolean;
}

/** Path segments whose changes never matter to the index (VCS internals churn on every git command). */
const IGNORED_SEGMENTS = new Set([".git", ".hg", ".svn"]);

export class FolderWatcher implements vscode.Disposable {
    private readonly disposables: vscode.Disposable[] = [];
    private readonly changed = new Set<string>();
    private mayBeDirectory = false;
    private timer: NodeJS.Timeout | undefined;
    private firstEventAt = 0;

    constructor(
        private readonly folder: vscode.WorkspaceFolder,
        private readonly onBatch: (batch: WatchBatch) => void,
    ) {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, "**/*"));
        this.disposables.push(
            watcher,
            watcher.onDidCreate((uri) => this.add(uri, true)),
            watcher.onDidChange((uri) => this.add(uri, false)),
            watcher.onDidDelete((uri) => this.add(uri, true)),
        );
    }

    /** `created`/deleted events may name a directory (reported once, not per file inside it). */
    private add(uri: vscode.Uri, createdOrDeleted: boolean): void {
        if (uri.scheme !== "file") return;
        const rel = relative(this.folder.uri.fsPath, uri.fsPath);
        if (rel === "" || rel.startsWith("..")) return;
        const posixPath = rel.split(sep).join("/");
        if (posixPath.split("/").some((s) => IGNORED_SEGMENTS.has(s))) return;
        this.changed.add(posixPath);
        if (createdOrDeleted && !posix.basename(posixPath).includes(".")) this.mayBeDirectory = true;
        const now = Date.now();
        if (this.timer === undefined) this.firstEventAt = now;
        clearTimeout(this.timer);
        const wait = Math.max(0, Math.min(DEBOUNCE_MS, this.firstEventAt + MAX_WAIT_MS - now));
        this.timer = setTimeout(() => this.flush(), wait);
    }

    private flush(): void {
        this.timer = undefined;
        const paths = [...this.changed];
        const full = this.mayBeDirectory || paths.length > LARGE_BATCH;
        this.changed.clear();
        this.mayBeDirectory = false;
        if (paths.length > 0) this.onBatch({ paths, full });
    }

    dispose(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        for (const d of this.disposables) d.dispose();
        this.disposables.length = 0;
    }
}
