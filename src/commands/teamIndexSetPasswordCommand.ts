/**
 * "Seek: Set Team Index Password": keeps the team index password in VS Code's SecretStorage (the OS keychain), never
 * in settings. The engine process puts it into the connection URL when it connects (engineHost/teamIndexConfig.ts).
 * An optional string argument sets it without the prompt (automation, tests).
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx";
import { TEAM_PASSWORD_SECRET } from "../indexing/teamIndexService";

export async function teamIndexSetPasswordCommand(ctx: Ctx, password?: unknown): Promise<void> {
    let value = typeof password === "string" ? password : undefined;
    if (value === undefined) {
        value = await vscode.window.showInputBox({
            title: "Seek: Team Index Password",
            prompt: "The password of the database user in seek.teamIndex.url. Kept in SecretStorage (the OS keychain), never in settings or logs.",
            password: true,
            ignoreFocusOut: true,
        });
        if (!value) return;
    }
    await ctx.extensionContext.secrets.store(TEAM_PASSWORD_SECRET, value);
    ctx.log.info("team index password saved in SecretStorage");
    if (typeof password !== "string") {
        const hint = ctx.config.get("teamIndex.url") === "" ? " Set seek.teamIndex.url in your user settings to use the team index." : "";
        void vscode.window.showInformationMessage(`Seek: the team index password is saved.${hint}`);
    }
}
