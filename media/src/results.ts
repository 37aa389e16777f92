/**
 * Webview entry of the results UI (panel and sidebar view). DOM only: no Node, no vscode module. It keeps its state
 * in setState, says `ready` to the host, validates every host message with isToWebview, and renders with
 * textContent. Keyboard: / focuses the query, ↑/↓/Home/End move through results, Enter opens, Shift+Enter finds
 * similar code, →/← (or Space) show and hide a row's snippet, Escape goes back to the query.
 * While the index grows, stale results are re-run by themselves (refresh.ts says when and why).
 */
import { isToWebview, type BannerAction, type HitDto, type IndexStateDto, type ToWebview, type WebviewAction } from "../../src/protocol/messages";
import { isEmptyIndex } from "../../src/protocol/stageText";
import { renderBanner, renderEmpty, renderNotice } from "./banner";
import { indexBanner } from "./bannerContent";
import { AutoRefresh, isStale, type RowsBasis } from "./refresh";
import { el, renderHit } from "./render";
import { connectHost, type PageState } from "./vscodeApi";

/** Typing pause before a search is sent (the host aborts the previous one anyway). */
const DEBOUNCE_MS = 300;
/** A host that superseded a request aborts it without a reply: after this long, stop waiting for one. */
const REPLY_WAIT_MS = 30_000;

const host = connectHost();
let state: PageState = host.load();
let index: IndexStateDto | undefined;
let lastRequest = 0;
let debounce: ReturnType<typeof setTimeout> | undefined;
let errorBanner: { text: string; actions: WebviewAction[] } | undefined;
/** The request whose reply is awaited (0: none) and since when: a re-run waits for it. */
let awaiting = 0;
let awaitingSince = 0;
/** The request id of the automatic re-run in flight, and the coverages the index had when it was sent. */
let rerun: { requestId: number; floor: { coverage: number; semanticCoverage: number } } | undefined;
/** Whether the rows on screen came from an automatic re-run (the summary says so). */
let refreshed = false;

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
const noticeHost = $<HTMLDivElement>("notice");
/** The sidebar is compact: a row's snippet shows when the user expands it. The panel shows them all. */
const compact = document.body.dataset.surface !== "panel";
/** Rows whose snippet the user toggled away from the surface's default (reset with every new list). */
let toggled = new Set<number>();
const QUERY_PLACEHOLDER = queryInput.placeholder;

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
        autoRefresh.cancel();
        if (!state.scope.code && !state.scope.docs) {
            // Nothing to search: say so rather than quietly searching everything (as VS Code's search does when
            // its filters exclude every file).
            lastRequest++;
            showHits({ hits: [], source: "search", query: state.query, coverage: 1, semanticCoverage: 1, elapsedMs: 0 }, false);
            return;
        }
        if (state.query.trim() === "") {
            lastRequest++;
            showHits({ hits: [], source: "search", query: "", coverage: 1, semanticCoverage: 1, elapsedMs: 0 }, false);
            return;
        }
        lastRequest++;
        awaitReply();
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
        autoRefresh.cancel();
        lastRequest++;
        awaitReply();
        summaryHost.replaceChildren(el("span", "summary-text", "Finding similar code…"));
        host.post({ type: "findSimilar", requestId: lastRequest, location: location(hit) });
    },
    toggle(i: number) {
        if (!state.hits[i]) return;
        if (!toggled.delete(i)) toggled.add(i);
        const focused = list.contains(document.activeElement);
        const old = items()[i];
        const row = renderHit(state.hits[i], i, rowOptions(i), handlers);
        old?.replaceWith(row);
        if (state.selected === i || focused) select(i, focused, true);
    },
};

function rowOptions(i: number) {
    const multiRoot = new Set(state.hits.map((h) => h.folder)).size > 1;
    return { multiRoot, expanded: compact === toggled.has(i), count: state.hits.length };
}

type Reply = Pick<Extract<ToWebview, { type: "results" }>, "hits" | "source" | "query" | "coverage" | "semanticCoverage" | "similarTo" | "weakNotice" | "elapsedMs">;

/** Same place: same file and overlapping lines (a re-run may widen or merge a hit). */
function samePlace(a: HitDto, b: HitDto): boolean {
    return a.folder === b.folder && a.path === b.path && a.startLine <= b.endLine && b.startLine <= a.endLine;
}

