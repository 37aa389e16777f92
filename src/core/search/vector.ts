/**
 * Exact nearest-neighbour search: one linear pass over the store's contiguous vector array (SIMD kernel in
 * simdKernel.ts, JS loop below as fallback). Stored vectors and query vectors are unit length, so the dot product
 * is the cosine similarity. A k-sized min-heap keeps the best rows seen so far; most rows are rejected by one
 * comparison with the heap's root.
 */
import type { VectorTable } from "../store/vectorTable";
import { calibrateKinds, type KindCalibration } from "./kindCalibration";

/** A chunk id with its similarity (higher is better). */
export interface ScoredId {
    id: number;
    score: number;
}

/**
 * The `k` rows most similar to `query`, best first; ties go to the lower chunk id so results never depend on the
 * order of rows in memory. `accept(slot)` (optional) filters rows before they are scored; `calibration` corrects
 * prose rows' scores for the code/prose modality gap (kindCalibration.ts).
 */
export function vectorTopK(
    table: VectorTable,
    query: Float32Array,
    k: number,
    accept?: (slot: number) => boolean,
    calibration: KindCalibration = "none",
): ScoredId[] {
    if (k <= 0 || table.count === 0) return [];
    const scores = table.scores(query);
    calibrateKinds(table, scores, calibration, accept);
    const heap = new TopKHeap(k, (slot) => table.idAt(slot));
    const count = table.count;
    if (accept === undefined) {
        for (let slot = 0; slot < count; slot++) heap.offer(slot, scores[slot]);
    } else {
        for (let slot = 0; slot < count; slot++) if (accept(slot)) heap.offer(slot, scores[slot]);
    }
    return heap.sorted().map(({ slot, score }) => ({ id: table.idAt(slot), score }));
}

/** Fixed-size min-heap of (slot, score); the root is the worst kept entry (lowest score, then highest id). */
class TopKHeap {
    private readonly slots: Int32Array;
    private readonly scores: Float64Array;
    private size = 0;

    constructor(
        private readonly k: number,
        private readonly idOf: (slot: number) => number,
    ) {
        this.slots = new Int32Array(k);
        this.scores = new Float64Array(k);
    }

    offer(slot: number, score: number): void {
        if (this.size < this.k) {
            this.slots[this.size] = slot;
            this.scores[this.size] = score;
            this.siftUp(this.size++);
            return;
        }
        // Fast reject: no better than the worst kept entry.
        if (score < this.scores[0] || (score === this.scores[0] && this.idOf(slot) > this.idOf(this.slots[0]))) return;
        this.slots[0] = slot;
        this.scores[0] = score;
        this.siftDown(0);
    }

    /** Entries best first. */
    sorted(): { slot: number; score: number }[] {
        const out: { slot: number; score: number }[] = [];
        for (let i = 0; i < this.size; i++) out.push({ slot: this.slots[i], score: this.scores[i] });
        return out.sort((a, b) => b.score - a.score || this.idOf(a.slot) - this.idOf(b.slot));
    }

    /** True when entry i should sit above entry j (it is worse). */
    private worse(i: number, j: number): boolean {
        const a = this.scores[i];
        const b = this.scores[j];
        return a < b || (a === b && this.idOf(this.slots[i]) > this.idOf(this.slots[j]));
    }

    private swap(i: number, j: number): void {
        const s = this.slots[i];
        this.slots[i] = this.slots[j];
        this.slots[j] = s;
        const c = this.scores[i];
        this.scores[i] = this.scores[j];
        this.scores[j] = c;
    }

    private siftUp(i: number): void {
        while (i > 0) {
            const parent = (i - 1) >> 1;
            if (!this.worse(i, parent)) return;
            this.swap(i, parent);
            i = parent;
        }
    }

    private siftDown(i: number): void {
        for (;;) {
            const l = 2 * i + 1;
            const r = l + 1;
            let m = i;
            if (l < this.size && this.worse(l, m)) m = l;
            if (r < this.size && this.worse(r, m)) m = r;
            if (m === i) return;
            this.swap(i, m);
            i = m;
        }
    }
}
