/**
 * The in-thread pipeline (onnxModel.ts) with the real models: tokenisation and truncation, batching, pooling, and
 * INSTRUCTOR-style pooling over the text tokens only, on a local model folder (seek-model.json) using the bge files.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promptFor } from "../../src/core/embed/instructions";
import { resolveModel } from "../../src/core/embed/modelRegistry";
import { OnnxModel } from "../../src/core/embed/onnxModel";
import { l2Normalize, planBatches, poolRow } from "../../src/core/embed/pooling";
import type { PromptedText } from "../../src/core/types";

const modelsDir = resolve(__dirname, "..", "..", "..", "models");
const BGE = "bge-small-en-v1.5-q";
const CLS = 101;
const SEP = 102;

function cosine(a: Float32Array, b: Float32Array): number {
    let dot = 0;
    for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
    return dot;
}

test("planBatches: every input once, longest first, within budget and batch cap", () => {
    const lengths = [5, 300, 40, 300, 512, 7, 120, 120, 64];
    const batches = planBatches(lengths, 1024, 3);
    assert.deepEqual(batches.flat().sort((a, b) => a - b), lengths.map((_, i) => i));
    for (const b of batches) {
        assert.ok(b.length <= 3);
        const width = Math.max(...b.map((i) => lengths[i]));
        assert.ok(b.length === 1 || b.length * width <= 1024, `batch ${b} over budget`);
    }
    assert.deepEqual(batches[0], [4, 1], "512 + the next 300, padded to 2 x 512, fill the budget");
    assert.deepEqual(batches[1], [3, 6, 7], "then the cap of 3");
    assert.deepEqual(planBatches(lengths, 1 << 20, 1).length, lengths.length);
    assert.deepEqual(planBatches([], 100, 4), []);
});

test("poolRow: cls takes position 0; mean averages [from, length) and never padding", () => {
    // batch 2, seq 3, dim 2; row 1 has length 2 (position 2 is padding, filled with junk).
    const hidden = new Float32Array([1, 2, 3, 4, 5, 6, /* row 1 */ 10, 20, 30, 40, 999, 999]);
    assert.deepEqual([...poolRow(hidden, 3, 2, { row: 0, from: 0, length: 3 }, "cls")], [1, 2]);
    assert.deepEqual([...poolRow(hidden, 3, 2, { row: 1, from: 0, length: 2 }, "mean")], [20, 30]);
    assert.deepEqual([...poolRow(hidden, 3, 2, { row: 0, from: 1, length: 3 }, "mean")], [4, 5]);
    assert.deepEqual([...poolRow(hidden, 3, 2, { row: 1, from: 5, length: 2 }, "mean")], [30, 40], "from clamped to the last token");
    const v = l2Normalize(new Float32Array([3, 4]));
    assert.deepEqual([...v], [0.6000000238418579, 0.800000011920929]);
    assert.deepEqual([...l2Normalize(new Float32Array(2))], [0, 0]);
});

let dir = "";
let instructorModel: OnnxModel;
let bgeMean: OnnxModel;

before(async () => {
    // A user's INSTRUCTOR-style model folder, here the bge files with a seek-model.json.
    dir = mkdtempSync(join(tmpdir(), "seek-instructor-"));
    symlinkSync(join(modelsDir, BGE, "model.onnx"), join(dir, "model.onnx"));
    symlinkSync(join(modelsDir, BGE, "tokenizer.json"), join(dir, "tokenizer.json"));
    writeFileSync(join(dir, "seek-model.json"), JSON.stringify({ id: "instructor-bge-test", instructionStyle: "instructor" }));
    const spec = resolveModel(dir, modelsDir);
    instructorModel = await OnnxModel.load(spec, { threads: 1 });
    // Same files, same mean pooling, but pooled over every token (prefix style).
    bgeMean = await OnnxModel.load({ ...spec, id: "bge-mean-all", instructionStyle: "prefix" }, { threads: 1 });
});

after(async () => {
    await instructorModel?.dispose();
    await bgeMean?.dispose();
    rmSync(dir, { recursive: true, force: true });
});

