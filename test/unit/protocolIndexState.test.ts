/**
 * The index state the status bar and the webviews show (IndexStateDto): summarize() folds per-folder progress and
 * status into the stage (keyword, then semantic) and the semantic coverage; the stage words and status bar strings
 * built from it are pinned here. Pure modules only (summary.ts imports types alone), so no VS Code.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { IndexProgress, IndexStatus } from "../../src/core/types";
import { isToWebview, type IndexStateDto } from "../../src/protocol/messages";
import { formatShortEta, percent, stageText } from "../../src/protocol/stageText";
import { folderStage, summarize, type FolderView } from "../../src/indexing/summary";
import { runPercent, statusBarText } from "../../src/indexing/statusText";

const describe = (err: unknown) => ({ message: `failed: ${String(err)}`, actions: ["showLog" as const] });

function progress(p: Partial<IndexProgress>): IndexProgress {
    return { phase: "chunking", filesTotal: 0, filesDone: 0, chunksEmbedded: 0, chunksTotal: 0, chunksWithVectors: 0, skipped: 0, ...p };
}

function status(s: Partial<IndexStatus>): IndexStatus {
    return { modelId: "m", files: 0, chunks: 0, embeddedChunks: 0, pendingFiles: 0, bytesOnDisk: 0, identity: "i", ...s };
}

function folder(name: string, f: Partial<Omit<FolderView, "folder">>): FolderView {
    return { folder: { name }, phase: "idle", progress: undefined, status: undefined, error: undefined, ...f };
}

/** Every summary must pass the webview's guard: the host would otherwise post states the page drops. */
function check(state: IndexStateDto): IndexStateDto {
    assert.equal(isToWebview({ type: "indexState", index: state }), true, JSON.stringify(state));
    return state;
}

test("a run goes keyword stage -> semantic stage -> idle, with file counts, chunk counts and semantic coverage", () => {
    const discovering = check(summarize([folder("repo", { phase: "indexing", progress: progress({ phase: "discovering" }) })], true, describe));
    assert.equal(discovering.stage, "keyword");
    assert.equal(discovering.semanticCoverage, 0);

    const keyword = check(
        summarize([folder("repo", { phase: "indexing", progress: progress({ filesDone: 120, filesTotal: 229, chunksTotal: 300, etaSeconds: 4 }) })], true, describe),
    );
    assert.deepEqual(
        { stage: keyword.stage, filesDone: keyword.filesDone, filesTotal: keyword.filesTotal, chunksTotal: keyword.chunksTotal, semantic: keyword.semanticCoverage, eta: keyword.etaSeconds },
        { stage: "keyword", filesDone: 120, filesTotal: 229, chunksTotal: 300, semantic: 0, eta: 4 },
    );

    const semantic = check(
        summarize(
            [folder("repo", { phase: "indexing", progress: progress({ phase: "embedding", filesDone: 229, filesTotal: 229, chunksTotal: 500, chunksWithVectors: 170, etaSeconds: 80 }) })],
            true,
            describe,
        ),
    );
    assert.equal(semantic.stage, "semantic");
    assert.equal(semantic.coverage, 1, "the keyword stage is complete");
    assert.equal(semantic.semanticCoverage, 0.34);
    assert.equal(semantic.etaSeconds, 80);

    const idle = check(summarize([folder("repo", { phase: "idle", progress: progress({ phase: "done" }), status: status({ files: 229, chunks: 500, embeddedChunks: 500 }) })], true, describe));
    assert.equal(idle.stage, undefined);
    assert.equal(idle.semanticCoverage, 1);
    assert.equal(idle.etaSeconds, undefined);
});

test("outside a run the counts come from the index status; an empty idle index is complete, not 0%", () => {
    const s = check(summarize([folder("repo", { status: status({ files: 10, chunks: 40, embeddedChunks: 30 }) })], true, describe));
    assert.deepEqual([s.phase, s.stage, s.chunksTotal, s.chunksWithVectors, s.semanticCoverage], ["idle", undefined, 40, 30, 0.75]);
    const empty = check(summarize([folder("repo", { status: status({}) })], true, describe));
    assert.equal(empty.semanticCoverage, 1);
    const starting = check(summarize([folder("repo", { phase: "starting" })], true, describe));
    assert.equal(starting.semanticCoverage, 0);
    assert.deepEqual(check(summarize([], true, describe)), { phase: "noFolder", filesDone: 0, filesTotal: 0, coverage: 0, chunksTotal: 0, chunksWithVectors: 0, semanticCoverage: 0 });
});

test("multi-root: semantic coverage is vectors over chunks of all folders; the stage is the running folder's", () => {
    const s = check(
        summarize(
            [
                folder("done", { status: status({ files: 5, chunks: 900, embeddedChunks: 900 }) }),
                folder("running", { phase: "indexing", progress: progress({ phase: "embedding", filesDone: 3, filesTotal: 3, chunksTotal: 100, chunksWithVectors: 0, etaSeconds: 3 }) }),
            ],
            true,
            describe,
        ),
    );
    assert.equal(s.phase, "indexing");
    assert.equal(s.stage, "semantic");
    assert.equal(s.semanticCoverage, 0.9, "weighted by chunks, not the mean of 1 and 0");
    assert.equal(s.etaSeconds, 3);
});

