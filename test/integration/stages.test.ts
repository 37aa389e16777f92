/**
 * Visible stages: a full run shows the keyword stage, then the semantic stage, then idle with semantic coverage 1;
 * and a result list open in a webview is re-run by the webview itself as semantic coverage grows.
 * Deterministic through Pause: the run is paused in the semantic stage, Find Similar fills the sidebar with rows
 * computed at that coverage, and after Resume the page must ask again (the host sees a new Find Similar for the same
 * target, at higher coverage) without anything from this test.
 */
import * as assert from "node:assert/strict";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import { fixtureUri, indexedSuite, search, sleep, testState, waitFor, workspaceFolder, type Outcome, type SummaryState } from "./helpers";

const DIR = "generated-stages";
/** Over the watcher's large-batch threshold (200 paths): one full run, which reports its stages (a refresh does not). */
const FILES = 240;
/** media/src/refresh.ts REFRESH_STEP: the coverage gain that makes the webview re-run its rows. */
const REFRESH_STEP = 0.1;

/** Unique text per file (the embedding cache must not answer for the model) and near-duplicates of each other. */
function source(i: number): string {
    return (
        `/** Normalises shipment manifest ${i} for the customs export; zqstage${i}mark. */\n` +
        `export function normaliseManifest${i}(rows: string[]): string[] {\n` +
        `    const kept = rows.filter((r) => r.trim() !== "" && !r.startsWith("#${i}"));\n` +
        `    return kept.map((r) => r.toUpperCase() + "-${i}");\n` +
        `}\n`
    );
}

const label = (s: SummaryState) => `${s.phase}${s.stage ? `/${s.stage}` : ""}`;

suite("stages", () => {
    indexedSuite(DIR);

    test("keyword stage -> semantic stage -> idle at semantic coverage 1; the sidebar's rows are re-run as coverage grows", async () => {
        // The sidebar view shows Find Similar results; resolve it first so its page is there to receive them.
        await vscode.commands.executeCommand("seek.resultsView.focus");
        await waitFor("the sidebar view to say ready", async () => ((await testState()).webviews.view.ready > 0 ? true : undefined), 30_000);

        // Written beside the workspace and moved in at once: the watcher sees one new directory, so one full run finds
        // every file (files written one by one can be split over two runs, the first with only a few of them).
        const staging = join(dirname(workspaceFolder().uri.fsPath), `${DIR}-staging`);
        rmSync(staging, { recursive: true, force: true });
        mkdirSync(staging, { recursive: true });
        for (let i = 0; i < FILES; i++) writeFileSync(join(staging, `manifest${i}.ts`), source(i));
        renameSync(staging, fixtureUri(DIR).fsPath);

        // Every state change, polled fast: the keyword stage of 240 small files lasts a few hundred ms.
        const seen: string[] = [];
        let semantic: SummaryState | undefined;
        const deadline = Date.now() + 120_000;
        while (!semantic && Date.now() < deadline) {
            const s = (await testState()).summary;
            if (seen[seen.length - 1] !== label(s)) seen.push(label(s));
            if (s.phase === "indexing" && s.stage === "semantic") semantic = s;
            else await sleep(10);
        }
        assert.ok(semantic, `the semantic stage started; states seen: ${seen.join(" -> ")}`);
        await vscode.commands.executeCommand("seek.pauseIndexing");
        assert.ok(seen.includes("indexing/keyword"), `the keyword stage was shown before the semantic one: ${seen.join(" -> ")}`);
        assert.ok(semantic.filesTotal >= FILES, `the run counts the new files: ${JSON.stringify(semantic)}`);
        assert.equal(semantic.filesDone, semantic.filesTotal, "the semantic stage starts with the keyword index complete");
        assert.equal(semantic.coverage, 1);

        const paused = await waitFor("the run to stop in the semantic stage", async () => {
            const s = await testState();
            return s.summary.phase === "paused" ? s.summary : undefined;
        }, 30_000);
        assert.equal(paused.stage, "semantic", `paused where it stopped: ${JSON.stringify(paused)}`);
        assert.ok(paused.semanticCoverage < 1 - REFRESH_STEP, `room to grow: ${paused.semanticCoverage}`);
        assert.ok(paused.chunksWithVectors < paused.chunksTotal);

        // The keyword stage is complete: every new file is found by keyword while vectors are missing.
        const keyword = await search(`zqstage${FILES - 1}mark`, { mode: "lexical" });
        assert.ok(keyword.hits.some((h) => h.path === `${DIR}/manifest${FILES - 1}.ts`), "searchable by keyword before the semantic stage ends");
        assert.ok(keyword.semanticCoverage < 1, `searched at semantic coverage ${keyword.semanticCoverage}`);

        // Rows in the sidebar, computed at the paused coverage.
        const doc = await vscode.workspace.openTextDocument(fixtureUri(`${DIR}/manifest7.ts`));
        const editor = await vscode.window.showTextDocument(doc);
        editor.selection = new vscode.Selection(2, 4, 2, 4);
        const first = (await vscode.commands.executeCommand("seek._findSimilar")) as Outcome | undefined;
        assert.ok(first, "a Find Similar outcome");
        assert.ok(first.semanticCoverage <= paused.semanticCoverage + 1e-9, `computed at the paused coverage: ${first.semanticCoverage}`);
        // Paused, the index does not grow: the page has no reason to ask again.
        await sleep(1500);
        assert.equal((await testState()).lastResults?.seq, first.seq, "no re-run while the coverage stands still");

        await vscode.commands.executeCommand("seek.resumeIndexing");
        const rerun = await waitFor("the sidebar to re-run its Find Similar as coverage grows", async () => {
            const r = (await testState()).lastResults;
            return r && r.seq > first.seq && r.source === "similar" && r.query === first.query ? r : undefined;
        }, 60_000);
        assert.ok(rerun.semanticCoverage >= first.semanticCoverage + REFRESH_STEP - 1e-9, `re-run at ${rerun.semanticCoverage}, rows were at ${first.semanticCoverage}`);

        const idle = await waitFor("the run to finish", async () => {
            const s = (await testState()).summary;
            if (seen[seen.length - 1] !== label(s)) seen.push(label(s));
            return s.phase === "idle" ? s : undefined;
        }, 120_000);
        assert.equal(idle.stage, undefined);
        assert.equal(idle.semanticCoverage, 1, `every chunk has a vector: ${JSON.stringify(idle)}`);
        assert.equal(idle.chunksWithVectors, idle.chunksTotal);
        assert.equal(seen[seen.length - 1], "idle", `ends idle: ${seen.join(" -> ")}`);
        // The end of the run is worth one last re-run: the rows on screen end up computed on the whole index.
        const last = await waitFor("a re-run at full coverage", async () => {
            const r = (await testState()).lastResults;
            return r && r.source === "similar" && r.query === first.query && r.semanticCoverage === 1 ? r : undefined;
        }, 30_000);
        console.log(`stages: ${seen.join(" -> ")}; rows re-run ${last.seq - first.seq} times (coverage ${first.semanticCoverage.toFixed(2)} -> 1)`);
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    });
});
