/**
 * `seek._findSimilar` (hidden): Find Similar on the active editor through the same function as `seek.findSimilar`,
 * awaited and returning the outcome (a text-editor command's result is not returned by executeCommand).
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx";
import type { SearchOutcome } from "../indexing/searchService";
import { findSimilar } from "./findSimilarCommand";

export async function internalFindSimilarCommand(ctx: Ctx): Promise<SearchOutcome | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new Error("seek._findSimilar: no active text editor");
    return findSimilar(ctx, editor);
}
