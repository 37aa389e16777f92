/** Guards of the worker protocol: well-formed messages pass, anything else is refused. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isFromWorker, isToWorker } from "../../src/core/embed/workerProtocol";

test("isToWorker accepts the four requests and refuses malformed ones", () => {
    assert.ok(isToWorker({ type: "init", modelSpec: {}, threads: 1 }));
    assert.ok(isToWorker({ type: "embed", id: 1, texts: [{ instruction: "", text: "x" }] }));
    assert.ok(isToWorker({ type: "cancel", id: 1 }));
    assert.ok(isToWorker({ type: "__crash" }));
    for (const bad of [null, 3, "embed", {}, { type: "embed", id: "1", texts: [] }, { type: "embed", id: 1 }, { type: "init", threads: 1 }, { type: "cancel" }, { type: "other" }]) {
        assert.equal(isToWorker(bad), false, JSON.stringify(bad));
    }
});

test("isFromWorker accepts the four answers and refuses malformed ones", () => {
    assert.ok(isFromWorker({ type: "ready", dimensions: 384, threads: 1 }));
    assert.ok(isFromWorker({ type: "progress", id: 2, done: 1 }));
    assert.ok(isFromWorker({ type: "results", id: 2, count: 1, dimensions: 2, vectors: new Float32Array(2), elapsedMs: 1 }));
    assert.ok(isFromWorker({ type: "error", id: 2, reason: "cancelled", message: "cancelled" }));
    assert.ok(isFromWorker({ type: "error", reason: "modelCorrupt", message: "bad" }), "init errors have no id");
    for (const bad of [undefined, {}, { type: "ready" }, { type: "results", id: 2, count: 1, vectors: [0, 1] }, { type: "error", id: 2 }, { type: "progress", id: 2 }]) {
        assert.equal(isFromWorker(bad), false, JSON.stringify(bad));
    }
});
