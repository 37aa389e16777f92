/**
 * `seek.findSimilar` (editor context menu and palette): code similar to the selection, or to the chunk enclosing
 * the cursor when nothing is selected, shown in the sidebar view. The engine never returns the query range itself.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx";
import type { SearchOutcome } from "../indexing/searchService";
import { ensureIndex } from "./ensureIndex";

/** The lines to compare (0-based): the selection, or just the cursor line (the engine widens it to its chunk). */
export function similarLines(selection: vscode.Selection): { start: number; end?: number } {
    if (selection.isEmpty) return { start: selection.active.line };
    // A selection ending at column 0 of a line does not include that line.
    const end = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
    return { start: selection.start.line, end };
}

/** Shared by the editor command and the seek._findSimilar test hook. */
export async function findSimilar(ctx: Ctx, editor: vscode.TextEditor): Promise<SearchOutcome | undefined> {
    if (!ensureIndex(ctx, "similar")) return undefined;
    const uri = editor.document.uri;
    if (!ctx.index.folderFor(uri)?.isOpen) {
        void vscode.window.showInformationMessage("Find Similar works on files inside the indexed workspace folders.");
        return undefined;
    }
    if (editor.document.isDirty) ctx.log.debug(`${uri.fsPath} has unsaved changes; Find Similar compares the saved text`);
    try {
        const outcome = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: "Seek: finding similar code" },
            () => ctx.search.similar(uri, similarLines(editor.selection), ctx.defaults().maxResults),
        );
        await ctx.resultsView.show(outcome);
        return outcome;
    } catch (err) {
        ctx.errors.report(err, "Find Similar");
        return undefined;
    }
}

export function findSimilarCommand(ctx: Ctx, editor: vscode.TextEditor): void {
    void findSimilar(ctx, editor);
}
