/**
 * The team index on a real PostgreSQL + pgvector (test/support/pgserver.ts): schema and migrations, publishing a
 * local index and republishing only what changed, and the reader's lists against the local index's: BM25 top-k and
 * scores (within 1e-6) on random queries, with and without the weightless-term rule, custom field weights and every
 * kind of filter; kNN against an exact scan; definitions, chunks, spans, cosines, catalog and counts.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { isCoreError } from "../../src/core/errors";
import { withoutWeightlessTerms } from "../../src/core/search/commonTerms";
import { compileFilter } from "../../src/core/search/filters";
import { alternativeTerms, queryAlternatives } from "../../src/core/search/lexical";
import { IndexStore, type IndexIdentity } from "../../src/core/store/indexStore";
import { localPublishInput } from "../../src/core/store/postgres/localInput";
import { PostgresSource } from "../../src/core/store/postgres/postgresSource";
import { PostgresWriter } from "../../src/core/store/postgres/postgresWriter";
import { publish } from "../../src/core/store/postgres/publish";
import { migrate, SCHEMA_VERSION, schemaVersion } from "../../src/core/store/postgres/schema";
import type { SearchFilter } from "../../src/core/store/searchSource";
import { FIELD_WEIGHTS, type FieldWeights } from "../../src/core/store/termIndex";
import type { Chunk, Logger } from "../../src/core/types";
import { fakeVector, startPgServer, syntheticFiles, type PgServer } from "../support/pgserver";
import { mulberry32 } from "../support/random";

const logger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const DIMS = 32;
const ID: IndexIdentity = { modelId: "fake", dimensions: DIMS, instructionSet: "none", chunkerVersion: "1" };
const KEY = { repo: "acme/api", ref: "main" };

let server: PgServer;
const dirs: string[] = [];
before(async () => {
    server = await startPgServer();
});
after(async () => {
    await server?.destroy();
    dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function hashOf(chunks: readonly Chunk[]): string {
    return createHash("sha256").update(chunks.map((c) => c.text).join("\0")).digest("hex");
}

/** A local index holding these files, every chunk with a fake vector. */
function localStore(files: { path: string; chunks: Chunk[] }[]): IndexStore {
    const dir = fs.mkdtempSync(join(tmpdir(), "seek-pg-local-"));
    dirs.push(dir);
    const store = IndexStore.open(dir, ID);
    store.replaceFiles(files.map((f) => ({ file: { path: f.path, size: 1, mtimeMs: 1, hash: hashOf(f.chunks) }, chunks: f.chunks, vectors: f.chunks.map((c) => fakeVector(c.text, DIMS)) })));
    return store;
}

async function publishStore(store: IndexStore, key = KEY) {
    const writer = await PostgresWriter.open(server.url, key, ID, { logger });
    try {
        return await publish(writer, localPublishInput(store), { logger });
    } finally {
        await writer.close();
    }
}

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
        return (await c.query<T>(sql, values)).rows;
    } finally {
        await c.end();
    }
}

/** The BM25 statistics kept by the writer equal those counted from the chunk rows. */
async function assertStatsConsistent(repo = KEY.repo, ref = KEY.ref): Promise<void> {
    const [ns] = await query<{ id: number; file_count: string; chunk_count: string; token_count: string; embedded_count: string }>("SELECT * FROM seek_namespaces WHERE repo = $1 AND ref = $2", [repo, ref]);
    const [files] = await query<{ n: string }>("SELECT count(*) n FROM seek_files WHERE ns = $1", [ns.id]);
    assert.equal(Number(ns.file_count), Number(files.n));
    const [rows] = await query<{ n: string; len: string | null; emb: string }>("SELECT count(*) n, sum(length) len, count(embedding) emb FROM seek_chunks WHERE ns = $1", [ns.id]);
    assert.equal(Number(ns.chunk_count), Number(rows.n));
    assert.equal(Number(ns.token_count), Number(rows.len ?? 0));
    assert.equal(Number(ns.embedded_count), Number(rows.emb));
    const counted = await query<{ token: string; df: string }>("SELECT token, count(*) df FROM seek_chunks, unnest(tokens) token WHERE ns = $1 GROUP BY token ORDER BY token", [ns.id]);
    const kept = await query<{ token: string; df: number }>("SELECT token, df FROM seek_terms WHERE ns = $1 ORDER BY token", [ns.id]);
    assert.deepEqual(kept.map((r) => [r.token, r.df]), counted.map((r) => [r.token, Number(r.df)]));
}

/** `path:startLine` of a local chunk id. */
function keyOf(store: IndexStore, id: number): string {
    const m = store.chunks.metaOf(id)!;
    return `${m.path}:${m.startLine}`;
}

