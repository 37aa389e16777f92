/** Find Similar from an editor, through the command's own function (and the editor command itself). */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activate, fixtureUri, testState, waitFor, waitForIndex, type Outcome } from "./helpers";

async function openAtText(rel: string, needle: string): Promise<{ editor: vscode.TextEditor; line: number }> {
    const doc = await vscode.workspace.openTextDocument(fixtureUri(rel));
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.getText().split(/\r?\n/).findIndex((l) => l.includes(needle));
    assert.ok(line >= 0, `${needle} in ${rel}`);
    editor.selection = new vscode.Selection(line, 4, line, 4);
    return { editor, line };
}

suite("findSimilar", () => {
    suiteSetup(async () => {
        await activate();
        await waitForIndex();
    });

    test("the enclosing function finds its near-duplicate, never itself", async () => {
        const { line } = await openAtText("src/upload/retry.ts", "for (let attempt");
        const out = (await vscode.commands.executeCommand("seek._findSimilar")) as Outcome | undefined;
        assert.ok(out, "an outcome");
        assert.equal(out.source, "similar");
        const paths = out.hits.map((h) => h.path);
        assert.ok(paths.slice(0, 3).includes("src/net/fetchWithRetry.ts"), `top 3: ${paths.slice(0, 3).join(", ")}`);
        const self = out.hits.find((h) => h.path === "src/upload/retry.ts" && h.startLine <= line && h.endLine >= line);
        assert.equal(self, undefined, "the query range itself is not a result");
    });

    test("a selection works too, and seek.findSimilar (the editor command) updates the results", async () => {
        const { editor, line } = await openAtText("src/net/fetchWithRetry.ts", "export async function fetchWithRetry");
        editor.selection = new vscode.Selection(line, 0, line + 12, 0);
        const before = (await testState()).lastResults?.seq ?? 0;
        await vscode.commands.executeCommand("seek.findSimilar");
        const s = await waitFor("Find Similar results", async () => {
            const st = await testState();
            return (st.lastResults?.seq ?? 0) > before && st.lastResults?.source === "similar" ? st : undefined;
        });
        const paths = s.lastResults?.hits.map((h) => h.path) ?? [];
        assert.ok(paths.slice(0, 3).includes("src/upload/retry.ts"), `top 3: ${paths.slice(0, 3).join(", ")}`);
        // The results go to the sidebar view, which opens and completes its handshake.
        await waitFor("the sidebar view to say ready", async () => ((await testState()).webviews.view.ready > 0 ? true : undefined));
    });
});
