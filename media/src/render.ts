/**
 * DOM for results: every piece of file text goes in through textContent (never innerHTML), so a snippet can't
 * inject markup. The snippet shows a window around the best-matching lines, which are marked.
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
}

/** One result row: head (icon, symbol, path:lines, score, Find Similar button) and the snippet. */
export function renderHit(hit: HitDto, index: number, multiRoot: boolean, handlers: HitHandlers): HTMLLIElement {
    const li = el("li", "hit");
    li.id = `hit-${index}`;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.tabIndex = -1;
    li.dataset.index = String(index);
    const head = el("div", "hit-head");
    const icon = symbolIcon(hit.symbolKind, hit.kind, "book");
    head.append(codicon(icon, "hit-icon"));
    // Title: the symbol, else the file name; the full path goes on its own line so narrow sidebars keep both.
    head.append(hit.symbol ? el("span", "hit-symbol", hit.symbol) : el("span", "hit-file", hit.path.split("/").pop() ?? hit.path));
    head.append(el("span", "hit-spacer"));
    const score = el("span", "hit-score", hit.score.toFixed(3));
    score.title = "Relevance score";
    const similar = el("button", "hit-similar icon-button");
    similar.type = "button";
    similar.title = "Find Similar";
    similar.setAttribute("aria-label", `Find code similar to ${hit.symbol ?? hit.path}`);
    similar.tabIndex = -1;
    similar.append(codicon("references"));
    similar.addEventListener("click", (e) => {
        e.stopPropagation();
        handlers.similar(index);
    });
    head.append(score, similar);
    const where = el("div", "hit-where");
    const path = el("span", "hit-path", `${multiRoot ? `${hit.folderName}/` : ""}${hit.path}`);
    path.title = path.textContent ?? "";
    const lines = el("span", "hit-lines", hit.endLine > hit.startLine ? `:${hit.startLine + 1}–${hit.endLine + 1}` : `:${hit.startLine + 1}`);
    where.append(path, lines);
    li.setAttribute("aria-label", `${hit.symbol ? `${hit.symbol}, ` : ""}${hit.path} line ${hit.startLine + 1}, score ${hit.score.toFixed(2)}`);
    li.append(head, where, snippet(hit));
    li.addEventListener("click", () => handlers.open(index));
    return li;
}
