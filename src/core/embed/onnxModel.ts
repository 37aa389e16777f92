/**
 * The embedding pipeline on one thread: tokenise -> length-sorted batches -> onnxruntime `InferenceSession.run`
 * (CPU) -> pool -> L2-normalise. Runs inside the worker (worker.ts); nothing here may run on an editor's thread.
 */
import { availableParallelism } from "node:os";
import type * as Ort from "onnxruntime-node";
import { CoreError, isCoreError } from "../errors";
import type { PromptedText } from "../types";
import type { ModelSpec, Pooling } from "./modelSpec";
import { NativeGate } from "./nativeGate";
import { l2Normalize, planBatches, poolRow } from "./pooling";
import { PromptTokenizer, type Encoded } from "./promptTokenizer";

/** Tuning of {@link OnnxModel}. */
export interface OnnxModelOptions {
    /** Intra-op threads (default: half the cores, at least 1, at most 4). */
    threads?: number;
    /** Padded tokens per session.run (default {@link DEFAULT_TOKEN_BUDGET}). */
    tokenBudget?: number;
    /** Inputs per session.run at most (default {@link DEFAULT_MAX_BATCH}). */
    maxBatch?: number;
    /** Let idle intra-op threads spin for work (onnxruntime's default; see {@link DEFAULT_ALLOW_SPINNING}). */
    allowSpinning?: boolean;
    /** Every onnxruntime call goes through it, so an owning thread can tell when terminating is safe (nativeGate.ts). */
    gate?: NativeGate;
}

/** Padded tokens per session.run when batching (see {@link DEFAULT_MAX_BATCH}). */
export const DEFAULT_TOKEN_BUDGET = 4096;

/**
 * One input per session.run by default. The shipped models are int8 with *dynamic* quantization: activation scales
 * come from the min/max of the whole batch tensor, so a text's vector depends on its batch neighbours and padding
 * (measured: cosine 0.985-0.997 against the same text alone, max abs difference up to 3e-2). A chunk's vector would
 * then depend on what it happened to be indexed with, and differ from the same text embedded alone as a query.
 * Alone, vectors match an independent reference to 5e-6. Batching did not pay for itself either: on the 2-core
 * build machine (quiet), 24 code chunks of ~310 tokens, 2 threads, ran at 23.8 chunks/s one at a time against
 * 21.3 / 19.2 / 16.8 chunks/s in length-sorted batches of 2k / 4k / 8k padded tokens (1 thread: 13.5 against 9.2 at
 * 4k); larger activations fall out of cache. Raise it for fp32 models, where padding is masked exactly.
 */
export const DEFAULT_MAX_BATCH = 1;

/**
 * Idle intra-op threads sleep instead of spinning. The indexer shares the CPU with the editor, and spinning threads
 * degrade badly when cores are oversubscribed: on the 2-core build machine under a load average of ~11, 2 spinning
 * threads cost 2.2 s of CPU for 16 chunks against 1.4 s sleeping, and ran slower (7.7 vs 11.0 chunks/s). The price on
 * a quiet machine: about 10% (26.2 vs 23.6 chunks/s with 2 threads). Benchmarks may turn it on.
 */
export const DEFAULT_ALLOW_SPINNING = false;

/** Output names that hold per-token states, in order of preference; a rank-2 output is taken as already pooled. */
const TOKEN_OUTPUTS = ["last_hidden_state", "token_embeddings"];

/**
 * Loads onnxruntime after switching its telemetry off: the variable must be set before the first session. (In a
 * worker thread this only sets the worker's copy; WorkerEmbedder sets the real one before starting the worker.)
 */
function loadOrt(): typeof Ort {
    process.env.ORT_DISABLE_TELEMETRY = "1";
    // A lazy require, not an import: an import would load the native binding before the variable is set.
    return require("onnxruntime-node") as typeof Ort;
}

/** Default intra-op threads: leave half the machine to the editor and the rest of the indexer. */
export function defaultThreads(): number {
    return Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));
}

export class OnnxModel {
    private readonly ort: typeof Ort;
    private readonly pooling: Pooling;
    private readonly excludeInstruction: boolean;
    private dims = 0;

    private constructor(
        readonly spec: ModelSpec,
        /** The session, exposed for benchmarks that compare raw `run` with the whole pipeline. */
        readonly session: Ort.InferenceSession,
        private readonly tokenizer: PromptTokenizer,
        private readonly outputName: string,
        private readonly options: Required<OnnxModelOptions>,
        ort: typeof Ort,
    ) {
        this.ort = ort;
        this.pooling = spec.pooling;
        this.excludeInstruction = spec.instructionStyle === "instructor" && spec.pooling === "mean";
    }

