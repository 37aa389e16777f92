/**
 * The two-stage index: the keyword stage makes every file searchable before any vector exists, the semantic stage
 * embeds in priority order, and the embedding cache lets a second index of a folder embed nothing.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { SeekEngine } from "../../src/core/engine";
import { FakeEmbedder } from "../../src/core/embed/fakeEmbedder";
import { embeddingRank } from "../../src/core/indexer";
import type { IndexProgress, PromptedText } from "../../src/core/types";

const fixture = resolve(__dirname, "..", "..", "..", "test", "fixtures", "workspace");
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function temp(): string {
    const d = fs.mkdtempSync(join(tmpdir(), "seek-stages-"));
    dirs.push(d);
    return d;
}

/** A FakeEmbedder that remembers the order in which texts reached it. */
class RecordingEmbedder extends FakeEmbedder {
    readonly seen: string[] = [];
    override async embed(texts: PromptedText[], signal?: AbortSignal): Promise<Float32Array[]> {
        this.seen.push(...texts.map((t) => t.text));
        return super.embed(texts, signal);
    }
}

async function drain(run: AsyncGenerator<IndexProgress>): Promise<IndexProgress[]> {
    const all: IndexProgress[] = [];
    for await (const p of run) all.push(p);
    return all;
}

describe("two-stage index", () => {
    it("answers from the keyword stage before any vector exists, in every mode that can", async () => {
        const embedder = new RecordingEmbedder({ dimensions: 384 });
        const engine = await SeekEngine.open({ folder: fixture, indexDir: join(temp(), "i"), embedder, embeddingCache: false });
        try {
            const progress = await drain(engine.run({ semantic: false }));
            assert.equal(embedder.seen.length, 0, "nothing was embedded");
            const status = engine.status();
            assert.ok(status.chunks > 0 && status.embeddedChunks === 0, JSON.stringify(status));
            assert.ok(progress.some((p) => p.phase === "chunking") && !progress.some((p) => p.phase === "embedding"));
            for (const mode of ["hybrid", "lexical"] as const) {
                const r = await engine.search("retry failed uploads", { mode });
                assert.equal(r.hits[0]?.path, "src/upload/retry.ts", mode);
                assert.equal(r.semanticCoverage, 0);
            }
            assert.equal(embedder.seen.length, 0, "with no vector anywhere, a hybrid search does not wait for the model to encode the query");
            assert.equal((await engine.search("retry failed uploads", { mode: "vector" })).hits.length, 0);
            await drain(engine.run());
            assert.equal(engine.status().embeddedChunks, engine.status().chunks);
            const full = await engine.search("retry failed uploads", { mode: "vector" });
            assert.ok(full.hits.length > 0);
            assert.equal(full.semanticCoverage, 1);
        } finally {
            await engine.close();
        }
    });

    it("a search started while the keyword stage stores files reports the coverage it ranked, not the later one", async () => {
        // The query's encoding is held until the keyword stage is done, as a model still loading holds it.
        let release = () => {};
        const held = new Promise<void>((r) => (release = r));
        class HeldEmbedder extends FakeEmbedder {
            override async embed(texts: PromptedText[], signal?: AbortSignal): Promise<Float32Array[]> {
                await held;
                return super.embed(texts, signal);
            }
        }
        const engine = await SeekEngine.open({ folder: fixture, indexDir: join(temp(), "i"), embedder: new HeldEmbedder({ dimensions: 384 }), embeddingCache: false });
        try {
            const run = engine.run({ semantic: false });
            await run.next(); // discovering: nothing stored yet
            const pending = engine.search("retry failed uploads", { mode: "vector" });
            for await (const _ of run) {
                // The keyword stage finishes while the search is in flight.
            }
            release();
            const early = await pending;
            assert.equal(early.hits.length, 0);
            assert.equal(early.coverage, 0, "0 hits over an empty index must not claim the whole folder: the views re-run a search only when coverage grew");
            const later = await engine.search("retry failed uploads");
            assert.equal(later.coverage, 1);
            assert.equal(later.hits[0]?.path, "src/upload/retry.ts");
        } finally {
            await engine.close();
        }
    });

    it("embeds the open files first, then their neighbours, then the rest", async () => {
        const embedder = new RecordingEmbedder({ dimensions: 384 });
        const engine = await SeekEngine.open({ folder: fixture, indexDir: join(temp(), "i"), embedder, embeddingCache: false });
        try {
            await drain(engine.run({ priorityPaths: ["server/main.go"] }));
            assert.match(embedder.seen[0], /path: server\/main\.go/);
            const progress = await drain(engine.run());
            assert.equal(progress.at(-1)?.chunksEmbedded, 0, "a second run embeds nothing");
        } finally {
            await engine.close();
        }
        const rank = embeddingRank(["a/x.ts", "b/y.ts", "a/z.ts", "c/old.ts", "c/new.ts"], ["a/z.ts"], (p) => (p === "c/new.ts" ? 2 : 1));
        assert.deepEqual([...rank.keys()], ["a/z.ts", "a/x.ts", "c/new.ts", "b/y.ts", "c/old.ts"]);
    });

    it("a second index of the folder sharing the embedding cache embeds nothing and ranks the same", async () => {
        const cache = join(temp(), "cache");
        const first = new RecordingEmbedder({ dimensions: 384 });
        const a = await SeekEngine.open({ folder: fixture, indexDir: join(temp(), "a"), embedder: first, embeddingCache: cache });
        const second = new RecordingEmbedder({ dimensions: 384 });
        const b = await SeekEngine.open({ folder: fixture, indexDir: join(temp(), "b"), embedder: second, embeddingCache: cache });
        try {
            await drain(a.run());
            assert.ok(first.seen.length > 0);
            await drain(b.run());
            assert.equal(second.seen.length, 0, "the second index embedded texts the cache had");
            assert.equal(b.embedStats().embedded, 0);
            assert.equal(b.embedStats().cached, b.status().chunks);
            const q = "where do we retry failed uploads?";
            assert.deepEqual((await b.search(q)).hits, (await a.search(q)).hits);
        } finally {
            await a.close();
            await b.close();
        }
    });
});

