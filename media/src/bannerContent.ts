/**
 * What the state line above the results says for an index state: pure data, no DOM, so the unit tests can check
 * every phase (test/unit/webviewBanner.test.ts). banner.ts draws it.
 */
import type { BannerAction, IndexStateDto } from "../../src/protocol/messages";
import { isEmptyIndex, percent, stageSentence, stageText } from "../../src/protocol/stageText";

export interface BannerContent {
    kind: "info" | "progress" | "warning" | "error";
    text: string;
    /** A second, quieter sentence (what the state means for searches). */
    detail?: string;
    actions: BannerAction[];
}

/**
 * The banner for an index state, combined with the file coverage of the results on screen; undefined = no banner.
 * While a run goes, the first sentence is the status bar's stage line ("Keyword index ready · semantic 34% · ~1m20s").
 */
export function indexBanner(index: IndexStateDto | undefined, resultsCoverage: number | undefined): BannerContent | undefined {
    if (!index) return undefined;
    const pct = percent(resultsCoverage ?? index.coverage);
    switch (index.phase) {
        case "indexing": {
            const text = stageSentence(index) ?? "Indexing…";
            const detail =
                index.stage === "semantic"
                    ? "Keyword search works already; results improve as the semantic stage runs."
                    : `Keyword search covers what is indexed so far (searched ${pct}% of the workspace); search by meaning follows.`;
            return { kind: "progress", text, detail, actions: [] };
        }
        case "starting":
            return { kind: "progress", text: "Opening the index…", actions: [] };
        case "paused": {
            const stage = stageText(index);
            return { kind: "info", text: `Indexing is paused${stage ? ` (${stage})` : ""}; searches cover ${pct}% of the workspace.`, actions: ["resumeIndexing"] };
        }
        case "disabled":
            return { kind: "info", text: index.message ?? "Indexing is turned off.", actions: ["openSettings"] };
        case "error":
            return { kind: "error", text: index.message ?? "Seek could not index this workspace.", actions: index.actions ?? ["rebuildIndex", "showLog"] };
        case "noFolder":
            return { kind: "info", text: "Open a folder to search it by meaning.", actions: [] };
        case "idle":
            // "Nothing to search: ... 2 files were skipped (Seek: Show Index Status says why)." with that command a
            // click away; it stays up, since no search can find anything until the folder gets a file Seek indexes.
            if (isEmptyIndex(index) && index.message !== undefined) return { kind: "info", text: index.message, actions: ["showIndexStatus"] };
            return resultsCoverage !== undefined && resultsCoverage < 1
                ? { kind: "info", text: `These results searched ${pct}% of the workspace.`, actions: [] }
                : undefined;
    }
}
