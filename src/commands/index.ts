/**
 * Every command id in one place (package.json `contributes.commands` mirrors it) and one loop that registers them.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx";
import { fetchModelCommand } from "./fetchModelCommand";
import { findSimilarCommand } from "./findSimilarCommand";
import { internalFindSimilarCommand } from "./internalFindSimilarCommand";
import { internalSearchCommand } from "./internalSearchCommand";
import { openPanelCommand } from "./openPanelCommand";
import { pauseIndexingCommand } from "./pauseIndexingCommand";
import { rebuildIndexCommand } from "./rebuildIndexCommand";
import { resumeIndexingCommand } from "./resumeIndexingCommand";
import { searchCommand } from "./searchCommand";
import { showIndexStatusCommand } from "./showIndexStatusCommand";
import { showLogCommand } from "./showLogCommand";
import { teamIndexClearPasswordCommand } from "./teamIndexClearPasswordCommand";
import { teamIndexSetPasswordCommand } from "./teamIndexSetPasswordCommand";
import { teamIndexStateCommand } from "./teamIndexStateCommand";
import { testStateCommand } from "./testStateCommand";

export const CommandId = {
    /** {@link searchCommand} */
    search: "seek.search",
    /** {@link openPanelCommand} */
    openPanel: "seek.openPanel",
    /** {@link findSimilarCommand} */
    findSimilar: "seek.findSimilar",
    /** {@link pauseIndexingCommand} */
    pauseIndexing: "seek.pauseIndexing",
    /** {@link resumeIndexingCommand} */
    resumeIndexing: "seek.resumeIndexing",
    /** {@link rebuildIndexCommand} */
    rebuildIndex: "seek.rebuildIndex",
    /** {@link showLogCommand} */
    showLog: "seek.showLog",
    /** {@link showIndexStatusCommand} */
    showIndexStatus: "seek.showIndexStatus",
    /** {@link fetchModelCommand} */
    fetchModel: "seek.fetchModel",
    /** {@link teamIndexSetPasswordCommand} */
    setTeamIndexPassword: "seek.setTeamIndexPassword",
    /** {@link teamIndexClearPasswordCommand} */
    clearTeamIndexPassword: "seek.clearTeamIndexPassword",
    /** {@link teamIndexStateCommand} (hidden) */
    teamIndexState: "seek._teamIndexState",
    /** {@link testStateCommand} (hidden) */
    testState: "seek._testState",
    /** {@link internalSearchCommand} (hidden) */
    internalSearch: "seek._search",
    /** {@link internalFindSimilarCommand} (hidden) */
    internalFindSimilar: "seek._findSimilar",
} as const;
export type CommandId = (typeof CommandId)[keyof typeof CommandId];

type Entry =
    | { id: CommandId; handler: (ctx: Ctx, ...args: unknown[]) => unknown }
    | { id: CommandId; editor: (ctx: Ctx, editor: vscode.TextEditor) => void };

const COMMANDS: Entry[] = [
    { id: CommandId.search, handler: searchCommand },
    { id: CommandId.openPanel, handler: openPanelCommand },
    { id: CommandId.findSimilar, editor: findSimilarCommand },
    { id: CommandId.pauseIndexing, handler: pauseIndexingCommand },
    { id: CommandId.resumeIndexing, handler: resumeIndexingCommand },
    { id: CommandId.rebuildIndex, handler: rebuildIndexCommand },
    { id: CommandId.showLog, handler: showLogCommand },
    { id: CommandId.showIndexStatus, handler: showIndexStatusCommand },
    { id: CommandId.fetchModel, handler: fetchModelCommand },
    { id: CommandId.setTeamIndexPassword, handler: teamIndexSetPasswordCommand },
    { id: CommandId.clearTeamIndexPassword, handler: teamIndexClearPasswordCommand },
    { id: CommandId.testState, handler: testStateCommand },
    { id: CommandId.internalSearch, handler: internalSearchCommand },
    { id: CommandId.internalFindSimilar, handler: internalFindSimilarCommand },
    { id: CommandId.teamIndexState, handler: (ctx) => teamIndexStateCommand(ctx.team) },
];

export function registerCommands(ctx: Ctx): void {
    for (const entry of COMMANDS) {
        const d =
            "editor" in entry
                ? vscode.commands.registerTextEditorCommand(entry.id, (editor) => entry.editor(ctx, editor))
                : vscode.commands.registerCommand(entry.id, (...args: unknown[]) => entry.handler(ctx, ...args));
        ctx.pushExtCleanup(d);
    }
}
