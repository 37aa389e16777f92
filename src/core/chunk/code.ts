/**
 * Syntax-aware chunking of source code: top-level functions, classes and the like become pieces with their
 * leading comments; a unit over the budget is split into its members (recursively) or, without members, into line
 * windows; the code between units becomes pieces too, so every non-blank line lands in some chunk.
 */
import type { Node } from "@vscode/tree-sitter-wasm";
import { lineWindows, type SourceLines } from "./lines";
import type { Piece } from "./pieces";
import { describeUnit, type SyntaxSpec } from "./syntax";

/** Lines per window for plain code between units (top-level statements), as for text files. */
export const GAP_WINDOW_LINES = 40;

/** How deep to look inside a big statement for the units it wraps (an IIFE, `(module) => { ... }` bundles). */
const NESTED_SEARCH_DEPTH = 5;

/** Most nodes visited in one nested search, so a huge expression with no units stays cheap. */
const NESTED_SEARCH_NODES = 2_000;

/** Parent kind for units found inside a big statement (an IIFE body behaves like a function body). */
const WRAPPED = "function";

/** A unit found in the tree, as a line range that already includes its leading comments. */
interface Unit {
    start: number;
    end: number;
    symbol?: string;
    kind: string;
    /** The unwrapped node (its `body` holds the members). */
    node: Node;
}

/** Everything the walk needs, passed down instead of held in module state. */
export interface CodeContext {
    src: SourceLines;
    spec: SyntaxSpec;
    maxTokens: number;
    overlapLines: number;
}

/** Pieces for a whole file from its syntax tree's root. */
export function codePieces(root: Node, ctx: CodeContext): Piece[] {
    const units = collectUnits(namedChildren(root), ctx, "", undefined);
    return layout(units, 0, ctx.src.count - 1, ctx, undefined);
}

/** The line of a node's last character (a node that ends at column 0 ends on the line before). */
function endRow(n: Node): number {
    const end = n.endPosition;
    return end.column === 0 && end.row > n.startPosition.row ? end.row - 1 : end.row;
}

function namedChildren(n: Node): Node[] {
    return n.namedChildren.filter((c): c is Node => c !== null);
}

/**
 * The items inside a unit or container: the children of its `body` (or its own children when it has none), plus
 * attachable nodes that sit between the header and the body (Ruby puts a class's first comment there).
 */
function memberNodes(n: Node, spec: SyntaxSpec): Node[] {
    const body = n.childForFieldName("body");
    if (!body) return namedChildren(n);
    const before = namedChildren(n).filter(
        (c) => spec.attachable.has(c.type) && c.startIndex < body.startIndex,
    );
    return [...before, ...namedChildren(body)];
}

/**
 * Units among sibling nodes, in order, with leading comments/decorators glued on. Containers are walked through;
 * a big plain statement is searched for the units it wraps. Line ranges never overlap.
 */
function collectUnits(
    nodes: Node[],
    ctx: CodeContext,
    prefix: string,
    parentKind: string | undefined,
): Unit[] {
    const out: Unit[] = [];
    let attachStart = -1; // first line of the run of comments directly above the next node, or -1
    let attachEnd = -1;
    let docComment = false; // whether the last comment of that run is a /** doc block */
    let codeEnd = -1; // last line of the previous non-comment node
    for (const node of nodes) {
        const start = node.startPosition.row;
        if (ctx.spec.attachable.has(node.type)) {
            // A comment on the line where code ended is a trailing comment of that code.
            if (start <= codeEnd) continue;
            if (attachStart < 0 || start > attachEnd + 1) attachStart = start;
            attachEnd = Math.max(attachEnd, endRow(node));
            docComment = node.type.includes("comment") && node.text.startsWith("/**");
            continue;
        }
        // Directly above, or a JSDoc block one blank line above (a common JavaScript layout).
        const adjacent = attachEnd >= start - 1 || (docComment && attachEnd === start - 2);
        const leading = attachStart >= 0 && adjacent ? attachStart : start;
        attachStart = -1;
        attachEnd = -1;
        docComment = false;
        codeEnd = endRow(node);
        const container = containerOf(node, ctx.spec);
        if (container) {
            push(out, collectUnits(memberNodes(container, ctx.spec), ctx, prefix, parentKind));
            continue;
        }
        const info = describeUnit(node, ctx.spec, parentKind);
        if (info) {
            const symbol = info.name === undefined ? undefined : prefix + info.name;
            push(out, [
                { start: leading, end: endRow(node), symbol, kind: info.kind, node: info.inner },
            ]);
        } else if (parentKind === undefined && ctx.src.tokens(start, codeEnd) > ctx.maxTokens) {
            push(out, nestedUnits(node, ctx));
        }
    }
    return out;
}

