/** EmbeddingCache and CachingEmbedder: persistence, sharing between processes, damage handling and the size bound. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fs = require("node:fs");
import { isCoreError, throwIfAborted } from "../../src/core/errors";
import { cacheKey, EmbeddingCache, namespaceFileName } from "../../src/core/embed/embeddingCache";
import { CachingEmbedder } from "../../src/core/embed/cachingEmbedder";
import type { Embedder, Logger, PromptedText } from "../../src/core/types";

const DIMS = 8;
const RECORD = 16 + DIMS * 4 + 4;
const HEADER = 16;
const CACHE_MODULE = join(__dirname, "../../src/core/embed/embeddingCache.js");

/** Deterministic vector of a text (from its sha256), so any mix-up of records shows as a wrong vector. */
function vectorOf(text: string, dims = DIMS): Float32Array {
    const h = createHash("sha256").update(text).digest();
    return Float32Array.from({ length: dims }, (_, i) => h[i % 32] / 255 + i);
}

class CountingEmbedder implements Embedder {
    readonly modelId = "test/model@v1";
    calls = 0;
    texts = 0;
    constructor(readonly dimensions = DIMS) {}
    async embed(texts: PromptedText[], signal?: AbortSignal): Promise<Float32Array[]> {
        this.calls++;
        this.texts += texts.length;
        await new Promise((r) => setImmediate(r));
        throwIfAborted(signal);
        return texts.map((t) => vectorOf(t.instruction + "|" + t.text, this.dimensions || DIMS));
    }
    async dispose(): Promise<void> {}
}

function recordingLogger(): Logger & { warnings: string[] } {
    const warnings: string[] = [];
    const ignore = () => undefined;
    return { warnings, trace: ignore, debug: ignore, info: ignore, warn: (m: string) => void warnings.push(m), error: ignore };
}

const tempDir = () => fs.mkdtempSync(join(tmpdir(), "seek-embcache-"));
const key = (s: string) => cacheKey("", s);
const p = (text: string, instruction = "doc: ") => ({ instruction, text });
const fileOf = (dir: string) => join(dir, namespaceFileName("ns", DIMS));

function putMany(cache: EmbeddingCache, names: string[]): void {
    cache.open("ns", DIMS).put(names.map((n) => ({ key: key(n), vector: vectorOf(n) })));
}

