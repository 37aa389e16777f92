/**
 * All chunk vectors of an index in memory, in one contiguous Float32Array (row i = slot i), with the few chunk
 * fields that search filters on. Exact search scans it linearly (search/vector.ts). Removal moves the last row into
 * the freed slot, so the rows stay dense and a scan never skips holes; slot order therefore carries no meaning and
 * ties are broken by chunk id.
 */
import { endianness } from "node:os";
import { dot, SimdKernel } from "../search/simdKernel";
import type { FileKind } from "../types";
import type { SlotColumns } from "./chunkTable";
import { MetaColumns, type SlotMeta } from "./metaColumns";

export type { SlotMeta } from "./metaColumns";

/** First allocation, in rows. */
const INITIAL_CAPACITY = 1024;
/** Capacity grows by this factor: amortised O(1) appends, at most 1.5x the memory actually used. */
const GROWTH_FACTOR = 1.5;

const LITTLE_ENDIAN = endianness() === "LE";

export class VectorTable implements SlotColumns {
    /** Row-major vectors; only the first `count * dimensions` values are live. Replaced when the table grows. */
    data: Float32Array;
    /** Where rows live when SIMD scanning is available: the kernel's wasm memory (else a plain array). */
    private readonly kernel: SimdKernel | undefined;
    private scoresJs: Float32Array = new Float32Array(0);
    private ids: Float64Array;
    /** Chunk fields kept beside each vector, for filtering the scan without touching the database. */
    private readonly meta = new MetaColumns();
    private readonly slotById = new Map<number, number>();
    private size = 0;

    constructor(readonly dimensions: number) {
        // The kernel reads 4 floats at a time, so rows must be a multiple of 4 floats (16-byte aligned).
        this.kernel = dimensions % 4 === 0 ? SimdKernel.create(INITIAL_CAPACITY * dimensions * 4) : undefined;
        this.data = this.kernel
            ? new Float32Array(this.kernel.memory.buffer, 0, INITIAL_CAPACITY * dimensions)
            : new Float32Array(INITIAL_CAPACITY * dimensions);
        this.ids = new Float64Array(INITIAL_CAPACITY);
    }

    /** Number of live rows. */
    get count(): number {
        return this.size;
    }

    idAt(slot: number): number {
        return this.ids[slot];
    }

    slotOf(id: number): number | undefined {
        return this.slotById.get(id);
    }

    pathAt(slot: number): string {
        return this.meta.pathAt(slot);
    }

    kindAt(slot: number): FileKind {
        return this.meta.kindAt(slot);
    }

    languageAt(slot: number): string {
        return this.meta.languageAt(slot);
    }

    startLineAt(slot: number): number {
        return this.meta.startLineAt(slot);
    }

    endLineAt(slot: number): number {
        return this.meta.endLineAt(slot);
    }

    /** A view (not a copy) of one row; valid until the table next changes. */
    vectorAt(slot: number): Float32Array {
        return this.data.subarray(slot * this.dimensions, (slot + 1) * this.dimensions);
    }

    /** Appends a row. The vector is copied. */
    add(id: number, vector: ArrayLike<number>, meta: SlotMeta): void {
        if (vector.length !== this.dimensions) throw new RangeError(`vector of ${vector.length} values, expected ${this.dimensions}`);
        if (this.slotById.has(id)) this.remove(id);
        if (this.size === this.ids.length) this.grow();
        const slot = this.size++;
        this.data.set(vector, slot * this.dimensions);
        this.ids[slot] = id;
        this.meta.set(slot, meta);
        this.slotById.set(id, slot);
    }

    /** Removes a row by chunk id (no-op if absent), moving the last row into its slot. */
    remove(id: number): void {
        const slot = this.slotById.get(id);
        if (slot === undefined) return;
        this.slotById.delete(id);
        const last = --this.size;
        if (slot !== last) {
            const d = this.dimensions;
            this.data.copyWithin(slot * d, last * d, (last + 1) * d);
            this.ids[slot] = this.ids[last];
            this.slotById.set(this.ids[slot], slot);
        }
        this.meta.removeAt(slot, last + 1);
    }

    /**
     * Similarity of every live row to `query` (dot product = cosine for unit vectors); index = slot. The returned
     * array is reused by the next call.
     */
    scores(query: Float32Array): Float32Array {
        const dims = this.dimensions;
        if (query.length !== dims) throw new RangeError(`query vector has ${query.length} values, index has ${dims}`);
        if (this.kernel) {
            const out = this.kernel.scores(this.size, dims, query, this.ids.length * dims * 4);
            this.refreshView();
            return out;
        }
        if (this.scoresJs.length < this.size) this.scoresJs = new Float32Array(this.ids.length);
        for (let slot = 0; slot < this.size; slot++) this.scoresJs[slot] = dot(this.data, slot * dims, query, dims);
        return this.scoresJs.subarray(0, this.size);
    }

    /** Re-creates the row view after the wasm memory grew (growth detaches the old buffer). */
    private refreshView(): void {
        if (this.kernel && this.data.buffer !== this.kernel.memory.buffer) {
            this.data = new Float32Array(this.kernel.memory.buffer, 0, this.ids.length * this.dimensions);
        }
    }

    private grow(): void {
        const capacity = Math.max(INITIAL_CAPACITY, Math.ceil(this.ids.length * GROWTH_FACTOR));
        if (this.kernel) {
            // Growing wasm memory keeps its content: the rows stay where they are.
            this.kernel.ensureBytes(capacity * this.dimensions * 4);
            this.data = new Float32Array(this.kernel.memory.buffer, 0, capacity * this.dimensions);
        } else {
            const data = new Float32Array(capacity * this.dimensions);
            data.set(this.data.subarray(0, this.size * this.dimensions));
            this.data = data;
        }
        this.ids = copyInto(new Float64Array(capacity), this.ids, this.size);
    }
}

function copyInto<T extends Float64Array>(target: T, source: T, count: number): T {
    target.set(source.subarray(0, count) as never);
    return target;
}

/** Float32 little-endian bytes of a vector (the stored form: 4 bytes per dimension, no JSON). */
export function encodeVector(vector: Float32Array): Uint8Array {
    if (LITTLE_ENDIAN) return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
    const out = new Uint8Array(vector.length * 4);
    const view = new DataView(out.buffer);
    for (let i = 0; i < vector.length; i++) view.setFloat32(i * 4, vector[i], true);
    return out;
}

/** Inverse of {@link encodeVector}; undefined when the blob does not hold exactly `dimensions` floats. */
export function decodeVector(bytes: Uint8Array, dimensions: number): Float32Array | undefined {
    if (bytes.byteLength !== dimensions * 4) return undefined;
    if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, dimensions);
    const out = new Float32Array(dimensions);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < dimensions; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
}
