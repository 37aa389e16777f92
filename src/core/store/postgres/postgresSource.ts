/**
 * One namespace of the team index as a {@link SearchSource}: retrieval runs in PostgreSQL (pgvector HNSW kNN, BM25
 * in SQL: lexicalSql.ts), fusion and ranking stay in the core as for the local index. Reads need only SELECT (see
 * the README's reader role). Every call maps a lost connection to CoreError("storeUnreachable"), and the pool
 * reconnects by itself, so a source survives a database restart.
 */
import type pg from "pg";
import { CoreError } from "../../errors";
import type { FileKind, Logger, StoredChunk } from "../../types";
import type { IndexIdentity } from "../indexStore";
import type { DefinedMeta, LexicalRequest, ScoredCandidate, SearchFilter, SearchSource, SourceCounts, VectorRequest } from "../searchSource";
import { openPool, reachable, redactedUrl } from "./connection";
import { excludesEverything, filterConditions, globPaths, hasGlobs, SqlParams, type GlobPaths } from "./filterSql";
import { bm25Sql, queryTokens, searchableAlternatives, tokenGroups, type TermStats } from "./lexicalSql";
import { namespaceLabel, readableNamespace, type NamespaceKey, type NamespaceRow } from "./namespace";
import { checkedDims, checkReadable } from "./schema";
import { vectorParam } from "./postgresWriter";

/**
 * HNSW candidate list size: four times the results asked for, and never below 400, so the approximate kNN returns
 * nearly what an exact scan would. On 20k synthetic 384-d chunks, recall@100 was 0.86 at 200 and 0.94 at 400 (the
 * search took 12 and 19 ms); pgvector caps it at 1,000. See bench/RESULTS.md for the figures at 1M.
 */
function efSearch(limit: number): number {
    return Math.min(1000, Math.max(400, 4 * limit));
}

const META_COLUMNS = "c.id, c.path, c.kind, c.language, c.start_line, c.end_line, c.symbol_keys";

export class PostgresSource implements SearchSource {
    readonly label: string;
    private catalogCache: { generation: number; hashes: Map<string, string>; paths: string[] } | undefined;

    private constructor(
        private readonly pool: pg.Pool,
        private readonly url: string,
        private readonly key: NamespaceKey,
        private readonly identity: IndexIdentity,
        private ns: NamespaceRow,
    ) {
        this.label = `shared index ${namespaceLabel(key)}`;
    }

    /** Connects and checks the schema version and the namespace's identity (CoreError "indexMismatch" otherwise). */
    static async open(url: string, key: NamespaceKey, identity: IndexIdentity, opts: { logger: Logger }): Promise<PostgresSource> {
        checkedDims(identity.dimensions);
        const pool = openPool(url, opts.logger);
        try {
            const ns = await reachable(url, async () => {
                await checkReadable(pool, `The database at ${redactedUrl(url)}`);
                return readableNamespace(pool, key, identity);
            });
            return new PostgresSource(pool, url, key, identity, ns);
        } catch (err) {
            await pool.end().catch(() => undefined);
            throw err;
        }
    }

    /** Reads the namespace's current totals (one small query); a changed identity throws "indexMismatch". */
    async refresh(): Promise<void> {
        this.ns = await reachable(this.url, () => readableNamespace(this.pool, this.key, this.identity));
    }

    /** The namespace as of the last open or refresh: key, identity, totals, last publish. */
    get namespace(): Readonly<NamespaceRow> {
        return this.ns;
    }

    async close(): Promise<void> {
        await this.pool.end();
    }

    async counts(): Promise<SourceCounts> {
        return { files: this.ns.files, chunks: this.ns.chunks, embedded: this.ns.embedded };
    }

    async fileHashes(): Promise<ReadonlyMap<string, string>> {
        return (await this.catalog()).hashes;
    }

