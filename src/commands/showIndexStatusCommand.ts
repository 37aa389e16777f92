/** `seek.showIndexStatus`: the index at a glance (files, chunks, languages, semantic coverage, skipped files). */
import type { Ctx } from "../ctx";
import type { IndexStatusDto } from "../protocol/indexStatus";
import { IndexStatusPanel } from "../views/indexStatusView";

/** Resolves with the report the panel shows (the integration tests read it). */
export function showIndexStatusCommand(ctx: Ctx): Promise<IndexStatusDto> {
    return IndexStatusPanel.createOrShow(ctx);
}