test("paused: the stage the run stopped in, without an ETA; a finished run has none", () => {
    const inSemantic = folder("repo", { phase: "paused", progress: progress({ phase: "embedding", chunksTotal: 10, chunksWithVectors: 4, etaSeconds: 9 }), status: status({ files: 3, chunks: 10, embeddedChunks: 4 }) });
    const s = check(summarize([inSemantic], true, describe));
    assert.deepEqual([s.phase, s.stage, s.etaSeconds, s.semanticCoverage], ["paused", "semantic", undefined, 0.4]);
    assert.equal(folderStage(folder("repo", { phase: "paused", progress: progress({ phase: "chunking" }) })), "keyword");
    assert.equal(folderStage(folder("repo", { phase: "paused", progress: progress({ phase: "done" }) })), undefined);
    // Paused before any run of this session: what the index still lacks.
    assert.equal(folderStage(folder("repo", { phase: "paused", status: status({ files: 3, pendingFiles: 2 }) })), "keyword");
    assert.equal(folderStage(folder("repo", { phase: "paused", status: status({ files: 3, chunks: 9, embeddedChunks: 2 }) })), "semantic");
    assert.equal(folderStage(folder("repo", { phase: "paused", status: status({ files: 3, chunks: 9, embeddedChunks: 9 }) })), undefined);
    assert.equal(folderStage(folder("repo", { phase: "idle", progress: progress({ phase: "embedding" }) })), undefined);
});

test("errors and the disabled setting still describe themselves", () => {
    const s = check(summarize([folder("a", { phase: "error", error: "boom" }), folder("b", { status: status({}) })], true, describe));
    assert.equal(s.message, "a: failed: boom");
    assert.deepEqual(s.actions, ["showLog"]);
    assert.match(check(summarize([folder("a", { phase: "disabled" })], false, describe)).message ?? "", /turned off/);
});

test("stage words and status bar strings", () => {
    const keyword: IndexStateDto = { phase: "indexing", stage: "keyword", filesDone: 120, filesTotal: 229, coverage: 0.52, chunksTotal: 300, chunksWithVectors: 0, semanticCoverage: 0 };
    assert.equal(statusBarText(keyword), "$(sync~spin) Seek: keyword index 120/229 files");
    assert.equal(statusBarText({ ...keyword, etaSeconds: 12 }), "$(sync~spin) Seek: keyword index 120/229 files · ~12s");
    assert.equal(statusBarText({ ...keyword, filesDone: 0, filesTotal: 0 }), "$(sync~spin) Seek: keyword index: looking for files");
    const semantic: IndexStateDto = { ...keyword, stage: "semantic", filesDone: 229, coverage: 1, chunksWithVectors: 102, semanticCoverage: 0.34, etaSeconds: 80 };
    assert.equal(statusBarText(semantic), "$(sync~spin) Seek: keyword index ready · semantic 34% · ~1m20s");
    assert.equal(statusBarText({ ...semantic, phase: "paused" }), "$(debug-pause) Seek paused");
    assert.equal(stageText({ ...semantic, phase: "paused" }), "keyword index ready · semantic 34%", "no ETA while paused");
    assert.equal(statusBarText({ ...semantic, phase: "idle", stage: undefined }), "$(search) Seek");
    assert.equal(stageText({ ...semantic, stage: undefined }), undefined);
    assert.equal(formatShortEta(45), "~45s");
    assert.equal(formatShortEta(120), "~2m");
    assert.equal(formatShortEta(65), "~1m05s");
    assert.equal(formatShortEta(7500), "~2h05m");
    assert.equal(formatShortEta(0), undefined);
    assert.equal(formatShortEta(undefined), undefined);
    assert.equal(percent(0.29), 29);
    assert.equal(percent(0.999), 99, "100% only when complete");
    assert.equal(percent(1), 100);
});

test("the run's progress bar fills over both stages and never goes back at the stage change", () => {
    const base: IndexStateDto = { phase: "indexing", stage: "keyword", filesDone: 0, filesTotal: 100, coverage: 0, chunksTotal: 0, chunksWithVectors: 0, semanticCoverage: 0 };
    const keywordDone = runPercent({ ...base, filesDone: 100 });
    const semanticStart = runPercent({ ...base, stage: "semantic", filesDone: 100, semanticCoverage: 0 });
    assert.equal(runPercent(base), 0);
    assert.equal(keywordDone, 20);
    assert.ok(semanticStart >= keywordDone);
    assert.equal(runPercent({ ...base, stage: "semantic", semanticCoverage: 1 }), 100);
});
