/**
 * Pieces are the chunkers' intermediate output: line ranges with a symbol, before tiny neighbours are merged and
 * turned into {@link Chunk}s.
 */
import type { Chunk, FileKind } from "../types";
import type { SourceLines } from "./lines";
import type { Piece } from "./piece";

export type { Piece } from "./piece";

/** Thresholds for merging neighbours. */
export interface MergeLimits {
    maxTokens: number;
    /** Pieces at or under this many tokens are "small": consecutive small pieces are merged up to the budget. */
    smallTokens: number;
    /** Pieces at or under this many tokens (a lone `}` or `end`) join any neighbour that has room. */
    trivialTokens: number;
}

/** Most symbol names listed for a chunk made of several units before the list is cut with "…". */
const MAX_LISTED_SYMBOLS = 3;

interface Group {
    start: number;
    end: number;
    members: Piece[];
    allSmall: boolean;
}

/**
 * Merges runs of small neighbours (imports, constants, one-line functions) into one piece each, up to the budget,
 * and glues trivial pieces to a neighbour (the one before, else the one after). Pieces must be in line order. Parts of an over-long line never merge.
 */
export function mergeSmall(src: SourceLines, pieces: Piece[], limits: MergeLimits): Piece[] {
    // Assumes pieces are disjoint or overlap only between windows of one unit (never merged: see canJoin).
    const groups: Group[] = [];
    for (const p of pieces) {
        const tokens = p.text === undefined ? src.tokens(p.start, p.end) : Infinity;
        const last = groups[groups.length - 1];
        if (last && canJoin(src, last, p, tokens, limits)) {
            last.members.push(p);
            last.end = p.end;
            last.allSmall &&= tokens <= limits.smallTokens;
        } else {
            groups.push({
                start: p.start,
                end: p.end,
                members: [p],
                allSmall: tokens <= limits.smallTokens,
            });
        }
    }
    return groups.map(groupToPiece);
}

function canJoin(
    src: SourceLines,
    g: Group,
    p: Piece,
    tokens: number,
    limits: MergeLimits,
): boolean {
    if (p.text !== undefined || g.members[0].text !== undefined) return false;
    if (p.start <= g.end) return false; // overlapping windows of one big unit
    if (src.tokens(g.start, p.end) > limits.maxTokens) return false;
    if (g.members.length === 1 && src.tokens(g.start, g.end) <= limits.trivialTokens) return true;
    // A header goes with what follows it; only other headers (nested `module A` / `class B`) may precede it.
    if (p.leadsNext) return g.members.every((m) => m.leadsNext);
    if (tokens <= limits.trivialTokens) return true;
    return g.allSmall && tokens <= limits.smallTokens;
}

/**
 * One piece for a group: its range, named after its named members and headers (`Order, Order.Id`), or after the
 * enclosing unit when it holds only code between units. The kind is that of the first name listed.
 */
function groupToPiece(g: Group): Piece {
    if (g.members.length === 1) return { ...g.members[0], leadsNext: undefined };
    const named = g.members.filter((m) => (m.named || m.leadsNext) && m.symbol !== undefined);
    const piece: Piece = { start: g.start, end: g.end, named: named.length > 0 };
    const first = named[0] ?? g.members.find((m) => m.symbol !== undefined);
    if (!first) return piece;
    const names = [...new Set(named.map((m) => m.symbol as string))];
    if (names.length === 0) names.push(first.symbol as string);
    piece.symbol =
        names.length > MAX_LISTED_SYMBOLS
            ? `${names.slice(0, MAX_LISTED_SYMBOLS).join(", ")}, …`
            : names.join(", ");
    piece.symbolKind = first.symbolKind;
    return piece;
}

/** Turns pieces into chunks; symbol fields are omitted (not undefined) when unknown. */
export function piecesToChunks(
    src: SourceLines,
    pieces: Piece[],
    path: string,
    language: string,
    kind: FileKind,
): Chunk[] {
    return pieces.map((p) => {
        const chunk: Chunk = {
            path,
            startLine: p.start + 1,
            endLine: p.end + 1,
            language,
            kind,
            text: p.text ?? src.text(p.start, p.end),
        };
        if (p.symbol !== undefined) chunk.symbol = p.symbol;
        if (p.symbolKind !== undefined) chunk.symbolKind = p.symbolKind;
        return chunk;
    });
}
