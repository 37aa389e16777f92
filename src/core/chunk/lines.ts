/**
 * Line bookkeeping shared by every chunker, and the line-window chunker used for everything without structure
 * (and as the fallback inside structured files for ranges over the token budget).
 */
import type { Piece } from "./piece";
import { rawTokenUnits, unitsToTokens } from "./tokens";

/**
 * A file split into lines (on `\n` or `\r\n`, the same split the engine uses to cut a range for `similar`), with
 * per-line token estimates and prefix sums so any line range is estimated in O(1). Indices are 0-based.
 */
export class SourceLines {
    readonly lines: string[];
    private readonly prefix: Float64Array;

    constructor(text: string) {
        this.lines = text.split(/\r?\n/);
        // A final newline ends the last line; it does not start an empty one.
        if (this.lines.length > 1 && this.lines[this.lines.length - 1] === "") this.lines.pop();
        this.prefix = new Float64Array(this.lines.length + 1);
        for (let i = 0; i < this.lines.length; i++)
            this.prefix[i + 1] = this.prefix[i] + rawTokenUnits(this.lines[i]);
    }

    get count(): number {
        return this.lines.length;
    }

    /** Estimated tokens of lines start..end (inclusive). */
    tokens(start: number, end: number): number {
        return end < start ? 0 : unitsToTokens(this.prefix[end + 1] - this.prefix[start]);
    }

    isBlank(i: number): boolean {
        return this.prefix[i + 1] === this.prefix[i] && this.lines[i].trim() === "";
    }

    /** The text of lines start..end (inclusive), joined with `\n`. */
    text(start: number, end: number): string {
        return this.lines.slice(start, end + 1).join("\n");
    }

    /** The range narrowed to its first and last non-blank lines, or undefined when all blank. */
    trim(start: number, end: number): { start: number; end: number } | undefined {
        while (start <= end && this.isBlank(start)) start++;
        while (end >= start && this.isBlank(end)) end--;
        return start <= end ? { start, end } : undefined;
    }
}

/** How to cut a range into windows. */
export interface WindowOptions {
    maxTokens: number;
    /** Most lines per window (Infinity: only the token budget limits). */
    maxLines: number;
    /** Lines repeated at the start of the next window, for context across the cut. */
    overlapLines: number;
    symbol?: string;
    symbolKind?: string;
    /** Whether the windows are parts of a named unit (default: when a symbol is given). */
    named?: boolean;
}

/**
 * Cuts lines start..end into windows of at most `maxLines` lines and `maxTokens` estimated tokens, overlapping by
 * up to `overlapLines`. A single line over the budget (minified code, a data blob) is cut by characters into
 * several pieces that all refer to that line. Blank lines never start or end a window. Linear in the range size.
 */
export function lineWindows(
    src: SourceLines,
    start: number,
    end: number,
    opts: WindowOptions,
): Piece[] {
    const out: Piece[] = [];
    const named = opts.named ?? opts.symbol !== undefined;
    let i = start;
    while (i <= end) {
        while (i <= end && src.isBlank(i)) i++;
        if (i > end) break;
        if (src.tokens(i, i) > opts.maxTokens) {
            for (const text of splitLongLine(src.lines[i], opts.maxTokens)) {
                out.push({
                    start: i,
                    end: i,
                    symbol: opts.symbol,
                    symbolKind: opts.symbolKind,
                    named,
                    text,
                });
            }
            i++;
            continue;
        }
        let j = i + 1;
        while (j <= end && j - i < opts.maxLines && src.tokens(i, j) <= opts.maxTokens) j++;
        const range = src.trim(i, j - 1);
        if (range)
            out.push({
                start: range.start,
                end: range.end,
                symbol: opts.symbol,
                symbolKind: opts.symbolKind,
                named,
            });
        if (j > end) break;
        i = nextWindowStart(src, i, j, opts);
    }
    return out;
}

/** Start of the window after [i, j): back off up to overlapLines, keeping room for line j; always advances. */
function nextWindowStart(src: SourceLines, i: number, j: number, opts: WindowOptions): number {
    if (src.tokens(j, j) > opts.maxTokens) return j;
    // At most a quarter of the window repeats, so short windows (long lines) do not mostly duplicate each other.
    let k = Math.min(opts.overlapLines, Math.floor((j - i) / 4));
    while (k > 0 && (src.tokens(j - k, j) > opts.maxTokens || k + 1 > opts.maxLines)) k--;
    return j - k;
}

/** Where a hard cut looks back for a nicer place to break (whitespace or punctuation), as a share of the piece. */
const BREAK_SEARCH_SHARE = 0.2;

/**
 * Cuts one over-long line into pieces of at most maxTokens estimated tokens each. The first guess is scaled from
 * the line's average characters per token and then shrunk until it fits, so the whole line costs O(length).
 * Whitespace-only pieces are dropped.
 */
export function splitLongLine(line: string, maxTokens: number): string[] {
    const pieces: string[] = [];
    const total = unitsToTokens(rawTokenUnits(line));
    const charsPerToken = Math.max(1, line.length / Math.max(1, total));
    let pos = 0;
    while (pos < line.length) {
        let len = Math.min(line.length - pos, Math.max(1, Math.floor(maxTokens * charsPerToken)));
        let est = unitsToTokens(rawTokenUnits(line, pos, pos + len));
        while (est > maxTokens && len > 1) {
            len = Math.max(1, Math.min(len - 1, Math.floor((len * maxTokens) / est)));
            est = unitsToTokens(rawTokenUnits(line, pos, pos + len));
        }
        if (pos + len < line.length) len = niceBreak(line, pos, len);
        // Never cut a surrogate pair in half.
        const last = line.charCodeAt(pos + len - 1);
        if (len > 1 && last >= 0xd800 && last <= 0xdbff) len--;
        const piece = line.slice(pos, pos + len);
        if (piece.trim() !== "") pieces.push(piece);
        pos += len;
    }
    return pieces;
}

/** Moves a cut back to just after whitespace or punctuation if one is near the end of the piece. */
function niceBreak(line: string, pos: number, len: number): number {
    const floor = Math.floor(len * (1 - BREAK_SEARCH_SHARE));
    for (let k = len; k > floor && k > 1; k--) {
        const c = line.charCodeAt(pos + k - 1);
        if (c === 32 || c === 9 || c === 59 || c === 44 || c === 125 || c === 41) return k; // space tab ; , } )
    }
    return len;
}
