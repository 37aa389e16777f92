#!/usr/bin/env node
/**
 * Issue #12's load check: N synthetic chunks (code-like text with Zipf word frequencies and identifiers, 384-d
 * vectors around files around 2,000 topic centres) published into one PostgreSQL namespace through the real publisher
 * (publish.ts + PostgresWriter, embeddings precomputed so the database is what is measured), then:
 * - publisher throughput (chunks/s) for the bulk load (HNSW built after the rows) and for an incremental publish of
 *   changed files with every index in place (what a CI run on a new commit does);
 * - HNSW build time, database size per chunk;
 * - hybrid search latency through the real pipeline (rankHits over PostgresSource: BM25 + kNN + definitions +
 *   fusion + rules + chunk fetch), p50/p95 with 1 client and with 16 concurrent clients (16 sources, own pools);
 * - kNN recall@100 of the HNSW search against an exact scan on a sample of queries.
 *
 *   node bench/postgres/load.mjs --chunks 100000 [--url postgres://...] [--queries 200] [--keep DIR]
 *
 * Needs the compiled core (npx tsc -p tsconfig.json). Without --url a server is started (scripts/pgserver.mjs) in
 * --keep DIR (kept, for a second look) or a temporary folder (removed).
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import pg from "pg";
import { parseFlags } from "../lib/args.mjs";
import { percentile } from "../speed/core.mjs";
import { startPgServer } from "../../scripts/pgserver.mjs";
import { mulberry32 } from "../lib/random.mjs";

const require = createRequire(import.meta.url);
const OUT = join(import.meta.dirname, "..", "..", "out", "src", "core");
const { PostgresWriter } = require(join(OUT, "store", "postgres", "postgresWriter.js"));
const { PostgresSource } = require(join(OUT, "store", "postgres", "postgresSource.js"));
const { publish } = require(join(OUT, "store", "postgres", "publish.js"));
const { vectorIndexSql } = require(join(OUT, "store", "postgres", "schema.js"));
const { rankHits } = require(join(OUT, "search", "ranker.js"));

const args = parseFlags(process.argv.slice(2), {});
const N = Number(args.chunks ?? 100_000);
const QUERIES = Number(args.queries ?? 200);
const DIMS = 384;
const CHUNKS_PER_FILE = 8;
const ID = { modelId: "bge-small-en-v1.5-q", dimensions: DIMS, instructionSet: "bench", chunkerVersion: "bench" };
const KEY = { repo: "bench/monorepo", ref: "main" };
const logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const say = (m) => process.stdout.write(`${m}\n`);

// Vocabulary: 30,000 words drawn with Zipf(1.1) frequencies; one word in eight is a camelCase identifier.
const SYLLABLES = "ba ce di fo gu ha je ki lo mu na pe qui ro su ta ve wi xo yu za bre cla dro fle gri plo stu tri".split(" ");
const VOCAB = Array.from({ length: 30_000 }, (_, i) => {
    const r = mulberry32(i + 1);
    const word = () => Array.from({ length: 2 + Math.floor(r() * 2) }, () => SYLLABLES[Math.floor(r() * SYLLABLES.length)]).join("");
    return i % 8 === 7 ? `${word()}${word()[0].toUpperCase()}${word().slice(1)}` : `${word()}${i}`;
});
const ZIPF_CDF = (() => {
    const w = VOCAB.map((_, k) => 1 / Math.pow(k + 1, 1.1));
    const total = w.reduce((a, b) => a + b, 0);
    let acc = 0;
    return w.map((x) => (acc += x / total));
})();
function zipfWord(rand) {
    const u = rand();
    let lo = 0;
    let hi = ZIPF_CDF.length - 1;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ZIPF_CDF[mid] < u) lo = mid + 1;
        else hi = mid;
    }
    return VOCAB[lo];
}

const CENTRES = Array.from({ length: 2000 }, (_, i) => unitVector(mulberry32(1_000_000 + i), undefined, 0));
function unitVector(rand, centre, noise) {
    const v = new Float32Array(DIMS);
    let n = 0;
    for (let i = 0; i < DIMS; i++) {
        v[i] = (centre ? centre[i] : 0) + (centre ? noise : 1) * (rand() - 0.5);
        n += v[i] * v[i];
    }
    n = Math.sqrt(n);
    for (let i = 0; i < DIMS; i++) v[i] /= n;
    return v;
}

function pathOf(f) {
    return `pkg${f % 97}/module${f % 1013}/file${f}.${["ts", "py", "go", "md"][f % 4]}`;
}

/** File f's chunks (deterministic; `version` changes the text and vectors, for the incremental publish). */
function fileChunks(f, version = 0) {
    const rand = mulberry32(f * 7919 + version * 104729 + 17);
    const path = pathOf(f);
    // Two levels of locality, as in real embeddings: a topic (one of 2,000), the file around it, the chunk around that.
    const fileCentre = unitVector(mulberry32(f * 31 + 7), CENTRES[f % CENTRES.length], 0.25);
    return Array.from({ length: CHUNKS_PER_FILE }, (_, c) => {
        const tokens = 30 + Math.floor(rand() * 60);
        const text = Array.from({ length: tokens }, () => zipfWord(rand)).join(" ");
        const symbol = rand() < 0.6 ? zipfWord(rand) : undefined;
        const centre = fileCentre;
        return {
            path,
            startLine: c * 30 + 1,
            endLine: c * 30 + 25,
            language: ["typescript", "python", "go", "markdown"][f % 4],
            kind: f % 4 === 3 ? "docs" : "code",
            ...(symbol ? { symbol, symbolKind: "function" } : {}),
            text,
            vector: unitVector(rand, centre, 0.12),
        };
    });
}

