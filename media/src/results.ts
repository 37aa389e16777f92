/**
 * Webview entry of the results UI (panel and sidebar view). DOM only: no Node, no vscode module. It keeps its state
 * in setState, says `ready` to the host, validates every host message with isToWebview, and renders with
 * textContent. Keyboard: / focuses the query, ↑/↓/Home/End move through results, Enter opens, Escape goes back.
 */
import { isToWebview, type HitDto, type IndexStateDto, type ToWebview, type WebviewAction } from "../../src/protocol/messages";
import { indexBanner, renderBanner, renderEmpty } from "./banner";
import { el, renderHit } from "./render";
import { connectHost, type PageState } from "./vscodeApi";

/** Typing pause before a search is sent (the host aborts the previous one anyway). */
const DEBOUNCE_MS = 300;

const host = connectHost();
let state: PageState = host.load();
let index: IndexStateDto | undefined;
let lastRequest = 0;
let debounce: ReturnType<typeof setTimeout> | undefined;
let errorBanner: { text: string; actions: WebviewAction[] } | undefined;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const queryInput = $<HTMLInputElement>("query");
const modeSelect = $<HTMLSelectElement>("mode");
const codeBox = $<HTMLInputElement>("scope-code");
const docsBox = $<HTMLInputElement>("scope-docs");
const globInput = $<HTMLInputElement>("glob");
const bannerHost = $<HTMLDivElement>("banner");
const summaryHost = $<HTMLDivElement>("summary");
const list = $<HTMLUListElement>("results");
const emptyHost = $<HTMLDivElement>("empty");

function save(): void {
    host.save(state);
}

function readControls(): void {
    state.query = queryInput.value;
    state.mode = modeSelect.value === "vector" || modeSelect.value === "lexical" ? modeSelect.value : "hybrid";
    state.scope = { code: codeBox.checked, docs: docsBox.checked, glob: globInput.value };
}

function writeControls(): void {
    queryInput.value = state.query;
    modeSelect.value = state.mode;
    codeBox.checked = state.scope.code;
    docsBox.checked = state.scope.docs;
    globInput.value = state.scope.glob;
}

function search(now: boolean): void {
    clearTimeout(debounce);
    readControls();
    save();
    const send = () => {
        if (state.query.trim() === "") {
            lastRequest++;
            showHits([], "search", "", 1, 0);
            return;
        }
        lastRequest++;
        list.setAttribute("aria-busy", "true");
        summaryHost.replaceChildren(el("span", "summary-text", "Searching…"));
        host.post({ type: "search", requestId: lastRequest, query: state.query, mode: state.mode, scope: state.scope });
    };
    if (now) send();
    else debounce = setTimeout(send, DEBOUNCE_MS);
}

function location(hit: HitDto) {
    return { folder: hit.folder, path: hit.path, startLine: hit.startLine, endLine: hit.endLine };
}

const handlers = {
    open(i: number) {
        const hit = state.hits[i];
        if (!hit) return;
        select(i, false);
        host.post({ type: "open", location: location(hit) });
    },
    similar(i: number) {
        const hit = state.hits[i];
        if (!hit) return;
        lastRequest++;
        summaryHost.replaceChildren(el("span", "summary-text", "Finding similar code…"));
        host.post({ type: "findSimilar", requestId: lastRequest, location: location(hit) });
    },
};

function showHits(hits: HitDto[], source: PageState["source"], answered: string, coverage: number, elapsedMs: number): void {
    Object.assign(state, { hits, source, answered, coverage, elapsedMs, selected: -1, scrollTop: 0, touched: true });
    errorBanner = undefined;
    save();
    render();
    window.scrollTo(0, 0);
}

function render(): void {
    list.removeAttribute("aria-busy");
    const multiRoot = new Set(state.hits.map((h) => h.folder)).size > 1;
    list.replaceChildren(...state.hits.map((h, i) => renderHit(h, i, multiRoot, handlers)));
    const hasQuery = state.answered.trim() !== "";
    renderEmpty(emptyHost, state.hits.length > 0 ? "none" : hasQuery ? "noMatches" : "welcome", state.answered);
    summaryHost.replaceChildren();
    if (state.hits.length > 0) {
        const what = state.source === "similar" ? `Similar to ${state.answered}` : `${state.hits.length} results`;
        summaryHost.append(el("span", "summary-text", `${what} · ${Math.round(state.elapsedMs)} ms`));
    }
    if (state.selected >= 0) select(state.selected, false);
    renderStatus();
}