/** The node whose members are walked in place of this one (a namespace, `export namespace`, `#ifdef`), if any. */
function containerOf(node: Node, spec: SyntaxSpec): Node | undefined {
    if (spec.containers.has(node.type)) return node;
    if (!spec.wrappers.has(node.type)) return undefined;
    const inner =
        node.childForFieldName("declaration") ??
        namedChildren(node).find((c) => spec.containers.has(c.type));
    return inner && spec.containers.has(inner.type) ? inner : undefined;
}

/** Appends units, keeping line ranges disjoint (two units can share a line: `a(); function b() {}`). */
function push(out: Unit[], units: Unit[]): void {
    for (const u of units) {
        const prev = out[out.length - 1];
        if (prev && u.start <= prev.end) {
            if (u.end <= prev.end) continue;
            u.start = prev.end + 1;
        }
        out.push(u);
    }
}

/**
 * Units wrapped in a big statement that is not a unit itself: the body of an IIFE or of a bundler's
 * `((module) => { ... })(...)`. Breadth-first over a bounded part of the tree; the first level that holds any
 * unit is walked as a container.
 */
function nestedUnits(node: Node, ctx: CodeContext): Unit[] {
    let level = [node];
    let visited = 0;
    for (let depth = 0; depth < NESTED_SEARCH_DEPTH && level.length > 0; depth++) {
        const next: Node[] = [];
        for (const n of level) {
            const children = namedChildren(n);
            visited += children.length;
            // As inside a function body: nested functions and classes count, local variables do not.
            if (children.some((c) => describeUnit(c, ctx.spec, WRAPPED) !== undefined))
                return collectUnits(children, ctx, "", WRAPPED);
            next.push(
                ...children.filter(
                    (c) => ctx.src.tokens(c.startPosition.row, endRow(c)) > ctx.maxTokens,
                ),
            );
        }
        if (visited > NESTED_SEARCH_NODES) break;
        level = next;
    }
    return [];
}

/**
 * Pieces for lines from..to given the units in it: each unit (expanded when over budget) and the code between
 * units. Gap pieces carry the enclosing unit's symbol as context but are not named.
 */
function layout(
    units: Unit[],
    from: number,
    to: number,
    ctx: CodeContext,
    owner: Unit | undefined,
): Piece[] {
    const pieces: Piece[] = [];
    let cursor = from;
    for (const u of units) {
        if (u.start > cursor) gap(pieces, cursor, u.start - 1, ctx, owner);
        // The header of a split unit (`class A {`, `impl B {`) belongs with its first member.
        if (owner && u === units[0] && pieces.length > 0)
            pieces[pieces.length - 1].leadsNext = true;
        pieces.push(...expand(u, ctx));
        cursor = u.end + 1;
    }
    if (cursor <= to) gap(pieces, cursor, to, ctx, owner);
    return pieces;
}

function gap(
    out: Piece[],
    start: number,
    end: number,
    ctx: CodeContext,
    owner: Unit | undefined,
): void {
    const range = ctx.src.trim(start, end);
    if (!range) return;
    if (ctx.src.tokens(range.start, range.end) <= ctx.maxTokens) {
        out.push({ ...range, symbol: owner?.symbol, symbolKind: owner?.kind, named: false });
        return;
    }
    out.push(
        ...lineWindows(ctx.src, range.start, range.end, {
            maxTokens: ctx.maxTokens,
            maxLines: owner ? Infinity : GAP_WINDOW_LINES,
            overlapLines: ctx.overlapLines,
            symbol: owner?.symbol,
            symbolKind: owner?.kind,
            named: false,
        }),
    );
}

/** A unit within budget stays whole; a bigger one is split into its members, or else into line windows. */
function expand(u: Unit, ctx: CodeContext): Piece[] {
    if (ctx.src.tokens(u.start, u.end) <= ctx.maxTokens) {
        return [{ start: u.start, end: u.end, symbol: u.symbol, symbolKind: u.kind, named: true }];
    }
    if (u.node.childForFieldName("body")) {
        const prefix = u.symbol === undefined ? "" : `${u.symbol}.`;
        const members = collectUnits(memberNodes(u.node, ctx.spec), ctx, prefix, u.kind).filter(
            (m) => m.start >= u.start && m.end <= u.end,
        );
        if (members.length > 0) return layout(members, u.start, u.end, ctx, u);
    }
    return lineWindows(ctx.src, u.start, u.end, {
        maxTokens: ctx.maxTokens,
        maxLines: Infinity,
        overlapLines: ctx.overlapLines,
        symbol: u.symbol,
        symbolKind: u.kind,
        named: true,
    });
}
