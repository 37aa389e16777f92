/**
 * The two embedding baselines on the same inputs as Seek's pipeline:
 * - raw: onnxruntime-node InferenceSession.run on pre-tokenised, length-sorted, per-batch-padded tensors
 *   (the floor: no tokenising, pooling or storing is timed);
 * - transformers: @huggingface/transformers pipeline('feature-extraction') over a local HF-style folder built
 *   from the same model files (what a user would pick), dtype q8, same batches.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const ort = require("onnxruntime-node");
const { Tokenizer } = require("@huggingface/tokenizers");

/** Tokenises with the model's tokenizer.json (truncated to maxTokens), keeping the input order. */
export function pretokenize(modelDir, texts, maxTokens = 512) {
    const tok = new Tokenizer(JSON.parse(readFileSync(join(modelDir, "tokenizer.json"), "utf8")), {});
    return texts.map((t) => {
        const ids = tok.encode(t).ids;
        if (ids.length <= maxTokens) return ids;
        // Keep [CLS] ... [SEP]: cut the middle, as a truncating tokenizer would.
        return [...ids.slice(0, maxTokens - 1), ids[ids.length - 1]];
    });
}

/**
 * Batches of indices into `encoded`, sorted by length so padding stays small. `batchSize` "plan" uses Seek's own
 * batch plan (token budget, longest first) from the compiled core, so raw and pipeline run the same batches.
 */
export function lengthSortedBatches(encoded, batchSize) {
    if (batchSize === "plan") {
        const { planBatches } = require("../../out/src/core/embed/pooling.js");
        const { DEFAULT_TOKEN_BUDGET, DEFAULT_MAX_BATCH } = require("../../out/src/core/embed/onnxModel.js");
        return planBatches(encoded.map((e) => e.length), DEFAULT_TOKEN_BUDGET, DEFAULT_MAX_BATCH);
    }
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].length - encoded[b].length);
    const batches = [];
    for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
    return batches;
}

function tensors(encoded, batch) {
    const len = Math.max(...batch.map((i) => encoded[i].length));
    const ids = new BigInt64Array(batch.length * len);
    const mask = new BigInt64Array(batch.length * len);
    batch.forEach((i, r) => {
        encoded[i].forEach((id, c) => {
            ids[r * len + c] = BigInt(id);
            mask[r * len + c] = 1n;
        });
    });
    const dims = [batch.length, len];
    return {
        input_ids: new ort.Tensor("int64", ids, dims),
        attention_mask: new ort.Tensor("int64", mask, dims),
        token_type_ids: new ort.Tensor("int64", new BigInt64Array(batch.length * len), dims),
    };
}

/**
 * Times session.run over all batches (after one warm-up batch). Tensors are built before timing.
 * @returns {Promise<{ ms:number, chunks:number, tokens:number }>}
 */
export async function timeRaw(modelDir, encoded, { threads, batchSize }) {
    const session = await ort.InferenceSession.create(join(modelDir, "model.onnx"), {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: "all",
        executionMode: "sequential",
    });
    const feeds = lengthSortedBatches(encoded, batchSize).map((b) => tensors(encoded, b));
    await session.run(feeds[0]);
    const started = performance.now();
    for (const f of feeds) await session.run(f);
    const ms = performance.now() - started;
    await session.release();
    return { ms, chunks: encoded.length, tokens: encoded.reduce((a, e) => a + e.length, 0) };
}

/** An HF-style folder (config.json, tokenizer files, onnx/model_quantized.onnx) pointing at a Seek model folder. */
export function hfFolder(modelDir, modelId) {
    const root = join(tmpdir(), "seek-bench-hf");
    const dir = join(root, modelId);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "onnx"), { recursive: true });
    symlinkSync(join(modelDir, "model.onnx"), join(dir, "onnx", "model_quantized.onnx"));
    symlinkSync(join(modelDir, "tokenizer.json"), join(dir, "tokenizer.json"));
    writeFileSync(
        join(dir, "config.json"),
        // transformers.js only needs the architecture from config.json for an encoder.
        JSON.stringify({ model_type: "bert", architectures: ["BertModel"], hidden_size: 384, vocab_size: 30522, max_position_embeddings: 512 }),
    );
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ tokenizer_class: "BertTokenizer", do_lower_case: true, model_max_length: 512, pad_token: "[PAD]", cls_token: "[CLS]", sep_token: "[SEP]", unk_token: "[UNK]", mask_token: "[MASK]" }));
    return { root, dir };
}

/**
 * Times transformers.js feature extraction (tokenise + infer + pool + normalise) over length-sorted batches.
 * @returns {Promise<{ ms:number, chunks:number }>}
 */
export async function timeTransformers(modelDir, modelId, texts, encoded, { threads, batchSize, pooling }) {
    const { env, pipeline } = await import("@huggingface/transformers");
    const { root } = hfFolder(modelDir, modelId);
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${root}/`;
    const extractor = await pipeline("feature-extraction", modelId, {
        dtype: "q8",
        device: "cpu",
        session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
    });
    const batches = lengthSortedBatches(encoded, batchSize).map((b) => b.map((i) => texts[i]));
    const opts = { pooling: pooling === "cls" ? "cls" : "mean", normalize: true };
    await extractor(batches[0], opts);
    const started = performance.now();
    for (const b of batches) await extractor(b, opts);
    const ms = performance.now() - started;
    await extractor.dispose?.();
    return { ms, chunks: texts.length };
}
