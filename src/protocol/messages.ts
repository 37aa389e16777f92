/**
 * The message protocol between the extension host and the results webview (panel and sidebar view share it).
 * Payloads are JSON DTOs: URIs as strings, lines 0-based and inclusive.
 * Both sides validate what they receive (`isFromWebview` on the host, `isToWebview` in the webview): a webview is
 * page content, so its messages are untrusted input.
 *
 * No `vscode` and no Node imports here: the webview bundle imports this module too.
 */

/** Retrieval mode, with the core's names: `vector` is shown as "Semantic", `lexical` as "Keyword". */
export type SearchModeDto = "hybrid" | "vector" | "lexical";
export const SEARCH_MODES: readonly SearchModeDto[] = ["hybrid", "vector", "lexical"];

export type FileKindDto = "code" | "docs" | "text";

/** Strength bands, weakest last (core/search/strength.ts decides them). */
export type StrengthBandDto = "strong" | "good" | "weak";
export const STRENGTH_BANDS: readonly StrengthBandDto[] = ["strong", "good", "weak"];

/**
 * How well a hit matches its query, on the one 0-100 scale every surface shows (computed in the core from the
 * query-chunk cosine and the query words the hit contains, so it means the same for every query).
 */
export interface StrengthDto {
    /** 0..100. */
    value: number;
    band: StrengthBandDto;
    /** What every surface shows: "strong 87". */
    label: string;
    /** Why, in words, for tooltips and screen readers: "strong 87 of 100: close in meaning; 2 of 3 query words". */
    reason: string;
}

/** One ranked result, as the webview and the QuickPick show it. */
export interface HitDto {
    /** URI string of the workspace folder `path` is relative to. */
    folder: string;
    /** That folder's name (shown in multi-root workspaces). */
    folderName: string;
    /** Folder-relative POSIX path. */
    path: string;
    /** 0-based, inclusive. */
    startLine: number;
    /** 0-based, inclusive. */
    endLine: number;
    /** The ranking score (its scale depends on the mode; only its order means something). Not shown to people. */
    score: number;
    /** How well it matches: what people see in place of the score (the host always sets it). */
    strength?: StrengthDto;
    language: string;
    kind: FileKindDto;
    symbol?: string;
    symbolKind?: string;
    /** The chunk text (lines startLine..endLine). */
    text: string;
    /** 0-based lines within [startLine, endLine] that matched best. */
    bestLines: number[];
}

/** Which part of the workspace a search covers. Both kinds off means both on. */
export interface ScopeDto {
    code: boolean;
    docs: boolean;
    /** Folder-relative glob(s), comma-separated; empty = everything. */
    glob: string;
}

/** A place in a workspace file the webview asks to open or to find similar code for. */
export interface LocationDto {
    folder: string;
    path: string;
    startLine: number;
    endLine: number;
}

/**
 * The two stages of an index run (core/indexer.ts): `keyword` reads, chunks and stores files (searchable by keyword at
 * once); `semantic` gives the stored chunks vectors, so search by meaning covers more as it runs.
 */
export type IndexStageDto = "keyword" | "semantic";
export const INDEX_STAGES: readonly IndexStageDto[] = ["keyword", "semantic"];

/** Index state as the webview shows it (a summary over all folders). */
export interface IndexStateDto {
    phase: "starting" | "indexing" | "idle" | "paused" | "disabled" | "error" | "noFolder";
    /** The stage a run is in (phase `indexing`), or stopped in (phase `paused`); absent otherwise. */
    stage?: IndexStageDto;
    /** Files through the keyword stage, of the files to index. */
    filesDone: number;
    filesTotal: number;
    /** 0..1: the share of the workspace a search covers now. */
    coverage: number;
    /** Chunks in the index, and of those the chunks with a vector. */
    chunksTotal: number;
    chunksWithVectors: number;
    /** 0..1: chunksWithVectors / chunksTotal, the share of the index search by meaning sees (1 for an empty idle index). */
    semanticCoverage: number;
    /** Seconds until the current stage is done; undefined until the pace is known. */
    etaSeconds?: number;
    /** Short human text for the error or disabled phases. */
    message?: string;
    /** Actions that may help in the error phase (e.g. Fetch Model for a missing model). */
    actions?: WebviewAction[];
}