describe("queries while documents are embedded (real model)", () => {
    it("a query sent while the model worker embeds a batch gets a worker of its own and the same vector", async () => {
        const folder = temp();
        // Enough chunks that the semantic stage is still running when the query comes.
        for (let f = 0; f < 40; f++) {
            const body = Array.from({ length: 12 }, (_, k) => `def handler_${f}_${k}(request):\n    return render(request, "page_${f}_${k}.html")\n`).join("\n");
            fs.writeFileSync(join(folder, `views_${f}.py`), body);
        }
        const lines: string[] = [];
        const logger = { trace() {}, debug: (m: string) => void lines.push(String(m)), info() {}, warn() {}, error() {} };
        const engine = await SeekEngine.open({ folder, indexDir: join(temp(), "i"), embeddingCache: false, logger });
        try {
            // The run goes on by itself (as in the extension), so the worker always has the next batch.
            let last: IndexProgress | undefined;
            const running = (async () => {
                for await (const p of engine.run()) last = p;
            })();
            const semanticUnderway = () => last !== undefined && last.chunksWithVectors > 0 && last.chunksWithVectors < last.chunksTotal;
            while (!semanticUnderway()) await new Promise((r) => setTimeout(r, 5));
            const during = await engine.search("render the page for a request", { mode: "vector", top: 50 });
            const coverageThen = during.semanticCoverage;
            await running;
            assert.ok(coverageThen !== undefined && coverageThen < 1, `the query ran during the semantic stage (coverage ${coverageThen})`);
            assert.ok(lines.some((l) => l.includes("a query worker starts")), "the query went to a worker of its own");
            const after = await engine.search("render the page for a request", { mode: "vector", top: 50 });
            // Same model, same text: a chunk found by both searches has the same cosine with either worker's vector.
            const then = new Map(during.hits.map((h) => [`${h.path}:${h.startLine}`, h.score]));
            const both = after.hits.filter((h) => then.has(`${h.path}:${h.startLine}`));
            assert.ok(both.length > 0, "some chunks were embedded before the query and are found by both searches");
            for (const h of both) assert.ok(Math.abs(h.score - then.get(`${h.path}:${h.startLine}`)!) < 1e-4, `${h.path}:${h.startLine}`);
        } finally {
            await engine.close();
        }
    });
});
