/**
 * The team index under faults, on a real PostgreSQL (test/support/pgserver.ts): a publisher killed with SIGKILL in
 * the middle of a run, then rerun, equals a clean build (catalog, chunk rows, document frequencies, totals); a
 * second writer of a namespace fails at once (or waits); a reader role cannot write; SQL in queries, paths, globs,
 * languages and namespace names stays data; a stopped database gives "storeUnreachable" without the password, and
 * the same source works again once the database is back.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { isCoreError } from "../../src/core/errors";
import type { IndexIdentity } from "../../src/core/store/indexStore";
import { PostgresSource } from "../../src/core/store/postgres/postgresSource";
import { PostgresWriter, type PublishFile } from "../../src/core/store/postgres/postgresWriter";
import { publish, type PublishInput } from "../../src/core/store/postgres/publish";
import { FIELD_WEIGHTS } from "../../src/core/store/termIndex";
import type { Logger } from "../../src/core/types";
import { fakeVector, startPgServer, syntheticFiles, type PgServer } from "../support/pgserver";

const logger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const DIMS = 16;
const ID: IndexIdentity = { modelId: "fake", dimensions: DIMS, instructionSet: "none", chunkerVersion: "1" };

let server: PgServer;
before(async () => {
    server = await startPgServer();
});
after(async () => {
    await server?.destroy();
});

/** Synthetic files as publisher input (vectors precomputed), the same for the same seed in any process. */
function syntheticInput(files: number, seed: number): PublishInput {
    const all = syntheticFiles(files, seed, 5);
    const byPath = new Map(all.map((f) => [f.path, f]));
    const hashes = new Map(all.map((f) => [f.path, createHash("sha256").update(f.chunks.map((c) => c.text).join("\0")).digest("hex")]));
    return {
        fileHashes: () => hashes,
        fileChunks: (path) => byPath.get(path)!.chunks.map((c) => ({ ...c, vector: fakeVector(c.text, DIMS) })),
    };
}

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = [], url = server.url): Promise<T[]> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
        return (await c.query<T>(text, values)).rows;
    } finally {
        await c.end();
    }
}

/** Everything a namespace holds, in a form two namespaces can be compared by (ids and the namespace left out). */
async function snapshot(repo: string, ref: string) {
    const [ns] = await sql<{ id: number; file_count: string; chunk_count: string; token_count: string; embedded_count: string }>("SELECT * FROM seek_namespaces WHERE repo = $1 AND ref = $2", [repo, ref]);
    const files = await sql("SELECT path, hash FROM seek_files WHERE ns = $1 ORDER BY path", [ns.id]);
    const chunks = await sql(
        `SELECT path, start_line, end_line, language, kind, symbol, symbol_kind, symbol_keys, text, embedding::text AS embedding, tokens, counts, length
         FROM seek_chunks WHERE ns = $1 ORDER BY path, start_line`,
        [ns.id],
    );
    const terms = await sql("SELECT token, df FROM seek_terms WHERE ns = $1 ORDER BY token", [ns.id]);
    const counted = await sql("SELECT token, count(*)::int AS df FROM seek_chunks, unnest(tokens) token WHERE ns = $1 GROUP BY token ORDER BY token", [ns.id]);
    assert.deepEqual(terms, counted, `${repo}@${ref}: document frequencies match the rows`);
    assert.equal(Number(ns.file_count), files.length, `${repo}@${ref}: file count matches the rows`);
    return { totals: [ns.file_count, ns.chunk_count, ns.token_count, ns.embedded_count], files, chunks, terms };
}

