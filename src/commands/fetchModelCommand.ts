/**
 * `seek.fetchModel`: runs the project's model downloader (scripts/fetch-model.mjs, what `npm run fetch-model`
 * runs) in a child process with a cancellable notification, then re-opens the indexes. A build without the script
 * (a packaged VSIX ships its model) says what to do instead.
 */
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { Ctx } from "../ctx";

export async function fetchModelCommand(ctx: Ctx): Promise<void> {
    const root = ctx.extensionContext.extensionPath;
    const script = join(root, "scripts", "fetch-model.mjs");
    if (!existsSync(script)) {
        const choice = await vscode.window.showInformationMessage(
            "This build of Seek has no model downloader. Run `npm run fetch-model` in the Seek repository, or set seek.modelPath to a folder with tokenizer.json and model.onnx.",
            "Open Settings",
        );
        if (choice) await vscode.commands.executeCommand("workbench.action.openSettings", "seek.modelPath");
        return;
    }
    const model = ctx.config.get("model");
    ctx.log.info(`fetching model ${model} with ${script}`);
    const code = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Seek: fetching the model ${model}`, cancellable: true },
        (_progress, token) => runScript(ctx, script, [model], root, token),
    );
    if (code === 0) {
        void vscode.window.showInformationMessage(`Seek: model ${model} is ready.`);
        await ctx.index.restart();
    } else if (code !== "cancelled") {
        ctx.errors.report(new Error(`fetch-model exited with ${code}`), "Fetching the model");
    }
}

function runScript(ctx: Ctx, script: string, args: string[], cwd: string, token: vscode.CancellationToken): Promise<number | string> {
    return new Promise((resolve) => {
        const child = fork(script, args, {
            cwd,
            stdio: ["ignore", "pipe", "pipe", "ipc"],
            execArgv: [],
            env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
        });
        const onLine = (d: Buffer) => ctx.log.info(`[fetch-model] ${d.toString().trimEnd()}`);
        child.stdout?.on("data", onLine);
        child.stderr?.on("data", onLine);
        const sub = token.onCancellationRequested(() => {
            child.kill();
            resolve("cancelled");
        });
        child.on("error", (err) => {
            ctx.log.error("could not start fetch-model", err);
            resolve("error");
        });
        child.on("exit", (code, signal) => {
            sub.dispose();
            resolve(code ?? signal ?? "error");
        });
    });
}
