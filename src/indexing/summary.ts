/**
 * Folds the per-folder states into the one state the status bar and the webviews show.
 */
import { describeError } from "../commands/reportError";
import type { IndexStateDto } from "../protocol/messages";
import type { FolderIndex, FolderPhase } from "./folderIndex";

/** When folders disagree, the phase shown is the first of these that any folder is in. */
const PHASE_PRIORITY: FolderPhase[] = ["indexing", "starting", "error", "paused", "disabled", "idle"];

export function summarize(folders: FolderIndex[], enabled: boolean): IndexStateDto {
    if (folders.length === 0) return { phase: "noFolder", filesDone: 0, filesTotal: 0, coverage: 0 };
    let done = 0;
    let total = 0;
    for (const f of folders) {
        const c = f.counts();
        done += c.done;
        total += c.total;
    }
    const phase = PHASE_PRIORITY.find((p) => folders.some((f) => f.phase === p)) ?? "idle";
    const state: IndexStateDto = { phase, filesDone: done, filesTotal: total, coverage: total > 0 ? Math.min(1, done / total) : phase === "idle" ? 1 : 0 };
    const running = folders.find((f) => f.phase === "indexing");
    if (running?.progress?.etaSeconds !== undefined) state.etaSeconds = running.progress.etaSeconds;
    const failed = folders.find((f) => f.phase === "error");
    if (phase === "error" && failed) {
        const d = describeError(failed.error);
        state.message = folders.length > 1 ? `${failed.folder.name}: ${d.message}` : d.message;
        state.actions = d.actions;
    }
    else if (phase === "disabled" || !enabled) state.message = "Indexing is turned off (seek.indexing.enabled). Search uses the existing index.";
    return state;
}