/** Shows a reply. `keep` (an automatic re-run): the scroll position and the selected row stay where they were. */
function showHits(reply: Reply, keep: boolean): void {
    const selectedHit = keep && state.selected >= 0 ? state.hits[state.selected] : undefined;
    const hadFocus = keep && list.contains(document.activeElement);
    const scrollTop = window.scrollY;
    const { hits, source, query: answered, coverage, semanticCoverage, similarTo, weakNotice, elapsedMs } = reply;
    Object.assign(state, { hits, source, answered, coverage, semanticCoverage, similarTo, weakNotice, elapsedMs, selected: -1, scrollTop: keep ? scrollTop : 0, touched: true });
    if (!keep) toggled = new Set();
    if (source === "similar") {
        // The results no longer answer the typed text: empty the box, and let it say what they are instead.
        state.query = "";
        queryInput.value = "";
    }
    errorBanner = undefined;
    refreshed = keep;
    if (!keep) rerun = undefined;
    render();
    window.scrollTo(0, state.scrollTop);
    if (selectedHit) {
        const exact = hits.findIndex((h) => h.folder === selectedHit.folder && h.path === selectedHit.path && h.startLine === selectedHit.startLine);
        const i = exact >= 0 ? exact : hits.findIndex((h) => samePlace(h, selectedHit));
        if (i >= 0) select(i, hadFocus, false);
    }
    save();
}

/** The coverages the rows on screen stand for: their reply's, raised to the index's when a re-run was sent. */
function rowsBasis(): RowsBasis {
    const floor = rerun?.floor;
    return {
        coverage: Math.max(state.coverage, floor?.coverage ?? 0),
        semanticCoverage: Math.max(state.semanticCoverage, floor?.semanticCoverage ?? 0),
        keywordOnly: state.source === "search" && state.mode === "lexical",
    };
}

/** Rows that a re-run can reproduce: an answered non-empty query (or a Find Similar target), no error showing. */
function refreshable(): boolean {
    if (!state.touched || errorBanner || state.answered.trim() === "") return false;
    return state.source === "similar" ? state.similarTo !== undefined : state.query.trim() !== "";
}

/** Sends the current query (or Find Similar target) again, remembering the index's coverage at this moment. */
function sendRerun(): void {
    if (!refreshable() || !index) return;
    lastRequest++;
    awaitReply();
    rerun = { requestId: lastRequest, floor: { coverage: index.coverage, semanticCoverage: index.semanticCoverage } };
    if (state.source === "similar" && state.similarTo) {
        host.post({ type: "findSimilar", requestId: lastRequest, location: state.similarTo.location, enclosing: state.similarTo.enclosing });
    } else {
        host.post({ type: "search", requestId: lastRequest, query: state.query, mode: state.mode, scope: state.scope });
    }
}

function awaitReply(): void {
    awaiting = lastRequest;
    awaitingSince = Date.now();
}

const autoRefresh = new AutoRefresh({
    busy: () => awaiting !== 0 && Date.now() - awaitingSince < REPLY_WAIT_MS,
    nothingShown: () => state.hits.length === 0,
    run: sendRerun,
});

/** A new index state: re-run the rows on screen if it has made them stale. */
function onIndexState(next: IndexStateDto): void {
    const prev = index;
    index = next;
    renderStatus();
    if (prev === undefined || isEmptyIndex(prev) !== isEmptyIndex(next)) renderPlaceholder();
    if (refreshable() && isStale(rowsBasis(), prev, next)) autoRefresh.request();
}

function render(): void {
    list.removeAttribute("aria-busy");
    list.replaceChildren(...state.hits.map((h, i) => renderHit(h, i, rowOptions(i), handlers)));
    const first = items()[0];
    if (first && state.selected < 0) first.tabIndex = 0; // the list is one tab stop even before a row is selected
    renderPlaceholder();
    queryInput.placeholder = state.source === "similar" && state.hits.length > 0 ? `Similar to ${state.answered} — type to search` : QUERY_PLACEHOLDER;
    renderNotice(noticeHost, state.hits.length > 0 ? state.weakNotice : undefined);
    summaryHost.replaceChildren();
    if (state.hits.length > 0) {
        const what = state.source === "similar" ? `Similar to ${state.answered}` : `${state.hits.length} results`;
        summaryHost.append(el("span", "summary-text", `${what} · ${Math.round(state.elapsedMs)} ms${refreshed ? " · updated as the index grew" : ""}`));
    }
    if (state.selected >= 0) select(state.selected, false);
    renderStatus();
}

