/**
 * Typed wrapper over acquireVsCodeApi(): only FromWebview messages can be posted, and the persisted state has one
 * shape (restored by VS Code after a reload, through the panel serializer or the view's own reload).
 */
import type { FromWebview, HitDto, ScopeDto, SearchModeDto, SimilarTargetDto } from "../../src/protocol/messages";

/** What the page keeps in setState: enough to redraw itself without asking the host. */
export interface PageState {
    query: string;
    mode: SearchModeDto;
    scope: ScopeDto;
    hits: HitDto[];
    source: "search" | "similar";
    /** The query the hits answer (for Find Similar: the target's description). */
    answered: string;
    /** Share of the workspace's files indexed when the hits were computed. */
    coverage: number;
    /** Share of chunks with a vector when the hits were computed (stale rows are re-run as it grows). */
    semanticCoverage: number;
    /** For Find Similar hits: what was compared, to run it again. */
    similarTo?: SimilarTargetDto;
    /** The host's sentence when every hit is weak (shown above them). */
    weakNotice?: string;
    elapsedMs: number;
    selected: number;
    scrollTop: number;
    /** False until the first results or `init` (then the mode default from settings no longer applies). */
    touched: boolean;
}

export const INITIAL_STATE: PageState = {
    query: "",
    mode: "hybrid",
    scope: { code: true, docs: true, glob: "" },
    hits: [],
    source: "search",
    answered: "",
    coverage: 1,
    semanticCoverage: 1,
    elapsedMs: 0,
    selected: -1,
    scrollTop: 0,
    touched: false,
};

export interface Host {
    post(msg: FromWebview): void;
    load(): PageState;
    save(state: PageState): void;
}

export function connectHost(): Host {
    const api = acquireVsCodeApi<PageState>();
    return {
        post: (msg) => api.postMessage(msg),
        load: () => ({ ...INITIAL_STATE, ...(api.getState() ?? {}) }),
        save: (state) => void api.setState(state),
    };
}
