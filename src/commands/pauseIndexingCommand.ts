/** `seek.pauseIndexing`: stops the run in flight (what is stored stays); search keeps working. */
import type { Ctx } from "../ctx";

export function pauseIndexingCommand(ctx: Ctx): void {
    ctx.index.pause();
}
