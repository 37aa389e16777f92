/**
 * Seek's embeddings, through the worker, against reference vectors from an independent implementation (Python
 * onnxruntime + tokenizers, pooling written from the model cards): scripts/make-reference-embeddings.py ->
 * test/fixtures/embeddings/reference.json. Covers CLS pooling (bge), mean pooling (e5, MiniLM), the BGE query
 * instruction, E5 prefixes, truncation at 512 and 256 tokens, non-ASCII text, and INSTRUCTOR pooling.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { resolveModel } from "../../src/core/embed/modelRegistry";
import type { ModelSpec } from "../../src/core/embed/modelSpec";
import { PromptTokenizer } from "../../src/core/embed/promptTokenizer";
import { WorkerEmbedder } from "../../src/core/embed/workerEmbedder";

interface RefCase {
    model: string;
    pooling: "cls" | "mean" | "instructor";
    maxTokens: number;
    textName: string;
    instruction: string;
    tokens: number;
    vector: number[];
}

interface Reference {
    texts: Record<string, string>;
    cases: RefCase[];
}

const repoRoot = resolve(__dirname, "..", "..", "..");
const modelsDir = join(repoRoot, "models");
const reference = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "embeddings", "reference.json"), "utf8")) as Reference;
const INSTRUCTOR_PREFIX = "instructor:";
let scratch = "";

/** The spec of a reference model; `instructor:<id>` is a local folder with that model's files as INSTRUCTOR. */
function specFor(model: string): ModelSpec {
    if (!model.startsWith(INSTRUCTOR_PREFIX)) return resolveModel(model, modelsDir);
    return resolveModel(writeInstructorFolder(model.slice(INSTRUCTOR_PREFIX.length)), modelsDir);
}

function writeInstructorFolder(id: string): string {
    const dir = mkdtempSync(join(scratch, "instructor-"));
    symlinkSync(join(modelsDir, id, "model.onnx"), join(dir, "model.onnx"));
    symlinkSync(join(modelsDir, id, "tokenizer.json"), join(dir, "tokenizer.json"));
    writeFileSync(join(dir, "seek-model.json"), JSON.stringify({ id: `instructor-${id}`, instructionStyle: "instructor" }));
    return dir;
}

before(() => {
    scratch = mkdtempSync(join(tmpdir(), "seek-ref-"));
});

after(() => rmSync(scratch, { recursive: true, force: true }));

const models = [...new Set(reference.cases.map((c) => c.model))];

test("the reference fixture covers every model and pooling", () => {
    assert.ok(reference.cases.length >= 20);
    assert.deepEqual(new Set(reference.cases.map((c) => c.pooling)), new Set(["cls", "mean", "instructor"]));
    assert.ok(reference.cases.some((c) => c.tokens === 512) && reference.cases.some((c) => c.tokens === 256), "truncation cases");
});

for (const model of models) {
    test(`${model}: same tokens and vectors as the independent reference (cosine > 0.9999, max |diff| < 1e-3)`, async () => {
        const spec = specFor(model);
        const cases = reference.cases.filter((c) => c.model === model);
        assert.equal(spec.maxTokens, cases[0].maxTokens);
        assert.equal(spec.instructionStyle === "instructor" ? "instructor" : spec.pooling, cases[0].pooling);
        const prompts = cases.map((c) => ({ instruction: c.instruction, text: reference.texts[c.textName] }));
        const tokenizer = await PromptTokenizer.load(spec.tokenizerPath);
        prompts.forEach((p, i) => assert.equal(tokenizer.encode(p, spec.maxTokens, false).ids.length, cases[i].tokens, `${cases[i].textName} token count`));
        const embedder = new WorkerEmbedder(spec, { threads: 1 });
        try {
            // All cases in one request, as the indexer sends them (the worker plans its own batches).
            const vectors = await embedder.embed(prompts);
            cases.forEach((c, i) => {
                let dot = 0;
                let maxDiff = 0;
                for (let k = 0; k < c.vector.length; k++) {
                    dot += c.vector[k] * vectors[i][k];
                    maxDiff = Math.max(maxDiff, Math.abs(c.vector[k] - vectors[i][k]));
                }
                const label = `${model} ${c.textName}${c.instruction ? " (instruction)" : ""}`;
                assert.equal(vectors[i].length, c.vector.length, label);
                assert.ok(dot > 0.9999, `${label}: cosine ${dot}`);
                assert.ok(maxDiff < 1e-3, `${label}: max |diff| ${maxDiff}`);
            });
        } finally {
            await embedder.dispose();
        }
    });
}