function assertHits(cache: EmbeddingCache, names: string[], message = "hit"): void {
    const got = cache.open("ns", DIMS).get(names.map(key));
    names.forEach((n, i) => assert.deepEqual(got[i], vectorOf(n), `${message}: ${n}`));
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test("keys are length-prefixed and namespace file names are sanitised but distinct", () => {
    assert.notDeepEqual(cacheKey("ab", "c"), cacheKey("a", "bc"));
    assert.deepEqual(cacheKey("a", "b"), cacheKey("a", "b"));
    assert.equal(cacheKey("a", "b").length, 16);
    const a = namespaceFileName("org/model:v1", 384);
    const b = namespaceFileName("org_model_v1", 384);
    assert.match(a, /^[A-Za-z0-9._-]+-384d\.bin$/);
    assert.notEqual(a, b);
});

test("vectors survive close and reopen; hex string keys work too", () => {
    const dir = tempDir();
    const first = new EmbeddingCache(dir);
    putMany(first, range("t", 50));
    first.close();
    const second = new EmbeddingCache(dir);
    assertHits(second, range("t", 50));
    assert.deepEqual(second.open("ns", DIMS).get([key("t3").toString("hex")])[0], vectorOf("t3"));
    assert.equal(second.open("ns", DIMS).get([key("absent")])[0], undefined);
    assert.deepEqual({ ...second.stats(), bytes: 0 }, { entries: 50, bytes: 0, hits: 51, misses: 1, corruptRecords: 0 });
    assert.equal(fs.statSync(fileOf(dir)).size, HEADER + 50 * RECORD);
});

test("CachingEmbedder dedupes within a call and embeds nothing the second time", async () => {
    const dir = tempDir();
    const inner = new CountingEmbedder();
    const emb = new CachingEmbedder(inner, new EmbeddingCache(dir));
    const texts = [p("alpha"), p("beta"), p("alpha"), p("alpha", "query: "), p("beta")];
    const first = await emb.embed(texts);
    assert.equal(inner.texts, 3, "identical prompted texts are embedded once");
    assert.deepEqual(first[2], first[0]);
    assert.notEqual(first[2], first[0], "each position gets its own array");
    assert.notDeepEqual(first[3], first[0], "the instruction is part of the key");
    assert.deepEqual([emb.embeddedCount, emb.cachedCount], [3, 2]);
    await emb.dispose();

    const inner2 = new CountingEmbedder();
    const again = new CachingEmbedder(inner2, new EmbeddingCache(dir));
    assert.deepEqual(await again.embed(texts), first);
    assert.equal(inner2.calls, 0, "all answered from the cache");
    assert.deepEqual([again.embeddedCount, again.cachedCount], [0, 5]);
    assert.equal(again.inner, inner2);
    assert.equal(again.modelId, inner2.modelId);
});

test("a model reporting 0 dimensions before it loads opens the cache after its first answer", async () => {
    const dir = tempDir();
    const emb = new CachingEmbedder(new CountingEmbedder(0), new EmbeddingCache(dir));
    await emb.embed([p("x"), p("y")]);
    await emb.dispose();
    const inner = new CountingEmbedder();
    await new CachingEmbedder(inner, new EmbeddingCache(dir)).embed([p("x"), p("y")]);
    assert.equal(inner.calls, 0);
});

test("two instances on one directory (two processes) see each other's appends", () => {
    const dir = tempDir();
    const a = new EmbeddingCache(dir);
    const b = new EmbeddingCache(dir);
    assert.equal(b.open("ns", DIMS).get([key("a1")])[0], undefined);
    putMany(a, ["a1", "a2"]);
    putMany(b, ["b1"]);
    assertHits(b, ["a1", "a2", "b1"], "b reads a's appends");
    assertHits(a, ["b1", "a1"], "a reads b's appends");
    putMany(a, ["b1"]);
    assert.equal(fs.statSync(fileOf(dir)).size, HEADER + 3 * RECORD, "a known key is not appended again");
});

test("a torn last record is ignored and cut away by the next put", () => {
    const dir = tempDir();
    const cache = new EmbeddingCache(dir);
    putMany(cache, range("t", 10));
    cache.close();
    fs.truncateSync(fileOf(dir), HEADER + 10 * RECORD - 7);
    const reopened = new EmbeddingCache(dir);
    assertHits(reopened, range("t", 9));
    assert.equal(reopened.open("ns", DIMS).get([key("t9")])[0], undefined);
    putMany(reopened, ["new1", "new2"]);
    assert.equal(fs.statSync(fileOf(dir)).size, HEADER + 11 * RECORD, "aligned again after the put");
    const third = new EmbeddingCache(dir);
    assertHits(third, [...range("t", 9), "new1", "new2"]);
    assert.equal(third.stats().corruptRecords, 0);
});

test("a corrupt header is moved aside with one warning and the cache starts afresh", () => {
    const dir = tempDir();
    const cache = new EmbeddingCache(dir);
    putMany(cache, ["old"]);
    cache.close();
    const fd = fs.openSync(fileOf(dir), "r+");
    fs.writeSync(fd, Buffer.from("GARBAGE!"), 0, 8, 0);
    fs.closeSync(fd);
    const log = recordingLogger();
    const fresh = new EmbeddingCache(dir, { logger: log });
    assert.equal(fresh.open("ns", DIMS).get([key("old")])[0], undefined);
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0], /corrupt/);
    assert.equal(fs.readdirSync(dir).filter((n) => n.includes(".corrupt-")).length, 1);
    putMany(fresh, ["new"]);
    assertHits(new EmbeddingCache(dir), ["new"]);
});

