/**
 * What search needs to know about every chunk of the index, embedded or not, kept in memory: path, kind,
 * language, line span and symbol keys. The lexical side, the filters and the ranking rules read it, so a chunk is
 * searchable as soon as it is stored, before the model has embedded it (the vectors live in VectorTable, which
 * holds only the embedded chunks). Columnar and dense like VectorTable: removal moves the last row into the freed
 * slot, so slot order carries no meaning.
 */
import type { FileKind } from "../types";
import { MetaColumns, type SlotMeta } from "./metaColumns";

/** Chunk fields kept in memory, for filtering and ranking without touching the database. */
export interface ChunkMeta extends SlotMeta {
    /** The symbol's keys (lexical.ts symbolKeysOf), space-separated; "" without a symbol. */
    symbolKeys: string;
}

/** The per-slot columns that search filters read (filters.ts); VectorTable has the same for its rows. */
export interface SlotColumns {
    readonly count: number;
    idAt(slot: number): number;
    slotOf(id: number): number | undefined;
    pathAt(slot: number): string;
    kindAt(slot: number): FileKind;
    languageAt(slot: number): string;
    startLineAt(slot: number): number;
    endLineAt(slot: number): number;
}

export class ChunkTable implements SlotColumns {
    private readonly ids: number[] = [];
    private readonly meta = new MetaColumns();
    private readonly symbolKeys: string[] = [];
    private readonly slotById = new Map<number, number>();
    /** Chunks the model failed on: not pending any more, never in VectorTable. */
    private readonly failed = new Set<number>();

    get count(): number {
        return this.ids.length;
    }

    idAt(slot: number): number {
        return this.ids[slot];
    }

    slotOf(id: number): number | undefined {
        return this.slotById.get(id);
    }

    has(id: number): boolean {
        return this.slotById.has(id);
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

    symbolKeysAt(slot: number): string {
        return this.symbolKeys[slot];
    }

    /** The metadata of a chunk, or undefined when it is not (or no longer) stored. */
    metaOf(id: number): ChunkMeta | undefined {
        const slot = this.slotById.get(id);
        return slot === undefined ? undefined : this.metaAt(slot);
    }

    metaAt(slot: number): ChunkMeta {
        return { ...this.meta.metaAt(slot), symbolKeys: this.symbolKeys[slot] };
    }

    add(id: number, meta: ChunkMeta, failed = false): void {
        if (this.slotById.has(id)) this.remove(id);
        this.slotById.set(id, this.ids.length);
        this.meta.set(this.ids.length, meta);
        this.ids.push(id);
        this.symbolKeys.push(meta.symbolKeys);
        if (failed) this.failed.add(id);
    }

    remove(id: number): void {
        const slot = this.slotById.get(id);
        if (slot === undefined) return;
        this.slotById.delete(id);
        this.failed.delete(id);
        const last = this.ids.length - 1;
        this.meta.removeAt(slot, last + 1);
        if (slot !== last) {
            this.ids[slot] = this.ids[last];
            this.symbolKeys[slot] = this.symbolKeys[last];
            this.slotById.set(this.ids[slot], slot);
        }
        this.ids.length = last;
        this.symbolKeys.length = last;
    }

    markFailed(id: number): void {
        if (this.slotById.has(id)) this.failed.add(id);
    }

    isFailed(id: number): boolean {
        return this.failed.has(id);
    }

    get failedCount(): number {
        return this.failed.size;
    }

    /**
     * Slots whose symbol is exactly `key` (a symbolKey): the definitions an identifier query names. A linear pass
     * that allocates nothing per row: this runs on every identifier query.
     */
    slotsWithSymbol(key: string): number[] {
        const out: number[] = [];
        for (let slot = 0; slot < this.ids.length; slot++) {
            if (hasKey(this.symbolKeys[slot], key)) out.push(slot);
        }
        return out;
    }
}

/** True when the space-separated `keys` hold `key` as a whole word. */
function hasKey(keys: string, key: string): boolean {
    for (let at = keys.indexOf(key); at >= 0; at = keys.indexOf(key, at + 1)) {
        const end = at + key.length;
        if ((at === 0 || keys.charCodeAt(at - 1) === 32) && (end === keys.length || keys.charCodeAt(end) === 32)) return true;
    }
    return false;
}
