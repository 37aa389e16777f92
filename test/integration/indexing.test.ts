/** Background indexing of the fixture workspace with the real model, in the engine child process. */
import * as assert from "node:assert/strict";
import { activate, testState, waitForIndex } from "./helpers";

suite("indexing", () => {
    suiteSetup(activate);

    test("indexes the fixture workspace completely", async () => {
        const s = await waitForIndex();
        const f = s.folders[0];
        // Every indexable fixture file (the .env secret and gitignored output are skipped by discovery).
        assert.ok(f.files >= 8, `indexed ${f.files} files`);
        assert.ok(f.chunks >= f.files, `${f.chunks} chunks`);
        assert.equal(f.pendingFiles, 0);
    });

    test("the engine runs in a separate process", async () => {
        const s = await testState();
        assert.equal(typeof s.enginePid, "number");
        assert.notEqual(s.enginePid, process.pid);
    });

    test("event-loop lag of the extension host was measured while indexing", async () => {
        const s = await testState();
        assert.ok(s.eventLoopLagSamples > 0, "histogram has samples");
        assert.ok(s.eventLoopLagP99Ms >= 0);
        console.log(`host event-loop lag while indexing: p99 ${s.eventLoopLagP99Ms} ms, max ${s.eventLoopLagMaxMs} ms`);
    });
});
