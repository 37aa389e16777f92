/**
 * The team index's tables in PostgreSQL (issue #12), versioned: `seek_schema` holds the version, writers apply the
 * migrations they know (under a transaction-scoped advisory lock, so two writers starting together migrate once),
 * readers only check it and refuse a database newer than they understand.
 *
 * - seek_namespaces: one (repository, ref) each, with the index identity its vectors were made with and the totals
 *   BM25 and status need (files, chunks, tokens, embedded chunks), kept by the writer in the same transactions as
 *   the rows they count, so a reader's refresh before every search reads one row.
 * - seek_files: the catalog, path -> content hash per namespace.
 * - seek_chunks: chunk rows with their metadata, text, vector (pgvector, `dims` wide) and their lexical terms as
 *   two parallel arrays: distinct tokens and their packed per-field counts (store/chunkTerms.ts layout), plus the
 *   chunk's length in tokens.
 * - seek_terms: per namespace, how many chunks hold each token (document frequency), maintained incrementally.
 *
 * Indexes: GIN on the token array (BM25 candidates: `tokens && query tokens`) and on the symbol keys (exact
 * definitions); one HNSW cosine index per vector width, made by the first writer of that width
 * ({@link ensureVectorIndex}). The wheel the tests use has no btree_gin, so the namespace is checked after the GIN
 * match; a database with many namespaces pays for the others' matches (measured in bench/RESULTS.md).
 */
import type pg from "pg";
import { CoreError } from "../../errors";

/** The schema version this build reads and writes. */
export const SCHEMA_VERSION = 1;

/** Advisory lock key (two-int form, first int = Seek's space) for migrations; the namespace locks use the same space. */
export const LOCK_SPACE = 0x5eec;
const MIGRATION_LOCK = 0;

/** Migrations in order; migration i brings the schema from version i to i + 1. Never edit a released one. */
const MIGRATIONS: readonly (readonly string[])[] = [
    [
        `CREATE EXTENSION IF NOT EXISTS vector`,
        `CREATE TABLE seek_namespaces (
            id serial PRIMARY KEY,
            repo text NOT NULL,
            ref text NOT NULL,
            model_id text NOT NULL,
            dimensions integer NOT NULL CHECK (dimensions > 0),
            instruction_set text NOT NULL,
            chunker_version text NOT NULL,
            file_count bigint NOT NULL DEFAULT 0,
            chunk_count bigint NOT NULL DEFAULT 0,
            token_count bigint NOT NULL DEFAULT 0,
            embedded_count bigint NOT NULL DEFAULT 0,
            generation bigint NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (repo, ref)
        )`,
        `CREATE TABLE seek_files (
            ns integer NOT NULL REFERENCES seek_namespaces(id) ON DELETE CASCADE,
            path text NOT NULL,
            hash text NOT NULL,
            PRIMARY KEY (ns, path)
        )`,
        `CREATE TABLE seek_chunks (
            id bigserial PRIMARY KEY,
            ns integer NOT NULL REFERENCES seek_namespaces(id) ON DELETE CASCADE,
            path text NOT NULL,
            start_line integer NOT NULL,
            end_line integer NOT NULL,
            language text NOT NULL,
            kind text NOT NULL,
            symbol text,
            symbol_kind text,
            symbol_keys text[] NOT NULL,
            text text NOT NULL,
            dims integer NOT NULL,
            embedding vector,
            tokens text[] NOT NULL,
            counts integer[] NOT NULL,
            length integer NOT NULL
        )`,
        // BM25 reads a row's token and count arrays for every matching chunk: keep them uncompressed in the row
        // (MAIN: compressed or moved out only if the row stays too big after the text and vector went), so reading
        // them costs no decompression. The vector lives out of line (pgvector's default), the text compressed.
        `ALTER TABLE seek_chunks ALTER COLUMN tokens SET STORAGE MAIN, ALTER COLUMN counts SET STORAGE MAIN`,
        `CREATE INDEX seek_chunks_path ON seek_chunks (ns, path, start_line)`,
        `CREATE INDEX seek_chunks_tokens ON seek_chunks USING gin (tokens)`,
        `CREATE INDEX seek_chunks_symbols ON seek_chunks USING gin (symbol_keys)`,
        `CREATE TABLE seek_terms (
            ns integer NOT NULL REFERENCES seek_namespaces(id) ON DELETE CASCADE,
            token text NOT NULL,
            df integer NOT NULL,
            PRIMARY KEY (ns, token)
        )`,
        `CREATE TABLE seek_schema (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version integer NOT NULL)`,
    ],
];

