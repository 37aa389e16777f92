/**
 * The one writer of a namespace of the team index. It holds a session advisory lock on the namespace for its whole
 * life (a second writer fails at once, or waits with `wait`), and writes files in transactions that replace a
 * file's chunks, its catalog row, the document frequencies of the tokens involved and the namespace totals
 * together: a writer killed at any moment leaves every file either old or new and the BM25 statistics equal to
 * what the rows say.
 */
import type pg from "pg";
import { CoreError } from "../../errors";
import { symbolKeysOf } from "../../search/lexical";
import type { Chunk, Logger } from "../../types";
import { chunkTermCounts, pathWords } from "../chunkTerms";
import type { IndexIdentity } from "../indexStore";
import { openClient, reachable, redactedUrl } from "./connection";
import { createNamespace, findNamespace, identityKey, namespaceLabel, resetNamespace, sameIdentity, type NamespaceKey } from "./namespace";
import { ensureVectorIndex, LOCK_SPACE, migrate } from "./schema";

/** A chunk to publish, with its vector when it has one. */
export type PublishChunk = Chunk & { vector?: Float32Array };

/** One file's new version: its content hash and all of its chunks. */
export interface PublishFile {
    path: string;
    hash: string;
    chunks: PublishChunk[];
}

export interface WriterOptions {
    logger: Logger;
    /** Wait for another writer of the namespace to finish instead of failing. */
    wait?: boolean;
    /** Leave the HNSW index to the caller (a bulk load builds it after the rows: much faster). */
    deferVectorIndex?: boolean;
}

/** Rows per INSERT statement: 16 parameters a row stays far below PostgreSQL's 65,535 per statement. */
const ROWS_PER_INSERT = 500;
const COLUMNS = ["ns", "path", "start_line", "end_line", "language", "kind", "symbol", "symbol_kind", "symbol_keys", "text", "dims", "embedding", "tokens", "counts", "length"];

/** Totals a transaction changes, applied with its rows. */
interface Delta {
    df: Map<string, number>;
    files: number;
    chunks: number;
    tokens: number;
    embedded: number;
}

export class PostgresWriter {
    private constructor(
        private readonly client: pg.Client,
        private readonly url: string,
        readonly ns: number,
        readonly key: NamespaceKey,
        readonly identity: IndexIdentity,
        private readonly logger: Logger,
    ) {}

    /** Connects, migrates the schema, creates the namespace if new and takes its writer lock. */
    static async open(url: string, key: NamespaceKey, identity: IndexIdentity, opts: WriterOptions): Promise<PostgresWriter> {
        const client = await openClient(url, opts.logger);
        try {
            return await reachable(url, async () => {
                await migrate(client);
                const ns = await createNamespace(client, key, identity);
                await lockNamespace(client, ns, key, url, opts.wait === true);
                const row = await findNamespace(client, key);
                if (row && !sameIdentity(row.identity, identity)) {
                    opts.logger.info(`seek: ${namespaceLabel(key)} was built with ${identityKey(row.identity)}; republishing it with ${identityKey(identity)}`);
                    await resetNamespace(client, ns, identity);
                }
                if (!opts.deferVectorIndex) await ensureVectorIndex(client, identity.dimensions);
                return new PostgresWriter(client, url, ns, key, identity, opts.logger);
            });
        } catch (err) {
            await client.end().catch(() => undefined);
            throw err;
        }
    }

    /** path -> content hash of every published file of the namespace. */
    async fileHashes(): Promise<Map<string, string>> {
        const res = await reachable(this.url, () => this.client.query<{ path: string; hash: string }>("SELECT path, hash FROM seek_files WHERE ns = $1", [this.ns]));
        return new Map(res.rows.map((r) => [r.path, r.hash]));
    }

    /** Replaces these files (old chunks out, new chunks in, catalog and statistics updated) in one transaction. */
    async replaceFiles(files: readonly PublishFile[]): Promise<void> {
        if (files.length === 0) return;
        for (const f of files) this.check(f);
        await this.transaction(async (delta) => {
            await this.deleteChunks(files.map((f) => f.path), delta);
            await this.insertChunks(files, delta);
            const upserted = await this.client.query<{ inserted: boolean }>(
                `INSERT INTO seek_files (ns, path, hash) SELECT $1, p, h FROM unnest($2::text[], $3::text[]) AS x(p, h)
                 ON CONFLICT (ns, path) DO UPDATE SET hash = excluded.hash RETURNING (xmax = 0) AS inserted`,
                [this.ns, files.map((f) => f.path), files.map((f) => f.hash)],
            );
            delta.files += upserted.rows.filter((r) => r.inserted).length;
        });
    }

    /** Removes files and their chunks in one transaction; unknown paths are ignored. */
    async removeFiles(paths: readonly string[]): Promise<void> {
        if (paths.length === 0) return;
        await this.transaction(async (delta) => {
            await this.deleteChunks(paths, delta);
            const deleted = await this.client.query("DELETE FROM seek_files WHERE ns = $1 AND path = ANY($2::text[])", [this.ns, [...paths]]);
            delta.files -= deleted.rowCount ?? 0;
        });
    }

    /** Releases the lock (by closing the session that holds it). Safe to call twice. */
    async close(): Promise<void> {
        await this.client.end().catch((err: unknown) => this.logger.debug(`seek: closing the team index writer: ${String(err)}`));
    }

    private check(f: PublishFile): void {
        for (const c of f.chunks) {
            if (c.path !== f.path) throw new CoreError("badInput", `chunk of ${c.path} published under ${f.path}`);
            if (c.vector && c.vector.length !== this.identity.dimensions) {
                throw new CoreError("badInput", `${f.path}: vector of ${c.vector.length} values, the namespace has ${this.identity.dimensions}`);
            }
        }
    }

