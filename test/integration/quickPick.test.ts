/**
 * The Search by Meaning QuickPick: arrowing through it previews results; Escape must leave the editor area as it was
 * (the previewed file's tab closed, the original editor active with its selection), as VS Code's own pickers do.
 * Also: its rows show the same strength as the outcome every other surface gets.
 */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { SearchOutcome } from "../../src/indexing/searchService";
import { activate, fixtureUri, sleep, waitFor, waitForIndex } from "./helpers";

const search = async (query: string) => (await vscode.commands.executeCommand("seek._search", query)) as SearchOutcome;

const QUERY = "where do we retry failed uploads?";

function openTabs(): string[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs.flatMap((t) => (t.input instanceof vscode.TabInputText ? [vscode.workspace.asRelativePath(t.input.uri)] : [])));
}

suite("quickPick", () => {
    suiteSetup(async () => {
        await activate();
        await waitForIndex();
    });

    test("Escape after previewing closes the preview and restores the editor, its selection and scroll", async () => {
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
        const doc = await vscode.workspace.openTextDocument(fixtureUri("src/utils/strings.ts"));
        const origin = await vscode.window.showTextDocument(doc, { preview: false });
        const selection = new vscode.Selection(2, 3, 4, 1);
        origin.selection = selection;
        const tabsBefore = openTabs();
        // Not awaited: the command resolves when the QuickPick closes.
        const closed = vscode.commands.executeCommand("seek.search", QUERY);
        const previewed = await waitFor("the first result to be previewed", async () => {
            const e = vscode.window.activeTextEditor;
            return e && e.document.uri.toString() !== doc.uri.toString() ? e.document.uri : undefined;
        }, 60_000);
        assert.ok(openTabs().length > tabsBefore.length, `the preview opened a tab: ${openTabs().join(", ")}`);
        await sleep(300);
        await vscode.commands.executeCommand("workbench.action.closeQuickOpen"); // what Escape does
        await closed;
        const back = await waitFor("the original editor back", async () => {
            const e = vscode.window.activeTextEditor;
            return e?.document.uri.toString() === doc.uri.toString() ? e : undefined;
        }, 10_000);
        assert.deepEqual(openTabs(), tabsBefore, `the previewed ${vscode.workspace.asRelativePath(previewed)} is closed again`);
        assert.ok(back.selection.isEqual(selection), `selection restored: ${JSON.stringify(back.selection)}`);
    });

    test("Enter keeps the chosen file open (only Escape undoes the previews)", async () => {
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
        const doc = await vscode.workspace.openTextDocument(fixtureUri("src/utils/strings.ts"));
        await vscode.window.showTextDocument(doc, { preview: false });
        const closed = vscode.commands.executeCommand("seek.search", QUERY);
        await waitFor("a preview", async () => (vscode.window.activeTextEditor?.document.uri.toString() !== doc.uri.toString() ? true : undefined), 60_000);
        await sleep(300);
        await vscode.commands.executeCommand("workbench.action.acceptSelectedQuickOpenItem");
        await closed;
        await sleep(300);
        const active = vscode.window.activeTextEditor?.document.uri;
        assert.ok(active && active.toString() !== doc.uri.toString(), "the chosen result stays in front");
    });

    test("the outcome's hits carry one strength scale: label = band + value, the top answer strong, a nonsense query weak", async () => {
        const good = await search(QUERY);
        const top = good.hits[0];
        assert.ok(top?.strength, "hits carry a strength");
        assert.equal(top.strength.label, `${top.strength.band} ${top.strength.value}`);
        assert.equal(top.strength.band, "strong");
        assert.equal(good.weakNotice, undefined);
        const nonsense = await search("qwzx plorf blenk xyzzy");
        assert.ok(nonsense.hits.length > 0, "hybrid search still lists the nearest chunks");
        assert.match(nonsense.weakNotice ?? "", /Only weak matches/);
    });
});
