/**
 * The results webviews' state line (media/src/bannerContent.ts): a folder with nothing Seek indexes says so, with a
 * Show Index Status button, instead of no banner or "searched 0% (indexing continues)"; other idle states keep theirs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isFromWebview, type IndexStateDto } from "../../src/protocol/messages";
import { indexBanner } from "../../media/src/bannerContent";

const NOTHING =
    "Nothing to search: this folder has no code, docs or other text files Seek indexes. 2 files were skipped (Seek: Show Index Status says why).";

function idle(p: Partial<IndexStateDto> = {}): IndexStateDto {
    return { phase: "idle", filesDone: 10, filesTotal: 10, coverage: 1, chunksTotal: 40, chunksWithVectors: 40, semanticCoverage: 1, ...p };
}
const empty = idle({ filesDone: 0, filesTotal: 0, chunksTotal: 0, chunksWithVectors: 0, message: NOTHING });

test("an empty folder's index shows its message with a Show Index Status button, whatever the results' coverage", () => {
    for (const coverage of [undefined, 0, 1]) {
        assert.deepEqual(indexBanner(empty, coverage), { kind: "info", text: NOTHING, actions: ["showIndexStatus"] }, String(coverage));
    }
    // The button's message is one the host accepts.
    for (const action of indexBanner(empty, undefined)?.actions ?? []) assert.equal(isFromWebview({ type: "runAction", action }), true, action);
});

test("an idle index with files shows no banner, or the coverage of partial results", () => {
    assert.equal(indexBanner(idle(), undefined), undefined);
    assert.equal(indexBanner(idle(), 1), undefined);
    assert.deepEqual(indexBanner(idle(), 0.42), { kind: "info", text: "These results searched 42% of the workspace.", actions: [] });
});

test("no empty-folder banner without the host's message, or while the folder is still being read", () => {
    assert.equal(indexBanner({ ...empty, message: undefined }, undefined), undefined, "an idle index not yet summed up");
    const starting = indexBanner({ ...empty, phase: "starting" }, undefined);
    assert.equal(starting?.kind, "progress");
    const indexing = indexBanner({ ...empty, phase: "indexing", stage: "keyword", message: undefined }, undefined);
    assert.equal(indexing?.kind, "progress");
    assert.doesNotMatch(indexing?.text ?? "", /Nothing to search/);
    assert.equal(indexBanner(undefined, undefined), undefined);
});

test("the error banner keeps the host's actions, and the paused banner offers Resume", () => {
    const error = idle({ phase: "error", message: "Seek's index was damaged.", actions: ["rebuildIndex"] });
    assert.deepEqual(indexBanner(error, undefined), { kind: "error", text: "Seek's index was damaged.", actions: ["rebuildIndex"] });
    assert.deepEqual(indexBanner(idle({ phase: "paused", stage: "semantic", semanticCoverage: 0.5, chunksWithVectors: 20 }), undefined)?.actions, ["resumeIndexing"]);
});