/**
 * Two ranked lists agree: the same score at every rank (within 1e-6) and the same chunks, except that chunks tied
 * at the cut may differ (either is a correct top-k).
 */
function assertSameRanking(local: { key: string; score: number }[], remote: { key: string; score: number }[], what: string): void {
    assert.equal(remote.length, local.length, `${what}: length`);
    local.forEach((l, i) => assert.ok(Math.abs(l.score - remote[i].score) <= 1e-6, `${what}: rank ${i} ${l.score} vs ${remote[i].score}`));
    const cut = local.at(-1)?.score ?? 0;
    const remoteScores = new Map(remote.map((r) => [r.key, r.score]));
    for (const l of local) {
        const r = remoteScores.get(l.key);
        if (r === undefined) assert.ok(Math.abs(l.score - cut) <= 1e-6, `${what}: ${l.key} (${l.score}) missing above the cut`);
        else assert.ok(Math.abs(l.score - r) <= 1e-6, `${what}: ${l.key} ${l.score} vs ${r}`);
    }
}

const FILES = syntheticFiles(150, 11);
const WORDS = ["retry", "upload", "file", "error", "config", "parse", "user", "token", "the", "of", "getUserById", "parse_config", "HTTPServer", "café", "running", "x2y", "getGet", "database", "missingword", "a.b", "HTTP server", "Fetch-Token"];

function randomQueries(n: number, seed: number): string[] {
    const rand = mulberry32(seed);
    return Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(rand() * 4) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" "));
}

describe("team index schema", () => {
    it("migrates an empty database once, idempotently, and refuses a newer schema clearly", async () => {
        const c = new pg.Client({ connectionString: server.url });
        await c.connect();
        try {
            await c.query("CREATE DATABASE schema_test");
        } finally {
            await c.end();
        }
        const url = server.url.replace(/\/postgres$/, "/schema_test");
        const db = new pg.Client({ connectionString: url });
        await db.connect();
        try {
            assert.equal(await schemaVersion(db), 0);
            await assert.rejects(PostgresSource.open(url, KEY, ID, { logger }), (e) => isCoreError(e, "indexMismatch") && /holds no Seek team index/.test(e.message));
            await Promise.all([migrate(db), (async () => {
                const other = new pg.Client({ connectionString: url });
                await other.connect();
                await migrate(other);
                await other.end();
            })()]);
            await migrate(db);
            assert.equal(await schemaVersion(db), SCHEMA_VERSION);
            await db.query("UPDATE seek_schema SET version = $1", [SCHEMA_VERSION + 1]);
            await assert.rejects(PostgresSource.open(url, KEY, ID, { logger }), (e) => isCoreError(e, "indexMismatch") && /newer Seek/.test(e.message));
            await assert.rejects(PostgresWriter.open(url, KEY, ID, { logger }), (e) => isCoreError(e, "indexMismatch") && /newer Seek/.test(e.message));
        } finally {
            await db.end();
        }
    });
});