type Queryable = Pick<pg.ClientBase, "query">;

/** The schema version of the database (0 when it has no Seek tables). */
export async function schemaVersion(db: Queryable): Promise<number> {
    const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('seek_schema')::text AS t`);
    if (!exists.rows[0]?.t) return 0;
    const row = await db.query<{ version: number }>(`SELECT version FROM seek_schema`);
    return row.rows[0]?.version ?? 0;
}

/** Readers: throws a clear CoreError unless the database holds a schema this build can read. */
export async function checkReadable(db: Queryable, label: string): Promise<void> {
    const version = await schemaVersion(db);
    if (version === 0) throw new CoreError("indexMismatch", `${label} holds no Seek team index (run 'seek index <folder> --store <url>' first)`);
    if (version > SCHEMA_VERSION) {
        throw new CoreError("indexMismatch", `${label} was written by a newer Seek (schema ${version}; this one reads up to ${SCHEMA_VERSION}): update Seek`);
    }
}

/**
 * Writers: brings the schema to {@link SCHEMA_VERSION} in one transaction (all of a migration or none of it).
 * Refuses a newer schema like a reader does: an old writer must not write rows a newer reader misreads.
 */
export async function migrate(db: Queryable): Promise<void> {
    await db.query("BEGIN");
    try {
        await db.query("SELECT pg_advisory_xact_lock($1, $2)", [LOCK_SPACE, MIGRATION_LOCK]);
        const from = await schemaVersion(db);
        if (from > SCHEMA_VERSION) {
            throw new CoreError("indexMismatch", `the team index was written by a newer Seek (schema ${from}; this one writes ${SCHEMA_VERSION}): update Seek`);
        }
        for (let v = from; v < SCHEMA_VERSION; v++) {
            for (const sql of MIGRATIONS[v]) await db.query(sql);
        }
        if (from < SCHEMA_VERSION) {
            await db.query(`INSERT INTO seek_schema (only_row, version) VALUES (true, $1) ON CONFLICT (only_row) DO UPDATE SET version = excluded.version`, [SCHEMA_VERSION]);
        }
        await db.query("COMMIT");
    } catch (err) {
        await db.query("ROLLBACK").catch(() => undefined);
        throw err;
    }
}

/**
 * The HNSW cosine index over the vectors `dims` wide (a partial expression index: pgvector indexes only a column
 * of fixed width). Idempotent. `dims` is an integer checked here: a type modifier cannot be a bound parameter.
 */
export async function ensureVectorIndex(db: Queryable, dims: number): Promise<void> {
    await db.query(vectorIndexSql(dims));
}

/** The DDL of {@link ensureVectorIndex}, for a bulk load that builds the index after the rows (faster on 2 cores). */
export function vectorIndexSql(dims: number): string {
    const d = checkedDims(dims);
    return `CREATE INDEX IF NOT EXISTS seek_chunks_hnsw_${d} ON seek_chunks USING hnsw ((embedding::vector(${d})) vector_cosine_ops) WHERE dims = ${d}`;
}

/** A vector width safe to write into SQL text (pgvector's HNSW limit is 2,000 for `vector`). */
export function checkedDims(dims: number): number {
    if (!Number.isInteger(dims) || dims < 1 || dims > 2000) throw new CoreError("badInput", `Invalid vector dimensions ${dims}`);
    return dims;
}