    /**
     * Loads the tokenizer and the ONNX session, then embeds one probe text (warms the session up and finds the
     * dimensions of a model that did not declare them).
     * @throws CoreError("modelCorrupt") when the model cannot be loaded or its inputs are not a BERT-style encoder's.
     */
    static async load(spec: ModelSpec, opts: OnnxModelOptions = {}): Promise<OnnxModel> {
        const ort = loadOrt();
        const options: Required<OnnxModelOptions> = {
            threads: opts.threads && opts.threads > 0 ? Math.floor(opts.threads) : defaultThreads(),
            tokenBudget: opts.tokenBudget ?? DEFAULT_TOKEN_BUDGET,
            maxBatch: opts.maxBatch ?? DEFAULT_MAX_BATCH,
            allowSpinning: opts.allowSpinning ?? DEFAULT_ALLOW_SPINNING,
            gate: opts.gate ?? new NativeGate(),
        };
        const tokenizer = await PromptTokenizer.load(spec.tokenizerPath);
        let session: Ort.InferenceSession;
        try {
            session = await options.gate.call(() => ort.InferenceSession.create(spec.onnxPath, {
                executionProviders: ["cpu"],
                intraOpNumThreads: options.threads,
                interOpNumThreads: 1,
                executionMode: "sequential",
                graphOptimizationLevel: "all",
                logSeverityLevel: 3,
                extra: { session: { intra_op: { allow_spinning: options.allowSpinning ? "1" : "0" } } },
            }));
        } catch (err) {
            if (isCoreError(err, "cancelled")) throw err;
            throw new CoreError("modelCorrupt", `Cannot load the model ${spec.onnxPath}: ${String(err)}. Run \`npm run fetch-model\` to download it again.`, { cause: err });
        }
        const unsupported = session.inputNames.filter((n) => !["input_ids", "attention_mask", "token_type_ids"].includes(n));
        if (!session.inputNames.includes("input_ids") || unsupported.length > 0) {
            throw new CoreError("modelCorrupt", `Unsupported model inputs in ${spec.onnxPath}: ${session.inputNames.join(", ")} (expected input_ids, attention_mask, token_type_ids).`);
        }
        const outputName = TOKEN_OUTPUTS.find((n) => session.outputNames.includes(n)) ?? session.outputNames[0];
        const model = new OnnxModel(spec, session, tokenizer, outputName, options, ort);
        const [probe] = await model.embed([{ instruction: "", text: "probe" }]);
        model.dims = probe.length;
        if (spec.dimensions > 0 && spec.dimensions !== probe.length) {
            throw new CoreError("modelCorrupt", `${spec.onnxPath} gives ${probe.length}-d vectors; the model description says ${spec.dimensions}.`);
        }
        return model;
    }

    /** Vector length (known after load). */
    get dimensions(): number {
        return this.dims;
    }

    /** Intra-op threads the session runs with. */
    get threads(): number {
        return this.options.threads;
    }

    /** Tokenises prompts (instruction + text), truncated to the model's limit. */
    encode(texts: readonly PromptedText[]): Encoded[] {
        return texts.map((t) => this.tokenizer.encode(t, this.spec.maxTokens, this.excludeInstruction));
    }

    /** The batches {@link embed} runs for these inputs (indices into `encoded`). */
    plan(encoded: readonly Encoded[]): number[][] {
        return planBatches(encoded.map((e) => e.ids.length), this.options.tokenBudget, this.options.maxBatch);
    }

    /** The int64 input tensors of one batch, right-padded to its longest input. */
    feeds(encoded: readonly Encoded[], batch: readonly number[]): Record<string, Ort.Tensor> {
        let seq = 0;
        for (const i of batch) seq = Math.max(seq, encoded[i].ids.length);
        const ids = new BigInt64Array(batch.length * seq);
        const mask = new BigInt64Array(batch.length * seq);
        for (let r = 0; r < batch.length; r++) {
            const row = encoded[batch[r]].ids;
            const o = r * seq;
            for (let t = 0; t < row.length; t++) ids[o + t] = BigInt(row[t]);
            mask.fill(1n, o, o + row.length);
        }
        const dims = [batch.length, seq];
        const feeds: Record<string, Ort.Tensor> = { input_ids: new this.ort.Tensor("int64", ids, dims) };
        const inputs = this.session.inputNames;
        if (inputs.includes("attention_mask")) feeds.attention_mask = new this.ort.Tensor("int64", mask, dims);
        if (inputs.includes("token_type_ids")) feeds.token_type_ids = new this.ort.Tensor("int64", new BigInt64Array(ids.length), dims);
        return feeds;
    }

    /**
     * Embeds texts and returns unit vectors (when the model normalises) in input order.
     * @param shouldStop checked between batches; when it returns true, the result so far is dropped and
     *   CoreError("cancelled") thrown.
     * @param onProgress called after each batch with the number of texts embedded so far.
     */
    async embed(texts: readonly PromptedText[], shouldStop?: () => boolean, onProgress?: (done: number) => void): Promise<Float32Array[]> {
        const encoded = this.encode(texts);
        const out = new Array<Float32Array>(texts.length);
        let done = 0;
        for (const batch of this.plan(encoded)) {
            if (shouldStop?.()) throw new CoreError("cancelled", "cancelled");
            const result = await this.options.gate.call(() => this.session.run(this.feeds(encoded, batch)));
            this.poolBatch(result[this.outputName], encoded, batch, out);
            done += batch.length;
            onProgress?.(done);
        }
        return out;
    }

    private poolBatch(output: Ort.Tensor, encoded: readonly Encoded[], batch: readonly number[], out: Float32Array[]): void {
        const data = output.data as Float32Array;
        const pooled = output.dims.length === 2;
        const seq = pooled ? 1 : output.dims[1];
        const dim = output.dims[output.dims.length - 1];
        for (let r = 0; r < batch.length; r++) {
            const e = encoded[batch[r]];
            const v = pooled
                ? data.slice(r * dim, (r + 1) * dim)
                : poolRow(data, seq, dim, { row: r, from: e.skip, length: e.ids.length }, this.pooling);
            out[batch[r]] = this.spec.normalize ? l2Normalize(v) : v;
        }
        output.dispose();
    }

    /** Releases the native session. */
    async dispose(): Promise<void> {
        await this.options.gate.call(() => this.session.release());
    }
}
