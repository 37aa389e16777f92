/**
 * When the results webview re-runs its query as the index grows (media/src/refresh.ts): after a coverage gain of
 * REFRESH_STEP, or once at the end of a run; never while the user is active or a request is in flight; never in a
 * loop once the rows are as fresh as the index.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { IndexStateDto } from "../../src/protocol/messages";
import { AutoRefresh, isStale, REFRESH_STEP } from "../../media/src/refresh";

function state(phase: IndexStateDto["phase"], semanticCoverage: number, coverage = 1): IndexStateDto {
    return { phase, stage: phase === "indexing" ? "semantic" : undefined, filesDone: 10, filesTotal: 10, coverage, chunksTotal: 100, chunksWithVectors: Math.round(100 * semanticCoverage), semanticCoverage };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rows = (semanticCoverage: number, coverage = 1, keywordOnly = false) => ({ semanticCoverage, coverage, keywordOnly });

test("semantic coverage must grow by a step before rows computed at c0 are re-run", () => {
    const prev = state("indexing", 0.2);
    assert.equal(isStale(rows(0.2), prev, state("indexing", 0.29)), false);
    assert.equal(isStale(rows(0.2), prev, state("indexing", 0.2 + REFRESH_STEP)), true, "exactly c0 + 0.1 counts despite float error");
    assert.equal(isStale(rows(0.2), prev, state("indexing", 0.6)), true);
    assert.equal(isStale(rows(0.6), prev, state("indexing", 0.4)), false, "coverage going down (new files) is no reason");
});

test("keyword-mode rows ignore vectors but follow the keyword stage's file coverage", () => {
    const prev = state("indexing", 0, 0.2);
    assert.equal(isStale(rows(0, 0.2, true), prev, state("indexing", 0.9, 0.2)), false);
    assert.equal(isStale(rows(0, 0.2, true), prev, state("indexing", 0, 0.35)), true);
    assert.equal(isStale(rows(0, 0.2, false), prev, state("indexing", 0, 0.35)), true, "any mode follows the files");
});

test("the end of a run re-runs once for any gain; an idle index does not re-run again", () => {
    const running = state("indexing", 0.95);
    const idle = state("idle", 1);
    assert.equal(isStale(rows(0.95), running, idle), true, "the semantic stage finished");
    assert.equal(isStale(rows(1), running, idle), false, "rows already complete");
    assert.equal(isStale(rows(0.95), idle, idle), false, "no edge, no re-run");
    // Chunks the model failed on keep an idle index under 1: the rows computed then are as good as it gets.
    assert.equal(isStale(rows(0.97), state("idle", 0.97), state("idle", 0.97)), false);
    // A page that just (re)loaded its saved rows compares them with the index once.
    assert.equal(isStale(rows(0.5), undefined, state("idle", 0.97)), true);
    assert.equal(isStale(rows(0.97), undefined, state("idle", 0.97)), false);
});

test("AutoRefresh waits for a quiet page and for the reply in flight, and forgets a request the user superseded", async () => {
    let now = 0;
    let busy = false;
    let runs = 0;
    const auto = new AutoRefresh({ busy: () => busy, run: () => runs++ }, 100, () => now);
    auto.request();
    assert.equal(runs, 1, "quiet and idle: runs at once");

    now = 1000;
    auto.activity();
    auto.request();
    assert.equal(runs, 1, "a keystroke just now postpones it");
    assert.equal(auto.isPending, true);
    now = 1150;
    busy = true;
    await sleep(250);
    assert.equal(runs, 1, "a request in flight postpones it");
    busy = false;
    const deadline = Date.now() + 5000;
    while (runs < 2 && Date.now() < deadline) await sleep(20);
    assert.equal(runs, 2, "then it runs");
    assert.equal(auto.isPending, false);

    now = 2000;
    auto.activity();
    auto.request();
    auto.cancel();
    now = 3000;
    await sleep(250);
    assert.equal(runs, 2, "the user's own search made it unnecessary");
});

test("AutoRefresh re-runs an empty answer at once, even right after a keystroke: no rows can move under the user", () => {
    let runs = 0;
    let shown = 0;
    const auto = new AutoRefresh({ busy: () => false, nothingShown: () => shown === 0, run: () => runs++ }, 1000, () => 5000);
    auto.activity();
    auto.request();
    assert.equal(runs, 1, "0 rows on screen (the query came before the keyword stage stored anything): runs at once");
    shown = 20;
    auto.activity();
    auto.request();
    assert.equal(runs, 1, "with rows on screen it still waits for a quiet page");
    auto.cancel();
});
