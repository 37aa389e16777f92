/** "Seek: Clear Team Index Password": removes it from SecretStorage; the team index is then reached without one. */
import * as vscode from "vscode";
import type { Ctx } from "../ctx";
import { TEAM_PASSWORD_SECRET } from "../indexing/teamIndexService";

export async function teamIndexClearPasswordCommand(ctx: Ctx, quiet?: unknown): Promise<void> {
    await ctx.extensionContext.secrets.delete(TEAM_PASSWORD_SECRET);
    ctx.log.info("team index password removed from SecretStorage");
    if (quiet !== true) void vscode.window.showInformationMessage("Seek: the team index password is cleared.");
}
