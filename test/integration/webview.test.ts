/** The results panel and its `ready` handshake; the singleton; nothing malformed from our own page. */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activate, testState, waitFor } from "./helpers";

suite("webview", () => {
    suiteSetup(activate);

    test("Open Search Panel creates one panel whose page says ready", async () => {
        const before = (await testState()).webviews.panel;
        await vscode.commands.executeCommand("seek.openPanel");
        const s = await waitFor("the panel handshake", async () => {
            const st = await testState();
            return st.webviews.panel.ready > before.ready ? st : undefined;
        }, 30_000);
        assert.equal(s.panelOpen, true);
        assert.equal(s.webviews.panel.opened, before.opened + 1);
        await vscode.commands.executeCommand("seek.openPanel");
        assert.equal((await testState()).webviews.panel.opened, before.opened + 1, "a second Open reuses the panel");
        assert.equal((await testState()).webviews.panel.malformed, 0);
    });

    test("the sidebar view resolves and says ready", async () => {
        await vscode.commands.executeCommand("seek.resultsView.focus");
        await waitFor("the view handshake", async () => ((await testState()).webviews.view.ready > 0 ? true : undefined), 30_000);
        assert.equal((await testState()).webviews.view.malformed, 0);
    });

    test("closing the panel disposes it", async () => {
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
        await waitFor("the panel to close", async () => ((await testState()).panelOpen ? undefined : true), 10_000);
    });
});
