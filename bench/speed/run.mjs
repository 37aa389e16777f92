/**
 * Speed and cost benches, each beside its baseline, on this machine:
 * embedding throughput (Seek pipeline vs raw InferenceSession.run vs transformers.js), query latency at scale,
 * full index of a medium repo, time to first result on a fresh ~5,000-file workspace.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { mdTable } from "../lib/report.mjs";
import { CACHE_DIR, indexDirFor, seekIndex } from "../lib/seekCli.mjs";
import { DEFAULT_MODEL } from "../lib/systems.mjs";
import { REPO_ROOT } from "../semble/data.mjs";
import { coreAvailable } from "./core.mjs";
import { fullIndex, timeToFirstResult } from "./indexing.mjs";
import { runLatency } from "./latency.mjs";

const EMBED_SCRIPT = new URL("./embed.mjs", import.meta.url).pathname;
const f1 = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(1));

function embedRun(impl, threads, batches, n, reposDir, model) {
    const args = [EMBED_SCRIPT, "--impl", impl, "--threads", String(threads), "--batches", batches.join(","), "--n", String(n), "--repos-dir", reposDir, "--model", model];
    const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) return [{ impl, threads, error: r.stderr.trim().split("\n").slice(-3).join(" ") }];
    return JSON.parse(r.stdout.trim().split("\n").pop());
}

/**
 * Interleaved repeats (impl by impl, then again), keeping each configuration's best run: the machine is shared and
 * noisy, and the best of several runs is the least disturbed one.
 */
async function embedding({ quick, reposDir, model, progress }) {
    const batches = quick ? ["plan", 16] : ["plan", 4, 8, 16, 32];
    const n = quick ? 128 : 384;
    const repeats = quick ? 2 : 3;
    const best = new Map();
    for (let rep = 0; rep < repeats; rep++) {
        for (const threads of [1, 2]) {
            for (const impl of ["raw", "seek", "transformers"]) {
                progress(`  embed: ${impl}, ${threads} thread(s), ${n} chunks (run ${rep + 1}/${repeats})`);
                for (const r of embedRun(impl, threads, batches, n, reposDir, model)) {
                    const key = `${r.impl}/${r.threads}/${r.batch}`;
                    const prev = best.get(key);
                    if (!prev || (r.chunksPerSec ?? 0) > (prev.chunksPerSec ?? 0)) best.set(key, { ...r, runs: (prev?.runs ?? 0) + 1 });
                    else prev.runs++;
                }
            }
        }
    }
    const rows = [...best.values()];
    const ratios = [1, 2].map((threads) => {
        const pick = (impl, plan) => Math.max(0, ...rows.filter((r) => r.impl === impl && r.threads === threads && r.chunksPerSec && (!plan || r.batch === "plan")).map((r) => r.chunksPerSec));
        const seek = pick("seek", true);
        // Like for like: the same batches (Seek's plan); and against the best fixed batch size each baseline reached.
        return {
            threads,
            seekOverRaw: seek / pick("raw", true),
            seekOverRawBest: seek / pick("raw", false),
            seekOverTransformers: seek / pick("transformers", true),
            seekOverTransformersBest: seek / pick("transformers", false),
        };
    });
    return { n, repeats, rows, ratios };
}

/** An index of a real repo to draw chunks and vectors from (the semble cache if the quality run made one). */
async function latencySource(reposDir, model, progress) {
    for (const repo of ["gin", "click", "flask", "cobra"]) {
        const dir = indexDirFor("semble", repo, model, true);
        const folder = join(reposDir, repo, repo === "click" ? "src/click" : repo === "flask" ? "src/flask" : "");
        if (existsSync(dir) && existsSync(folder)) return { sourceIndex: dir, sourceFolder: folder };
    }
    const folder = join(reposDir, "gin");
    const dir = join(CACHE_DIR, "speed", "latency-source");
    progress(`  latency: indexing ${folder} as the vector source`);
    await seekIndex(folder, { indexDir: dir, model, instructions: true });
    return { sourceIndex: dir, sourceFolder: folder };
}

/**
 * @param {{ quick:boolean, reposDir:string, progress:(m:string)=>void, model?:string, threads?:number }} opts
 * @returns {Promise<{ json:any, markdown:string }>}
 */
