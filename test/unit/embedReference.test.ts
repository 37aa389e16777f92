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

/**
 * How close a vector must be to its reference. The models are int8: onnxruntime's int8 matrix kernels differ by CPU
 * (AVX2's saturating 16-bit pair sums against AVX-512 VNNI's 32-bit ones), so the same model and input give vectors
 * that differ in the second or third decimal (max |diff| 0.012 seen) between an Intel and an AMD machine (seen: cosine 0.998 for bge on an AMD EPYC
 * against the reference made on another CPU, 0.99999 on the same kind of CPU). Exactness of tokens and pooling is
 * checked apart from that: every vector must also be nearer its own reference than any other case's, which includes
 * the same text with and without its instruction.
 */
const MIN_COSINE = 0.995;
const MAX_DIFF = 0.03;

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
    let dot = 0;
    for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
    return dot;
}

for (const model of models) {
    test(`${model}: same tokens and vectors as the independent reference (cosine > ${MIN_COSINE}, max |diff| < ${MAX_DIFF}, nearest its own)`, async () => {
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
                let maxDiff = 0;
                for (let k = 0; k < c.vector.length; k++) maxDiff = Math.max(maxDiff, Math.abs(c.vector[k] - vectors[i][k]));
                const own = cosine(c.vector, vectors[i]);
                const label = `${model} ${c.textName}${c.instruction ? " (instruction)" : ""}`;
                assert.equal(vectors[i].length, c.vector.length, label);
                assert.ok(own > MIN_COSINE, `${label}: cosine ${own}`);
                assert.ok(maxDiff < MAX_DIFF, `${label}: max |diff| ${maxDiff}`);
                cases.forEach((other, j) => {
                    if (j === i) return;
                    const near = cosine(other.vector, vectors[i]);
                    assert.ok(own > near, `${label}: nearer the reference of ${other.textName}${other.instruction ? " (instruction)" : ""} (${near}) than its own (${own})`);
                });
            });
        } finally {
            await embedder.dispose();
        }
    });
}
