/**
 * Inputs that change or refuse to be read while Seek works on them: a file without read permission (run as
 * `nobody`, since root reads a chmod 000 file anyway), files deleted between discovery and read and rewritten while
 * being chunked (core API, at an exact point), and a background writer churning files during `seek index` (CLI).
 */
import assert from "node:assert/strict";
import { appendFileSync, chmodSync, chownSync, mkdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SeekEngine } from "../../../src/core/engine";
import { crashSigns, describe, parseIndexJson, parseSkips, seek, startSeek } from "../lib/cli";
import { goodSource, marker, write, writeCodeCorpus, writeGood } from "../lib/corpus";
import { removeDir, tempDir, type Scale } from "../lib/env";
import { HookEmbedder } from "../lib/hookEmbedder";
import { FILES_PER_BATCH } from "../../../src/core/indexer";
import { compareSnapshots, indexedPaths, readSnapshot } from "../lib/indexDb";
import type { Tally } from "../lib/tally";

const NOBODY = 65534;

/** Runs the CLI as `nobody` when we are root (so permissions apply); as ourselves otherwise. */
function asUnprivileged(): { wrapper: string[]; how: string } {
    if (process.getuid?.() !== 0) return { wrapper: [], how: `as uid ${process.getuid?.()}` };
    return { wrapper: ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups"], how: "as nobody via setpriv" };
}

async function drain(engine: SeekEngine): Promise<void> {
    for await (const _ of engine.run()) void _;
}

export function defineInputRaceSuite(scale: Scale, tally: Tally): void {
    const priv = asUnprivileged();

    tally.test(`unreadable file and directory (chmod 000, CLI run ${priv.how}): skipped as unreadable, good files searchable`, async () => {
        const work = tempDir("noperm");
        try {
            const root = join(work, "ws");
            const good = writeGood(root, "good.ts", "permok");
            write(root, "noperm.ts", goodSource(marker("noperm")));
            chmodSync(join(root, "noperm.ts"), 0o000);
            write(root, "writeonly.md", `# ${marker("wonly")}\n`);
            chmodSync(join(root, "writeonly.md"), 0o200);
            write(root, "closed/inner.ts", goodSource(marker("closedinner")));
            chmodSync(join(root, "closed"), 0o000);
            const indexDir = join(work, "index");
            const home = join(work, "home");
            mkdirSync(indexDir);
            mkdirSync(home);
            if (process.getuid?.() === 0) {
                chownSync(indexDir, NOBODY, NOBODY);
                chownSync(home, NOBODY, NOBODY);
            }
            const env = { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, ".cache") };
            const r = await seek(["index", root, "--json", "--verbose", "--index-dir", indexDir], { wrapper: priv.wrapper, env });
            assert.equal(r.code, 0, describe(r));
            assert.deepEqual(crashSigns(r.stderr), []);
            const skips = parseSkips(r.stderr);
            const reasonOf = (p: string) => skips.find((s) => s.path === p || s.path === `${p}/`);
            for (const p of ["noperm.ts", "writeonly.md", "closed"]) {
                tally.input();
                assert.equal(reasonOf(p)?.reason, "unreadable", `${p}: ${JSON.stringify(reasonOf(p))}\n${r.stderr}`);
            }
            assert.ok(parseIndexJson(r).skipped >= 3);
            const s = await seek(["search", root, good.marker, "--json", "--mode", "lexical", "--index-dir", indexDir], { wrapper: priv.wrapper, env });
            assert.equal(s.code, 0, describe(s));
            assert.ok(JSON.parse(s.stdout).results.some((h: { path: string }) => h.path === good.path), s.stdout);
        } finally {
            chmodSync(join(work, "ws", "closed"), 0o755);
            removeDir(work);
        }
    });

    tally.test("file deleted between discovery and read, and files rewritten mid-run (core API, exact points, hook embedder)", async () => {
        const work = tempDir("race-core");
        try {
            const root = join(work, "ws");
            // More files than one keyword-stage batch; files are indexed newest first, so the oldest are last.
            const count = FILES_PER_BATCH + 16;
            const base = Date.now() - 3_600_000;
            const stamp = (rel: string, secs: number) => utimesSync(join(root, rel), new Date(base + secs * 1000), new Date(base + secs * 1000));
            for (let i = 0; i < count; i++) {
                writeGood(root, `f/file${i}.ts`, `early${i}`);
                stamp(`f/file${i}.ts`, 10 + i);
            }
            write(root, "victim.ts", goodSource(marker("victim")));
            write(root, "late.ts", goodSource(marker("lateold")));
            stamp("victim.ts", 0);
            stamp("late.ts", 1);
            const first = `f/file${count - 1}.ts`;
            let fired = false;
            const embedder = new HookEmbedder(384, () => undefined);
            tally.fault(3);
            const indexDir = join(work, "index");
            const engine = await SeekEngine.open({ folder: root, indexDir, embedder });
            try {
                // The run is pulled batch by batch: after the first keyword-stage batch is stored, the next one is
                // not read yet. Delete a file not read yet, rewrite one not read yet and one already read.
                for await (const p of engine.run()) {
                    if (fired || p.phase !== "chunking" || p.filesDone === 0) continue;
                    fired = true;
                    unlinkSync(join(root, "victim.ts"));
                    writeFileSync(join(root, "late.ts"), goodSource(marker("latenew")));
                    writeFileSync(join(root, first), goodSource(marker("earlynew")) + "// longer now\n");
                }
                const skipped = engine.skippedFiles();
                assert.ok(fired, "the hook never ran");
                assert.deepEqual(skipped.filter((s) => s.path === "victim.ts").map((s) => s.reason), ["vanished"], JSON.stringify(skipped));
                const late = await engine.search(marker("latenew"), { mode: "lexical" });
                assert.ok(late.hits.some((h) => h.path === "late.ts"), "late.ts was indexed with its old content");
                const stale = await engine.search(marker("lateold"), { mode: "lexical" });
                assert.ok(!stale.hits.some((h) => h.path === "late.ts"), "late.ts still has its old content");
                // Second run: the already-read file changed after it was read; it must be picked up now.
                await drain(engine);
                const early = await engine.search(marker("earlynew"), { mode: "lexical" });
                assert.ok(early.hits.some((h) => h.path === first), `${first} not re-indexed after it changed mid-run`);
            } finally {
                await engine.close();
            }
            const cleanDir = join(work, "clean");
            const clean = await SeekEngine.open({ folder: root, indexDir: cleanDir, embedder: new HookEmbedder() });
            try {
                await drain(clean);
            } finally {
                await clean.close();
            }
            const diff = compareSnapshots(readSnapshot(indexDir), readSnapshot(cleanDir));
            assert.equal(diff, "", diff);
            assert.ok(!indexedPaths(readSnapshot(indexDir)).has("victim.ts"));
            tally.trial();
        } finally {
            removeDir(work);
        }
    });

    const rounds = scale.name === "full" ? 6 : 1;
    tally.test(`background writer rewrites, deletes and recreates files during \`seek index\` (${rounds} rounds, CLI, real model); final index equals a clean build`, async () => {
        const work = tempDir("churn");
        let stop = false;
        try {
            const root = join(work, "ws");
            writeCodeCorpus(root, scale.name === "full" ? 60 : 15, 7);
            mkdirSync(join(root, "churn"), { recursive: true });
            const indexDir = join(work, "index");
            let writes = 0;
            const writerErrors: string[] = [];
            const writer = (async () => {
                let i = 0;
                while (!stop) {
                    i++;
                    try {
                        write(root, "churn/hot.ts", goodSource(marker(`hot${i % 7}`)) + "x".repeat(i % 300));
                        if (i % 2 === 0) rmSync(join(root, "churn/flicker.ts"), { force: true });
                        else write(root, "churn/flicker.ts", goodSource(marker("flicker")));
                        if (i % 50 === 0) write(root, "churn/grow.md", "# Growing\n");
                        else appendFileSync(join(root, "churn/grow.md"), `- entry ${i} about ${marker("grow")}\n`);
                        if (i % 3 === 0) rmSync(join(root, "churn/dir"), { recursive: true, force: true });
                        else write(root, `churn/dir/sub${i % 5}/n.ts`, goodSource(marker("dirchurn")));
                        writes++;
                    } catch (err) {
                        writerErrors.push(String(err));
                    }
                    await new Promise((r) => setTimeout(r, 2));
                }
            })();
            for (let round = 0; round < rounds; round++) {
                const r = await startSeek(["index", root, "--json", "--verbose", "--index-dir", indexDir]).done;
                tally.trial();
                assert.equal(r.code, 0, `round ${round}: ${describe(r)}`);
                assert.deepEqual(crashSigns(r.stderr), [], `round ${round}`);
                const bad = parseSkips(r.stderr).filter((s) => !["vanished", "ignored", "unreadable"].includes(s.reason));
                assert.deepEqual(bad, [], `unexpected skip reasons under churn: ${JSON.stringify(bad)}`);
            }
            stop = true;
            await writer;
            assert.deepEqual(writerErrors.slice(0, 3), [], "the background writer itself failed");
            tally.fault(writes);
            tally.note(`churn: ${writes} background writes during ${rounds} index runs`);
            write(root, "churn/hot.ts", goodSource(marker("hotfinal")));
            const last = await seek(["index", root, "--json", "--index-dir", indexDir]);
            assert.equal(last.code, 0, describe(last));
            const cleanDir = join(work, "clean");
            const clean = await seek(["index", root, "--json", "--index-dir", cleanDir]);
            assert.equal(clean.code, 0, describe(clean));
            const diff = compareSnapshots(readSnapshot(indexDir), readSnapshot(cleanDir));
            assert.equal(diff, "", diff);
            assert.equal(parseIndexJson(last).chunks, parseIndexJson(clean).chunks);
        } finally {
            stop = true;
            removeDir(work);
        }
    });
}
