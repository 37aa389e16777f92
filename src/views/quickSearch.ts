/**
 * "Seek: Search by Meaning": a QuickPick with live results. Input is debounced, the previous search is aborted on
 * every keystroke, `busy` shows while one runs, and items are `alwaysShow` (the QuickPick's own label filter would
 * hide semantic hits that don't contain the typed words). Moving through items previews the location; Enter opens
 * it with the range selected; Escape closes what was previewed and goes back to the editor the user came from, with
 * its selection and scroll position, as VS Code's own pickers (Go to Symbol, Quick Open) do.
 */
import * as vscode from "vscode";
import { isCoreError } from "../core/errors";
import { describeError } from "../commands/reportError";
import type { SearchOutcome } from "../indexing/searchService";
import type { HitDto, SearchModeDto } from "../protocol/messages";
import { percent } from "../protocol/stageText";
import { symbolIcon } from "../protocol/symbolIcons";
import { locationUri } from "./openLocation";
import type { ViewHost } from "./viewHost";

/** Typing pause before a search starts: long enough to skip intermediate words, short enough to feel live. */
const DEBOUNCE_MS = 250;
/** Pause before previewing the active item (arrowing through results quickly opens nothing in between). */
const PREVIEW_DELAY_MS = 120;
const LABEL_MAX = 80;

export interface HitItem extends vscode.QuickPickItem {
    hit: HitDto;
}

/** First non-blank line of a chunk, trimmed, for items without a symbol. */
export function firstLine(text: string): string {
    const line = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
    const t = line.trim();
    return t.length > LABEL_MAX ? `${t.slice(0, LABEL_MAX - 1)}…` : t;
}

export function toItem(hit: HitDto, multiRoot: boolean): HitItem {
    const icon = symbolIcon(hit.symbolKind, hit.kind, "note");
    const label = hit.symbol ? `$(${icon}) ${hit.symbol}` : `$(${icon}) ${firstLine(hit.text)}`;
    const where = `${multiRoot ? `${hit.folderName}/` : ""}${hit.path}:${hit.startLine + 1}`;
    const lines = hit.endLine > hit.startLine ? `lines ${hit.startLine + 1}–${hit.endLine + 1}` : `line ${hit.startLine + 1}`;
    const strength = hit.strength ? `${hit.strength.label} · ` : "";
    const detail = `${strength}${lines}${hit.symbol ? ` · ${firstLine(hit.text)}` : ""}`;
    return { label, description: where, detail, alwaysShow: true, hit };
}

/**
 * The title says what the results could not see yet: files not indexed, and while the semantic stage runs (or is
 * paused), chunks without a vector ("keyword results; meaning search at 34%"). Keyword mode needs no vectors.
 */
function title(outcome: SearchOutcome | undefined, mode: SearchModeDto, indexing: boolean): string {
    if (!outcome) return "Seek: Search by Meaning";
    const meaning = indexing && mode !== "lexical" && outcome.semanticCoverage < 1 ? `meaning search at ${percent(outcome.semanticCoverage)}%` : undefined;
    if (outcome.coverage < 1) return `Seek: searched ${percent(outcome.coverage)}% of the workspace${meaning ? `; ${meaning}` : ""} (indexing continues)`;
    return meaning ? `Seek: keyword results; ${meaning}` : "Seek: Search by Meaning";
}

