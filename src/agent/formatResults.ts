/**
 * Ranked hits -> the compact text an agent reads: one location line per hit (workspace-relative path, 1-based line
 * range, symbol), then a few numbered lines around the lines that matched best, all within a character budget.
 * Locations come first in the budget: an agent that knows where to look can read the file itself, while a snippet
 * without its neighbours' locations hides the other answers. Pure.
 */
import { allWeak, strengthText, weakMatchesNotice } from "../core/search/strength";
import type { Hit } from "../core/types";
import { describeIndex, type IndexNote } from "./indexNote";

/** One result, 1-based inclusive lines, path relative to the workspace (POSIX). */
export interface AgentHit {
    path: string;
    startLine: number;
    endLine: number;
    symbol?: string;
    symbolKind?: string;
    /** The hit's text: lines startLine..endLine. */
    text: string;
    /** 1-based lines that matched the query best (core/search/bestLines.ts). */
    bestLines?: number[];
    /** Match strength 0..100, the number every human surface shows (core/search/strength.ts). */
    strength?: number;
}

export interface FormatRequest {
    /** First line of the answer, e.g. `Seek search "retry uploads"`. */
    title: string;
    hits: AgentHit[];
    index: IndexNote;
    maxChars: number;
    /** Said under the coverage line when every hit is weak (see weakNotice), so the agent knows to look elsewhere. */
    weakNotice?: string;
}

export interface FormattedResults {
    text: string;
    /** Hits listed (with or without a snippet). */
    shown: number;
    /** Hits left out to stay within the budget. */
    omitted: number;
    /** Hits refused because their path was not a plain workspace-relative path (never expected; defence in depth). */
    refused: number;
}

/** Snippet lines for the first results; an agent mostly reads the top few. */
const TOP_SNIPPET_LINES = 8;
const TOP_RESULTS = 3;
/** Snippet lines for the rest: enough to recognise the code. */
const REST_SNIPPET_LINES = 4;
/** A snippet shorter than this says too little to be worth its characters. */
const MIN_SNIPPET_LINES = 2;
/** Longer lines (minified code, long strings) are cut: past this, a line rarely helps locate anything. */
const MAX_LINE_CHARS = 160;
/** Lines shown above the first best line, so the snippet opens with some context. */
const LINES_BEFORE_BEST = 1;
/** Room kept for the closing "N more results" line. */
const FOOTER_RESERVE = 160;

/** A path the workspace can hold: relative, POSIX, no `..` and no scheme. Anything else is never shown. */
export function isPlainRelativePath(p: string): boolean {
    if (p === "" || p.includes("\0") || p.includes("\\")) return false;
    if (p.startsWith("/") || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p)) return false;
    return !p.split("/").some((seg) => seg === ".." || seg === ".");
}

export function formatResults(req: FormatRequest): FormattedResults {
    const safe = req.hits.filter((h) => isPlainRelativePath(h.path));
    const refused = req.hits.length - safe.length;
    const head = [req.title + (safe.length === 0 ? ": no results." : `: ${safe.length} result${safe.length === 1 ? "" : "s"}.`), describeIndex(req.index)];
    if (req.weakNotice && safe.length > 0) head.push(req.weakNotice);
    const budget = Math.max(0, req.maxChars - FOOTER_RESERVE);
    let used = lengthOf(head);
    const locations: string[] = [];
    for (const [i, h] of safe.entries()) {
        const line = locationLine(i + 1, h);
        if (used + line.length + 1 > budget) break;
        locations.push(line);
        used += line.length + 1;
    }
    const snippets = locations.map(() => [] as string[]);
    for (let i = 0; i < locations.length; i++) {
        const lines = snippetFitting(safe[i], i < TOP_RESULTS ? TOP_SNIPPET_LINES : REST_SNIPPET_LINES, budget - used);
        snippets[i] = lines;
        used += lengthOf(lines);
    }
    const out = [...head];
    locations.forEach((loc, i) => out.push(loc, ...snippets[i]));
    const omitted = safe.length - locations.length;
    if (omitted > 0) {
        out.push(`(${omitted} more result${omitted === 1 ? "" : "s"} did not fit in ${req.maxChars} characters; raise maxChars, or narrow the search with path or scope.)`);
    }
    return { text: out.join("\n"), shown: locations.length, omitted, refused };
}

