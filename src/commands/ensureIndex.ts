/**
 * Commands that need an index check it first and, when it can't serve them, show one message with the action that
 * helps instead of failing.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx";

/**
 * `search`: fine as soon as any engine is open or opening (searches cover what is indexed so far).
 * `similar`: needs indexed chunks to compare against.
 */
export function ensureIndex(ctx: Ctx, need: "search" | "similar"): boolean {
    const folders = ctx.index.list();
    if (folders.length === 0) {
        void vscode.window.showInformationMessage("Seek searches the folders of a workspace. Open a folder first.");
        return false;
    }
    const failed = folders.filter((f) => f.phase === "error");
    if (failed.length === folders.length) {
        ctx.errors.report(failed[0].error, `The index of ${failed[0].folder.name} is not available`);
        return false;
    }
    if (need === "search" || ctx.index.isReady()) return true;
    const s = ctx.index.summary();
    if (s.phase === "paused" || s.phase === "disabled") {
        void vscode.window.showInformationMessage("Seek has nothing indexed yet.", "Build Index").then((choice) => {
            if (choice === "Build Index") void vscode.commands.executeCommand("seek.resumeIndexing");
        });
    } else {
        void vscode.window.showInformationMessage(
            `Seek is still building the index (${s.filesDone.toLocaleString("en-US")}/${s.filesTotal.toLocaleString("en-US")} files). Try again in a moment.`,
        );
    }
    return false;
}