    async vectorTopK(req: VectorRequest): Promise<ScoredCandidate[]> {
        if (req.calibration !== "none") {
            throw new CoreError("badInput", `The team index supports kindCalibration "none" only (asked for "${req.calibration}")`);
        }
        if (req.limit <= 0) return [];
        const globs = await this.globs(req.filter);
        if (excludesEverything(req.filter, globs)) return [];
        const d = checkedDims(this.identity.dimensions);
        const run = async (exact: boolean) => {
            const params = new SqlParams();
            const v = params.add(vectorParam(req.vector));
            // The cast to vector(d) is what the HNSW index is built on; without it the planner scans exactly.
            const distance = exact ? `(c.embedding <=> ${v}::vector)` : `(c.embedding::vector(${d}) <=> ${v}::vector(${d}))`;
            const where = [`c.ns = ${params.add(this.ns.id)}`, `c.dims = ${d}`, "c.embedding IS NOT NULL", ...filterConditions(req.filter, globs, params)];
            const sql = `SELECT ${META_COLUMNS}, 1 - ${distance} AS score FROM seek_chunks c WHERE ${where.join(" AND ")} ORDER BY ${distance} LIMIT ${params.add(req.limit)}`;
            return this.readOnly(async (client) => {
                if (!exact) {
                    // Filtered searches (the namespace itself is one) walk the graph until `limit` rows pass.
                    await client.query("SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'strict_order', true)", [String(efSearch(req.limit))]);
                }
                return (await client.query(sql, params.values)).rows;
            });
        };
        let rows = await run(false);
        // The graph walk gives up after hnsw.max_scan_tuples rows under a very selective filter: then scan exactly.
        if (rows.length < req.limit && rows.length < this.ns.embedded) rows = await run(true);
        return rows.map(toCandidate).sort((a, b) => b.score - a.score || a.id - b.id);
    }

    async lexicalTopK(req: LexicalRequest): Promise<ScoredCandidate[]> {
        const tokens = queryTokens(req.query);
        if (tokens.length === 0 || req.limit <= 0) return [];
        const globs = await this.globs(req.filter);
        if (excludesEverything(req.filter, globs)) return [];
        const rows = await this.readOnly(async (client) => {
            const stats = await this.termStats(client, tokens);
            const groups = tokenGroups(searchableAlternatives(req.query, req.dropWeightless, stats), stats);
            if (groups.length === 0 || stats.chunks === 0) return [];
            const params = new SqlParams();
            const bm25 = bm25Sql(groups, stats, req.weights, params);
            const where = [`c.ns = ${params.add(this.ns.id)}`, bm25.candidates, ...filterConditions(req.filter, globs, params)];
            // OFFSET 0 keeps the inner query a subquery, so each token's counts are looked up once per row.
            const inner = `SELECT ${META_COLUMNS}, c.length, ${bm25.tokenColumns} FROM seek_chunks c WHERE ${where.join(" AND ")} OFFSET 0`;
            const sql =
                `SELECT x.id, x.path, x.kind, x.language, x.start_line, x.end_line, x.symbol_keys, ${bm25.score} AS score ` +
                `FROM (${inner}) x WHERE ${bm25.matched} ORDER BY score DESC, x.id LIMIT ${params.add(req.limit)}`;
            return (await client.query(sql, params.values)).rows;
        });
        return rows.map(toCandidate);
    }

    async definitions(keys: readonly string[], filter: SearchFilter): Promise<Map<string, DefinedMeta[]>> {
        const out = new Map<string, DefinedMeta[]>(keys.map((k) => [k, []]));
        if (keys.length === 0) return out;
        const globs = await this.globs(filter);
        if (excludesEverything(filter, globs)) return out;
        const params = new SqlParams();
        const where = [`c.ns = ${params.add(this.ns.id)}`, `c.symbol_keys && ${params.add([...keys])}::text[]`, ...filterConditions(filter, globs, params)];
        const res = await reachable(this.url, () => this.pool.query(`SELECT ${META_COLUMNS}, c.symbol FROM seek_chunks c WHERE ${where.join(" AND ")} ORDER BY c.id`, params.values));
        for (const row of res.rows) {
            const meta = toCandidate({ ...row, score: 0 });
            const { score: _score, ...found } = meta;
            // The symbol as written: the exact-definition rule prefers a name spelled as asked (rules/exactSymbol.ts).
            const defined: DefinedMeta = row.symbol ? { ...found, symbol: row.symbol as string } : found;
            for (const key of row.symbol_keys as string[]) out.get(key)?.push(defined);
        }
        return out;
    }

    async cosines(ids: readonly number[], vector: Float32Array): Promise<Map<number, number>> {
        if (ids.length === 0) return new Map();
        const res = await reachable(this.url, () =>
            this.pool.query<{ id: number; cosine: number }>(
                "SELECT id, 1 - (embedding <=> $1::vector) AS cosine FROM seek_chunks WHERE ns = $2 AND id = ANY($3::bigint[]) AND embedding IS NOT NULL",
                [vectorParam(vector), this.ns.id, [...ids]],
            ),
        );
        return new Map(res.rows.map((r) => [r.id, r.cosine]));
    }