test("a flipped byte inside one record makes that record a miss; the others still hit", () => {
    const dir = tempDir();
    const cache = new EmbeddingCache(dir);
    putMany(cache, range("t", 5));
    cache.close();
    const fd = fs.openSync(fileOf(dir), "r+");
    const at = HEADER + 2 * RECORD + 20; // inside t2's vector
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, at);
    b[0] ^= 0x40;
    fs.writeSync(fd, b, 0, 1, at);
    fs.closeSync(fd);
    const reopened = new EmbeddingCache(dir);
    assert.equal(reopened.open("ns", DIMS).get([key("t2")])[0], undefined);
    assertHits(reopened, ["t0", "t1", "t3", "t4"]);
    assert.equal(reopened.stats().corruptRecords, 1);
});

test("the file stays within maxBytes and recently used keys survive compaction", () => {
    const dir = tempDir();
    const maxBytes = 200 * RECORD;
    const cache = new EmbeddingCache(dir, { maxBytes });
    const hot = range("hot", 10);
    putMany(cache, hot);
    for (let batch = 0; batch < 60; batch++) {
        putMany(cache, range(`b${batch}-`, 25));
        assertHits(cache, hot, "hot key");
        assert.ok(fs.statSync(fileOf(dir)).size <= maxBytes + 25 * RECORD);
    }
    assert.ok(fs.statSync(fileOf(dir)).size <= maxBytes, `size ${fs.statSync(fileOf(dir)).size}`);
    const later = new EmbeddingCache(dir);
    assertHits(later, [...hot, "b59-24"], "after reopen");
    assert.equal(later.open("ns", DIMS).get([key("b0-0")])[0], undefined, "old cold keys were evicted");
    assert.ok(!fs.readdirSync(dir).some((n) => n.endsWith(".lock") || n.includes(".tmp-")), "no lock or copy left behind");
});

test("another instance notices a compaction and reloads", () => {
    const dir = tempDir();
    const a = new EmbeddingCache(dir, { maxBytes: 100 * RECORD });
    const b = new EmbeddingCache(dir);
    putMany(b, ["keep"]);
    assertHits(a, ["keep"]);
    putMany(a, range("x", 120));
    assert.ok(fs.statSync(fileOf(dir)).size <= 50 * RECORD + HEADER, "a compacted");
    assertHits(b, ["keep", "x119"], "b after a's compaction");
    putMany(b, ["after"]);
    assertHits(a, ["after"]);
});

test("a cancelled embed writes nothing", async () => {
    const dir = tempDir();
    const inner = new CountingEmbedder();
    const emb = new CachingEmbedder(inner, new EmbeddingCache(dir));
    const controller = new AbortController();
    const pending = emb.embed([p("a"), p("b")], controller.signal);
    controller.abort();
    await assert.rejects(pending, (e: unknown) => isCoreError(e, "cancelled"));
    await assert.rejects(emb.embed([p("a")], AbortSignal.abort()), (e: unknown) => isCoreError(e, "cancelled"));
    await emb.dispose();
    assert.equal(new EmbeddingCache(dir).open("ns", DIMS).get([key("a")])[0], undefined);
    const size = fs.statSync(join(dir, namespaceFileName(inner.modelId, DIMS))).size;
    assert.equal(size, HEADER, "no records");
});

test("an unwritable directory gives a no-op cache with one warning; embedding still works", async () => {
    const blocker = join(tempDir(), "a-file");
    fs.writeFileSync(blocker, "not a directory");
    const log = recordingLogger();
    const cache = new EmbeddingCache(join(blocker, "embeddings"), { logger: log });
    const inner = new CountingEmbedder();
    const emb = new CachingEmbedder(inner, cache);
    const first = await emb.embed([p("a"), p("a")]);
    await emb.embed([p("a")]);
    assert.deepEqual(first[0], vectorOf("doc: |a"));
    assert.equal(inner.texts, 2, "dedupe still works; nothing is cached");
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0], /disabled/);
});

/** A second process appending in batches while this one does, as the CLI and the extension may. */
const CHILD = `
const { EmbeddingCache, cacheKey } = require(process.argv[1]);
const { createHash } = require("node:crypto");
const f = new EmbeddingCache(process.argv[2]).open("ns", 384);
process.stdout.write("go\\n");
for (let b = 0; b < 60; b++) {
    f.put(Array.from({ length: 50 }, (_, i) => {
        const name = "child" + (b * 50 + i);
        const h = createHash("sha256").update(name).digest();
        return { key: cacheKey("", name), vector: Float32Array.from({ length: 384 }, (_, d) => h[d % 32] / 255 + d) };
    }));
}
f.close();`;

