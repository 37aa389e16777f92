/**
 * Connections to a team index's database: a pool from a `postgres://` URL, the URL as logs may show it (password
 * removed), and the translation of connection failures into CoreError("storeUnreachable") so a front end can fall
 * back to the local index. TLS settings travel in the URL as node-postgres reads them (`sslmode=require|verify-ca|
 * verify-full`, `sslrootcert=/path/ca.pem`, `sslcert`, `sslkey`); nothing here overrides them.
 */
import pg from "pg";
import { CoreError } from "../../errors";
import type { Logger } from "../../types";

/** How long a connection attempt may take before the database counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;
/**
 * How long a reader's query may wait for its reply before the database counts as unreachable: node-postgres waits
 * forever by default, so a connection gone silent (a dropped VPN) would hang a search, in the CLI and the MCP server
 * as much as in the editor. Far above a healthy search (BM25 at a million chunks takes about a second).
 */
const QUERY_TIMEOUT_MS = 15_000;
/** Readers run several queries of one search at once (BM25, kNN, definitions). */
const POOL_SIZE = 8;

/** int8 columns (chunk ids, counts) as numbers: ids stay far below 2^53. */
const types = {
    getTypeParser(oid: number, format?: "text" | "binary") {
        if (oid === 20 && format !== "binary") return (v: string) => Number(v);
        return pg.types.getTypeParser(oid, format as "text");
    },
};

/** The URL with any password replaced, safe for logs and error messages. */
export function redactedUrl(url: string): string {
    try {
        const u = new URL(url);
        if (u.password) u.password = "***";
        return u.toString();
    } catch {
        // Not parseable as a URL: show nothing of it rather than risk a secret.
        return "<store url>";
    }
}

/** SQLSTATE classes and socket errors that mean "the database is not there right now", not "the query is wrong". */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "57P01", "57P02", "57P03"]);

/** True for an error that says the database cannot be reached (as opposed to a rejected query). */
export function isUnreachable(err: unknown): boolean {
    if (!(err instanceof Error)) return false;
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || code.startsWith("08"))) return true;
    // node-postgres reports a socket closed under a query or a connect timeout with these messages and no code.
    return /^Connection terminated|^timeout exceeded when trying to connect|^Client has encountered a connection error|^Query read timeout/.test(err.message);
}

/** Runs `fn`, turning a connection failure into CoreError("storeUnreachable") naming the redacted URL. */
export async function reachable<T>(url: string, fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (err) {
        if (err instanceof CoreError || !isUnreachable(err)) throw err;
        const why = err instanceof Error ? ((err as { code?: string }).code ?? err.message) : String(err);
        throw new CoreError("storeUnreachable", `The team index at ${redactedUrl(url)} cannot be reached (${why})`, { cause: err });
    }
}

/** A pool for one URL. Idle connections that break (a database restart) are dropped and logged, never thrown. */
export function openPool(url: string, logger: Logger, max = POOL_SIZE): pg.Pool {
    const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, idleTimeoutMillis: 30_000, types });
    pool.on("error", (err) => logger.debug(`seek: team index connection dropped (${err.message})`));
    return pool;
}

/** One connection (a writer holds its advisory lock on it for the whole run). */
export async function openClient(url: string, logger: Logger): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types });
    client.on("error", (err) => logger.debug(`seek: team index connection dropped (${err.message})`));
    await reachable(url, () => client.connect());
    return client;
}
