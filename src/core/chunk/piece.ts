/**
 * The chunkers' intermediate unit (see pieces.ts), in a file of its own so that line windows (lines.ts) and the
 * piece merging (pieces.ts) can both use it without importing each other.
 */

/** A candidate chunk: lines start..end (0-based, inclusive). */
export interface Piece {
    start: number;
    end: number;
    symbol?: string;
    symbolKind?: string;
    /** True for a syntax unit or doc section (its symbol names it); false for the code between units. */
    named: boolean;
    /** Set when the piece is one part of a single over-long line (start === end); never merged. */
    text?: string;
    /** For a class header (`class A {` before its first member): glue it to the piece after, not before. */
    leadsNext?: boolean;
}
