/**
 * A folder with nothing Seek indexes (only data.bin and screenshot.png) must say so once its run ends, with the
 * number of skipped files, not "searched 0% of the workspace (indexing continues)" forever. The fixture workspace
 * is narrowed to such a folder with seek.include (a restart: nothing is thrown away), then widened back.
 */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { IndexStatusDto } from "../../src/protocol/indexStatus";
import { activate, fixtureUri, search, testState, waitFor, waitForIndex } from "./helpers";

const DIR = "empty-case";

suite("empty folder", () => {
    suiteSetup(async () => {
        await activate();
        await waitForIndex();
        await vscode.workspace.fs.writeFile(fixtureUri(`${DIR}/data.bin`), new Uint8Array(256).fill(7));
        await vscode.workspace.fs.writeFile(fixtureUri(`${DIR}/screenshot.png`), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    });
    suiteTeardown(async () => {
        await vscode.workspace.getConfiguration("seek").update("include", undefined, vscode.ConfigurationTarget.Workspace);
        await vscode.workspace.fs.delete(fixtureUri(DIR), { recursive: true, useTrash: false }).then(undefined, () => undefined);
        await waitFor("the whole fixture indexed again", async () => {
            const s = await testState();
            return s.summary.phase === "idle" && s.summary.filesTotal >= 10 ? s : undefined;
        }, 180_000);
    });

    test("says 'nothing to search' with the skipped count, and searches report full coverage", async () => {
        await vscode.workspace.getConfiguration("seek").update("include", [`${DIR}/**`], vscode.ConfigurationTarget.Workspace);
        const state = await waitFor("the empty-folder state", async () => {
            const s = await testState();
            return s.summary.phase === "idle" && s.summary.message?.startsWith("Nothing to search") ? s : undefined;
        }, 120_000);
        assert.equal(state.summary.filesTotal, 0);
        assert.equal(state.summary.chunksTotal, 0);
        assert.equal(state.summary.coverage, 1);
        // The two files, plus the fixture's .env: secrets are reported whatever the include globs say.
        assert.equal(
            state.summary.message,
            "Nothing to search: this folder has no code, docs or other text files Seek indexes. 3 files were skipped (Seek: Show Index Status says why).",
        );
        // The QuickPick and the webviews print "searched N%" from a search's coverage: it must not stay at 0.
        const out = await search("anything at all", { mode: "lexical" });
        assert.equal(out.hits.length, 0);
        assert.equal(out.coverage, 1);
        // The status view lists the two files with their reason.
        const report = (await vscode.commands.executeCommand("seek.showIndexStatus")) as IndexStatusDto;
        // Its heading is short: the sentence above sends the user here, and the table below says why.
        assert.equal(report.folders[0].state, "Nothing to search");
        assert.equal(report.folders[0].skippedTotal, 3);
        assert.deepEqual(report.folders[0].skipped.map((s) => `${s.path}: ${s.reason}`).sort(), [".env: secret", `${DIR}/data.bin: binary`, `${DIR}/screenshot.png: binary`]);
        await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    });
});
