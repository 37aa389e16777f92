/**
 * "Seek: Show Index Status" opens a panel whose report comes from the real index: files, chunks, languages,
 * semantic coverage, and the skipped files with their reasons (the fixture's .env is skipped as a secret).
 */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { IndexStatusDto } from "../../src/protocol/indexStatus";
import { activate, testState, waitFor, waitForIndex } from "./helpers";

suite("index status view", () => {
    suiteSetup(async () => {
        await activate();
        await waitForIndex();
    });

    test("shows files, chunks, languages, semantic coverage and skipped files from the index", async () => {
        const state = await testState();
        const report = (await vscode.commands.executeCommand("seek.showIndexStatus")) as IndexStatusDto;
        assert.equal(report.folders.length, 1);
        const f = report.folders[0];
        assert.equal(f.unavailable, undefined);
        assert.equal(f.files, state.folders[0].files);
        assert.equal(f.chunks, state.folders[0].chunks);
        assert.ok(f.files >= 10 && f.chunks >= f.files, `${f.files} files, ${f.chunks} chunks`);
        assert.equal(f.semanticCoverage, 1);
        assert.equal(f.state, "Up to date");
        const languages = f.languages.map((l) => l.language);
        assert.ok(languages.includes("typescript") && languages.includes("markdown"), languages.join(", "));
        assert.equal(f.languages.reduce((n, l) => n + l.chunks, 0), f.chunks, "the language rows add up to the chunks");
        assert.ok(f.scanned);
        assert.deepEqual(f.skipped.map((s) => [s.path, s.reason, s.expected]), [[".env", "secret", true]]);
        assert.equal(f.skippedSummary, "1 secret");
        // The panel is open, a singleton: a second call reveals it and answers the same.
        const again = (await vscode.commands.executeCommand("seek.showIndexStatus")) as IndexStatusDto;
        assert.deepEqual(again.folders[0].languages, f.languages);
        const statusTabs = () =>
            vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith("seek.indexStatus"));
        const tabs = await waitFor("the status panel's tab", async () => (statusTabs().length > 0 ? statusTabs() : undefined), 10_000);
        assert.equal(tabs.length, 1, "one panel, revealed again rather than opened twice");
        await vscode.window.tabGroups.close(tabs);
    });
});