const CHILD = `
const { PostgresWriter } = require(process.env.OUT + "/src/core/store/postgres/postgresWriter.js");
const { publish } = require(process.env.OUT + "/src/core/store/postgres/publish.js");
const { syntheticFiles, fakeVector } = require(process.env.OUT + "/test/support/pgserver.js");
const { createHash } = require("node:crypto");
const logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
(async () => {
    const all = syntheticFiles(Number(process.env.FILES), 3, 5);
    const byPath = new Map(all.map((f) => [f.path, f]));
    const hashes = new Map(all.map((f) => [f.path, createHash("sha256").update(f.chunks.map((c) => c.text).join("\\0")).digest("hex")]));
    const input = { fileHashes: () => hashes, fileChunks: (p) => byPath.get(p).chunks.map((c) => ({ ...c, vector: fakeVector(c.text, 16) })) };
    const identity = { modelId: "fake", dimensions: 16, instructionSet: "none", chunkerVersion: "1" };
    const writer = await PostgresWriter.open(process.env.URL, { repo: "kill/test", ref: "main" }, identity, { logger });
    await publish(writer, input, { logger, onBatch: () => process.stdout.write("batch\\n") });
    await writer.close();
    process.stdout.write("done\\n");
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe("team index faults", () => {
    it("a publisher killed mid-run, then rerun, equals a clean build", async () => {
        const files = 1200;
        const child = spawn(process.execPath, ["-e", CHILD], { env: { ...process.env, OUT: join(__dirname, "..", ".."), URL: server.url, FILES: String(files) }, stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        const killed = new Promise<string>((resolve) => {
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString();
                // After the first committed batch, at a moment inside the next one.
                if (out.includes("batch") && !child.killed) setTimeout(() => child.kill("SIGKILL"), 40);
            });
            child.on("exit", (_code, signal) => resolve(signal ?? "exited"));
        });
        assert.equal(await killed, "SIGKILL", `the publisher finished before it was killed (${out})`);
        const partial = await sql<{ n: number }>("SELECT count(*)::int AS n FROM seek_files f JOIN seek_namespaces n ON n.id = f.ns WHERE n.repo = 'kill/test'");
        assert.ok(partial[0].n > 0 && partial[0].n < files, `partial publish: ${partial[0].n} files`);
        await snapshot("kill/test", "main"); // consistent even now

        // The killed session's lock goes with its connection; the rerun waits for that if the server has not noticed yet.
        const rerun = await PostgresWriter.open(server.url, { repo: "kill/test", ref: "main" }, ID, { logger, wait: true });
        const report = await publish(rerun, syntheticInput(files, 3), { logger });
        await rerun.close();
        assert.equal(report.unchanged, partial[0].n);
        const clean = await PostgresWriter.open(server.url, { repo: "kill/clean", ref: "main" }, ID, { logger });
        await publish(clean, syntheticInput(files, 3), { logger });
        await clean.close();
        assert.deepEqual(await snapshot("kill/test", "main"), await snapshot("kill/clean", "main"));
    });

    it("a second writer of a namespace fails at once, or waits with `wait`", async () => {
        const key = { repo: "lock/test", ref: "main" };
        const first = await PostgresWriter.open(server.url, key, ID, { logger });
        const started = Date.now();
        await assert.rejects(PostgresWriter.open(server.url, key, ID, { logger }), (e) => isCoreError(e, "storeLocked") && /Another writer is publishing lock\/test@main/.test(e.message));
        assert.ok(Date.now() - started < 3000);
        // Another namespace is not blocked.
        const other = await PostgresWriter.open(server.url, { ...key, ref: "dev" }, ID, { logger });
        await other.close();
        let waited = false;
        const second = PostgresWriter.open(server.url, key, ID, { logger, wait: true }).then((w) => {
            waited = true;
            return w;
        });
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(waited, false);
        await first.close();
        await (await second).close();
        assert.equal(waited, true);
    });

    it("the README's roles work: a writer without superuser publishes into a new database, a reader reads it", async () => {
        await sql("CREATE DATABASE seek");
        const db = server.url.replace(/\/postgres$/, "/seek");
        // The README's set-up, as an administrator.
        await sql("CREATE EXTENSION vector", [], db);
        await sql("CREATE ROLE seek_writer LOGIN PASSWORD 'w'");
        await sql("GRANT CREATE, USAGE ON SCHEMA public TO seek_writer", [], db);
        await sql("CREATE ROLE readme_reader LOGIN PASSWORD 'r'");
        await sql("GRANT CONNECT ON DATABASE seek TO readme_reader");
        await sql("GRANT USAGE ON SCHEMA public TO readme_reader", [], db);
        await sql("ALTER DEFAULT PRIVILEGES FOR ROLE seek_writer IN SCHEMA public GRANT SELECT ON TABLES TO readme_reader", [], db);
        const writerUrl = `postgres://seek_writer:w@127.0.0.1:${server.port}/seek`;
        const readerUrl = `postgres://readme_reader:r@127.0.0.1:${server.port}/seek`;
        const writer = await PostgresWriter.open(writerUrl, { repo: "acme/api", ref: "main" }, ID, { logger });
        await publish(writer, syntheticInput(20, 9), { logger });
        await writer.close();
        const source = await PostgresSource.open(readerUrl, { repo: "acme/api", ref: "main" }, ID, { logger });
        try {
            assert.equal((await source.counts()).files, 20);
            assert.ok((await source.lexicalTopK({ query: "retry upload", limit: 5, filter: {}, weights: FIELD_WEIGHTS, dropWeightless: true })).length > 0);
            assert.ok((await source.vectorTopK({ vector: fakeVector("retry", DIMS), limit: 5, filter: {}, calibration: "none" })).length === 5);
        } finally {
            await source.close();
        }
        await assert.rejects(PostgresWriter.open(readerUrl, { repo: "acme/api", ref: "dev" }, ID, { logger }), (e) => (e as { code?: string }).code === "42501");
    });

    it("a reader role can search but not write, and SQL in inputs stays data", async () => {
        const key = { repo: "acme'); DROP TABLE seek_files;--", ref: "main' OR '1'='1" };
        const evilPath = `src/it's "quoted"; DROP TABLE seek_chunks;--.ts`;
        const files: PublishFile[] = [
            { path: evilPath, hash: "h1", chunks: [{ path: evilPath, startLine: 1, endLine: 2, language: "typescript", kind: "code", symbol: "x'; DELETE FROM seek_terms;--", text: "retry upload'); DROP TABLE seek_terms;--", vector: fakeVector("a", DIMS) }] },
            { path: "src/plain.ts", hash: "h2", chunks: [{ path: "src/plain.ts", startLine: 1, endLine: 1, language: "typescript", kind: "code", text: "retry upload plain", vector: fakeVector("b", DIMS) }] },
        ];
        const writer = await PostgresWriter.open(server.url, key, ID, { logger });
        await writer.replaceFiles(files);
        await writer.close();

        await sql("CREATE ROLE seek_reader LOGIN PASSWORD 'sekrit-pw'");
        await sql("GRANT CONNECT ON DATABASE postgres TO seek_reader");
        await sql("GRANT USAGE ON SCHEMA public TO seek_reader");
        await sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO seek_reader");
        const readerUrl = `postgres://seek_reader:sekrit-pw@127.0.0.1:${server.port}/postgres`;
        const source = await PostgresSource.open(readerUrl, key, ID, { logger });
        try {
            const lex = (query: string, filter = {}) => source.lexicalTopK({ query, limit: 10, filter, weights: FIELD_WEIGHTS, dropWeightless: true });
            assert.deepEqual((await lex("retry upload")).map((h) => h.path).sort(), [evilPath, "src/plain.ts"].sort());
            assert.deepEqual(await lex("'); TRUNCATE pg_class; --"), []);
            assert.deepEqual((await lex("retry", { include: ["*'; DROP TABLE seek_terms; --"] })).length, 0);
            assert.deepEqual((await lex("retry", { include: [`src/it's*`] })).map((h) => h.path), [evilPath]);
            assert.deepEqual((await lex("retry", { languages: ["x' OR 1=1 --"] })).length, 0);
            assert.deepEqual((await lex("retry", { onlyPaths: new Set([evilPath]) })).map((h) => h.path), [evilPath]);
            assert.equal((await source.chunkSpans([evilPath])).get(evilPath)?.length, 1);
            assert.equal((await source.vectorTopK({ vector: fakeVector("a", DIMS), limit: 5, filter: { exclude: ["*' OR 1=1"] }, calibration: "none" })).length, 2);
            assert.equal((await source.definitions(["xdeletefromseekterms", "'; DROP TABLE seek_chunks; --"], {})).get("xdeletefromseekterms")?.length, 1);
            for (const table of ["seek_chunks", "seek_files", "seek_terms", "seek_namespaces", "seek_schema"]) {
                assert.equal((await sql<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [table]))[0].t, table);
            }
            // The reader role cannot write: not rows, not a namespace, not the schema.
            await assert.rejects(sql("INSERT INTO seek_files (ns, path, hash) VALUES (1, 'x', 'y')", [], readerUrl), (e) => (e as { code?: string }).code === "42501");
            await assert.rejects(sql("DELETE FROM seek_chunks", [], readerUrl), (e) => (e as { code?: string }).code === "42501");
            await assert.rejects(PostgresWriter.open(readerUrl, { repo: "r", ref: "main" }, ID, { logger }), (e) => (e as { code?: string }).code === "42501");

            // Database down: storeUnreachable, without the password; back up: the same source answers again.
            await server.stop();
            await assert.rejects(lex("retry"), (e) => isCoreError(e, "storeUnreachable") && !e.message.includes("sekrit-pw") && e.message.includes("***"));
            await assert.rejects(source.refresh(), (e) => isCoreError(e, "storeUnreachable"));
            await assert.rejects(PostgresSource.open(readerUrl, key, ID, { logger }), (e) => isCoreError(e, "storeUnreachable") && !e.message.includes("sekrit-pw"));
            await server.start();
            await source.refresh();
            assert.equal((await lex("retry upload")).length, 2);
        } finally {
            await source.close();
        }
    });
});
