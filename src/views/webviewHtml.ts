/**
 * The one HTML document of the results UI, used by the panel and the sidebar view (they differ only in lifecycle).
 * Static markup only: every result, message and file text is added by media/dist/results.js through DOM nodes and
 * textContent, never interpolated here. No `vscode` import (URIs come in as strings), so unit tests render it.
 */
import { randomBytes } from "node:crypto";

export type Surface = "panel" | "view";

/** What a webview document loads: its one script and its stylesheets, each from `webview.asWebviewUri`. */
export interface WebviewResources {
    /** `webview.cspSource`. */
    cspSource: string;
    /** The page's script, e.g. `asWebviewUri(media/dist/results.js)`. */
    scriptUri: string;
    /** Stylesheets in order (for the results: codicons, base, results). */
    styleUris: string[];
}

export interface ResultsHtmlOptions extends WebviewResources {
    surface: Surface;
}

/** The static part of a page: fixed strings of the caller, never data. */
export interface WebviewPage {
    title: string;
    /** Attributes of `<body>`, each with a leading space (e.g. ` data-surface="view"`). */
    bodyAttributes?: string;
    /** The markup between `<body>` and the script tag. */
    body: string;
}

/** 128 random bits, base64: unguessable by page content, fresh for every render. */
export function makeNonce(): string {
    return randomBytes(16).toString("base64");
}

/** Escapes a value for a double-quoted HTML attribute (single quotes are safe there, and the CSP needs them). */
export function escapeAttr(value: string): string {
    return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The Content-Security-Policy: nothing by default, our own script by nonce, styles/fonts/images from media/ only. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
    return [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src ${cspSource}`,
        `font-src ${cspSource}`,
        `img-src ${cspSource}`,
    ].join("; ");
}

/**
 * The document shell of every webview: a strict CSP with a fresh nonce, the stylesheets, the page's static markup and
 * its one script by nonce. Only the resource URIs are interpolated, attribute-escaped.
 */
export function webviewDocument(resources: WebviewResources, page: WebviewPage): string {
    const nonce = makeNonce();
    const csp = escapeAttr(contentSecurityPolicy(resources.cspSource, nonce));
    const styles = resources.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`).join("\n    ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${page.title}</title>
</head>
<body${page.bodyAttributes ?? ""}>
${page.body}
    <script nonce="${nonce}" src="${escapeAttr(resources.scriptUri)}"></script>
</body>
</html>`;
}

const RESULTS_BODY = `    <header class="search-bar">
        <div class="query-row">
            <span class="codicon codicon-search query-icon" aria-hidden="true"></span>
            <input id="query" class="query" type="text" autocomplete="off" spellcheck="false"
                placeholder="Describe what you are looking for" aria-label="Search by meaning (press / to focus)">
        </div>
        <div class="filters">
            <select id="mode" aria-label="Search mode" title="Hybrid: meaning and words. Semantic: meaning only. Keyword: words only.">
                <option value="hybrid">Hybrid</option>
                <option value="vector">Semantic</option>
                <option value="lexical">Keyword</option>
            </select>
            <label class="toggle"><input id="scope-code" type="checkbox" checked> Code</label>
            <label class="toggle"><input id="scope-docs" type="checkbox" checked> Docs</label>
            <input id="glob" class="glob" type="text" autocomplete="off" spellcheck="false"
                placeholder="Path filter, e.g. src/**/*.ts" aria-label="Only paths matching (comma-separated globs)">
        </div>
    </header>
    <div id="banner" class="banner" role="status" aria-live="polite" hidden></div>
    <div id="notice" class="banner banner-warning notice" role="status" hidden></div>
    <div id="summary" class="summary" aria-live="polite"></div>
    <ul id="results" class="results" role="listbox" aria-label="Search results"></ul>
    <div id="empty" class="empty-state" hidden></div>`;

export function buildResultsHtml(options: ResultsHtmlOptions): string {
    return webviewDocument(options, {
        title: "Seek",
        bodyAttributes: ` data-surface="${options.surface === "panel" ? "panel" : "view"}"`,
        body: RESULTS_BODY,
    });
}