function input(files, versionOf = () => 0) {
    const hashes = new Map();
    for (let f = 0; f < files; f++) hashes.set(pathOf(f), `h${f}-${versionOf(f)}`);
    const fileOf = new Map([...hashes.keys()].map((p, f) => [p, f]));
    return { fileHashes: () => hashes, fileChunks: (p) => fileChunks(fileOf.get(p), versionOf(fileOf.get(p))) };
}

function queryAt(i) {
    const rand = mulberry32(555 + i);
    // Half prose-like (3-5 words from the middle of the vocabulary), a quarter identifiers, a quarter two words.
    const midWord = () => VOCAB[50 + Math.floor(rand() * 3000)];
    const kind = i % 4;
    const text = kind < 2 ? Array.from({ length: 3 + Math.floor(rand() * 3) }, midWord).join(" ") : kind === 2 ? VOCAB[8 * Math.floor(rand() * 1000) + 7] : `${midWord()} ${midWord()}`;
    return { text, vector: unitVector(rand, CENTRES[Math.floor(rand() * CENTRES.length)], 0.25) };
}

async function timeQueries(sources, queries) {
    const times = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
        sources.map(async (source) => {
            while (next < queries.length) {
                const q = queries[next++];
                const t0 = performance.now();
                await rankHits(source, q.vector, q.text, { mode: "hybrid", top: 10 });
                times.push(performance.now() - t0);
            }
        }),
    );
    const wall = (performance.now() - started) / 1000;
    return { p50: percentile(times, 50), p95: percentile(times, 95), qps: queries.length / wall };
}