/** What a Find Similar compares: the lines of `location`, or with `enclosing` the indexed chunk around its startLine. */
export interface SimilarTargetDto {
    location: LocationDto;
    enclosing: boolean;
}

/** Host commands a webview button may run; anything else is refused. */
export type WebviewAction = "showLog" | "rebuildIndex" | "fetchModel" | "resumeIndexing" | "openSettings";
export const WEBVIEW_ACTIONS: readonly WebviewAction[] = ["showLog", "rebuildIndex", "fetchModel", "resumeIndexing", "openSettings"];

/**
 * Buttons the webviews' state banner adds by itself, run by the views layer (views/resultsController.ts), not by
 * commands/reportError.ts: `showIndexStatus` opens Seek: Show Index Status, where the empty-folder banner's skipped
 * files are listed with their reasons. The host never sends these in `error` or `indexState` actions.
 */
export type BannerOnlyAction = "showIndexStatus";
/** Every host command a banner button may ask for: a `runAction` message with anything else is refused. */
export type BannerAction = WebviewAction | BannerOnlyAction;
export const BANNER_ACTIONS: readonly BannerAction[] = [...WEBVIEW_ACTIONS, "showIndexStatus"];

/** Messages the host posts to a webview. */
export type ToWebview =
    /** Host -> webview, in reply to `ready`: settings defaults and the current index state. */
    | { type: "init"; defaults: { mode: SearchModeDto; maxResults: number }; index: IndexStateDto }
    /**
     * Host -> webview, when a search or Find Similar finishes. `requestId` echoes the webview's request, or is 0 when
     * the host started it (Find Similar from the editor); the webview drops replies to requests it has superseded.
     */
    | {
          type: "results";
          requestId: number;
          source: "search" | "similar";
          /** The query text, or for Find Similar a description of the target ("retry.ts:12-30"). */
          query: string;
          hits: HitDto[];
          /** 0..1: share of the workspace's files indexed when this ran. */
          coverage: number;
          /** 0..1: share of the index's chunks with a vector when this ran (the webview re-runs stale results). */
          semanticCoverage: number;
          /** For Find Similar: what was compared, so the webview can run it again. */
          similarTo?: SimilarTargetDto;
          /** Set when every hit is weak: the sentence to show above them (core/search/strength.ts). */
          weakNotice?: string;
          elapsedMs: number;
      }
    /** Host -> webview, whenever indexing progresses or changes phase (throttled). */
    | { type: "indexState"; index: IndexStateDto }
    /** Host -> webview, when a request failed: one sentence and the actions that may help. */
    | { type: "error"; requestId: number; message: string; actions: WebviewAction[] }
    /** Host -> webview, when settings with live effect change (result limit, default mode). */
    | { type: "defaults"; defaults: { mode: SearchModeDto; maxResults: number } };

/** Messages a webview posts to the host. */
export type FromWebview =
    /** Webview -> host, once its script has loaded: the host replies with `init` (and any pending results). */
    | { type: "ready" }
    /** Webview -> host, when the query, mode or scope changes (debounced) or Enter is pressed in the query box. */
    | { type: "search"; requestId: number; query: string; mode: SearchModeDto; scope: ScopeDto }
    /** Webview -> host, when a result is clicked or Enter pressed on it: open the editor at that range. */
    | { type: "open"; location: LocationDto }
    /**
     * Webview -> host, from a result's "Find Similar" button, or re-running a Find Similar as the index grows
     * (`enclosing`: compare the indexed chunk around location.startLine, as the editor command does for a cursor).
     */
    | { type: "findSimilar"; requestId: number; location: LocationDto; enclosing?: boolean }
    /** Webview -> host, from an action button in an error or state banner. */
    | { type: "runAction"; action: BannerAction };

/** Longest query the host accepts; longer input is refused, not truncated silently. */
export const MAX_QUERY_LENGTH = 2000;
const MAX_PATH_LENGTH = 4096;
const MAX_GLOB_LENGTH = 1000;
const MAX_TEXT_LENGTH = 200_000;
const MAX_HITS = 1000;

