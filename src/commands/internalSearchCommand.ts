/**
 * `seek._search` (hidden): runs a search through the same SearchService call the QuickPick and the webviews use and
 * returns the outcome (0-based lines, like the webview protocol). For integration tests and automation.
 * Arguments: (query: string, options?: { mode?: "hybrid" | "vector" | "lexical", scope?: ScopeDto, top?: number }).
 */
import type { Ctx } from "../ctx";
import type { SearchOutcome } from "../indexing/searchService";
import { isScope, SEARCH_MODES, type SearchModeDto } from "../protocol/messages";

export async function internalSearchCommand(ctx: Ctx, query: unknown, options?: unknown): Promise<SearchOutcome> {
    if (typeof query !== "string") throw new Error("seek._search: the first argument must be the query string");
    const o = (typeof options === "object" && options !== null ? options : {}) as Record<string, unknown>;
    const mode = SEARCH_MODES.includes(o.mode as SearchModeDto) ? (o.mode as SearchModeDto) : ctx.config.get("search.mode");
    const top = typeof o.top === "number" && o.top > 0 ? Math.floor(o.top) : ctx.defaults().maxResults;
    return ctx.search.search({ query, mode, top, scope: isScope(o.scope) ? o.scope : undefined });
}
