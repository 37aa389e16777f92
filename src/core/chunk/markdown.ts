/**
 * Docs chunking by heading sections. Each section's symbol is its heading path ("Install > From source"); a
 * section over the budget is split between paragraphs (never inside a fence unless the fence alone is too big),
 * each piece keeping the path; tiny sections are merged with the next one under their common parent.
 */
import { outline, type DocFlavor, type Heading } from "./headings";
import { lineWindows, type SourceLines } from "./lines";
import type { Piece } from "./pieces";

/** Separator of heading titles in a section's symbol. */
export const HEADING_PATH_SEPARATOR = " > ";

/**
 * Estimated tokens under which a section counts as tiny (a heading and a line or so) and is merged with the next one.
 * Kept small: sections are the natural unit of docs retrieval, and merging real sections blurs their vectors and
 * loses their heading path (measured on the fixture README: "proxy settings" fell out of the top 3).
 */
const TINY_SECTION_TOKENS = 32;

interface Section {
    start: number;
    end: number;
    /** Heading titles from the top level down; empty for the text before the first heading. */
    path: string[];
}

/** Options for {@link docPieces}. */
export interface DocOptions {
    maxTokens: number;
    overlapLines: number;
}

/**
 * Pieces for a document, or undefined when an RST or AsciiDoc file has no titles (the caller then uses line
 * windows).
 */
export function docPieces(
    src: SourceLines,
    flavor: DocFlavor,
    opts: DocOptions,
): Piece[] | undefined {
    const { headings, fenced } = outline(src, flavor);
    // Markdown without headings is still split between paragraphs; RST/AsciiDoc without titles use windows.
    if (headings.length === 0 && flavor !== "markdown") return undefined;
    const sections = toSections(src, headings);
    const pieces: Array<Piece & { path: string[] }> = [];
    for (const s of sections) {
        const parts =
            src.tokens(s.start, s.end) <= opts.maxTokens
                ? [{ start: s.start, end: s.end }]
                : splitSection(src, s, fenced, opts);
        for (const p of parts) pieces.push({ ...p, path: s.path, named: s.path.length > 0 });
    }
    return mergeTiny(src, pieces, opts.maxTokens).map(({ path, ...p }) => withSymbol(p, path));
}

function withSymbol(p: Piece, path: string[]): Piece {
    if (path.length === 0) return { ...p, named: false };
    return { ...p, symbol: path.join(HEADING_PATH_SEPARATOR), symbolKind: "section", named: true };
}

/** Sections from heading to heading (trimmed of blank lines), with the heading path of each. */
function toSections(src: SourceLines, headings: Heading[]): Section[] {
    const sections: Section[] = [];
    const stack: Heading[] = [];
    const add = (start: number, end: number, path: string[]) => {
        const r = src.trim(start, end);
        if (r) sections.push({ ...r, path });
    };
    add(0, (headings[0]?.line ?? src.count) - 1, []);
    headings.forEach((h, k) => {
        while (stack.length > 0 && stack[stack.length - 1].level >= h.level) stack.pop();
        stack.push(h);
        const end = k + 1 < headings.length ? headings[k + 1].line - 1 : src.count - 1;
        add(
            h.line,
            end,
            stack.map((x) => x.title || "(untitled)"),
        );
    });
    return sections;
}

/** Cuts a big section between blocks (paragraphs, fences) into pieces within budget. */
function splitSection(
    src: SourceLines,
    s: Section,
    fenced: Uint8Array,
    opts: DocOptions,
): Array<{ start: number; end: number }> {
    const out: Array<{ start: number; end: number }> = [];
    let open: { start: number; end: number } | undefined;
    for (const block of blocks(src, s.start, s.end, fenced)) {
        if (open && src.tokens(open.start, block.end) <= opts.maxTokens) {
            open.end = block.end;
            continue;
        }
        if (open) out.push(open);
        open = undefined;
        if (src.tokens(block.start, block.end) <= opts.maxTokens) {
            open = { ...block };
            continue;
        }
        const windows = lineWindows(src, block.start, block.end, {
            maxTokens: opts.maxTokens,
            maxLines: Infinity,
            overlapLines: opts.overlapLines,
        });
        out.push(...windows);
    }
    if (open) out.push(open);
    return out;
}

/** Runs of non-blank lines; blank lines inside a fence do not end a block. */
function blocks(
    src: SourceLines,
    start: number,
    end: number,
    fenced: Uint8Array,
): Array<{ start: number; end: number }> {
    const out: Array<{ start: number; end: number }> = [];
    let i = start;
    while (i <= end) {
        while (i <= end && src.isBlank(i) && !fenced[i]) i++;
        if (i > end) break;
        const b = i;
        while (i <= end && (!src.isBlank(i) || fenced[i])) i++;
        const r = src.trim(b, i - 1);
        if (r) out.push(r);
    }
    return out;
}

/** Longest common prefix of two heading paths; the path-less preamble is compatible with anything. */
function commonPath(a: string[], b: string[]): string[] | undefined {
    if (a.length === 0) return b;
    if (b.length === 0) return a;
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n > 0 ? a.slice(0, n) : undefined;
}

/**
 * Merges a tiny piece (a heading with a line or two, a short preamble) into the piece after it when both share a
 * parent heading and the result fits the budget; the merged piece is named by the common parent path.
 */
function mergeTiny<P extends Piece & { path: string[] }>(
    src: SourceLines,
    pieces: P[],
    maxTokens: number,
): P[] {
    const tiny = Math.min(TINY_SECTION_TOKENS, Math.floor(maxTokens / 4));
    const out: P[] = [];
    for (const p of pieces) {
        const last = out[out.length - 1];
        if (
            last &&
            last.text === undefined &&
            p.text === undefined &&
            p.start > last.end &&
            src.tokens(last.start, last.end) <= tiny
        ) {
            // A parent's short intro merged into its first subsection is named by the subsection.
            const path = isPrefix(last.path, p.path) ? p.path : commonPath(last.path, p.path);
            if (path && src.tokens(last.start, p.end) <= maxTokens) {
                out[out.length - 1] = { ...p, start: last.start, path };
                continue;
            }
        }
        out.push(p);
    }
    return out;
}

function isPrefix(parent: string[], child: string[]): boolean {
    return parent.length <= child.length && parent.every((t, i) => t === child[i]);
}
