/** Activation and contributions: the extension activates fast and registers every command. */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { EXTENSION_ID, testState } from "./helpers";

suite("activation", () => {
    test("activates without waiting for indexing", async () => {
        const ext = vscode.extensions.getExtension(EXTENSION_ID);
        assert.ok(ext, "extension found");
        const started = Date.now();
        await ext.activate();
        assert.ok(ext.isActive);
        // Activation never awaits indexing or model loading; a few seconds covers a slow CI host.
        assert.ok(Date.now() - started < 10_000, `activate took ${Date.now() - started} ms`);
    });

    test("every command is registered", async () => {
        const all = new Set(await vscode.commands.getCommands(true));
        const ids = [
            "seek.search",
            "seek.openPanel",
            "seek.findSimilar",
            "seek.pauseIndexing",
            "seek.resumeIndexing",
            "seek.rebuildIndex",
            "seek.showLog",
            "seek.fetchModel",
            "seek._testState",
            "seek._search",
            "seek._findSimilar",
        ];
        for (const id of ids) assert.ok(all.has(id), `${id} registered`);
    });

    test("manifest: view container, webview view, context menu gated on seek.indexReady", () => {
        const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
            contributes: { views: Record<string, { id: string; type: string }[]>; menus: Record<string, { command: string; when: string }[]> };
            extensionKind: string[];
        };
        assert.deepEqual(pkg.extensionKind, ["workspace"]);
        assert.equal(pkg.contributes.views.seek[0].id, "seek.resultsView");
        assert.equal(pkg.contributes.views.seek[0].type, "webview");
        const menu = pkg.contributes.menus["editor/context"].find((m) => m.command === "seek.findSimilar");
        assert.equal(menu?.when, "editorTextFocus && seek.indexReady");
    });

    test("seek._testState answers with one folder (the fixture workspace)", async () => {
        const s = await testState();
        assert.equal(s.folders.length, vscode.workspace.workspaceFolders?.length ?? 0);
        assert.equal(typeof s.eventLoopLagP99Ms, "number");
    });
});
