/**
 * Results on screen go stale while the index grows: rows computed at 20% semantic coverage miss what the semantic
 * stage has embedded since. The webview re-runs the query by itself when coverage has grown enough.
 *
 * Why re-run automatically rather than offer a "Results improved — Refresh" button: the user asked a question and
 * the better answer is the one they want; a button would ask for a click at every step of a run (or be ignored and
 * leave weak rows up). What makes a re-run disruptive is rows moving under the user's hands, so it waits until no
 * key, pointer or scroll activity for QUIET_MS, runs at most once per REFRESH_STEP of coverage (about ten times in
 * a run), and keeps the scroll position and the selected row (results.ts).
 *
 * DOM-free, so unit tests import it.
 */
import type { IndexStateDto } from "../../src/protocol/messages";

/** Coverage gain (0..1) that makes results on screen worth computing again: at most about ten re-runs per run. */
export const REFRESH_STEP = 0.1;
/** No re-run until this long after the last keystroke, pointer move or scroll in the page. */
export const QUIET_MS = 1000;
const EPS = 1e-9;

/** The coverages the rows on screen were computed at. */
export interface RowsBasis {
    /** Share of the workspace's files indexed. */
    coverage: number;
    /** Share of chunks with a vector. */
    semanticCoverage: number;
    /** Keyword mode: vectors don't change these rows, only files do. */
    keywordOnly: boolean;
}

/**
 * True when rows computed at `rows` should be computed again now that the index is at `next` (`prev`: the state
 * before it, undefined right after the page loaded): coverage grew by REFRESH_STEP, or the run ended with any gain.
 */
export function isStale(rows: RowsBasis, prev: IndexStateDto | undefined, next: IndexStateDto): boolean {
    const files = next.coverage - rows.coverage;
    const vectors = rows.keywordOnly ? 0 : next.semanticCoverage - rows.semanticCoverage;
    if (files >= REFRESH_STEP - EPS || vectors >= REFRESH_STEP - EPS) return true;
    // The end of a run (or a page loaded after it) is worth one last re-run for any gain; an idle index stays idle,
    // so this cannot repeat, even where chunks the model failed on keep semantic coverage under 1.
    const ended = next.phase === "idle" && (prev === undefined || prev.phase === "indexing");
    return ended && (files > EPS || vectors > EPS);
}

export interface AutoRefreshHooks {
    /** A request of the page is in flight: its reply comes first. */
    busy(): boolean;
    /**
     * No rows are on screen (an answer of 0 hits from an index still filling): nothing can move under the user's
     * hands, so the re-run need not wait for a quiet page.
     */
    nothingShown?(): boolean;
    /** Sends the re-run. */
    run(): void;
}

/** Runs a requested re-run once the page has been quiet for `quietMs` and nothing is in flight. */
export class AutoRefresh {
    private pending = false;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private lastActivity = Number.NEGATIVE_INFINITY;

    constructor(
        private readonly hooks: AutoRefreshHooks,
        private readonly quietMs = QUIET_MS,
        private readonly now: () => number = () => Date.now(),
    ) {}

    /** A keystroke, pointer move or scroll: postpones a pending re-run. */
    activity(): void {
        this.lastActivity = this.now();
    }

    /** Asks for a re-run (results went stale). */
    request(): void {
        this.pending = true;
        this.attempt();
    }

    /** The user sent a new request: its reply will be fresh, so nothing is pending any more. */
    cancel(): void {
        this.pending = false;
        clearTimeout(this.timer);
        this.timer = undefined;
    }

    get isPending(): boolean {
        return this.pending;
    }

    private attempt(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (!this.pending) return;
        const quietFor = this.now() - this.lastActivity;
        const waitForQuiet = quietFor < this.quietMs && !this.hooks.nothingShown?.();
        if (waitForQuiet || this.hooks.busy()) {
            this.timer = setTimeout(() => this.attempt(), Math.max(100, this.quietMs - quietFor));
            return;
        }
        this.pending = false;
        this.hooks.run();
    }
}