export async function runSpeed(opts) {
    const model = opts.model ?? DEFAULT_MODEL;
    const progress = opts.progress;
    const json = { model };
    const md = [];
    const step = async (name, fn) => {
        try {
            json[name] = await fn();
        } catch (err) {
            json[name] = { error: err instanceof Error ? err.message : String(err) };
            progress(`  ${name}: ERROR ${json[name].error.split("\n")[0]}`);
        }
    };
    if (!coreAvailable()) progress("  speed: out/src/core missing (npx tsc -p tsconfig.json); in-process parts will fail");

    await step("embedding", () => embedding({ ...opts, model }));
    if (json.embedding?.rows) {
        md.push(`Embedding throughput (${json.embedding.n} real code chunks, length-sorted batches, ${model}; best of ${json.embedding.repeats} interleaved runs):`);
        md.push(mdTable(["impl", "threads", "batch", "chunks/s", "tokens/s"], json.embedding.rows.map((r) => [r.impl, r.threads, r.batch ?? "", r.error ? `error: ${r.error.slice(0, 60)}` : f1(r.chunksPerSec), f1(r.tokensPerSec)])));
        md.push(json.embedding.ratios.map((r) => `- ${r.threads} thread(s): Seek pipeline / raw session.run = ${r.seekOverRaw.toFixed(2)} on the same batches (${r.seekOverRawBest.toFixed(2)} vs raw's best batch size); Seek / transformers.js = ${r.seekOverTransformers.toFixed(2)} (${r.seekOverTransformersBest.toFixed(2)} vs its best)`).join("\n"));
    }

    const sizes = opts.quick ? [10_000, 100_000] : [10_000, 100_000, 500_000];
    await step("latency", async () => runLatency({ ...(await latencySource(opts.reposDir, model, progress)), sizes, model, rounds: opts.quick ? 2 : 3, progress }));
    if (Array.isArray(json.latency)) {
        md.push("Query latency, warm, encode + search (ms), synthetic stores of replicated real chunks:");
        md.push(
            mdTable(
                ["chunks", "vector p50", "vector p95", "lexical p50", "lexical p95", "hybrid p50", "hybrid p95", "RSS MiB", "on disk MiB"],
                json.latency.map((r) => [r.size.toLocaleString("en-US"), f1(r.modes.vector.p50), f1(r.modes.vector.p95), f1(r.modes.lexical.p50), f1(r.modes.lexical.p95), f1(r.modes.hybrid.p50), f1(r.modes.hybrid.p95), f1(r.rssMiB), f1(r.bytesOnDisk / 2 ** 20)]),
            ),
        );
        const a = json.latency.find((r) => r.size === 10_000);
        const b = json.latency.find((r) => r.size === 100_000);
        if (a && b) {
            json.memoryPer100kMiB = ((b.rssMiB - a.rssMiB) / 90_000) * 100_000;
            json.diskPer100kMiB = ((b.bytesOnDisk - a.bytesOnDisk) / 90_000) * 100_000 / 2 ** 20;
            md.push(`- memory per 100k chunks (RSS slope 10k→100k): ${f1(json.memoryPer100kMiB)} MiB; index on disk per 100k chunks: ${f1(json.diskPer100kMiB)} MiB`);
        }
    }

    const medium = opts.quick ? "flask" : "laravel-framework";
    await step("fullIndex", () => fullIndex(join(opts.reposDir, medium), { model, threads: opts.threads }));
    if (json.fullIndex?.files) {
        const r = json.fullIndex;
        md.push(`Full index of ${medium} (whole checkout): ${r.files} files, ${r.chunks} chunks in ${f1(r.wallMs / 1000)} s = ${f1(r.filesPerSec)} files/s, ${f1(r.chunksPerSec)} chunks/s; peak RSS ${f1(r.peakRssMiB)} MiB; ${f1(r.bytesOnDisk / 2 ** 20)} MiB on disk.`);
    }

    await step("firstResult", () =>
        timeToFirstResult({
            folder: join(opts.reposDir, "rails"),
            priorityPaths: ["railties/lib/rails/application.rb", "railties/lib/rails/engine.rb", "railties/lib/rails/paths.rb", "activerecord/lib/active_record/base.rb", "actionpack/lib/action_controller/metal.rb"],
            query: "application boot process and initialization",
            targetPath: "railties/lib/rails/application.rb",
            model,
            timeoutMs: opts.quick ? 180_000 : 600_000,
        }),
    );
    if (json.firstResult && !json.firstResult.error) {
        const r = json.firstResult;
        md.push(`Time to first result, fresh rails checkout (${r.discoveredFiles} files discovered), 5 open editors indexed first: first progress ${f1(r.firstProgressMs / 1000)} s, first hit ${f1(r.firstAnyResultMs / 1000)} s, open-editor target in top 10 at ${f1(r.firstTargetResultMs / 1000)} s (rank ${r.targetRank ?? "–"}, ${r.filesIndexedAtHit ?? "?"} files indexed).`);
    }
    const ui = editorHarness();
    if (ui) {
        json.editor = ui;
        md.push(`Editor (from the VS Code tests' harness, ${ui.file} of ${ui.at}; not run by the bench; ${ui.files} files indexed there): extension-host event-loop lag p99 while indexing ${ui.eventLoopLagP99Ms} ms; index ready ${ui.indexReadyMs} ms; palette first results ${ui.paletteFirstResultsMs} ms; edit to re-indexed ${ui.editToReindexedMs} ms.`);
    }
    return { json, markdown: md.join("\n\n") };
}

/** The extension host's figures as the VS Code e2e harness last wrote them (test-results/ui-timings.json). */
function editorHarness() {
    const file = join(REPO_ROOT, "test-results", "ui-timings.json");
    if (!existsSync(file)) return undefined;
    try {
        const d = JSON.parse(readFileSync(file, "utf8"));
        const t = d.timings ?? {};
        if (typeof t.eventLoopLagP99Ms !== "number") return undefined;
        return { file: "test-results/ui-timings.json", at: statSync(file).mtime.toISOString(), files: d.state?.summary?.filesTotal, ...t };
    } catch {
        return undefined;
    }
}
