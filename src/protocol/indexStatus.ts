/**
 * Messages and data of the "Seek: Show Index Status" panel (views/indexStatusView.ts <-> media/src/indexStatus.ts).
 * Everything is plain JSON, already in words where the webview shows words: it renders, it does not interpret.
 * No `vscode` and no Node imports: the webview bundle imports the types.
 */

export interface LanguageRowDto {
    language: string;
    files: number;
    chunks: number;
    /** Chunks with a vector. */
    embedded: number;
}

export interface SkippedRowDto {
    /** Folder-relative path ("assets/" for a directory). */
    path: string;
    /** The reason in words ("binary", "too large"). */
    reason: string;
    detail?: string;
    /** false for a surprise worth a look (unreadable, not text, too big); true for a file Seek never indexes by design. */
    expected: boolean;
}

export interface FolderReportDto {
    name: string;
    /** One line: "Up to date", "Nothing to search", "Indexing: keyword index 120/229 files", "Paused", "Error: ...". */
    state: string;
    files: number;
    chunks: number;
    embeddedChunks: number;
    /** 0..1: embeddedChunks / chunks (1 for an empty index). */
    semanticCoverage: number;
    /** Epoch ms when an index run last completed (set for an empty folder's index too); absent if none has. */
    lastIndexedAt?: number;
    languages: LanguageRowDto[];
    /** Surprises first, then by path; at most the engine's display cap. */
    skipped: SkippedRowDto[];
    /** "3 binary, 1 too large": every skip of the last run, which may be more than `skipped` lists. */
    skippedSummary: string;
    skippedTotal: number;
    /** Set once a run of this session has looked at the folder; before that the skipped files are not known. */
    scanned: boolean;
    /** Set when the folder's index could not be asked (not open yet, or failed). */
    unavailable?: string;
}

export interface IndexStatusDto {
    modelId?: string;
    folders: FolderReportDto[];
}

/** Host -> webview: the report, in reply to `ready` or `refresh`, and again when the index changes while open. */
export type ToIndexStatusView = { type: "report"; report: IndexStatusDto };

/** Webview -> host. */
export type FromIndexStatusView =
    /** Once the script has loaded: the host replies with `report`. */
    | { type: "ready" }
    /** The Refresh button. */
    | { type: "refresh" };

export function isFromIndexStatusView(x: unknown): x is FromIndexStatusView {
    if (typeof x !== "object" || x === null) return false;
    const type = (x as { type?: unknown }).type;
    return type === "ready" || type === "refresh";
}
