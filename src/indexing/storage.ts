/**
 * Where each folder's index lives: the location the CLI and the MCP server use too (core/indexLocation.ts), one
 * directory per (folder, model, instruction set) under the per-user Seek cache, so an index built here is the one
 * `seek search` answers from, and the other way round. Folders of a multi-root workspace never share an index (the
 * key is the folder's path). Before session 6 the index lived in the workspace storage; that copy is deleted once.
 */
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import type * as vscode from "vscode";
import { indexLocation, removeLegacyIndex, type IndexLocationOptions } from "../core/indexLocation";
import type { Logger } from "../core/types";

/** Stable short key of a workspace folder (the engine key). */
export function folderKey(folder: vscode.Uri): string {
    return createHash("sha256").update(folder.toString()).digest("hex").slice(0, 16);
}

/**
 * Absolute directory of one folder's index for the engine options given (model, instructions: the index identity).
 * The first call for a folder also removes the index an older version kept in the workspace storage.
 */
export function indexDirFor(
    context: vscode.ExtensionContext,
    folder: vscode.WorkspaceFolder,
    options: Omit<IndexLocationOptions, "root">,
    logger?: Logger,
): string {
    removeLegacyIndex(legacyIndexDir(context, folder), logger);
    return indexLocation(folder.uri.fsPath, options);
}

/** Where versions before session 6 kept the folder's index. */
function legacyIndexDir(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder): string {
    const safeName = folder.name.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 40) || "folder";
    const leaf = `${safeName}-${folderKey(folder.uri)}`;
    const base = [context.storageUri, context.globalStorageUri].find((u) => u?.scheme === "file");
    const root = base ? base.fsPath : join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "seek-vscode");
    return join(root, "index", leaf);
}