test("local INSTRUCTOR folder: mean pooling, INSTRUCTOR templates, dimensions found at load", () => {
    const spec = instructorModel.spec;
    assert.equal(spec.instructionStyle, "instructor");
    assert.equal(spec.pooling, "mean");
    assert.equal(spec.dimensions, 0);
    assert.equal(instructorModel.dimensions, 384);
    const p = promptFor({ role: "document", domain: "code", language: "python", text: "def f(): pass" }, spec, { enabled: true });
    assert.equal(p.instruction, "Represent the Python code for retrieval: ");
});

test("INSTRUCTOR pooling excludes [CLS] + instruction tokens, and differs from mean over all tokens", async () => {
    const prompt: PromptedText = { instruction: "Represent the Python code for retrieval: ", text: "def refresh_token(self):\n    return self.client.fetch_token()" };
    const [enc] = instructorModel.encode([prompt]);
    const [plain] = instructorModel.encode([{ instruction: "", text: "Represent the Python code for retrieval: " }]);
    assert.equal(enc.skip, plain.ids.length - 1, "[CLS] + instruction tokens (the instruction alone, minus its [SEP])");
    assert.equal(enc.skip, 8, "[CLS] represent the python code for retrieval :");
    const [pooled] = await instructorModel.embed([prompt]);
    const [allTokens] = await bgeMean.embed([prompt]);
    assert.ok(cosine(pooled, allTokens) < 0.999, `should differ, cosine ${cosine(pooled, allTokens)}`);
    // Recompute by hand from the hidden states: mean over positions [skip, length), then L2.
    const feeds = instructorModel.feeds([enc], [0]);
    const out = await instructorModel.session.run(feeds);
    const hidden = out.last_hidden_state.data as Float32Array;
    const dim = 384;
    const manual = new Float32Array(dim);
    for (let t = enc.skip; t < enc.ids.length; t++) for (let k = 0; k < dim; k++) manual[k] += hidden[t * dim + k];
    l2Normalize(manual);
    assert.ok(cosine(pooled, manual) > 0.99999, `matches the hand computation, cosine ${cosine(pooled, manual)}`);
    // Without an instruction nothing is skipped.
    assert.equal(instructorModel.encode([{ instruction: "", text: "x" }])[0].skip, 0);
});

test("tokenisation: instruction + text, [CLS] ... [SEP], truncated to maxTokens keeping [SEP]", async () => {
    const bge = await OnnxModel.load(resolveModel(BGE, modelsDir), { threads: 1 });
    try {
        const long = "function handler(request) { return dispatch(request.path); }\n".repeat(200);
        const [short, truncated, prompted] = bge.encode([
            { instruction: "", text: "hello world" },
            { instruction: "", text: long },
            { instruction: "Represent this sentence for searching relevant passages: ", text: "hello world" },
        ]);
        assert.deepEqual(short.ids, [CLS, 7592, 2088, SEP]);
        assert.equal(truncated.ids.length, 512);
        assert.equal(truncated.ids[0], CLS);
        assert.equal(truncated.ids[511], SEP);
        assert.equal(prompted.ids.length, 4 + 8, "the BGE instruction is 8 tokens");
        assert.deepEqual(prompted.ids.slice(-3), [7592, 2088, SEP]);
        assert.equal(prompted.skip, 0, "prefix style pools every token");
        // A huge input is cut before tokenising and still fills the window.
        const [huge] = bge.encode([{ instruction: "", text: "x ".repeat(2_000_000) }]);
        assert.equal(huge.ids.length, 512);
        // Vectors come back in input order, unit length, whatever the batch plan.
        const texts = [long, "hello world", "def f(x):\n    return x * 2"].map((text) => ({ instruction: "", text }));
        const together = await bge.embed(texts);
        for (let i = 0; i < texts.length; i++) {
            const [alone] = await bge.embed([texts[i]]);
            assert.ok(cosine(together[i], alone) > 0.99999, `text ${i} in order`);
            assert.ok(Math.abs(cosine(alone, alone) - 1) < 1e-5, "unit length");
        }
    } finally {
        await bge.dispose();
    }
});