async function main() {
    const server = args.url ? undefined : await startPgServer({ dir: args.keep, serverOptions: "-c shared_buffers=1GB -c maintenance_work_mem=4GB -c max_parallel_maintenance_workers=1 -c work_mem=64MB" });
    const url = args.url ?? server.url;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const files = Math.ceil(N / CHUNKS_PER_FILE);
    say(`load: ${N.toLocaleString("en-US")} chunks in ${files.toLocaleString("en-US")} files, ${DIMS}-d vectors; ${url.replace(/:[^:@/]*@/, ":***@")}`);
    try {
        // Bulk: HNSW deferred (built once after the rows: several times faster than growing the graph per insert).
        const writer = await PostgresWriter.open(url, KEY, ID, { logger, deferVectorIndex: true });
        let last = performance.now();
        const bulk = await publish(writer, input(files), {
            logger,
            onBatch: (done, total) => {
                if (performance.now() - last > 30_000) {
                    last = performance.now();
                    say(`  ${done}/${total} files`);
                }
            },
        });
        await writer.close();
        say(`bulk publish: ${bulk.chunks.toLocaleString("en-US")} chunks in ${bulk.seconds.toFixed(0)} s = ${Math.round(bulk.chunksPerSecond)} chunks/s (GIN maintained, HNSW deferred)`);
        let t0 = performance.now();
        await admin.query(vectorIndexSql(DIMS));
        const hnswS = (performance.now() - t0) / 1000;
        await admin.query("VACUUM ANALYZE seek_chunks");
        await admin.query("VACUUM ANALYZE seek_terms");
        say(`HNSW build (m 16, ef_construction 64): ${hnswS.toFixed(0)} s`);

        // Incremental: 1% of the files change, every index in place.
        const changedEvery = 100;
        const incWriter = await PostgresWriter.open(url, KEY, ID, { logger });
        const inc = await publish(incWriter, input(files, (f) => (f % changedEvery === 0 ? 1 : 0)), { logger });
        await incWriter.close();
        say(`incremental publish (${inc.updated} changed files): ${inc.chunks} chunks in ${inc.seconds.toFixed(1)} s = ${Math.round(inc.chunksPerSecond)} chunks/s (all indexes)`);

        const sizes = (await admin.query(`SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('seek_chunks') AS chunks, pg_relation_size('seek_chunks') AS heap,
            pg_indexes_size('seek_chunks') AS idx, pg_total_relation_size('seek_terms') AS terms,
            (SELECT pg_relation_size(c.oid) FROM pg_class c WHERE c.relname = 'seek_chunks_hnsw_${DIMS}') AS hnsw,
            (SELECT pg_relation_size(c.oid) FROM pg_class c WHERE c.relname = 'seek_chunks_tokens') AS gin`)).rows[0];
        const per = (b) => `${(Number(b) / N / 1024).toFixed(2)} KiB`;
        say(`size: database ${(Number(sizes.db) / 2 ** 30).toFixed(2)} GiB = ${per(sizes.db)}/chunk (chunks table ${per(sizes.heap)} incl. TOAST ${per(Number(sizes.chunks) - Number(sizes.heap) - Number(sizes.idx))}, HNSW ${per(sizes.hnsw)}, GIN tokens ${per(sizes.gin)}, all indexes ${per(sizes.idx)}, terms ${per(sizes.terms)})`);

        const queries = Array.from({ length: QUERIES }, (_, i) => queryAt(i));
        const one = await PostgresSource.open(url, KEY, ID, { logger });
        await timeQueries([one], queries.slice(0, 20)); // warm-up
        const r1 = await timeQueries([one], queries);
        say(`hybrid search, 1 client: p50 ${r1.p50.toFixed(1)} ms, p95 ${r1.p95.toFixed(1)} ms (${r1.qps.toFixed(1)} queries/s)`);
        const many = await Promise.all(Array.from({ length: 16 }, () => PostgresSource.open(url, KEY, ID, { logger })));
        const r16 = await timeQueries(many, [...queries, ...queries]);
        say(`hybrid search, 16 clients: p50 ${r16.p50.toFixed(1)} ms, p95 ${r16.p95.toFixed(1)} ms (${r16.qps.toFixed(1)} queries/s)`);

        // Recall of the HNSW list against an exact scan (the source's own exact path: a filter it cannot index).
        let hit = 0;
        let total = 0;
        for (const q of queries.slice(0, 20)) {
            const approx = await one.vectorTopK({ vector: q.vector, limit: 100, filter: {}, calibration: "none" });
            const exact = await admin.query(`SELECT id FROM seek_chunks WHERE ns = (SELECT id FROM seek_namespaces WHERE repo = $2) ORDER BY embedding <=> $1::vector LIMIT 100`, [`[${Array.from(q.vector).join(",")}]`, KEY.repo]);
            const truth = new Set(exact.rows.map((r) => Number(r.id)));
            hit += approx.filter((c) => truth.has(c.id)).length;
            total += truth.size;
        }
        say(`kNN recall@100 vs exact (20 queries): ${(hit / total).toFixed(4)}`);
        t0 = performance.now();
        await Promise.all([one, ...many].map((s) => s.close()));
    } finally {
        await admin.end();
        if (server && !args.keep) await server.destroy();
    }
}

await main();
