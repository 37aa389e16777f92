/** `seek.resumeIndexing`: an incremental run picks up where the catalog says. */
import type { Ctx } from "../ctx";

export function resumeIndexingCommand(ctx: Ctx): void {
    ctx.index.resume();
}
