/**
 * DOM for results: every piece of file text goes in through textContent (never innerHTML), so a snippet can't
 * inject markup. The snippet shows a window around the best-matching lines, which are marked; its lines wrap, so a
 * narrow sidebar never needs a scrollbar per result.
 */
import { symbolIcon } from "../../src/protocol/symbolIcons";
import type { HitDto } from "../../src/protocol/messages";
import { tokenizeLine, type ScanState } from "./highlight";

/** Lines of a snippet at most: enough context to recognise the code, small enough to scan many results. */
export const SNIPPET_LINES = 10;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
}

export function codicon(name: string, extra = ""): HTMLSpanElement {
    const span = el("span", `codicon codicon-${name}${extra ? ` ${extra}` : ""}`);
    span.setAttribute("aria-hidden", "true");
    return span;
}

/** The lines (0-based, absolute) to show: a window starting a little above the first best line. */
export function snippetWindow(hit: HitDto): { from: number; to: number } {
    const total = hit.endLine - hit.startLine + 1;
    if (total <= SNIPPET_LINES) return { from: hit.startLine, to: hit.endLine };
    const best = hit.bestLines.filter((l) => l >= hit.startLine && l <= hit.endLine);
    const anchor = best.length > 0 ? Math.min(...best) : hit.startLine;
    const from = Math.max(hit.startLine, Math.min(anchor - 2, hit.endLine - SNIPPET_LINES + 1));
    return { from, to: from + SNIPPET_LINES - 1 };
}

function snippet(hit: HitDto): HTMLElement {
    const pre = el("div", "snippet");
    pre.setAttribute("aria-hidden", "true");
    const lines = hit.text.split(/\r?\n/);
    const { from, to } = snippetWindow(hit);
    const shown = lines.slice(from - hit.startLine, to - hit.startLine + 1);
    const indent = Math.min(...shown.filter((l) => l.trim() !== "").map((l) => /^\s*/.exec(l)?.[0].length ?? 0), 80);
    const best = new Set(hit.bestLines);
    const state: ScanState = {};
    // Scan the lines above the window too, so a comment or string opened there is coloured correctly.
    for (const l of lines.slice(0, from - hit.startLine)) tokenizeLine(l, hit.language, state);
    shown.forEach((text, k) => {
        const lineNo = from + k;
        const row = el("div", best.has(lineNo) ? "line best" : "line");
        row.append(el("span", "ln", String(lineNo + 1)));
        const code = el("span", "code");
        for (const t of tokenizeLine(text.slice(Number.isFinite(indent) ? indent : 0), hit.language, state)) {
            code.append(t.cls === "plain" ? document.createTextNode(t.text) : el("span", `tok-${t.cls}`, t.text));
        }
        row.append(code);
        pre.append(row);
    });
    return pre;
}

export interface HitHandlers {
    open(index: number): void;
    similar(index: number): void;
    /** Shows or hides the row's snippet (the sidebar starts with them hidden). */
    toggle(index: number): void;
}

/** How a row is drawn: the sidebar is compact (snippet on demand), the panel shows every snippet. */
export interface RowOptions {
    multiRoot: boolean;
    expanded: boolean;
    /** Total rows, for aria-setsize. */
    count: number;
}

/** First non-blank line of a hit, trimmed: the row's title when the chunk has no symbol. */
export function firstLine(text: string): string {
    return (text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "").trim();
}

/** Keys a focused row answers to (announced by screen readers through aria-keyshortcuts). */
export const ROW_KEYS = "Enter Shift+Enter ArrowRight ArrowLeft Space";

/**
 * One result row. Two short lines (title with strength; file:line with its folder), then the snippet, hidden until
 * expanded where the surface is compact. Buttons are for the mouse: the row's keys (ROW_KEYS) do the same.
 */
export function renderHit(hit: HitDto, index: number, opts: RowOptions, handlers: HitHandlers): HTMLLIElement {
    const li = el("li", "hit");
    li.id = `hit-${index}`;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.setAttribute("aria-posinset", String(index + 1));
    li.setAttribute("aria-setsize", String(opts.count));
    li.setAttribute("aria-expanded", String(opts.expanded));
    li.setAttribute("aria-keyshortcuts", ROW_KEYS);
    li.tabIndex = -1;
    li.dataset.index = String(index);
    li.dataset.path = hit.path;
    if (hit.strength) li.dataset.band = hit.strength.band;

    const head = el("div", "hit-head");
    const toggle = iconButton(opts.expanded ? "chevron-down" : "chevron-right", opts.expanded ? "Hide snippet" : "Show snippet", "hit-toggle");
    toggle.addEventListener("click", (e) => {
        e.stopPropagation();
        handlers.toggle(index);
    });
    const title = hit.symbol ? el("span", "hit-title hit-symbol", hit.symbol) : el("span", "hit-title hit-line", firstLine(hit.text));
    title.title = hit.symbol ? `${hit.symbol} — ${firstLine(hit.text)}` : firstLine(hit.text);
    head.append(toggle, codicon(symbolIcon(hit.symbolKind, hit.kind, "book"), "hit-icon"), title, el("span", "hit-spacer"));
    if (hit.strength) {
        const badge = el("span", `hit-strength strength-${hit.strength.band}`);
        const meter = el("span", "meter");
        meter.setAttribute("aria-hidden", "true");
        meter.append(el("span"), el("span"), el("span"));
        badge.append(meter, el("span", "strength-label", hit.strength.label));
        badge.title = `Match strength ${hit.strength.reason}`;
        head.append(badge);
    }
    const similar = iconButton("references", "Find Similar (Shift+Enter)", "hit-similar");
    similar.addEventListener("click", (e) => {
        e.stopPropagation();
        handlers.similar(index);
    });
    head.append(similar);

    const where = el("div", "hit-where");
    const parts = hit.path.split("/");
    const file = parts.pop() ?? hit.path;
    const dir = `${opts.multiRoot ? `${hit.folderName}/` : ""}${parts.join("/")}`;
    const lines = hit.endLine > hit.startLine ? `:${hit.startLine + 1}–${hit.endLine + 1}` : `:${hit.startLine + 1}`;
    const fileSpan = el("span", "hit-file", file);
    fileSpan.append(el("span", "hit-lines", lines));
    where.append(fileSpan);
    if (dir) where.append(el("span", "hit-dir", dir));
    where.title = `${dir ? `${dir}/` : ""}${file}${lines}`;

    const strength = hit.strength ? `, ${hit.strength.reason}` : "";
    li.setAttribute("aria-label", `${hit.symbol ?? firstLine(hit.text)}, ${hit.path} line ${hit.startLine + 1}${strength}`);
    li.append(head, where);
    if (opts.expanded) li.append(snippet(hit));
    li.addEventListener("click", () => handlers.open(index));
    return li;
}

/** A codicon button for the mouse; keyboard users have the row's keys, so it stays out of the tab order. */
function iconButton(icon: string, label: string, className: string): HTMLButtonElement {
    const b = el("button", `${className} icon-button`);
    b.type = "button";
    b.title = label;
    b.tabIndex = -1;
    b.setAttribute("aria-hidden", "true");
    b.append(codicon(icon));
    return b;
}
