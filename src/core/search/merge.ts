/**
 * Post-processing of ranked chunks into hits: overlapping or touching chunks of one file become one hit (the best
 * one's score, the union of the ranges), then a per-file cap keeps one file from filling the first page.
 */
import type { Hit, StoredChunk } from "../types";

/** True when lines from..to (1-based, inclusive) of a file hold no chunk. */
export type BlankGap = (path: string, from: number, to: number) => boolean;

export interface ScoredChunk {
    chunk: StoredChunk;
    score: number;
}

/**
 * Merges in rank order: a chunk that overlaps or touches a better hit of the same file extends it, unless the
 * union would exceed `maxMergedLines`; a chunk inside a better hit's range adds nothing and is dropped. "Touches"
 * includes a gap of up to `maxBlankGap` lines that `blankGap` confirms holds no chunk (the chunker puts
 * every non-blank line in some chunk, so such lines are blank): a function and the declarations just above it,
 * separated by an empty line, are one place in the file.
 */
export function mergeOverlapping(ranked: ScoredChunk[], maxMergedLines: number, blankGap: BlankGap = () => false, maxBlankGap = 0): Hit[] {
    const hits: Hit[] = [];
    const byPath = new Map<string, Hit[]>();
    for (const { chunk, score } of ranked) {
        const same = byPath.get(chunk.path) ?? [];
        const target = same.find((h) => adjacent(h, chunk, blankGap, maxBlankGap));
        if (target && chunk.startLine >= target.startLine && chunk.endLine <= target.endLine) continue;
        if (target && extend(target, chunk, maxMergedLines)) continue;
        const hit = toHit(chunk, score);
        hits.push(hit);
        same.push(hit);
        byPath.set(chunk.path, same);
    }
    return hits;
}

/** Overlapping, next to each other, or apart by a few lines that hold no chunk. */
function adjacent(hit: Hit, chunk: StoredChunk, blankGap: BlankGap, maxBlankGap: number): boolean {
    if (chunk.startLine <= hit.endLine + 1 && chunk.endLine >= hit.startLine - 1) return true;
    const [from, to] = chunk.startLine > hit.endLine ? [hit.endLine + 1, chunk.startLine - 1] : [chunk.endLine + 1, hit.startLine - 1];
    return to - from + 1 <= maxBlankGap && blankGap(hit.path, from, to);
}

/** Grows `hit` to cover `chunk`; false (nothing changed) when too long or the texts do not match their ranges. */
function extend(hit: Hit, chunk: StoredChunk, maxMergedLines: number): boolean {
    const start = Math.min(hit.startLine, chunk.startLine);
    const end = Math.max(hit.endLine, chunk.endLine);
    if (end - start + 1 > maxMergedLines) return false;
    const a = hit.text.split("\n");
    const b = chunk.text.split("\n");
    if (a.length !== hit.endLine - hit.startLine + 1 || b.length !== chunk.endLine - chunk.startLine + 1) return false;
    // Blank lines fill a gap between the two (adjacent() only lets blank gaps through).
    const blank = (n: number) => new Array<string>(Math.max(0, n)).fill("");
    const before = chunk.startLine < hit.startLine ? [...b.slice(0, Math.min(b.length, hit.startLine - chunk.startLine)), ...blank(hit.startLine - chunk.endLine - 1)] : [];
    const after = chunk.endLine > hit.endLine ? [...blank(chunk.startLine - hit.endLine - 1), ...b.slice(Math.max(0, b.length - (chunk.endLine - hit.endLine)))] : [];
    hit.text = [...before, ...a, ...after].join("\n");
    hit.startLine = start;
    hit.endLine = end;
    return true;
}

function toHit(chunk: StoredChunk, score: number): Hit {
    const hit: Hit = {
        chunkId: chunk.id,
        path: chunk.path,
        startLine: chunk.startLine,
        endLine: chunk.endLine,
        score,
        language: chunk.language,
        kind: chunk.kind,
        text: chunk.text,
    };
    if (chunk.symbol !== undefined) hit.symbol = chunk.symbol;
    if (chunk.symbolKind !== undefined) hit.symbolKind = chunk.symbolKind;
    return hit;
}

/**
 * Keeps rank order but lets at most `capOf(hit)` hits of a file precede hits from other files; the surplus moves
 * after them (still in rank order), so it is shown only when nothing else is left.
 */
export function diversify(hits: Hit[], capOf: (hit: Hit) => number): Hit[] {
    const kept: Hit[] = [];
    const deferred: Hit[] = [];
    const perFile = new Map<string, number>();
    for (const h of hits) {
        const n = perFile.get(h.path) ?? 0;
        if (n < capOf(h)) {
            kept.push(h);
            perFile.set(h.path, n + 1);
        } else {
            deferred.push(h);
        }
    }
    return kept.concat(deferred);
}
