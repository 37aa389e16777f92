/** FakeEmbedder: the deterministic stand-in other modules' unit tests use instead of the model. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isCoreError } from "../../src/core/errors";
import { FakeEmbedder } from "../../src/core/embed/fakeEmbedder";

const p = (text: string, instruction = "") => ({ instruction, text });
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

test("deterministic unit vectors; shared words make texts close; the instruction is ignored", async () => {
    const fake = new FakeEmbedder({ dimensions: 32 });
    const [a, b, c, d, empty] = await fake.embed([
        p("retry the failed upload"),
        p("retryUpload after a failed_upload"),
        p("parse the markdown heading"),
        p("retry the failed upload", "Represent this sentence for searching relevant passages: "),
        p("  ...  "),
    ]);
    assert.equal(a.length, 32);
    for (const v of [a, b, c, empty]) assert.ok(Math.abs(dot(v, v) - 1) < 1e-5);
    assert.deepEqual(a, (await new FakeEmbedder({ dimensions: 32 }).embed([p("retry the failed upload")]))[0]);
    assert.deepEqual(a, d);
    assert.ok(dot(a, b) > dot(a, c) + 0.2, `related ${dot(a, b)} vs unrelated ${dot(a, c)}`);
    assert.equal(fake.embeddedTexts, 5);
    assert.equal(fake.calls, 1);
    assert.equal(fake.modelId, "fake");
});

test("honours cancellation, before and during its delay", async () => {
    const fake = new FakeEmbedder({ delayMs: 50 });
    await assert.rejects(fake.embed([p("x")], AbortSignal.abort()), (e: unknown) => isCoreError(e, "cancelled"));
    const controller = new AbortController();
    const pending = fake.embed([p("x")], controller.signal);
    controller.abort();
    await assert.rejects(pending, (e: unknown) => isCoreError(e, "cancelled"));
    assert.equal(fake.embeddedTexts, 0);
});
