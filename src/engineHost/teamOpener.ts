/**
 * Connecting to a team index without holding searches hostage. The core's link (core/teamIndex.ts) calls its opener
 * inside a search; a database that does not answer at all (a dropped VPN, a firewall that drops packets) would make
 * that search wait for the whole connect timeout (5 s) every time the link retries. Here the connection attempt runs
 * in the background: a search waits for it at most {@link FIRST_WAIT_MS} (the first attempt) or
 * {@link RETRY_WAIT_MS} (after a failure), then answers from the local index while the attempt goes on; the next
 * retry picks up a connection that has come through in the meantime at once.
 */
import { CoreError } from "../core/errors";
import type { SharedSource } from "../core/teamIndex";

/** A healthy database connects well within this, TLS and password included, even over a VPN. */
export const FIRST_WAIT_MS = 2_000;
/** While the team index is down: a retry costs a search at most this; a slower connection is used at the next one. */
export const RETRY_WAIT_MS = 300;

export interface TeamOpener {
    open(): Promise<SharedSource>;
    /** The link that used this opener is gone: a connection still on its way is closed when it arrives. */
    abandon(): void;
}

export function teamOpener(connect: () => Promise<SharedSource>, what: string, waits = { first: FIRST_WAIT_MS, retry: RETRY_WAIT_MS }): TeamOpener {
    let attempt: Promise<SharedSource> | undefined;
    let failed = false;
    let abandoned = false;
    /** A connection that arrived while no search was waiting for it. */
    let unclaimed: SharedSource | undefined;
    const start = () => {
        const a = connect();
        attempt = a;
        a.then(
            (source) => {
                // Nobody will take it: close it rather than keep its pool.
                if (abandoned) void source.close?.().catch(() => undefined);
                else if (attempt === a) unclaimed = source;
            },
            () => {
                if (attempt === a) attempt = undefined;
            },
        );
        return a;
    };
    return {
        async open() {
            const current = attempt ?? start();
            const waitMs = failed ? waits.retry : waits.first;
            let timer: NodeJS.Timeout | undefined;
            const late = new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new CoreError("storeUnreachable", `${what} does not answer (still trying)`)), waitMs);
            });
            try {
                const source = await Promise.race([current, late]);
                // Handed over: the link owns it now, and the next open() connects afresh.
                if (attempt === current) {
                    attempt = undefined;
                    unclaimed = undefined;
                }
                failed = false;
                return source;
            } catch (err) {
                failed = true;
                throw err;
            } finally {
                clearTimeout(timer);
            }
        },
        abandon() {
            abandoned = true;
            void unclaimed?.close?.().catch(() => undefined);
            unclaimed = undefined;
            attempt = undefined;
        },
    };
}
