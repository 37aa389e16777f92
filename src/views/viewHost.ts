/**
 * What the views use of the extension's session. `Ctx` implements it; the views import this, never ctx.ts, so
 * imports keep flowing one way (ctx -> views). The two panel singletons are typed by what the session and the
 * commands need of them, so this file names no panel class.
 */
import type * as vscode from "vscode";
import type { Config } from "../config";
import type { EngineClient } from "../engineHost/engineClient";
import type { IndexService } from "../indexing/indexService";
import type { SearchOutcome, SearchService } from "../indexing/searchService";
import type { Log } from "../log";
import type { IndexStatusDto } from "../protocol/indexStatus";
import type { SearchModeDto } from "../protocol/messages";
import type { RangeOpener } from "./openLocation";
import type { Surface } from "./webviewHtml";

export interface WebviewStats {
    /** Controllers created (HTML set). */
    opened: number;
    /** `ready` handshakes received. */
    ready: number;
    /** Messages dropped by the guard. */
    malformed: number;
}

/** The open results panel (views/resultsPanel.ts). */
export interface ResultsPanelHandle extends vscode.Disposable {
    /** Brings the panel to the front, showing `outcome` when given. */
    show(outcome?: SearchOutcome): void;
    /** The panel's editor column while it is visible. */
    visibleColumn(): vscode.ViewColumn | undefined;
    postDefaults(): void;
}

/** The open Show Index Status panel (views/indexStatusView.ts). */
export interface IndexStatusPanelHandle extends vscode.Disposable {
    /** Brings the panel to the front and resolves with the report it now shows. */
    show(): Promise<IndexStatusDto>;
}

export interface ViewHost {
    readonly log: Log;
    readonly config: Config;
    readonly client: EngineClient;
    readonly index: IndexService;
    readonly search: SearchService;
    readonly opener: RangeOpener;
    readonly extensionUri: vscode.Uri;
    readonly webviewStats: Record<Surface, WebviewStats>;
    /** The results panel while it is open (singleton). */
    panel: ResultsPanelHandle | undefined;
    /** The Show Index Status panel while it is open (singleton). */
    indexStatusPanel: IndexStatusPanelHandle | undefined;
    /** Settings with live effect on the search UIs. */
    defaults(): { mode: SearchModeDto; maxResults: number };
    /** Tells seek._testState listeners that something it reports may have changed. */
    stateChanged(): void;
}
