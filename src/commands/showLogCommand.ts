/** `seek.showLog`: reveals the Seek output channel (the only way it opens). */
import type { Ctx } from "../ctx";

export function showLogCommand(ctx: Ctx): void {
    ctx.log.show();
}
