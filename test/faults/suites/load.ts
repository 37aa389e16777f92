/**
 * Load: a synthetic workspace of `scale.loadChunks` chunks indexed through the core API with a hash embedder (the
 * real model would take hours on 2 cores at 200k chunks), peak RSS and index size reported, searches answered while
 * it indexes; searches through the CLI (real model) while `seek index` runs in another process; and RSS growth over
 * many searches in one process (real model).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, parseHits, seek, startSeek } from "../lib/cli";
import { writeCodeCorpus, writeLoadCorpus } from "../lib/corpus";
import { libDir, removeDir, repoRoot, tempDir, type Scale } from "../lib/env";
import { hasDb, readSnapshot } from "../lib/indexDb";
import type { Tally } from "../lib/tally";

interface ChildResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

function runChild(cmd: string, args: string[], timeoutMs: number): Promise<ChildResult> {
    return new Promise((resolve) => {
        const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}

function duBytes(dir: string): number {
    const r = spawnSync("du", ["-sb", dir], { encoding: "utf8" });
    return Number(r.stdout.split(/\s/)[0]) || 0;
}

const MB = 1024 * 1024;
/** The synthetic-load child's limit. */
const LOAD_CHILD_TIMEOUT_MS = 60 * 60_000;

export function defineLoadSuite(scale: Scale, tally: Tally): void {
    tally.test(`load: ${scale.loadChunks.toLocaleString("en-US")}-chunk synthetic workspace through the core API with a hash embedder (not the model): peak RSS, index size, searches during indexing`, async () => {
        const work = tempDir("load");
        try {
            const root = join(work, "ws");
            const files = writeLoadCorpus(root, scale.loadChunks);
            const indexDir = join(work, "index");
            const useTime = existsSync("/usr/bin/time");
            const args = [join(libDir, "engineChild.js"), "load", root, indexDir];
            const r = useTime
                ? await runChild("/usr/bin/time", ["-v", process.execPath, ...args], LOAD_CHILD_TIMEOUT_MS)
                : await runChild(process.execPath, args, LOAD_CHILD_TIMEOUT_MS);
            assert.equal(r.code, 0, r.stderr.slice(-3000));
            const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Record<string, number>;
            const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? out.maxRssMB * 1024);
            const disk = duBytes(indexDir);
            tally.trial();
            tally.input(files);
            tally.note(
                `load ${scale.name}: ${files} files, ${out.chunks} chunks in ${(out.ms / 1000).toFixed(1)} s (${Math.round(out.chunks / (out.ms / 1000))} chunks/s, hash embedder); ` +
                    `peak RSS ${(peakKb / 1024).toFixed(0)} MB; index ${(disk / MB).toFixed(1)} MB on disk (${Math.round(disk / Math.max(1, out.chunks))} B/chunk); ` +
                    `${out.searchesDuring} searches during indexing (${out.searchesWithHits} with hits, ${out.searchFailures} failed), latency p50 ${Math.round(out.searchP50)} ms, p95 ${Math.round(out.searchP95)} ms, max ${Math.round(out.searchMax)} ms`,
            );
            assert.ok(out.chunks >= scale.loadChunks * 0.9, `only ${out.chunks} chunks of ${scale.loadChunks}`);
            assert.equal(out.searchFailures, 0, "searches failed during indexing");
            assert.ok(out.searchesDuring >= 1, "no search ran during indexing");
            assert.ok(out.searchesWithHits >= 1, "searches during indexing never returned hits");
            assert.ok(out.hitsAfter > 0);
            // Vectors alone are chunks x 384 x 4 bytes; allow that plus a generous fixed overhead.
            const boundMb = 600 + (out.chunks * 384 * 4 * 3) / MB;
            assert.ok(peakKb / 1024 < boundMb, `peak RSS ${(peakKb / 1024).toFixed(0)} MB over ${boundMb.toFixed(0)} MB`);
        } finally {
            removeDir(work);
        }
        // As long as the child may take (200,000 chunks on 2 busy cores), not the default 10 minutes.
    }, { timeout: LOAD_CHILD_TIMEOUT_MS + 5 * 60_000 });

    tally.test("load: `seek search` (another process, real model) answers while `seek index` is running on the same index", async () => {
        const work = tempDir("readers");
        try {
            const root = join(work, "ws");
            // Big enough that the run outlasts the search on a fast, idle machine; the run is stopped after the search.
            writeCodeCorpus(root, scale.name === "full" ? 800 : 500, 13);
            const indexDir = join(work, "index");
            const indexer = startSeek(["index", root, "--json", "--index-dir", indexDir]);
            let finished = false;
            void indexer.done.then(() => (finished = true));
            // Wait for the first stored batch.
            const deadline = performance.now() + 120_000;
            let stored = 0;
            while (!finished && performance.now() < deadline) {
                await new Promise((r) => setTimeout(r, 200));
                try {
                    stored = hasDb(indexDir) ? readSnapshot(indexDir).chunks.length : 0;
                } catch {
                    stored = 0;
                }
                if (stored > 0) break;
            }
            assert.ok(!finished, "the indexer finished before a search could be tried; make the corpus bigger");
            const q = await seek(["search", root, "schedule the queue retry", "--json", "--mode", "lexical", "--index-dir", indexDir], { timeoutMs: 120_000 });
            const stillRunning = !finished;
            // The point is made; stop the run the way a user would (Ctrl-C): it exits cleanly, keeping what it stored.
            indexer.child.kill("SIGINT");
            const idx = await indexer.done;
            tally.trial();
            tally.note(`search during indexing: exit ${q.code} after ${Math.round(q.ms)} ms; indexer ${stillRunning ? "still running" : "had finished"}; ${stored} chunks stored when asked`);
            assert.ok(idx.code === 0 || /cancelled/.test(idx.stderr), `indexer: ${describe(idx)}`);
            assert.equal(q.code, 0, `search while indexing: ${describe(q)}`);
            assert.ok(parseHits(q).length > 0, "search during indexing found nothing");
            assert.ok(stillRunning, `the search only returned after the indexer finished (${Math.round(q.ms)} ms): it waited for the whole run`);
        } finally {
            removeDir(work);
        }
    });

    tally.test(`load: ${scale.searchLoops} searches in a row in one process (core API, real model): RSS growth under 50 MB after warm-up`, async () => {
        const work = tempDir("memloop");
        try {
            const root = join(work, "ws");
            cpSync(join(repoRoot, "test", "fixtures", "workspace"), root, { recursive: true });
            const r = await runChild(process.execPath, ["--expose-gc", join(libDir, "engineChild.js"), "searchLoop", root, join(work, "index"), String(scale.searchLoops)], 30 * 60_000);
            assert.equal(r.code, 0, r.stderr.slice(-3000));
            const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { rssBeforeMB: number; rssAfterMB: number; heapBeforeMB: number; heapAfterMB: number; rssSamplesMB: number[]; p50: number; p95: number };
            const growth = out.rssAfterMB - out.rssBeforeMB;
            tally.trial(scale.searchLoops);
            tally.note(
                `${scale.searchLoops} searches: RSS ${out.rssBeforeMB.toFixed(0)} -> ${out.rssAfterMB.toFixed(0)} MB (growth ${growth.toFixed(1)} MB), heap ${out.heapBeforeMB.toFixed(1)} -> ${out.heapAfterMB.toFixed(1)} MB, samples ${out.rssSamplesMB.join(",")}; latency p50 ${out.p50.toFixed(1)} ms, p95 ${out.p95.toFixed(1)} ms`,
            );
            assert.ok(growth < 50, `RSS grew ${growth.toFixed(1)} MB over ${scale.searchLoops} searches`);
            assert.ok(out.heapAfterMB - out.heapBeforeMB < 20, `heap grew ${(out.heapAfterMB - out.heapBeforeMB).toFixed(1)} MB`);
        } finally {
            removeDir(work);
        }
    });
}
