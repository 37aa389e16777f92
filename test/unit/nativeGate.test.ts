import assert from "node:assert/strict";
import { test } from "node:test";
import { isCoreError } from "../../src/core/errors";
import { NativeGate } from "../../src/core/embed/nativeGate";

test("NativeGate: cannot close while a call is in flight; once closed, no call starts", async () => {
    const owner = new NativeGate();
    const worker = new NativeGate(owner.buffer);
    let finish: () => void = () => undefined;
    const inFlight = worker.call(() => new Promise<string>((resolve) => (finish = () => resolve("done"))));
    assert.equal(owner.tryClose(), false, "closed during a call");
    finish();
    assert.equal(await inFlight, "done");
    assert.equal(owner.tryClose(), true);
    let started = false;
    await assert.rejects(
        worker.call(async () => (started = true)),
        (err: unknown) => isCoreError(err, "cancelled"),
    );
    assert.equal(started, false, "a call started through a closed gate");
    assert.equal(owner.tryClose(), true, "closing twice is fine");
});

test("NativeGate: a failed call leaves the gate open for the next one", async () => {
    const gate = new NativeGate();
    await assert.rejects(gate.call(() => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(await gate.call(() => Promise.resolve(7)), 7);
    assert.equal(gate.tryClose(), true);
});
