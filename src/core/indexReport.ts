/**
 * What "Seek: Show Index Status" and `seek status` show beyond the counts: the index per language and the files
 * the last run skipped, with their reasons. Computed from the stored chunk table, so it is the real index.
 */
import type { IndexStatus, SkippedFile, SkipReason } from "./types";

/** The parts of the chunk table a report reads (store/chunkTable.ts has them; tests pass plain objects). */
export interface ChunkRows {
    readonly count: number;
    idAt(slot: number): number;
    pathAt(slot: number): string;
    languageAt(slot: number): string;
}

export interface LanguageCount {
    /** Language id as the chunker knows it ("typescript", "markdown", "text"). */
    language: string;
    files: number;
    chunks: number;
    /** Chunks with a vector. */
    embedded: number;
}

export interface IndexReport {
    status: IndexStatus;
    /** Most chunks first. */
    languages: LanguageCount[];
    /** Files the last run skipped (ignored ones left out), at most the engine's display cap. */
    skipped: SkippedFile[];
    /** Every skip of the last run, by reason, most frequent first: may exceed `skipped.length`. */
    skippedByReason: { reason: SkipReason; count: number }[];
    skippedTotal: number;
    /** Skips that were surprises (logged as warnings), as opposed to files Seek never indexes by design. */
    skippedUnexpected: number;
    /** True once a run of this session has looked at the folder (before that, `skipped` is not known yet). */
    scanned: boolean;
}

/** Files, chunks and embedded chunks per language. */
export function languageCounts(rows: ChunkRows, hasVector: (id: number) => boolean): LanguageCount[] {
    const by = new Map<string, { files: Set<string>; chunks: number; embedded: number }>();
    for (let slot = 0; slot < rows.count; slot++) {
        const language = rows.languageAt(slot) || "text";
        let entry = by.get(language);
        if (!entry) by.set(language, (entry = { files: new Set(), chunks: 0, embedded: 0 }));
        entry.files.add(rows.pathAt(slot));
        entry.chunks++;
        if (hasVector(rows.idAt(slot))) entry.embedded++;
    }
    return [...by]
        .map(([language, e]) => ({ language, files: e.files.size, chunks: e.chunks, embedded: e.embedded }))
        .sort((a, b) => b.chunks - a.chunks || (a.language < b.language ? -1 : 1));
}