function renderStatus(): void {
    const onAction = (action: WebviewAction) => host.post({ type: "runAction", action });
    if (errorBanner) renderBanner(bannerHost, { kind: "error", ...errorBanner }, onAction);
    else renderBanner(bannerHost, indexBanner(index, state.touched && state.answered ? state.coverage : undefined), onAction);
}

function items(): HTMLLIElement[] {
    return [...list.querySelectorAll<HTMLLIElement>("li.hit")];
}

function select(i: number, focus = true): void {
    const all = items();
    if (all.length === 0) return;
    const k = Math.max(0, Math.min(i, all.length - 1));
    all.forEach((li, j) => {
        li.setAttribute("aria-selected", String(j === k));
        li.tabIndex = j === k ? 0 : -1;
    });
    state.selected = k;
    list.setAttribute("aria-activedescendant", all[k].id);
    if (focus) all[k].focus();
    all[k].scrollIntoView({ block: "nearest" });
    save();
}

function onMessage(msg: ToWebview): void {
    switch (msg.type) {
        case "init":
            index = msg.index;
            if (!state.touched) {
                state.mode = msg.defaults.mode;
                writeControls();
            }
            renderStatus();
            return;
        case "defaults":
            return;
        case "indexState":
            index = msg.index;
            renderStatus();
            return;
        case "results":
            // Replies to superseded requests are dropped; host-initiated results (requestId 0) always show.
            if (msg.requestId !== 0 && msg.requestId !== lastRequest) return;
            if (msg.source === "similar") lastRequest++;
            showHits(msg.hits, msg.source, msg.query, msg.coverage, msg.elapsedMs);
            return;
        case "error":
            if (msg.requestId !== 0 && msg.requestId !== lastRequest) return;
            list.removeAttribute("aria-busy");
            summaryHost.replaceChildren();
            errorBanner = { text: msg.message, actions: msg.actions };
            renderStatus();
            return;
    }
}

window.addEventListener("message", (e: MessageEvent<unknown>) => {
    // Anything that fails the guard is dropped: only the host posts here, so it would be a version mismatch.
    if (isToWebview(e.data)) onMessage(e.data);
});

queryInput.addEventListener("input", () => search(false));
queryInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") search(true);
    else if (e.key === "ArrowDown" && state.hits.length > 0) {
        e.preventDefault();
        select(state.selected >= 0 ? state.selected : 0);
    }
});
for (const control of [modeSelect, codeBox, docsBox]) control.addEventListener("change", () => search(true));
globInput.addEventListener("input", () => search(false));
globInput.addEventListener("keydown", (e) => e.key === "Enter" && search(true));

list.addEventListener("keydown", (e) => {
    const moves: Record<string, number> = { ArrowDown: state.selected + 1, ArrowUp: state.selected - 1, Home: 0, End: state.hits.length - 1 };
    if (e.key in moves) {
        e.preventDefault();
        if (e.key === "ArrowUp" && state.selected <= 0) queryInput.focus();
        else select(moves[e.key]);
    } else if (e.key === "Enter") {
        e.preventDefault();
        handlers.open(state.selected);
    } else if (e.key === "Escape") queryInput.focus();
});

document.addEventListener("keydown", (e) => {
    const t = e.target as HTMLElement | null;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement;
    if (e.key === "/" && !typing) {
        e.preventDefault();
        queryInput.focus();
        queryInput.select();
    }
});

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener("scroll", () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => {
        state.scrollTop = window.scrollY;
        save();
    }, 150);
});

// Keep what the user typed before this script loaded; the saved state would otherwise wipe it.
if (queryInput.value && !state.query) state.query = queryInput.value;
writeControls();
render();
window.scrollTo(0, state.scrollTop);
host.post({ type: "ready" });
