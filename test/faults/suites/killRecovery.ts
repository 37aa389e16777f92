/**
 * Process faults against the real CLI and model: kill -9 at random points and inside a write transaction, Ctrl-C
 * (SIGINT) with its stop latency measured, and two indexers on one index. After each fault the next run must
 * complete and the index must equal a clean build of the same files (chunks, text hashes, catalog).
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { crashSigns, describe, parseIndexJson, seek, startSeek, type CliResult } from "../lib/cli";
import { rng, writeCodeCorpus } from "../lib/corpus";
import { removeDir, tempDir, type Scale } from "../lib/env";
import { compareSnapshots, hasDb, readSnapshot, type IndexSnapshot } from "../lib/indexDb";
import type { Tally } from "../lib/tally";

const JOURNAL = "index.db-journal";
const LOCK = "index.lock";

interface Clean {
    root: string;
    snap: IndexSnapshot;
    chunks: number;
    /** Wall time of a clean build, ms. */
    ms: number;
}

function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

/** Chunks left by a killed run, as the next run will see them after crash recovery (read from a copy). */
function leftover(indexDir: string): { chunks: number; embedded: number; hotJournal: boolean; problems: string[] } | undefined {
    if (!hasDb(indexDir)) return undefined;
    try {
        const s = readSnapshot(indexDir);
        return { chunks: s.chunks.length, embedded: s.embedded, hotJournal: s.hadHotJournal, problems: s.problems };
    } catch (err) {
        return { chunks: -1, embedded: -1, hotJournal: existsSync(join(indexDir, JOURNAL)), problems: [`unreadable copy: ${String(err)}`] };
    }
}

/** Kills `seek index` as soon as a rollback journal appears (i.e. inside a write transaction). */
async function killInTransaction(indexDir: string, run: ReturnType<typeof startSeek>, giveUpMs: number): Promise<boolean> {
    const journal = join(indexDir, JOURNAL);
    const deadline = performance.now() + giveUpMs;
    let exited = false;
    void run.done.then(() => (exited = true));
    while (!exited && performance.now() < deadline) {
        if (existsSync(journal)) {
            run.child.kill("SIGKILL");
            return true;
        }
        await new Promise((r) => setImmediate(r));
    }
    run.child.kill("SIGKILL");
    return false;
}

async function resumeAndCompare(root: string, indexDir: string, clean: Clean, what: string): Promise<CliResult> {
    const r = await seek(["index", root, "--json", "--index-dir", indexDir], { timeoutMs: 600_000 });
    assert.equal(r.code, 0, `${what}: the run after the fault failed: ${describe(r)}`);
    assert.deepEqual(crashSigns(r.stderr), [], what);
    const diff = compareSnapshots(readSnapshot(indexDir), clean.snap);
    assert.equal(diff, "", `${what}: index differs from a clean build:\n${diff}`);
    assert.ok(!existsSync(join(indexDir, LOCK)), `${what}: ${LOCK} left behind after a clean exit`);
    return r;
}

interface TrialContext {
    t: number;
    work: string;
    clean: Clean;
    r: () => number;
    seed: number;
    tally: Tally;
    stats: { inTx: number; hotJournals: number; journalDeleted: number };
}

/**
 * One kill -9 trial on a fresh index: every third trial is killed inside a write transaction, the others at a random
 * time (sometimes the resuming run is killed too). A hot journal left behind is also deleted, on a copy, and that copy
 * must recover as well. Returns a one-line outcome.
 */
