/**
 * Batching and pooling: the parts of the pipeline around `session.run`. Kept free of onnxruntime so they can be
 * tested and reasoned about on plain arrays.
 */
import type { Pooling } from "./modelSpec";

/**
 * Splits inputs into batches of similar length, longest first. A batch holds at most `tokenBudget` padded tokens
 * (batch size x its longest input) and at most `maxBatch` inputs: sorting keeps padding small, and the budget keeps
 * one session.run short (a cancel waits for at most one) with activations well inside the cache.
 * @returns batches of indices into `lengths`.
 */
export function planBatches(lengths: readonly number[], tokenBudget: number, maxBatch: number): number[][] {
    const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
    const batches: number[][] = [];
    let current: number[] = [];
    let width = 0;
    for (const i of order) {
        if (current.length > 0 && ((current.length + 1) * width > tokenBudget || current.length >= maxBatch)) {
            batches.push(current);
            current = [];
        }
        if (current.length === 0) width = lengths[i];
        current.push(i);
    }
    if (current.length > 0) batches.push(current);
    return batches;
}

/** Where one row of a batch output lives and which token positions it pools over. */
export interface PoolRow {
    /** Row in the batch. */
    row: number;
    /** First position pooled by `mean` (INSTRUCTOR skips the instruction); ignored by `cls`. */
    from: number;
    /** Real (unpadded) length of the row. */
    length: number;
}

/**
 * Pools one row of a `[batch, seq, dim]` hidden-state tensor into a new vector: `cls` takes position 0, `mean`
 * averages positions [from, length) (padding is never included).
 */
export function poolRow(hidden: Float32Array, seq: number, dim: number, r: PoolRow, pooling: Pooling): Float32Array {
    const base = r.row * seq * dim;
    if (pooling === "cls") return hidden.slice(base, base + dim);
    const out = new Float32Array(dim);
    const from = Math.min(r.from, r.length - 1);
    for (let t = from; t < r.length; t++) {
        const o = base + t * dim;
        for (let k = 0; k < dim; k++) out[k] += hidden[o + k];
    }
    const inv = 1 / (r.length - from);
    for (let k = 0; k < dim; k++) out[k] *= inv;
    return out;
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function l2Normalize(v: Float32Array): Float32Array {
    let sum = 0;
    for (let k = 0; k < v.length; k++) sum += v[k] * v[k];
    if (sum > 0) {
        const inv = 1 / Math.sqrt(sum);
        for (let k = 0; k < v.length; k++) v[k] *= inv;
    }
    return v;
}
