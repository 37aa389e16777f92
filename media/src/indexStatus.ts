/**
 * Webview entry of "Seek: Show Index Status" (DOM only): draws the host's report, one section per folder, with
 * tables a person can scan. Every value goes on the page through textContent; nothing is parsed as HTML.
 */
import type { FolderReportDto, FromIndexStatusView, IndexStatusDto, ToIndexStatusView } from "../../src/protocol/indexStatus";

const vscode = acquireVsCodeApi();
/** Rows of the skipped-files table drawn at most; the summary line above it counts them all. */
const MAX_SKIPPED_ROWS = 500;

const post = (m: FromIndexStatusView) => vscode.postMessage(m);
const count = (n: number) => n.toLocaleString("en-US");
const pct = (r: number) => Math.floor(100 * Math.min(1, Math.max(0, r)) + 1e-6);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
}

/** A table with a caption, header cells and text rows; `numeric` columns are right-aligned. */
function table(caption: string, headers: string[], rows: string[][], numeric: number[] = [], rowClass?: (i: number) => string): HTMLTableElement {
    const t = el("table", "status-table");
    t.append(el("caption", "", caption));
    const head = el("tr");
    headers.forEach((h, i) => {
        const th = el("th", numeric.includes(i) ? "num" : "", h);
        th.scope = "col";
        head.append(th);
    });
    t.createTHead().append(head);
    const body = t.createTBody();
    rows.forEach((r, ri) => {
        const tr = el("tr", rowClass?.(ri) ?? "");
        r.forEach((cell, i) => tr.append(el("td", numeric.includes(i) ? "num" : "", cell)));
        body.append(tr);
    });
    return t;
}

function facts(f: FolderReportDto): HTMLElement {
    const dl = el("dl", "status-facts");
    const add = (term: string, value: string | HTMLElement) => {
        dl.append(el("dt", "", term));
        const dd = el("dd");
        dd.append(value);
        dl.append(dd);
    };
    add("Files", count(f.files));
    add("Chunks", count(f.chunks));
    if (f.chunks === 0) add("Semantic coverage", "nothing to embed (no chunks)"); // not "100% (0 of 0 chunks)"
    else {
        const coverage = el("span", "status-coverage");
        const meter = el("meter");
        meter.min = 0;
        meter.max = 1;
        meter.value = f.semanticCoverage;
        meter.setAttribute("aria-label", "Semantic coverage");
        coverage.append(meter, ` ${pct(f.semanticCoverage)}% (${count(f.embeddedChunks)} of ${count(f.chunks)} chunks have a vector)`);
        add("Semantic coverage", coverage);
    }
    // When the last run ended (it may have changed nothing): an empty folder's index was still indexed then.
    add("Last indexed", f.lastIndexedAt ? new Date(f.lastIndexedAt).toLocaleString() : "never");
    return dl;
}

function skippedSection(f: FolderReportDto): HTMLElement[] {
    if (!f.scanned) return [el("p", "status-note", "Skipped files are listed after the first indexing run of this window.")];
    if (f.skippedTotal === 0) return [el("p", "status-note", "No file was skipped (files excluded by .gitignore and similar rules are not counted).")];
    const shown = f.skipped.slice(0, MAX_SKIPPED_ROWS);
    const more = f.skippedTotal > shown.length ? ` The first ${count(shown.length)} are listed; Seek: Show Log has them all.` : "";
    // The ⚠ legend only when a row has one; otherwise the table is all by design, and the note says so.
    const surprises = shown.some((s) => !s.expected);
    const why = surprises ? "Rows marked ⚠ may need a look; the others are never indexed by design." : "Seek never indexes these, by design.";
    const files = f.skippedTotal === 1 ? "1 file" : `${count(f.skippedTotal)} files`;
    const note = el("p", "status-note", `${files} skipped (${f.skippedSummary}). ${why}${more}`);
    const rows = shown.map((s) => [`${s.expected ? "" : "⚠ "}${s.path}`, s.reason, s.detail ?? ""]);
    return [note, table("Skipped files", ["File", "Reason", "Detail"], rows, [], (i) => (shown[i].expected ? "" : "status-surprise"))];
}

function folderSection(f: FolderReportDto, many: boolean): HTMLElement {
    const section = el("section", "status-folder");
    if (many) section.append(el("h2", "", f.name));
    section.append(el("p", "status-state", f.state));
    if (f.unavailable) {
        section.append(el("p", "status-note", f.unavailable));
        return section;
    }
    section.append(facts(f));
    if (f.files === 0) section.append(el("p", "status-note", "Nothing is indexed: this folder has no file Seek indexes (code, docs and other text files)."));
    else {
        const rows = f.languages.map((l) => [l.language, count(l.files), count(l.chunks), `${pct(l.chunks > 0 ? l.embedded / l.chunks : 1)}%`]);
        section.append(table("Languages", ["Language", "Files", "Chunks", "With vectors"], rows, [1, 2, 3]));
    }
    section.append(...skippedSection(f));
    return section;
}

function render(report: IndexStatusDto): void {
    document.getElementById("model")!.textContent = report.modelId ? `Model: ${report.modelId}` : "";
    const host = document.getElementById("folders")!;
    host.replaceChildren(...report.folders.map((f) => folderSection(f, report.folders.length > 1)));
    if (report.folders.length === 0) host.append(el("p", "status-note", "Open a folder to index it."));
}

window.addEventListener("message", (e: MessageEvent<ToIndexStatusView>) => {
    if (e.data?.type === "report") render(e.data.report);
});
document.getElementById("refresh")!.addEventListener("click", () => post({ type: "refresh" }));
post({ type: "ready" });