async function killTrial(c: TrialContext): Promise<string> {
    const { t, clean, r, tally, stats } = c;
    const indexDir = join(c.work, `k${t}`);
    const txMode = t % 3 === 2;
    const run = startSeek(["index", clean.root, "--json", "--index-dir", indexDir]);
    let killedAt: string;
    if (txMode) {
        const hit = await killInTransaction(indexDir, run, clean.ms * 1.5);
        killedAt = hit ? "in a write transaction" : "transaction never seen";
        if (hit) stats.inTx++;
    } else {
        // Within the clean build's time, so nearly every trial lands mid-run (at 1.1x, 6 of 20 landed after the end).
        const delay = 30 + r() * clean.ms * 0.9;
        await sleep(delay);
        run.child.kill("SIGKILL");
        killedAt = `${Math.round(delay)} ms`;
    }
    const killed = await run.done;
    tally.fault();
    tally.trial();
    const left = leftover(indexDir);
    if (left?.hotJournal) stats.hotJournals++;
    if (!txMode && r() < 0.2) {
        const second = startSeek(["index", clean.root, "--json", "--index-dir", indexDir]);
        await sleep(30 + r() * clean.ms * 0.5);
        second.child.kill("SIGKILL");
        await second.done;
        tally.fault();
        killedAt += " + resume killed";
    }
    // A hot journal is the sidecar whose loss hurts most: try the next run without it, on a copy.
    if (left?.hotJournal && stats.journalDeleted < 3) {
        const copy = `${indexDir}-nojournal`;
        cpSync(indexDir, copy, { recursive: true });
        rmSync(join(copy, JOURNAL), { force: true });
        stats.journalDeleted++;
        tally.fault();
        await resumeAndCompare(clean.root, copy, clean, `trial ${t} (journal deleted)`);
    }
    const resumed = await resumeAndCompare(clean.root, indexDir, clean, `trial ${t} (killed ${killedAt}, seed ${c.seed})`);
    const embedded = parseIndexJson(resumed).embeddedChunks;
    if (left && left.chunks >= 0 && left.problems.length === 0 && !killedAt.includes("resume")) {
        // Two stages: a chunk the keyword stage stored may still wait for its vector. Resume stores a vector for
        // exactly the chunks that had none, never again for one that had.
        assert.equal(embedded, clean.chunks - left.embedded, `trial ${t}: resume stored ${embedded} vectors; ${left.embedded} of ${clean.chunks} chunks had one (${left.chunks} stored; killed ${killedAt})`);
    }
    rmSync(indexDir, { recursive: true, force: true });
    rmSync(`${indexDir}-nojournal`, { recursive: true, force: true });
    return `${killedAt}${killed.code === 0 ? " (had finished)" : ""}: left ${left ? left.chunks : "no db"}${left?.hotJournal ? " +hot journal" : ""}, resumed ${embedded}`;
}

/** Time allowed per kill trial (kill, maybe a killed resume, a resume to the end, two snapshots), on 2 loaded cores. */
const TRIAL_BUDGET_MS = 3 * 60_000;

