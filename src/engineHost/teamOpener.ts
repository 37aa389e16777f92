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

/** Longest a connection attempt (connect, schema check, namespace read) may run in the background. */
const CONNECT_DEADLINE_MS = 15_000;

function withTimeout<T>(p: Promise<T>, ms: number, error: () => Error): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)));
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

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
        // An attempt that hangs after the socket opened (a server gone silent mid-handshake) must end too.
        const a = withTimeout(connect(), CONNECT_DEADLINE_MS, () => new CoreError("storeUnreachable", `${what} does not answer`));
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

/** Longest a team index query may take before the database counts as not answering (a slow exact scan is seconds). */
export const CALL_TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 3_000;

/**
 * The source with a deadline on every call. A connection that goes silent mid-session (a dropped VPN, a laptop woken
 * on another network) leaves node-postgres waiting for a reply with no timeout, and the search with it, for good.
 * Past the deadline a call fails as "storeUnreachable", so the link answers from the local index; until the
 * database answers a probe (refresh(), run in the background) every call fails at once instead of waiting again.
 */
export function withDeadline(source: SharedSource, what: string, timeoutMs = CALL_TIMEOUT_MS): SharedSource {
    let stuck = false;
    let probe: Promise<void> | undefined;
    /** The deadline's own errors (told apart by identity, not by their text). */
    const deadlineErrors = new WeakSet<object>();
    const silent = () => {
        const err = new CoreError("storeUnreachable", `${what} stopped answering (no reply within ${timeoutMs / 1000} s)`);
        deadlineErrors.add(err);
        return err;
    };
    const timed = <T>(p: Promise<T>): Promise<T> => withTimeout(p, timeoutMs, silent);
    const startProbe = () => {
        // One small query: a short deadline, so a database that is back is used again within seconds.
        probe ??= withTimeout(source.refresh(), Math.min(timeoutMs, PROBE_TIMEOUT_MS), silent)
            .then(() => void (stuck = false))
            .catch(() => undefined)
            .finally(() => (probe = undefined));
    };
    return new Proxy(source, {
        get(target, prop) {
            const value: unknown = Reflect.get(target, prop);
            if (typeof value !== "function" || prop === "close") return typeof value === "function" ? value.bind(target) : value;
            const call = (args: unknown[]): unknown => {
                const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
                if (!(result instanceof Promise)) return result;
                return timed(result).catch((err: unknown) => {
                    if (typeof err === "object" && err !== null && deadlineErrors.has(err)) stuck = true;
                    throw err;
                });
            };
            return (...args: unknown[]) => {
                if (!stuck) return call(args);
                // A retry: wait briefly for the probe, so a database that is back answers this search already.
                startProbe();
                return withTimeout(probe ?? Promise.resolve(), RETRY_WAIT_MS, silent)
                    .catch(() => undefined)
                    .then(() => {
                        if (stuck) throw silent();
                        return call(args);
                    });
            };
        },
    });
}