/**
 * The page in place of rows. A folder with nothing to search gets none: the banner says so and links the index
 * status, and "Describe what the code does" or "No matches" would only contradict it.
 */
function renderPlaceholder(): void {
    const hasQuery = state.answered.trim() !== "";
    const noScope = !state.scope.code && !state.scope.docs;
    const nothingIndexed = index !== undefined && isEmptyIndex(index);
    const kind = state.hits.length > 0 || nothingIndexed ? "none" : noScope ? "noScope" : hasQuery ? "noMatches" : "welcome";
    renderEmpty(emptyHost, kind, state.answered, state.mode);
}

function renderStatus(): void {
    const onAction = (action: BannerAction) => host.post({ type: "runAction", action });
    if (errorBanner) renderBanner(bannerHost, { kind: "error", ...errorBanner }, onAction);
    else renderBanner(bannerHost, indexBanner(index, state.touched && state.answered ? state.coverage : undefined), onAction);
}

function items(): HTMLLIElement[] {
    return [...list.querySelectorAll<HTMLLIElement>("li.hit")];
}

function select(i: number, focus = true, reveal = true): void {
    const all = items();
    if (all.length === 0) return;
    const k = Math.max(0, Math.min(i, all.length - 1));
    all.forEach((li, j) => {
        li.setAttribute("aria-selected", String(j === k));
        li.tabIndex = j === k ? 0 : -1;
    });
    state.selected = k;
    if (focus) all[k].focus({ preventScroll: !reveal });
    if (reveal) all[k].scrollIntoView({ block: "nearest" });
    save();
}

function onMessage(msg: ToWebview): void {
    switch (msg.type) {
        case "init":
            if (!state.touched) {
                state.mode = msg.defaults.mode;
                writeControls();
            }
            // A page (re)loaded with saved rows: the index may have grown while it was hidden.
            index = undefined;
            onIndexState(msg.index);
            return;
        case "defaults":
            return;
        case "indexState":
            onIndexState(msg.index);
            return;
        case "results": {
            // Replies to superseded requests are dropped; host-initiated results (requestId 0) always show.
            if (msg.requestId !== 0 && msg.requestId !== lastRequest) return;
            const keep = msg.requestId !== 0 && msg.requestId === rerun?.requestId;
            awaiting = 0;
            if (msg.requestId === 0) autoRefresh.cancel();
            if (msg.source === "similar") lastRequest++;
            showHits(msg, keep);
            return;
        }
        case "error":
            if (msg.requestId !== 0 && msg.requestId !== lastRequest) return;
            awaiting = 0;
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
    } else if (e.key === "Enter" && e.shiftKey) {
        e.preventDefault();
        handlers.similar(state.selected);
    } else if (e.key === "Enter") {
        e.preventDefault();
        handlers.open(state.selected);
    } else if (e.key === "ArrowRight" || e.key === "ArrowLeft" || e.key === " ") {
        e.preventDefault();
        const row = items()[state.selected];
        const open = row?.getAttribute("aria-expanded") === "true";
        if (e.key === " " || open === (e.key === "ArrowLeft")) handlers.toggle(state.selected);
    } else if (e.key === "Escape") queryInput.focus();
});

// A row focused by Tab or a click becomes the selected row (roving tab stop: one row is tabbable at a time).
list.addEventListener("focusin", (e) => {
    const row = (e.target as HTMLElement).closest<HTMLLIElement>("li.hit");
    const i = row ? Number(row.dataset.index) : -1;
    if (i >= 0 && i !== state.selected) select(i, false, false);
});

// Activity postpones an automatic re-run: rows must not move while the user types, points or scrolls.
for (const type of ["keydown", "input", "pointermove", "pointerdown", "wheel"] as const) {
    document.addEventListener(type, () => autoRefresh.activity(), { capture: true, passive: true });
}

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
    autoRefresh.activity();
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
