/**
 * The per-slot chunk metadata columns that search filters read, for a dense table whose removal moves the last row
 * into the freed slot. ChunkTable (every chunk) and VectorTable (the embedded ones) each keep one: the vector scan
 * filters its rows by slot without a per-row map lookup into the chunk table.
 */
import type { FileKind } from "../types";

/** The fields kept per slot. */
export interface SlotMeta {
    path: string;
    kind: FileKind;
    language: string;
    startLine: number;
    endLine: number;
}

export class MetaColumns {
    private readonly paths: string[] = [];
    private readonly kinds: FileKind[] = [];
    private readonly languages: string[] = [];
    private readonly starts: number[] = [];
    private readonly ends: number[] = [];

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

    metaAt(slot: number): SlotMeta {
        return { path: this.paths[slot], kind: this.kinds[slot], language: this.languages[slot], startLine: this.starts[slot], endLine: this.ends[slot] };
    }

    /** Writes a row at `slot` (the current length appends). */
    set(slot: number, meta: SlotMeta): void {
        this.paths[slot] = meta.path;
        this.kinds[slot] = meta.kind;
        this.languages[slot] = meta.language;
        this.starts[slot] = meta.startLine;
        this.ends[slot] = meta.endLine;
    }

    /** Removes row `slot` of `length` rows by moving the last row into it. */
    removeAt(slot: number, length: number): void {
        const last = length - 1;
        if (slot !== last) this.set(slot, this.metaAt(last));
        for (const column of [this.paths, this.kinds, this.languages, this.starts, this.ends]) column.length = last;
    }
}
