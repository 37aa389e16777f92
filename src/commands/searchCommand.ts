/** `seek.search`: the live QuickPick. An optional string argument pre-fills the query. */
import type { Ctx } from "../ctx";
import { showQuickSearch } from "../views/quickSearch";
import { ensureIndex } from "./ensureIndex";

export async function searchCommand(ctx: Ctx, query?: unknown): Promise<void> {
    if (!ensureIndex(ctx, "search")) return;
    await showQuickSearch(ctx, typeof query === "string" ? query : "");
}
