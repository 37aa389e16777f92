/**
 * The state of one workspace folder's index as the host sees it. The engine itself lives in the engine process,
 * addressed by `key`; IndexService drives the transitions.
 */
import { relative, sep } from "node:path";
import type * as vscode from "vscode";
import type { IndexProgress, IndexStatus } from "../core/types";
import type { WireEngineOptions } from "../engineHost/ipc";
import type { FolderWatcher } from "./fileWatcher";
import { folderKey } from "./storage";
import { fileCounts, type FolderPhase } from "./summary";

export type { FolderPhase } from "./summary";

export class FolderIndex {
    readonly key: string;
    phase: FolderPhase = "starting";
    /** Progress of the current or last run of this session. */
    progress: IndexProgress | undefined;
    /** Index summary after the last open, run or refresh; undefined until the engine is open. */
    status: IndexStatus | undefined;
    error: unknown;
    watcher: FolderWatcher | undefined;
    /** Watcher paths not yet refreshed (collected while a run is in flight, or paused). */
    readonly pendingPaths = new Set<string>();
    /** A watcher batch asked for a full run that has not happened yet. */
    needsFullRun = false;
    /** A full run finished in this session (an empty index is then "ready": there is just nothing in it). */
    ranOnce = false;
    /** Resolves after the first open attempt, successful or not (searches wait for it). */
    readonly firstOpen: Promise<void>;
    private markOpened!: () => void;

    constructor(
        readonly folder: vscode.WorkspaceFolder,
        public options: WireEngineOptions,
    ) {
        this.key = folderKey(folder.uri);
        this.firstOpen = new Promise((resolve) => (this.markOpened = resolve));
    }

    get isOpen(): boolean {
        return this.status !== undefined && this.phase !== "error";
    }

    opened(): void {
        this.markOpened();
    }

    /** Folder-relative POSIX path of a file URI inside this folder, else undefined. */
    relativePath(uri: vscode.Uri): string | undefined {
        if (uri.scheme !== "file") return undefined;
        const rel = relative(this.folder.uri.fsPath, uri.fsPath);
        if (rel === "" || rel.startsWith("..") || rel.includes(":")) return undefined;
        return rel.split(sep).join("/");
    }

    /** Files done/total of the keyword stage: the run's counts while it runs, else the index summary's. */
    counts(): { done: number; total: number } {
        return fileCounts(this);
    }
}