/** Compile-time exhaustiveness check for `switch` statements over the unions above. */
export function assertNever(x: never): never {
    throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
    return typeof x === "object" && x !== null && !Array.isArray(x);
}
function isStr(x: unknown, max: number): x is string {
    return typeof x === "string" && x.length <= max;
}
function isNat(x: unknown): x is number {
    return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}
function isNum(x: unknown): x is number {
    return typeof x === "number" && Number.isFinite(x);
}
/** A share: a finite number in [0, 1]. */
function isRatio(x: unknown): x is number {
    return isNum(x) && x >= 0 && x <= 1;
}
function isBool(x: unknown): x is boolean {
    return typeof x === "boolean";
}
function isOneOf<T extends string>(x: unknown, values: readonly T[]): x is T {
    return typeof x === "string" && (values as readonly string[]).includes(x);
}
/** True when the object has exactly these keys (optional ones may be missing): extra fields are refused too. */
function hasOnlyKeys(o: Obj, required: string[], optional: string[] = []): boolean {
    const keys = Object.keys(o);
    return required.every((k) => k in o) && keys.every((k) => required.includes(k) || optional.includes(k));
}

export function isScope(x: unknown): x is ScopeDto {
    return isObj(x) && hasOnlyKeys(x, ["code", "docs", "glob"]) && isBool(x.code) && isBool(x.docs) && isStr(x.glob, MAX_GLOB_LENGTH);
}

export function isLocation(x: unknown): x is LocationDto {
    return (
        isObj(x) &&
        hasOnlyKeys(x, ["folder", "path", "startLine", "endLine"]) &&
        isStr(x.folder, MAX_PATH_LENGTH) &&
        x.folder.length > 0 &&
        isStr(x.path, MAX_PATH_LENGTH) &&
        x.path.length > 0 &&
        isNat(x.startLine) &&
        isNat(x.endLine) &&
        x.endLine >= x.startLine
    );
}

/** Validates every field of a message from a webview; anything else is dropped by the caller (and logged). */
export function isFromWebview(x: unknown): x is FromWebview {
    if (!isObj(x) || typeof x.type !== "string") return false;
    switch (x.type) {
        case "ready":
            return hasOnlyKeys(x, ["type"]);
        case "search":
            return (
                hasOnlyKeys(x, ["type", "requestId", "query", "mode", "scope"]) &&
                isNat(x.requestId) &&
                isStr(x.query, MAX_QUERY_LENGTH) &&
                isOneOf(x.mode, SEARCH_MODES) &&
                isScope(x.scope)
            );
        case "open":
            return hasOnlyKeys(x, ["type", "location"]) && isLocation(x.location);
        case "findSimilar":
            return (
                hasOnlyKeys(x, ["type", "requestId", "location"], ["enclosing"]) &&
                isNat(x.requestId) &&
                isLocation(x.location) &&
                (x.enclosing === undefined || isBool(x.enclosing))
            );
        case "runAction":
            return hasOnlyKeys(x, ["type", "action"]) && isOneOf(x.action, BANNER_ACTIONS);
        default:
            return false;
    }
}

export function isHit(x: unknown): x is HitDto {
    return (
        isObj(x) &&
        hasOnlyKeys(
            x,
            ["folder", "folderName", "path", "startLine", "endLine", "score", "language", "kind", "text", "bestLines"],
            ["symbol", "symbolKind", "strength"],
        ) &&
        isStr(x.folder, MAX_PATH_LENGTH) &&
        isStr(x.folderName, MAX_PATH_LENGTH) &&
        isStr(x.path, MAX_PATH_LENGTH) &&
        isNat(x.startLine) &&
        isNat(x.endLine) &&
        x.endLine >= x.startLine &&
        isNum(x.score) &&
        (x.strength === undefined || isStrength(x.strength)) &&
        isStr(x.language, 100) &&
        isOneOf(x.kind, ["code", "docs", "text"] as const) &&
        (x.symbol === undefined || isStr(x.symbol, 1000)) &&
        (x.symbolKind === undefined || isStr(x.symbolKind, 100)) &&
        isStr(x.text, MAX_TEXT_LENGTH) &&
        Array.isArray(x.bestLines) &&
        x.bestLines.every(isNat)
    );
}

