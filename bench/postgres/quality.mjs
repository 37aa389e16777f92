#!/usr/bin/env node
/**
 * Issue #12's quality check: the semble 20-repo subset answered by the local index and by the team index in
 * PostgreSQL, in one run of one CLI build, on the same local indexes (bench/.cache). The team-index run is the same
 * bench with SEEK_STORE_URL set: `seek index` publishes each repository to its own namespace (<repo>@main) and
 * `seek search` answers from PostgreSQL (the files that differ from it, none here, would come from the local index).
 * NDCG@10 must be equal within ±0.005.
 *
 *   node bench/postgres/quality.mjs [--repos-dir DIR] [--only a,b] [--systems seek:hybrid,seek:lexical] [--url postgres://...]
 *
 * Without --url, a throwaway server is started (scripts/pgserver.mjs) and removed at the end.
 */
import { join } from "node:path";
import { parseFlags } from "../lib/args.mjs";
import { snapshotCli } from "../lib/seekCli.mjs";
import { REPO_ROOT } from "../semble/data.mjs";
import { runSembleSet } from "../semble/run.mjs";
import { startPgServer } from "../../scripts/pgserver.mjs";

/** The 20-repo subset of issue #10. */
export const SUBSET_20 = ["redux", "bats-core", "express", "model2vec", "zig-clap", "snapkit", "sinatra", "axios", "xmonad", "requests", "guzzle", "circe", "starlette", "httpx", "rack", "flask", "lazy.nvim", "chi", "click", "trpc"];

const args = parseFlags(process.argv.slice(2), { lists: ["only", "systems"] });
const reposDir = args.reposDir ?? process.env.SEEK_BENCH_REPOS ?? join(REPO_ROOT, "..", "bench-repos");
const only = args.only ?? SUBSET_20;
const systems = args.systems ?? ["seek:hybrid"];
const say = (m) => process.stdout.write(`${m}\n`);

const server = args.url ? undefined : await startPgServer({ serverOptions: "-c shared_buffers=512MB -c maintenance_work_mem=512MB" });
const url = args.url ?? server.url;
try {
    say(`CLI build ${snapshotCli()}; team index ${url.replace(/:[^:@/]*@/, ":***@")}`);
    delete process.env.SEEK_STORE_URL;
    const started = performance.now();
    const local = await runSembleSet({ reposDir, only, systems, progress: say });
    const localS = (performance.now() - started) / 1000;
    process.env.SEEK_STORE_URL = url;
    const pgStarted = performance.now();
    const shared = await runSembleSet({ reposDir, only, systems, progress: say });
    const pgS = (performance.now() - pgStarted) / 1000;
    delete process.env.SEEK_STORE_URL;
    say("\n| system | repos | local NDCG@10 | PostgreSQL NDCG@10 | difference | largest per-repo difference |\n| --- | --- | --- | --- | --- | --- |");
    let ok = true;
    for (const id of systems) {
        const a = local.runs.find((r) => r.id === id).summary;
        const b = shared.runs.find((r) => r.id === id).summary;
        const perRepo = a.repos.map((r) => ({ repo: r.repo, d: (b.repos.find((x) => x.repo === r.repo)?.ndcg10 ?? NaN) - r.ndcg10 }));
        const worst = perRepo.reduce((m, r) => (Math.abs(r.d) > Math.abs(m.d) ? r : m), { repo: "-", d: 0 });
        const diff = b.repoMean.ndcg10 - a.repoMean.ndcg10;
        ok &&= Math.abs(diff) <= 0.005;
        say(`| ${id} | ${a.repos.length} | ${a.repoMean.ndcg10.toFixed(4)} | ${b.repoMean.ndcg10.toFixed(4)} | ${diff >= 0 ? "+" : ""}${diff.toFixed(4)} | ${worst.repo} ${worst.d >= 0 ? "+" : ""}${worst.d.toFixed(4)} |`);
    }
    say(`\nwall: local ${localS.toFixed(0)} s, PostgreSQL (publish + search) ${pgS.toFixed(0)} s; ${ok ? "within ±0.005" : "NOT within ±0.005"}`);
    process.exitCode = ok ? 0 : 1;
} finally {
    await server?.destroy();
}
