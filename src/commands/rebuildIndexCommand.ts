/** `seek.rebuildIndex`: deletes every folder's index and builds it again (cancellable notification). */
import type { Ctx } from "../ctx";

export async function rebuildIndexCommand(ctx: Ctx): Promise<void> {
    ctx.log.info("rebuilding every index (user request)");
    await ctx.index.rebuild();
}
