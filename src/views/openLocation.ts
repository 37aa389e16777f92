/**
 * Opening a result in the editor: the range is selected (cursor at its first line) and briefly highlighted.
 * Locations that come from a webview are checked first: only files inside the named workspace folder open.
 */
import * as vscode from "vscode";
import type { Log } from "../log";
import type { LocationDto } from "../protocol/messages";
import { resolveInsideFolder } from "../protocol/paths";

/** How long the whole-line highlight stays after opening a result. */
const HIGHLIGHT_MS = 2_500;

/** The file URI of a webview location, or undefined (logged) when it is not inside a workspace folder. */
export function locationUri(loc: LocationDto, log: Log): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === loc.folder);
    if (!folder || folder.uri.scheme !== "file") {
        log.warn(`refused to open ${JSON.stringify(loc.path)}: ${JSON.stringify(loc.folder)} is not a workspace folder`);
        return undefined;
    }
    const resolved = resolveInsideFolder(folder.uri.fsPath, loc.path);
    if (!resolved.ok) {
        log.warn(`refused to open ${JSON.stringify(loc.path)} in ${folder.name}: ${resolved.reason}`);
        return undefined;
    }
    return vscode.Uri.file(resolved.absolute);
}

export class RangeOpener implements vscode.Disposable {
    /** @param panelColumn where the Seek panel is shown, if it is open and visible */
    constructor(private readonly panelColumn: () => vscode.ViewColumn | undefined) {}

    private readonly decoration = vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor("editor.rangeHighlightBackground"),
        borderColor: new vscode.ThemeColor("editor.rangeHighlightBorder"),
    });
    private timer: NodeJS.Timeout | undefined;

    /**
     * Shows lines start..end (0-based, inclusive) of a file. `preview` keeps the QuickPick's browsing in one preview
     * tab; `preserveFocus` leaves focus where it is (QuickPick navigation).
     */
    async open(uri: vscode.Uri, start: number, end: number, opts: { preview: boolean; preserveFocus: boolean; highlight: boolean }): Promise<vscode.TextEditor> {
        const doc = await vscode.workspace.openTextDocument(uri);
        const last = Math.max(0, doc.lineCount - 1);
        const from = Math.min(Math.max(0, start), last);
        const to = Math.min(Math.max(from, end), last);
        const range = new vscode.Range(from, 0, to, doc.lineAt(to).text.length);
        const editor = await vscode.window.showTextDocument(doc, { preview: opts.preview, preserveFocus: opts.preserveFocus, viewColumn: this.column() });
        // Anchor at the end, cursor at the start: the whole range is selected and "Ln" shows its first line.
        // (showTextDocument's `selection` option is a Range and would put the cursor at the end.)
        editor.selection = new vscode.Selection(range.end, range.start);
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        if (opts.highlight) this.flash(editor, range);
        return editor;
    }

    /**
     * Where results open: the active group, unless the Seek panel is what is active there; then the group of another
     * visible editor (or beside), so opening a result never covers the results themselves.
     */
    private column(): vscode.ViewColumn {
        const panelColumn = this.panelColumn();
        const active = vscode.window.tabGroups.activeTabGroup.viewColumn;
        if (panelColumn === undefined || panelColumn !== active) return vscode.ViewColumn.Active;
        const other = vscode.window.visibleTextEditors.find((e) => e.viewColumn !== undefined && e.viewColumn !== panelColumn);
        return other?.viewColumn ?? vscode.ViewColumn.Beside;
    }

    private flash(editor: vscode.TextEditor, range: vscode.Range): void {
        clearTimeout(this.timer);
        for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.decoration, []);
        editor.setDecorations(this.decoration, [range]);
        this.timer = setTimeout(() => editor.setDecorations(this.decoration, []), HIGHLIGHT_MS);
    }

    dispose(): void {
        clearTimeout(this.timer);
        this.decoration.dispose();
    }
}