    async chunks(ids: readonly number[]): Promise<StoredChunk[]> {
        if (ids.length === 0) return [];
        const res = await reachable(this.url, () =>
            this.pool.query(
                "SELECT id, path, start_line, end_line, language, kind, symbol, symbol_kind, text FROM seek_chunks WHERE ns = $1 AND id = ANY($2::bigint[])",
                [this.ns.id, [...ids]],
            ),
        );
        return res.rows.map((r) => {
            const chunk: StoredChunk = { id: r.id, path: r.path, startLine: r.start_line, endLine: r.end_line, language: r.language, kind: r.kind as FileKind, text: r.text };
            if (r.symbol !== null) chunk.symbol = r.symbol;
            if (r.symbol_kind !== null) chunk.symbolKind = r.symbol_kind;
            return chunk;
        });
    }

    async chunkSpans(paths: readonly string[]): Promise<Map<string, { startLine: number; endLine: number }[]>> {
        const out = new Map<string, { startLine: number; endLine: number }[]>();
        if (paths.length === 0) return out;
        const res = await reachable(this.url, () =>
            this.pool.query<{ path: string; start_line: number; end_line: number }>(
                "SELECT path, start_line, end_line FROM seek_chunks WHERE ns = $1 AND path = ANY($2::text[]) ORDER BY path, start_line, end_line",
                [this.ns.id, [...paths]],
            ),
        );
        for (const r of res.rows) {
            const spans = out.get(r.path) ?? [];
            spans.push({ startLine: r.start_line, endLine: r.end_line });
            out.set(r.path, spans);
        }
        return out;
    }

    /** The catalog, re-read only when the namespace's generation moved since the last read. */
    private async catalog(): Promise<NonNullable<PostgresSource["catalogCache"]>> {
        const generation = this.ns.generation;
        if (this.catalogCache?.generation === generation) return this.catalogCache;
        const res = await reachable(this.url, () => this.pool.query<{ path: string; hash: string }>("SELECT path, hash FROM seek_files WHERE ns = $1 ORDER BY path", [this.ns.id]));
        const hashes = new Map(res.rows.map((r) => [r.path, r.hash]));
        this.catalogCache = { generation, hashes, paths: [...hashes.keys()] };
        return this.catalogCache;
    }

    private async globs(filter: SearchFilter): Promise<GlobPaths> {
        return hasGlobs(filter) ? globPaths(filter, (await this.catalog()).paths) : undefined;
    }

    /** Namespace totals and the tokens' document frequencies. */
    private async termStats(client: pg.PoolClient, tokens: string[]): Promise<TermStats> {
        const res = await client.query<{ chunk_count: number; token_count: number; token: string | null; df: number | null }>(
            `SELECT n.chunk_count, n.token_count, t.token, t.df FROM seek_namespaces n
             LEFT JOIN seek_terms t ON t.ns = n.id AND t.token = ANY($2::text[]) WHERE n.id = $1`,
            [this.ns.id, tokens],
        );
        const first = res.rows[0];
        const df = new Map<string, number>();
        for (const r of res.rows) if (r.token !== null && r.df !== null) df.set(r.token, r.df);
        return { chunks: Number(first?.chunk_count ?? 0), tokens: Number(first?.token_count ?? 0), df };
    }

    /** Runs `fn` in a read-only snapshot transaction (statistics and rows from one moment). */
    private async readOnly<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
        return reachable(this.url, async () => {
            const client = await this.pool.connect();
            let broken: Error | undefined;
            // A checked-out client has no pool listener: a connection lost under it would be an uncaught 'error'
            // event. The failing query rejects as well, which is what reports it.
            const ignore = () => undefined;
            client.on("error", ignore);
            try {
                await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                const result = await fn(client);
                await client.query("COMMIT");
                return result;
            } catch (err) {
                broken = err instanceof Error ? err : new Error(String(err));
                await client.query("ROLLBACK").catch(() => undefined);
                throw err;
            } finally {
                // A client whose query failed may have lost its connection: the pool must not hand it out again.
                client.off("error", ignore);
                client.release(broken);
            }
        });
    }
}

/** A result row as a candidate. */
function toCandidate(r: { id: number; path: string; kind: string; language: string; start_line: number; end_line: number; symbol_keys: string[]; score: number }): ScoredCandidate {
    return {
        id: r.id,
        path: r.path,
        kind: r.kind as FileKind,
        language: r.language,
        startLine: r.start_line,
        endLine: r.end_line,
        symbolKeys: r.symbol_keys.join(" "),
        score: Number(r.score),
    };
}
