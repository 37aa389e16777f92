/**
 * Where each folder's index lives: under the workspace's `storageUri` (VS Code deletes it with the workspace),
 * or, with no workspace storage (a bare window, a non-file storage scheme), under `globalStorageUri`; in both cases in
 * a directory keyed by a hash of the folder URI, so folders of a multi-root workspace never share an index.
 */
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import type * as vscode from "vscode";

/** Stable short key of a workspace folder (used for the index directory and the engine key). */
export function folderKey(folder: vscode.Uri): string {
    return createHash("sha256").update(folder.toString()).digest("hex").slice(0, 16);
}

/** Absolute directory of one folder's index. */
export function indexDirFor(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder): string {
    const safeName = folder.name.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 40) || "folder";
    const leaf = `${safeName}-${folderKey(folder.uri)}`;
    const base = [context.storageUri, context.globalStorageUri].find((u) => u?.scheme === "file");
    // The engine process reads and writes with Node's fs, so only a file: URI will do; else a per-user cache dir.
    const root = base ? base.fsPath : join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "seek-vscode");
    return join(root, "index", leaf);
}