export function defineKillRecoverySuite(scale: Scale, tally: Tally): void {
    const seed = Number(process.env.SEEK_FAULT_SEED ?? Date.now() % 100_000);
    const files = scale.name === "full" ? 100 : 25;
    let work = "";
    let clean: Clean | undefined;

    tally.test(`kill/cancel corpus (${files} files): clean build (seed ${seed})`, async () => {
        work = tempDir("kill");
        const root = join(work, "ws");
        writeCodeCorpus(root, files, 11);
        const indexDir = join(work, "clean");
        const r = await seek(["index", root, "--json", "--index-dir", indexDir]);
        assert.equal(r.code, 0, describe(r));
        const snap = readSnapshot(indexDir);
        assert.deepEqual(snap.problems, []);
        clean = { root, snap, chunks: snap.chunks.length, ms: r.ms };
        assert.equal(parseIndexJson(r).chunks, clean.chunks);
        tally.note(`clean build of ${files} files / ${clean.chunks} chunks: ${(r.ms / 1000).toFixed(1)} s (real model, CLI)`);
    });

    tally.test(`kill -9 \`seek index\` at random points and inside write transactions: ${scale.killTrials} trials`, async () => {
        assert.ok(clean, "clean build missing");
        const r = rng(seed);
        const outcomes: string[] = [];
        const stats = { inTx: 0, hotJournals: 0, journalDeleted: 0 };
        for (let t = 0; t < scale.killTrials; t++) {
            outcomes.push(await killTrial({ t, work, clean, r, seed, tally, stats }));
        }
        const { inTx, hotJournals, journalDeleted } = stats;
        tally.note(`kill -9: ${scale.killTrials} trials, ${inTx} inside a write transaction, ${hotJournals} left a hot journal, ${journalDeleted} resumed with the journal deleted`);
        if (scale.name === "full") for (const o of outcomes) tally.note(`  kill: ${o}`);
        // Each trial ends with a resume that finishes the index: up to a clean build's time (real model) apiece.
    }, { timeout: scale.killTrials * TRIAL_BUDGET_MS });

    tally.test(`SIGINT stops \`seek index\` within 1 s and the next run resumes (${scale.sigintTrials} trials)`, async () => {
        assert.ok(clean, "clean build missing");
        const r = rng(seed + 1);
        const latencies: number[] = [];
        for (let t = 0; t < scale.sigintTrials; t++) {
            const indexDir = join(work, `int${t}`);
            const run = startSeek(["index", clean.root, "--json", "--index-dir", indexDir]);
            // Wait until indexing is under way (the first batch is being stored), then a little more.
            const deadline = performance.now() + clean.ms;
            while (!existsSync(join(indexDir, JOURNAL)) && performance.now() < deadline) await new Promise((res) => setImmediate(res));
            await sleep(r() * clean.ms * 0.3);
            const sent = performance.now();
            run.child.kill("SIGINT");
            const res = await run.done;
            const latency = performance.now() - sent;
            tally.fault();
            tally.trial();
            if (res.code === 0) {
                tally.note(`SIGINT trial ${t}: the run had already finished`);
            } else {
                latencies.push(latency);
                assert.equal(res.code, 1, describe(res));
                assert.match(res.stderr, /cancel/i, describe(res));
                assert.deepEqual(crashSigns(res.stderr), []);
                assert.ok(latency < 1000, `SIGINT took ${Math.round(latency)} ms to stop the indexer`);
                assert.ok(!existsSync(join(indexDir, LOCK)), "index.lock left behind after SIGINT");
            }
            const left = leftover(indexDir);
            const resumed = await resumeAndCompare(clean.root, indexDir, clean, `SIGINT trial ${t}`);
            if (left && left.chunks >= 0 && left.problems.length === 0) {
                assert.equal(parseIndexJson(resumed).embeddedChunks, clean.chunks - left.chunks, "resume after SIGINT re-embedded stored chunks");
            }
            rmSync(indexDir, { recursive: true, force: true });
        }
        if (latencies.length > 0) tally.note(`SIGINT stop latency: ${latencies.map((l) => `${Math.round(l)} ms`).join(", ")}`);
    });

    const pairs = scale.name === "full" ? 5 : 1;
    tally.test(`two \`seek index\` on one --index-dir at once (${pairs} trials): one waits or fails clearly, nothing corrupts`, async () => {
        assert.ok(clean, "clean build missing");
        const r = rng(seed + 2);
        for (let t = 0; t < pairs; t++) {
            const indexDir = join(work, `two${t}`);
            const a = startSeek(["index", clean.root, "--json", "--index-dir", indexDir]);
            await sleep(r() * 400);
            const b = startSeek(["index", clean.root, "--json", "--index-dir", indexDir]);
            const [ra, rb] = await Promise.all([a.done, b.done]);
            tally.fault();
            tally.trial();
            for (const [name, res] of [["first", ra], ["second", rb]] as const) {
                assert.deepEqual(crashSigns(res.stderr), [], name);
                if (res.code !== 0) {
                    assert.equal(res.code, 1, `${name}: ${describe(res)}`);
                    const lines = res.stderr.trim().split("\n").filter((l) => !l.startsWith("seek: ["));
                    assert.equal(lines.length, 1, `${name}: expected one clear line: ${describe(res)}`);
                    assert.match(lines[0], /in use|lock|busy/i, `${name}: ${describe(res)}`);
                }
            }
            assert.ok(ra.code === 0 || rb.code === 0, "neither indexer finished");
            const diff = compareSnapshots(readSnapshot(indexDir), clean.snap);
            assert.equal(diff, "", `after two concurrent indexers:\n${diff}`);
            assert.ok(!existsSync(join(indexDir, LOCK)), "index.lock left behind");
            tally.note(`two indexers trial ${t}: exits ${ra.code}/${rb.code} in ${Math.round(ra.ms)}/${Math.round(rb.ms)} ms`);
            rmSync(indexDir, { recursive: true, force: true });
        }
    });

    tally.test("kill/cancel corpus: cleanup", () => {
        if (work) removeDir(work);
    });
}