export function isStrength(x: unknown): x is StrengthDto {
    return (
        isObj(x) &&
        hasOnlyKeys(x, ["value", "band", "label", "reason"]) &&
        isNum(x.value) &&
        x.value >= 0 &&
        x.value <= 100 &&
        isOneOf(x.band, STRENGTH_BANDS) &&
        isStr(x.label, 100) &&
        isStr(x.reason, 500)
    );
}

export function isSimilarTarget(x: unknown): x is SimilarTargetDto {
    return isObj(x) && hasOnlyKeys(x, ["location", "enclosing"]) && isLocation(x.location) && isBool(x.enclosing);
}

export function isIndexState(x: unknown): x is IndexStateDto {
    return (
        isObj(x) &&
        hasOnlyKeys(
            x,
            ["phase", "filesDone", "filesTotal", "coverage", "chunksTotal", "chunksWithVectors", "semanticCoverage"],
            ["stage", "etaSeconds", "message", "actions"],
        ) &&
        isOneOf(x.phase, ["starting", "indexing", "idle", "paused", "disabled", "error", "noFolder"] as const) &&
        (x.stage === undefined || isOneOf(x.stage, INDEX_STAGES)) &&
        isNat(x.filesDone) &&
        isNat(x.filesTotal) &&
        isNum(x.coverage) &&
        isNat(x.chunksTotal) &&
        isNat(x.chunksWithVectors) &&
        x.chunksWithVectors <= x.chunksTotal &&
        isRatio(x.semanticCoverage) &&
        (x.etaSeconds === undefined || isNum(x.etaSeconds)) &&
        (x.message === undefined || isStr(x.message, 1000)) &&
        (x.actions === undefined || (Array.isArray(x.actions) && x.actions.every((a) => isOneOf(a, WEBVIEW_ACTIONS))))
    );
}

function isDefaults(x: unknown): boolean {
    return isObj(x) && hasOnlyKeys(x, ["mode", "maxResults"]) && isOneOf(x.mode, SEARCH_MODES) && isNat(x.maxResults);
}

/** Validates a message from the host (the webview side of "validated on both sides"). */
export function isToWebview(x: unknown): x is ToWebview {
    if (!isObj(x) || typeof x.type !== "string") return false;
    switch (x.type) {
        case "init":
            return hasOnlyKeys(x, ["type", "defaults", "index"]) && isDefaults(x.defaults) && isIndexState(x.index);
        case "results":
            return (
                hasOnlyKeys(x, ["type", "requestId", "source", "query", "hits", "coverage", "semanticCoverage", "elapsedMs"], ["similarTo", "weakNotice"]) &&
                isNat(x.requestId) &&
                isOneOf(x.source, ["search", "similar"] as const) &&
                isStr(x.query, MAX_QUERY_LENGTH) &&
                Array.isArray(x.hits) &&
                x.hits.length <= MAX_HITS &&
                x.hits.every(isHit) &&
                isNum(x.coverage) &&
                isRatio(x.semanticCoverage) &&
                (x.similarTo === undefined || isSimilarTarget(x.similarTo)) &&
                (x.weakNotice === undefined || isStr(x.weakNotice, 1000)) &&
                isNum(x.elapsedMs)
            );
        case "indexState":
            return hasOnlyKeys(x, ["type", "index"]) && isIndexState(x.index);
        case "error":
            return (
                hasOnlyKeys(x, ["type", "requestId", "message", "actions"]) &&
                isNat(x.requestId) &&
                isStr(x.message, 2000) &&
                Array.isArray(x.actions) &&
                x.actions.every((a) => isOneOf(a, WEBVIEW_ACTIONS))
            );
        case "defaults":
            return hasOnlyKeys(x, ["type", "defaults"]) && isDefaults(x.defaults);
        default:
            return false;
    }
}
