/**
 * Draws the state line above the results (its words: bannerContent.ts) with its action buttons, and the empty
 * states: the no-query / no-match / no-scope pages and the weak-match notice.
 */
import type { BannerAction, SearchModeDto } from "../../src/protocol/messages";
import type { BannerContent } from "./bannerContent";
import { codicon, el } from "./render";

const ACTION_LABELS: Record<BannerAction, string> = {
    showLog: "Show Log",
    rebuildIndex: "Rebuild Index",
    fetchModel: "Fetch Model",
    resumeIndexing: "Resume Indexing",
    openSettings: "Open Settings",
    showIndexStatus: "Show Index Status",
};

export function renderBanner(host: HTMLElement, content: BannerContent | undefined, onAction: (a: BannerAction) => void): void {
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

/**
 * The page shown instead of results: before the first query, when nothing matched, or when nothing is in scope
 * ("none" hides it, e.g. for a folder with nothing to search, which the banner explains).
 */
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