test("appends from two processes at once never interleave", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ["-e", CHILD, CACHE_MODULE, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    let done = false;
    void exited.then(() => (done = true));
    await new Promise((resolve) => child.stdout.once("data", resolve));
    const f = new EmbeddingCache(dir).open("ns", 384);
    const parent: string[] = [];
    // Keeps appending until the child has finished, so the two really write at the same time.
    while (!done || parent.length < 1000) {
        const names = Array.from({ length: 50 }, (_, i) => `parent${parent.length + i}`);
        f.put(names.map((n) => ({ key: key(n), vector: vectorOf(n, 384) })));
        parent.push(...names);
        await new Promise((r) => setImmediate(r));
    }
    assert.equal(await exited, 0, stderr);
    const check = new EmbeddingCache(dir).open("ns", 384);
    const names = [...parent, ...range("child", 3000)];
    const got = check.get(names.map(key));
    names.forEach((n, i) => assert.deepEqual(got[i], vectorOf(n, 384), n));
    assert.equal(check.stats().corruptRecords, 0);
    const file = fs.readFileSync(join(dir, namespaceFileName("ns", 384)));
    const record = 16 + 384 * 4 + 4;
    assert.equal(file.length, HEADER + names.length * record);
    const childKeys = new Set(range("child", 3000).map((n) => key(n).toString("hex")));
    let switches = 0;
    for (let at = HEADER + record, prev = childKeys.has(file.toString("hex", HEADER, HEADER + 16)); at < file.length; at += record) {
        const isChild = childKeys.has(file.toString("hex", at, at + 16));
        if (isChild !== prev) switches++;
        prev = isChild;
    }
    assert.ok(switches >= 2, `the two processes' batches alternate in the file (${switches} switches)`);
});

/** Appends as fast as it can until killed; compaction kicks in often (small maxBytes), so kills land inside it too. */
const KILLED_WRITER = `
const { EmbeddingCache, cacheKey } = require(process.argv[1]);
const f = new EmbeddingCache(process.argv[2], { maxBytes: 400 * 1540 }).open("ns", 384);
for (let b = 0; ; b++) {
    f.put(Array.from({ length: 40 }, (_, i) => ({ key: cacheKey(process.argv[3], String(b * 40 + i)), vector: new Float32Array(384).fill(b * 40 + i) })));
    if (b === 5) process.stdout.write("go\\n");
}`;

test("kill -9 while appending and compacting leaves only whole, correct records", async () => {
    const dir = tempDir();
    for (let round = 0; round < 4; round++) {
        const kids = [0, 1].map((k) => spawn(process.execPath, ["-e", KILLED_WRITER, CACHE_MODULE, dir, `r${round}k${k}`], { stdio: ["ignore", "pipe", "inherit"] }));
        await Promise.all(kids.map((c) => new Promise((resolve) => c.stdout!.once("data", resolve))));
        await new Promise((r) => setTimeout(r, 5 + round * 10));
        await Promise.all(kids.map((c) => new Promise((resolve) => c.on("exit", resolve).kill("SIGKILL"))));
    }
    const f = new EmbeddingCache(dir).open("ns", 384);
    let hits = 0;
    for (let round = 0; round < 4; round++) {
        for (const k of [0, 1]) {
            const got = f.get(Array.from({ length: 20000 }, (_, i) => cacheKey(`r${round}k${k}`, String(i))));
            got.forEach((v, i) => v && (hits++, assert.ok(v.every((x) => x === i), `record ${i} of r${round}k${k}`)));
        }
    }
    assert.ok(hits > 0);
    assert.equal(f.stats().corruptRecords, 0);
    f.put([{ key: key("after"), vector: vectorOf("after", 384) }]);
    assert.deepEqual(new EmbeddingCache(dir).open("ns", 384).get([key("after")])[0], vectorOf("after", 384));
    assert.equal((fs.statSync(f.path!).size - HEADER) % (16 + 384 * 4 + 4), 0, "whole records after the put");
});