describe("team index publishing and reading", () => {
    let store: IndexStore;
    let source: PostgresSource;
    before(async () => {
        store = localStore(FILES);
        const report = await publishStore(store);
        assert.equal(report.added, FILES.length);
        assert.equal(report.chunks, store.counts().chunks);
        source = await PostgresSource.open(server.url, KEY, ID, { logger });
    });
    after(async () => {
        await source?.close();
        store?.close();
    });

    it("holds the local catalog, counts and consistent BM25 statistics", async () => {
        assert.deepEqual(new Map(await source.fileHashes()), new Map(store.catalog()));
        const c = store.counts();
        assert.deepEqual(await source.counts(), { files: c.files, chunks: c.chunks, embedded: c.embedded });
        await assertStatsConsistent();
    });

    it("ranks random queries by BM25 exactly like the local index (top-k and scores within 1e-6)", async () => {
        const weightsList: FieldWeights[] = [FIELD_WEIGHTS, { text: 0.5, idents: 2, path: 3, symbol: 1 }];
        let compared = 0;
        for (const q of [...randomQueries(60, 5), "the of and", "", "???", "getUserById", "RankConfig.value()"]) {
            for (const dropWeightless of [false, true]) {
                for (const weights of weightsList) {
                    let alternatives = queryAlternatives(q);
                    if (dropWeightless && alternatives.length > 1) {
                        alternatives = withoutWeightlessTerms(alternatives, store.documentFrequencies(alternatives.flatMap(alternativeTerms)), store.counts().chunks);
                    }
                    const local = store.lexicalSearch(alternatives, 25, undefined, weights).map((m) => ({ key: keyOf(store, m.id), score: -m.bm25 }));
                    const remote = (await source.lexicalTopK({ query: q, limit: 25, filter: {}, weights, dropWeightless })).map((c) => ({ key: `${c.path}:${c.startLine}`, score: c.score }));
                    assertSameRanking(local, remote, `'${q}' drop=${dropWeightless}`);
                    compared += local.length;
                }
            }
        }
        // Most queries fill their 25 (the comparison is not over empty lists).
        assert.ok(compared > 66 * 4 * 15, `only ${compared} ranked chunks compared`);
    });

    it("applies every filter exactly as the local index does", async () => {
        const filters: SearchFilter[] = [
            { kinds: ["code"] },
            { languages: ["Markdown", "text"] },
            { include: ["src/**"] },
            { include: ["*.py"], exclude: ["test/**"] },
            { exclude: ["*.md", "lib/core/**"] },
            { include: ["docs/**/file1*.md"] },
            { include: ["nomatch/**"] },
            { excludeRange: { path: FILES[0].path, startLine: 1, endLine: 15 } },
            { onlyPaths: new Set([FILES[1].path, FILES[2].path, FILES[3].path]) },
            { skipPaths: new Set(FILES.slice(0, 40).map((f) => f.path)) },
            { onlyPaths: new Set() },
        ];
        for (const filter of filters) {
            const compiled = compileFilter({ include: filter.include, exclude: filter.exclude, kinds: filter.kinds, languages: filter.languages, excludeRange: filter.excludeRange })?.(store.chunks);
            const accept = (id: number) => {
                const slot = store.chunks.slotOf(id)!;
                const path = store.chunks.pathAt(slot);
                if (filter.onlyPaths && !filter.onlyPaths.has(path)) return false;
                if (filter.skipPaths?.has(path)) return false;
                return !compiled || compiled(slot);
            };
            const what = JSON.stringify(filter, (_k, v) => (v instanceof Set ? [...v] : v));
            for (const q of ["retry upload error", "getUserById", "config file"]) {
                const local = store.lexicalSearch(q, 30, accept).map((m) => ({ key: keyOf(store, m.id), score: -m.bm25 }));
                const remote = (await source.lexicalTopK({ query: q, limit: 30, filter, weights: FIELD_WEIGHTS, dropWeightless: false })).map((c) => ({ key: `${c.path}:${c.startLine}`, score: c.score }));
                assertSameRanking(local, remote, `${what} '${q}'`);
            }
            const v = fakeVector("retry the upload", DIMS);
            const exact = exactKnn(store, v, 20, accept);
            const knn = (await source.vectorTopK({ vector: v, limit: 20, filter, calibration: "none" })).map((c) => ({ key: `${c.path}:${c.startLine}`, score: c.score }));
            assertSameRanking(exact, knn, `${what} kNN`);
        }
    });

    it("finds the vector top-k of an exact scan, best first, with cosine scores", async () => {
        for (const text of ["retry the upload", "parse config", "HTTPServer"]) {
            const v = fakeVector(text, DIMS);
            const exact = exactKnn(store, v, 50, () => true);
            const found = await source.vectorTopK({ vector: v, limit: 50, filter: {}, calibration: "none" });
            assertSameRanking(exact, found.map((c) => ({ key: `${c.path}:${c.startLine}`, score: c.score })), `kNN '${text}'`);
            for (let i = 1; i < found.length; i++) assert.ok(found[i - 1].score >= found[i].score);
        }
        await assert.rejects(source.vectorTopK({ vector: fakeVector("x", DIMS), limit: 5, filter: {}, calibration: "zscore" as never }), (e) => isCoreError(e, "badInput"));
    });

    it("answers definitions, chunks, spans and cosines", async () => {
        const defs = await source.definitions(["getuserbyid", "value", "nosuchsymbol"], {});
        const localDefs = (key: string) =>
            store.chunks
                .slotsWithSymbol(key)
                .map((slot) => `${store.chunks.pathAt(slot)}:${store.chunks.startLineAt(slot)}`)
                .sort();
        for (const key of ["getuserbyid", "value", "nosuchsymbol"]) {
            assert.deepEqual(defs.get(key)!.map((d) => `${d.path}:${d.startLine}`).sort(), localDefs(key), key);
        }
        assert.ok(defs.get("getuserbyid")!.length > 0);
        const onlyCode = await source.definitions(["getuserbyid"], { kinds: ["code"] });
        assert.ok(onlyCode.get("getuserbyid")!.every((d) => d.kind === "code"));

        const hits = await source.lexicalTopK({ query: "retry", limit: 5, filter: {}, weights: FIELD_WEIGHTS, dropWeightless: true });
        const chunks = await source.chunks(hits.map((h) => h.id));
        assert.equal(chunks.length, hits.length);
        for (const c of chunks) {
            const local = store.chunksForPath(c.path).find((l) => l.startLine === c.startLine)!;
            const { id: _a, ...mine } = c;
            const { id: _b, ...theirs } = local;
            assert.deepEqual(mine, theirs);
        }
        const spans = await source.chunkSpans([FILES[0].path, "no/such/file"]);
        assert.deepEqual(spans.get(FILES[0].path), store.chunksForPath(FILES[0].path).map((c) => ({ startLine: c.startLine, endLine: c.endLine })));
        assert.equal(spans.has("no/such/file"), false);
        const v = fakeVector("retry", DIMS);
        const cos = await source.cosines([...hits.map((h) => h.id), 999_999_999], v);
        assert.equal(cos.size, hits.length);
        for (const h of hits) {
            const local = store.chunksForPath(h.path).find((l) => l.startLine === h.startLine)!;
            assert.ok(Math.abs(cos.get(h.id)! - dot(store.vectorOf(local.id)!, v)) < 1e-5);
        }
    });

    it("republishes only the files that changed, and deletes files gone", async () => {
        const idsBefore = new Map((await query<{ id: number; path: string }>("SELECT id::int, path FROM seek_chunks")).map((r) => [`${r.path}:${r.id}`, r.id]));
        const changed = FILES[5];
        const newChunks = changed.chunks.map((c) => ({ ...c, text: `${c.text}\nretry retry brandnewword` }));
        store.replaceFiles([{ file: { path: changed.path, size: 2, mtimeMs: 2, hash: hashOf(newChunks) }, chunks: newChunks, vectors: newChunks.map((c) => fakeVector(c.text, DIMS)) }]);
        store.removeFiles([FILES[6].path]);
        const report = await publishStore(store);
        assert.deepEqual({ added: report.added, updated: report.updated, removed: report.removed, chunks: report.chunks }, { added: 0, updated: 1, removed: 1, chunks: newChunks.length });
        const after = await query<{ id: number; path: string }>("SELECT id::int, path FROM seek_chunks");
        // Untouched files keep their rows (same ids); only the changed file's chunks are new.
        const fresh = after.filter((r) => !idsBefore.has(`${r.path}:${r.id}`));
        assert.deepEqual([...new Set(fresh.map((r) => r.path))], [changed.path]);
        assert.equal(after.some((r) => r.path === FILES[6].path), false);
        await assertStatsConsistent();
        await source.refresh();
        assert.deepEqual(new Map(await source.fileHashes()), new Map(store.catalog()));
        const found = await source.lexicalTopK({ query: "brandnewword", limit: 10, filter: {}, weights: FIELD_WEIGHTS, dropWeightless: true });
        assert.deepEqual([...new Set(found.map((f) => f.path))], [changed.path]);
        const again = await publishStore(store);
        assert.equal(again.chunks + again.removed + again.updated + again.added, 0);
    });

    it("keeps namespaces apart and refuses a reader of another identity", async () => {
        const small = localStore(FILES.slice(0, 3));
        await publishStore(small, { repo: "acme/api", ref: "feature/x" });
        const other = await PostgresSource.open(server.url, { repo: "acme/api", ref: "feature/x" }, ID, { logger });
        try {
            assert.equal((await other.counts()).files, 3);
            const hits = await other.lexicalTopK({ query: "retry upload error config", limit: 100, filter: {}, weights: FIELD_WEIGHTS, dropWeightless: false });
            assert.ok(hits.every((h) => FILES.slice(0, 3).some((f) => f.path === h.path)));
        } finally {
            await other.close();
            small.close();
        }
        await assertStatsConsistent("acme/api", "feature/x");
        await assert.rejects(PostgresSource.open(server.url, KEY, { ...ID, modelId: "other-model" }, { logger }), (e) => isCoreError(e, "indexMismatch") && /other-model/.test(e.message));
        await assert.rejects(PostgresSource.open(server.url, { repo: "acme/none", ref: "main" }, ID, { logger }), (e) => isCoreError(e, "indexMismatch"));
    });
});

function dot(a: Float32Array, b: Float32Array): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
}

/** Exact cosine top-k over the local index's vectors. */
function exactKnn(store: IndexStore, v: Float32Array, k: number, accept: (id: number) => boolean): { key: string; score: number }[] {
    const all: { key: string; score: number; id: number }[] = [];
    for (let slot = 0; slot < store.chunks.count; slot++) {
        const id = store.chunks.idAt(slot);
        if (!accept(id)) continue;
        all.push({ key: keyOf(store, id), score: dot(store.vectorOf(id)!, v), id });
    }
    return all.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k).map(({ key, score }) => ({ key, score }));
}
