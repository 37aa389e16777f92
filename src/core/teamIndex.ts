/**
 * The link between a folder's local index and a team index (a shared SearchSource, e.g. PostgreSQL): searches run
 * on the two layered (store/overlaySource.ts); while the shared index cannot be reached they run on the local index
 * alone and say so once, and the shared index is tried again after a pause, so a database that comes back is used
 * again without any action and a database that is down does not cost a connection timeout per keystroke.
 */
import { isCoreError } from "./errors";
import { OverlaySource, type OverlayOptions } from "./store/overlaySource";
import type { SearchSource } from "./store/searchSource";
import type { Logger } from "./types";

/** How long searches stay local after the shared index failed, before it is tried again. */
export const TEAM_RETRY_MS = 5_000;

/** A shared source the link may close when it is detached (a database pool). */
export type SharedSource = SearchSource & { close?(): Promise<void> };

/** Which index answered a search, and why not the shared one when it was not. */
export interface Answered {
    /** The answering source's label ("local index", "shared index acme/api@main + local changes"). */
    answeredBy: string;
    /** Set while the shared index is unreachable: the one-sentence reason, for the status bar and logs. */
    sharedUnavailable?: string;
}

export class TeamIndexLink {
    private connected: { shared: SharedSource; overlay: OverlaySource } | undefined;
    private failure: { at: number; message: string } | undefined;
    private readonly retryMs: number;
    private readonly now: () => number;

    /**
     * `open` connects to the team index; it is called at the first search and again after a failed connection,
     * so a database that is down when the folder opens is picked up once it is back.
     */
    constructor(
        private readonly local: SearchSource,
        private readonly open: () => Promise<SharedSource>,
        private readonly logger: Logger,
        private readonly options: OverlayOptions & { retryMs?: number; now?: () => number } = {},
    ) {
        this.retryMs = options.retryMs ?? TEAM_RETRY_MS;
        this.now = options.now ?? Date.now;
    }

    /** The shared index's state as of the last search: reachable, or the reason it is not. */
    get unavailable(): string | undefined {
        return this.failure?.message;
    }

    /** The label of the layered index, once connected. */
    get label(): string | undefined {
        return this.connected?.overlay.label;
    }

    /**
     * Runs one search on the layered index, or on the local index while the shared one is down. Only an
     * unreachable shared index falls back; any other error (another model, a newer schema) is thrown.
     */
    async run<T>(search: (source: SearchSource) => Promise<T>): Promise<{ value: T } & Answered> {
        if (!this.failure || this.now() - this.failure.at >= this.retryMs) {
            try {
                const { overlay, shared } = await this.connect();
                const value = await search(overlay);
                if (this.failure) this.logger.info(`seek: the shared index answers again (${shared.label})`);
                this.failure = undefined;
                return { value, answeredBy: overlay.label };
            } catch (err) {
                if (!isCoreError(err, "storeUnreachable")) throw err;
                if (!this.failure) this.logger.warn(`seek: ${err.message}; searching the local index until it is back`);
                this.failure = { at: this.now(), message: err.message };
            }
        }
        const value = await search(this.local);
        return { value, answeredBy: this.local.label, sharedUnavailable: this.failure?.message };
    }

    async close(): Promise<void> {
        const connected = this.connected;
        this.connected = undefined;
        await connected?.shared.close?.();
    }

    private async connect(): Promise<{ shared: SharedSource; overlay: OverlaySource }> {
        if (!this.connected) {
            const shared = await this.open();
            this.connected = { shared, overlay: new OverlaySource(shared, this.local, this.options) };
        }
        return this.connected;
    }
}
