/**
 * What search needs to know about every chunk of the index, embedded or not, kept in memory: path, kind,
 * language, line span and symbol keys. The lexical side, the filters and the ranking rules read it, so a chunk is
 * searchable as soon as it is stored, before the model has embedded it (the vectors live in VectorTable, which
 * holds only the embedded chunks). Columnar and dense like VectorTable: removal moves the last row into the freed
 * slot, so slot order carries no meaning.
 */
import type { FileKind } from "../types";

/** Chunk fields kept in memory, for filtering and ranking without touching the database. */
export interface ChunkMeta {
    path: string;
    kind: FileKind;
    language: string;
    startLine: number;
    endLine: number;
    /** The symbol's keys (lexical.ts symbolKeysOf), space-separated; "" without a symbol. */
    symbolKeys: string;
}

/** The per-slot columns that search filters read (filters.ts); VectorTable has the same for its rows. */
export interface MetaColumns {
    readonly count: number;
    idAt(slot: number): number;
    slotOf(id: number): number | undefined;
    pathAt(slot: number): string;
    kindAt(slot: number): FileKind;
    languageAt(slot: number): string;
    startLineAt(slot: number): number;
    endLineAt(slot: number): number;
}

export class ChunkTable implements MetaColumns {
    private readonly ids: number[] = [];
    private readonly paths: string[] = [];
    private readonly kinds: FileKind[] = [];
    private readonly languages: string[] = [];
    private readonly starts: number[] = [];
    private readonly ends: number[] = [];
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
        return this.paths[slot];
    }

    kindAt(slot: number): FileKind {
        return this.kinds[slot];
    }

    languageAt(slot: number): string {
        return this.languages[slot];
    }

    startLineAt(slot: number): number {
        return this.starts[slot];
    }

    endLineAt(slot: number): number {
        return this.ends[slot];
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
        return {
            path: this.paths[slot],
            kind: this.kinds[slot],
            language: this.languages[slot],
            startLine: this.starts[slot],
            endLine: this.ends[slot],
            symbolKeys: this.symbolKeys[slot],
        };
    }

    add(id: number, meta: ChunkMeta, failed = false): void {
        if (this.slotById.has(id)) this.remove(id);
        this.slotById.set(id, this.ids.length);
        this.ids.push(id);
        this.paths.push(meta.path);
        this.kinds.push(meta.kind);
        this.languages.push(meta.language);
        this.starts.push(meta.startLine);
        this.ends.push(meta.endLine);
        this.symbolKeys.push(meta.symbolKeys);
        if (failed) this.failed.add(id);
    }

    remove(id: number): void {
        const slot = this.slotById.get(id);
        if (slot === undefined) return;
        this.slotById.delete(id);
        this.failed.delete(id);
        const last = this.ids.length - 1;
        if (slot !== last) {
            this.ids[slot] = this.ids[last];
            this.paths[slot] = this.paths[last];
            this.kinds[slot] = this.kinds[last];
            this.languages[slot] = this.languages[last];
            this.starts[slot] = this.starts[last];
            this.ends[slot] = this.ends[last];
            this.symbolKeys[slot] = this.symbolKeys[last];
            this.slotById.set(this.ids[slot], slot);
        }
        for (const column of [this.ids, this.paths, this.kinds, this.languages, this.starts, this.ends, this.symbolKeys]) column.length = last;
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