    private async transaction(fn: (delta: Delta) => Promise<void>): Promise<void> {
        await reachable(this.url, async () => {
            const delta: Delta = { df: new Map(), files: 0, chunks: 0, tokens: 0, embedded: 0 };
            await this.client.query("BEGIN");
            try {
                await fn(delta);
                await this.applyDelta(delta);
                await this.client.query("COMMIT");
            } catch (err) {
                await this.client.query("ROLLBACK").catch(() => undefined);
                throw err;
            }
        });
    }

    private async deleteChunks(paths: readonly string[], delta: Delta): Promise<void> {
        const gone = await this.client.query<{ tokens: string[]; length: number; embedded: boolean }>(
            "DELETE FROM seek_chunks WHERE ns = $1 AND path = ANY($2::text[]) RETURNING tokens, length, embedding IS NOT NULL AS embedded",
            [this.ns, [...paths]],
        );
        for (const row of gone.rows) {
            for (const t of row.tokens) delta.df.set(t, (delta.df.get(t) ?? 0) - 1);
            delta.chunks--;
            delta.tokens -= row.length;
            if (row.embedded) delta.embedded--;
        }
    }

    private async insertChunks(files: readonly PublishFile[], delta: Delta): Promise<void> {
        const rows: unknown[][] = [];
        for (const f of files) {
            const pathText = pathWords(f.path);
            for (const c of f.chunks) rows.push(this.chunkRow(c, pathText, delta));
        }
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
            const slice = rows.slice(i, i + ROWS_PER_INSERT);
            const placeholders = slice.map((_, r) => `(${COLUMNS.map((_c, k) => `$${r * COLUMNS.length + k + 1}`).join(", ")})`);
            await this.client.query(`INSERT INTO seek_chunks (${COLUMNS.join(", ")}) VALUES ${placeholders.join(", ")}`, slice.flat());
        }
    }

    /** One chunk's column values (in {@link COLUMNS} order), counting its terms into the delta. */
    private chunkRow(c: PublishChunk, pathText: string, delta: Delta): unknown[] {
        const terms = chunkTermCounts(c.text, pathText, c.symbol);
        const tokens = [...terms.counts.keys()];
        // Packed counts are uint32 (symbol count in the top byte); int4 holds the same bits, and SQL reads the bytes
        // back with arithmetic shifts and masks.
        const counts = tokens.map((t) => terms.counts.get(t)! | 0);
        for (const t of tokens) delta.df.set(t, (delta.df.get(t) ?? 0) + 1);
        delta.chunks++;
        delta.tokens += terms.length;
        if (c.vector) delta.embedded++;
        const keys = symbolKeysOf(c.symbol);
        return [
            this.ns,
            c.path,
            c.startLine,
            c.endLine,
            c.language,
            c.kind,
            c.symbol ?? null,
            c.symbolKind ?? null,
            keys === "" ? [] : keys.split(" "),
            // PostgreSQL text cannot hold NUL; discovery skips binary files, so this only guards odd text files.
            c.text.includes("\0") ? c.text.replace(/\0/g, "\uFFFD") : c.text,
            this.identity.dimensions,
            c.vector ? vectorParam(c.vector) : null,
            tokens,
            counts,
            terms.length,
        ];
    }

    private async applyDelta(delta: Delta): Promise<void> {
        const changed = [...delta.df].filter(([, d]) => d !== 0);
        if (changed.length > 0) {
            const tokens = changed.map(([t]) => t);
            await this.client.query(
                `INSERT INTO seek_terms (ns, token, df) SELECT $1, t, d FROM unnest($2::text[], $3::int[]) AS x(t, d)
                 ON CONFLICT (ns, token) DO UPDATE SET df = seek_terms.df + excluded.df`,
                [this.ns, tokens, changed.map(([, d]) => d)],
            );
            await this.client.query("DELETE FROM seek_terms WHERE ns = $1 AND token = ANY($2::text[]) AND df <= 0", [this.ns, tokens]);
        }
        await this.client.query(
            `UPDATE seek_namespaces SET file_count = file_count + $5, chunk_count = chunk_count + $2, token_count = token_count + $3,
                embedded_count = embedded_count + $4, generation = generation + 1, updated_at = now() WHERE id = $1`,
            [this.ns, delta.chunks, delta.tokens, delta.embedded, delta.files],
        );
    }
}

/**
 * A vector as a bound parameter in pgvector's binary form (node-postgres sends a Buffer in binary; the server reads
 * it with vector_recv: int16 dimensions, int16 unused, big-endian float4 values). Exact, and about 2 µs where the
 * text form took ~700 µs a 384-d vector (formatting 384 doubles): the text form capped publishing near 1,000
 * chunks/s.
 */
export function vectorParam(v: Float32Array): Buffer {
    const buf = Buffer.allocUnsafe(4 + 4 * v.length);
    buf.writeInt16BE(v.length, 0);
    buf.writeInt16BE(0, 2);
    for (let i = 0; i < v.length; i++) buf.writeFloatBE(v[i], 4 + 4 * i);
    return buf;
}

/** Takes the namespace's writer lock on this session, failing at once (or waiting) when another session holds it. */
async function lockNamespace(client: pg.Client, ns: number, key: NamespaceKey, url: string, wait: boolean): Promise<void> {
    if (wait) {
        await client.query("SELECT pg_advisory_lock($1, $2)", [LOCK_SPACE, ns]);
        return;
    }
    const res = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [LOCK_SPACE, ns]);
    if (!res.rows[0]?.ok) {
        throw new CoreError("storeLocked", `Another writer is publishing ${namespaceLabel(key)} to ${redactedUrl(url)}; try again when it is done (or pass --wait)`);
    }
}
