/**
 * The state line above the results and the empty states: indexing progress ("searched 40% of the workspace"),
 * paused/disabled/error notices with action buttons, and the no-query / no-match pages.
 */
import type { IndexStateDto, WebviewAction } from "../../src/protocol/messages";
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
    actions: WebviewAction[];
}

function count(n: number): string {
    return n.toLocaleString("en-US");
}

/** The banner for an index state, combined with the coverage of the results on screen; undefined = no banner. */
export function indexBanner(index: IndexStateDto | undefined, resultsCoverage: number | undefined): BannerContent | undefined {
    if (!index) return undefined;
    const pct = Math.floor(100 * (resultsCoverage ?? index.coverage));
    switch (index.phase) {
        case "indexing": {
            const files = index.filesTotal > 0 ? ` ${count(index.filesDone)}/${count(index.filesTotal)} files` : "";
            return { kind: "progress", text: `Indexing${files}. Searches cover what is indexed so far (searched ${pct}% of the workspace).`, actions: [] };
        }
        case "starting":
            return { kind: "progress", text: "Opening the index…", actions: [] };
        case "paused":
            return { kind: "info", text: `Indexing is paused; searches cover ${pct}% of the workspace.`, actions: ["resumeIndexing"] };
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
    host.append(codicon(icon.replace("~spin", ""), icon.endsWith("~spin") ? "codicon-modifier-spin" : ""), el("span", "banner-text", content.text));
    for (const a of content.actions) {
        const b = el("button", "banner-action", ACTION_LABELS[a]);
        b.type = "button";
        b.addEventListener("click", () => onAction(a));
        host.append(b);
    }
}

/** The page shown instead of results: before the first query, or when nothing matched. */
export function renderEmpty(host: HTMLElement, kind: "welcome" | "noMatches" | "none", query: string): void {
    host.replaceChildren();
    host.hidden = kind === "none";
    if (kind === "welcome") {
        host.append(
            codicon("search", "empty-icon"),
            el("p", "empty-title", "Search your workspace by meaning"),
            el("p", "empty-hint", "Describe what the code does, e.g. “retry a failed upload with backoff” or “where are sessions validated”."),
            el("p", "empty-hint", "Press / to focus the query, ↑ ↓ to move through results, Enter to open. Right-click code and choose Find Similar to find look-alikes."),
        );
    } else if (kind === "noMatches") {
        host.append(
            codicon("circle-slash", "empty-icon"),
            el("p", "empty-title", `No matches for “${query}”.`),
            el("p", "empty-hint", "Try other words, widen the scope filters, or switch to Keyword mode for exact identifiers."),
        );
    }
}
