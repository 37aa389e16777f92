/**
 * Seek's entry point. `activate` builds the Ctx, registers commands, views and the panel serializer, and starts
 * indexing without awaiting it, so it returns fast; the engine runs in a child process (src/engineHost/).
 */
import * as vscode from "vscode";
import { registerCommands } from "./commands/index";
import { startTestStateFile } from "./commands/testStateCommand";
import { Ctx } from "./ctx";
import { registerLmTools } from "./tools/lmTools";
import { registerPanelSerializer } from "./views/resultsPanel";
import { RESULTS_VIEW_ID } from "./views/resultsView";

/** The one session object; it lives in the closure VS Code keeps, not in module state read elsewhere. */
const session: { ctx?: Ctx } = {};

export function activate(context: vscode.ExtensionContext): void {
    try {
        const ctx = new Ctx(context);
        session.ctx = ctx;
        registerCommands(ctx);
        registerLmTools(ctx);
        ctx.pushExtCleanup(vscode.window.registerWebviewViewProvider(RESULTS_VIEW_ID, ctx.resultsView));
        ctx.pushExtCleanup(registerPanelSerializer(ctx));
        ctx.pushExtCleanup(startTestStateFile(ctx));
        ctx.log.info(`Seek ${String(context.extension.packageJSON.version)} activating (VS Code ${vscode.version}, ${vscode.workspace.isTrusted ? "trusted" : "restricted"} workspace)`);
        ctx.index.start();
    } catch (err) {
        // VS Code does not tell the user when activation fails; say it once, then let VS Code record it.
        void vscode.window.showErrorMessage(`Seek failed to activate: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
    }
}

/** Stops indexing and the engine process; VS Code waits for the promise (stores are closed cleanly). */
export function deactivate(): Promise<void> | undefined {
    const ctx = session.ctx;
    session.ctx = undefined;
    return ctx?.dispose();
}