function lengthOf(lines: string[]): number {
    return lines.reduce((n, l) => n + l.length + 1, 0);
}

function locationLine(rank: number, h: AgentHit): string {
    const range = h.startLine === h.endLine ? `${h.startLine}` : `${h.startLine}-${h.endLine}`;
    const symbol = h.symbol ? `  ${h.symbol}${h.symbolKind ? ` (${h.symbolKind})` : ""}` : "";
    const strength = h.strength !== undefined ? `  [${strengthText(h.strength)}]` : "";
    return `${rank}. ${h.path}:${range}${symbol}${strength}`;
}

/** The longest snippet of at most `maxLines` lines that fits in `room` characters; none when even the shortest does not. */
function snippetFitting(h: AgentHit, maxLines: number, room: number): string[] {
    for (let n = maxLines; n >= MIN_SNIPPET_LINES; n--) {
        const lines = snippet(h, n);
        if (lengthOf(lines) <= room) return lines;
        if (lines.length < n) n = lines.length;
    }
    return [];
}

/**
 * Up to `maxLines` numbered lines of a hit, starting just above its first best line (else at its first non-blank
 * line), blank lines at the edges dropped, common indentation removed, long lines cut.
 */
export function snippet(h: AgentHit, maxLines: number): string[] {
    const text = h.text.split(/\r?\n/);
    const firstNonBlank = Math.max(0, text.findIndex((l) => l.trim() !== ""));
    const best = h.bestLines?.find((l) => l >= h.startLine && l < h.startLine + text.length);
    let from = best === undefined ? firstNonBlank : Math.max(0, best - h.startLine - LINES_BEFORE_BEST);
    // Near the end of the hit, open the window earlier so it still shows maxLines lines.
    from = Math.max(0, Math.min(from, text.length - maxLines));
    let to = Math.min(text.length, from + maxLines);
    while (from < to && text[from].trim() === "") from++;
    while (to > from && text[to - 1].trim() === "") to--;
    const window = text.slice(from, to);
    const indent = Math.min(...window.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length));
    const width = String(h.startLine + to - 1).length;
    return window.map((l, i) => {
        const body = l.slice(Number.isFinite(indent) ? indent : 0).trimEnd();
        const cut = body.length > MAX_LINE_CHARS ? `${body.slice(0, MAX_LINE_CHARS - 1)}…` : body;
        return `   ${String(h.startLine + from + i).padStart(width)}| ${cut}`;
    });
}

/** A core hit (1-based lines, folder-relative path) as the formatter takes it. */
export function fromCoreHit(h: Hit): AgentHit {
    const out: AgentHit = { path: h.path, startLine: h.startLine, endLine: h.endLine, text: h.text };
    if (h.symbol !== undefined) out.symbol = h.symbol;
    if (h.symbolKind !== undefined) out.symbolKind = h.symbolKind;
    if (h.bestLines !== undefined) out.bestLines = h.bestLines;
    if (h.strength !== undefined) out.strength = h.strength.value;
    return out;
}

/** The human surfaces' sentence for a list of only weak matches (core/search/strength.ts), or undefined. */
export function weakNotice(hits: AgentHit[], subject: string, source: "search" | "similar"): string | undefined {
    return allWeak(hits.map((h) => h.strength)) ? weakMatchesNotice(subject, source) : undefined;
}

/** Queries this long are cut in the answer's title: the agent wrote the query and does not need it back. */
const TITLE_QUERY_CHARS = 80;

export function searchTitle(query: string): string {
    const q = query.replace(/\s+/g, " ");
    return `Seek search "${q.length > TITLE_QUERY_CHARS ? `${q.slice(0, TITLE_QUERY_CHARS - 1)}…` : q}"`;
}

export function similarTitle(path: string, startLine: number, endLine: number): string {
    return `Seek find_similar ${path}:${startLine === endLine ? startLine : `${startLine}-${endLine}`}`;
}
