/**
 * The state line above the results and the empty states: indexing progress (the run's stage, as in the status bar),
 * paused/disabled/error notices with action buttons, and the no-query / no-match pages.
 */
import type { IndexStateDto, SearchModeDto, WebviewAction } from "../../src/protocol/messages";
import { percent, stageSentence, stageText } from "../../src/protocol/stageText";
import { codicon, el } from "./render";

const ACTION_LABELS: Record<WebviewAction, string> = {
    showLog: "Show Log",
    rebuildIndex: "Rebuild Index",
    fetchModel: "Fetch Model",
    resumeIndexing: "Resume Indexing",
    openSettings: "Open Settings",
};

export interface BannerContent {
    kind: "info" | "progress" | "warning" | "error";
    text: string;
    /** A second, quieter sentence (what the state means for searches). */
    detail?: string;
    actions: WebviewAction[];
}

/**
 * The banner for an index state, combined with the file coverage of the results on screen; undefined = no banner.
 * While a run goes, the first sentence is the status bar's stage line ("Keyword index ready · semantic 34% · ~1m20s").
 */
export function indexBanner(index: IndexStateDto | undefined, resultsCoverage: number | undefined): BannerContent | undefined {
    if (!index) return undefined;
    const pct = percent(resultsCoverage ?? index.coverage);
    switch (index.phase) {
        case "indexing": {
            const text = stageSentence(index) ?? "Indexing…";
            const detail =
                index.stage === "semantic"
                    ? "Keyword search works already; results improve as the semantic stage runs."
                    : `Keyword search covers what is indexed so far (searched ${pct}% of the workspace); search by meaning follows.`;
            return { kind: "progress", text, detail, actions: [] };
        }
        case "starting":
            return { kind: "progress", text: "Opening the index…", actions: [] };
        case "paused": {
            const stage = stageText(index);
            return { kind: "info", text: `Indexing is paused${stage ? ` (${stage})` : ""}; searches cover ${pct}% of the workspace.`, actions: ["resumeIndexing"] };
        }
        case "disabled":
            return { kind: "info", text: index.message ?? "Indexing is turned off.", actions: ["openSettings"] };
        case "error":
            return { kind: "error", text: index.message ?? "Seek could not index this workspace.", actions: index.actions ?? ["rebuildIndex", "showLog"] };
        case "noFolder":
            return { kind: "info", text: "Open a folder to search it by meaning.", actions: [] };
        case "idle":
            return resultsCoverage !== undefined && resultsCoverage < 1
                ? { kind: "info", text: `These results searched ${pct}% of the workspace.`, actions: [] }
                : undefined;
    }
}

export function renderBanner(host: HTMLElement, content: BannerContent | undefined, onAction: (a: WebviewAction) => void): void {
    host.replaceChildren();
    host.hidden = content === undefined;
    if (!content) return;
    host.className = `banner banner-${content.kind}`;
    const icon = content.kind === "progress" ? "sync~spin" : content.kind === "error" ? "error" : content.kind === "warning" ? "warning" : "info";
    // "Keyword index ready · semantic 34% · ~1m20s": a narrow sidebar wraps between the parts, never inside one.
    const words = el("span", "banner-text");
    const parts = content.kind === "progress" ? content.text.split(" · ") : [content.text];
    parts.forEach((part, i) => words.append(...(i > 0 ? [" · "] : []), el("span", parts.length > 1 ? "banner-part" : "", part)));
    if (content.detail) words.append(el("span", "banner-detail", content.detail));
    host.append(codicon(icon.replace("~spin", ""), icon.endsWith("~spin") ? "codicon-modifier-spin" : ""), words);
    for (const a of content.actions) {
        const b = el("button", "banner-action", ACTION_LABELS[a]);
        b.type = "button";
        b.addEventListener("click", () => onAction(a));
        host.append(b);
    }
}

/** The page shown instead of results: before the first query, when nothing matched, or when nothing is in scope. */
export function renderEmpty(host: HTMLElement, kind: "welcome" | "noMatches" | "noScope" | "none", query: string, mode: SearchModeDto): void {
    host.replaceChildren();
    host.hidden = kind === "none";
    if (kind === "welcome") {
        host.append(
            codicon("search", "empty-icon"),
            el("p", "empty-title", "Search your workspace by meaning"),
            el("p", "empty-hint", "Describe what the code does, e.g. “retry a failed upload with backoff” or “where are sessions validated”."),
            el("p", "empty-hint", "Press / to focus the query, ↑ ↓ to move through results, Enter to open, → to show a snippet, Shift+Enter to find similar code."),
        );
    } else if (kind === "noMatches") {
        // Advice that fits the mode: Keyword mode cannot be told to switch to Keyword mode.
        const hint =
            mode === "lexical"
                ? "Keyword mode matches words exactly. Try other words or a shorter query, widen the scope filters, or switch to Hybrid to match by meaning."
                : "Try other words, widen the scope filters, or switch to Keyword mode for exact identifiers.";
        host.append(codicon("circle-slash", "empty-icon"), el("p", "empty-title", `No matches for “${query}”.`), el("p", "empty-hint", hint));
    } else if (kind === "noScope") {
        host.append(
            codicon("filter", "empty-icon"),
            el("p", "empty-title", "Code and Docs are both unchecked."),
            el("p", "empty-hint", "Nothing is searched. Check Code, Docs or both to see results."),
        );
    }
}

/** The weak-match notice above the results (undefined hides it). */
export function renderNotice(host: HTMLElement, text: string | undefined): void {
    host.replaceChildren();
    host.hidden = text === undefined;
    if (text !== undefined) host.append(codicon("warning"), el("span", "notice-text", text));
}
