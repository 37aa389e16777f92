/** `seek.openPanel`: shows the results panel (a singleton). */
import type { Ctx } from "../ctx";
import { ResultsPanel } from "../views/resultsPanel";

export function openPanelCommand(ctx: Ctx): void {
    ResultsPanel.createOrShow(ctx);
}