/** Shows the QuickPick; resolves when it closes. Everything it registers is disposed in `finally`. */
export async function showQuickSearch(ctx: ViewHost, initialQuery = ""): Promise<void> {
    const disposables: vscode.Disposable[] = [];
    const qp = vscode.window.createQuickPick<HitItem>();
    disposables.push(qp);
    qp.title = title(undefined, "hybrid", false);
    qp.placeholder = "Describe what you are looking for, e.g. “where do we retry failed uploads”";
    qp.matchOnDescription = false;
    qp.matchOnDetail = false;
    const restore = EditorRestore.capture();
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    let controller: AbortController | undefined;
    let debounce: NodeJS.Timeout | undefined;
    let previewTimer: NodeJS.Timeout | undefined;
    let accepted = false;

    const run = async (query: string) => {
        controller?.abort();
        const mine = new AbortController();
        controller = mine;
        qp.busy = true;
        try {
            const mode = ctx.config.get("search.mode");
            const outcome = await ctx.search.search({ query, mode, top: ctx.defaults().maxResults }, mine.signal);
            if (mine.signal.aborted) return;
            qp.items = outcome.hits.map((h) => toItem(h, multiRoot));
            const phase = ctx.index.summary().phase;
            qp.title = title(outcome, mode, phase === "indexing" || phase === "paused");
            if (outcome.hits.length === 0) qp.title = `${qp.title} — no matches`;
            // The notice's short form: a QuickPick title wraps into the input's hint when long.
            else if (outcome.weakNotice) qp.title = "Seek: only weak matches — nothing close in meaning or words";
        } catch (err) {
            if (isCoreError(err, "cancelled") || mine.signal.aborted) return;
            ctx.log.error("quick search failed", err);
            qp.items = [];
            qp.title = `Seek: ${describeError(err).message} (see Seek: Show Log)`;
        } finally {
            if (controller === mine) qp.busy = false;
        }
    };

    qp.onDidChangeValue((value) => {
        clearTimeout(debounce);
        controller?.abort();
        if (value.trim() === "") {
            qp.items = [];
            qp.busy = false;
            qp.title = title(undefined, "hybrid", false);
            return;
        }
        debounce = setTimeout(() => void run(value), DEBOUNCE_MS);
    }, null, disposables);

    qp.onDidChangeActive((items) => {
        clearTimeout(previewTimer);
        const item = items[0];
        if (!item) return;
        previewTimer = setTimeout(() => {
            const uri = resolveHit(ctx, item.hit);
            if (!uri || accepted) return;
            restore.previewing(uri);
            void ctx.opener.open(uri, item.hit.startLine, item.hit.endLine, { preview: true, preserveFocus: true, highlight: false }).then(undefined, (e) => ctx.log.debug(`preview failed: ${String(e)}`));
        }, PREVIEW_DELAY_MS);
    }, null, disposables);

    const closed = new Promise<void>((resolve) => {
        qp.onDidAccept(() => {
            const item = qp.selectedItems[0] ?? qp.activeItems[0];
            if (!item) return;
            accepted = true;
            qp.hide();
            const uri = resolveHit(ctx, item.hit);
            if (uri) void ctx.opener.open(uri, item.hit.startLine, item.hit.endLine, { preview: false, preserveFocus: false, highlight: true });
        }, null, disposables);
        qp.onDidHide(() => resolve(), null, disposables);
    });

    try {
        qp.show();
        if (initialQuery) qp.value = initialQuery;
        await closed;
        clearTimeout(previewTimer);
        if (!accepted) await restore.back().catch((e) => ctx.log.debug(`restoring the editor failed: ${String(e)}`));
    } finally {
        controller?.abort();
        clearTimeout(debounce);
        clearTimeout(previewTimer);
        for (const d of disposables) d.dispose();
    }
}

/** Hits come from our own engines, but go through the same containment check as webview locations. */
function resolveHit(ctx: ViewHost, hit: HitDto): vscode.Uri | undefined {
    return locationUri({ folder: hit.folder, path: hit.path, startLine: hit.startLine, endLine: hit.endLine }, ctx.log);
}

/**
 * What the editor area looked like when the QuickPick opened (the active editor, its selections and scroll, and
 * which files had tabs), so Escape can undo the previews: tabs the previews opened are closed, and the editor the
 * user came from is shown again as it was.
 */
export class EditorRestore {
    private readonly previewed = new Set<string>();

    private constructor(
        private readonly origin: vscode.TextEditor | undefined,
        private readonly selections: readonly vscode.Selection[],
        private readonly visible: readonly vscode.Range[],
        private readonly tabsBefore: ReadonlySet<string>,
    ) {}

    static capture(): EditorRestore {
        const origin = vscode.window.activeTextEditor;
        const tabs = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => tabKey(t, g)).filter((k) => k !== undefined)));
        return new EditorRestore(origin, origin?.selections ?? [], origin?.visibleRanges ?? [], tabs);
    }

    /** A preview of `uri` is about to open. */
    previewing(uri: vscode.Uri): void {
        this.previewed.add(uri.toString());
    }

    /** Closes the tabs only previews opened, then shows the original editor with its selections and scroll. */
    async back(): Promise<void> {
        if (this.previewed.size === 0) return;
        const opened = vscode.window.tabGroups.all.flatMap((g) =>
            g.tabs.filter((t) => {
                const key = tabKey(t, g);
                return key !== undefined && !this.tabsBefore.has(key) && t.input instanceof vscode.TabInputText && this.previewed.has(t.input.uri.toString());
            }),
        );
        if (opened.length > 0) await vscode.window.tabGroups.close(opened, true);
        const origin = this.origin;
        if (!origin) return;
        // By URI when a preview replaced the origin's own preview tab and VS Code let the document go.
        const options: vscode.TextDocumentShowOptions = { viewColumn: origin.viewColumn, preserveFocus: false };
        const editor = origin.document.isClosed
            ? await vscode.window.showTextDocument(origin.document.uri, options)
            : await vscode.window.showTextDocument(origin.document, options);
        if (this.selections.length > 0) editor.selections = [...this.selections];
        const top = this.visible[0];
        if (top) editor.revealRange(top, vscode.TextEditorRevealType.AtTop);
    }
}

/** A tab's identity for "was it open before": its group and its text file, or undefined for other kinds of tab. */
function tabKey(tab: vscode.Tab, group: vscode.TabGroup): string | undefined {
    return tab.input instanceof vscode.TabInputText ? `${group.viewColumn}|${tab.input.uri.toString()}` : undefined;
}
