#!/usr/bin/env node
/**
 * `npm run bench`: quality (semble set, CodeSearchNet-style code and docs sets) and speed, every Seek figure beside
 * a baseline measured in the same run. Prints tables and writes bench/results/<date>.json (+ -rankings.json).
 *
 *   node bench/run.mjs [--quick] [--sets semble,csn,speed] [--repos-dir DIR] [--only repo,...]
 *                      [--systems bm25,seek:hybrid,...] [--fresh] [--threads N] [--worst N] [--write-md]
 *                      [--ablations-on-all] [--min-coverage 0.5] [--rebuild-csn]
 *
 * --quick: the fixed small repo subset, the default model's three modes + BM25, reduced speed runs.
 * Full run: the default model's modes + BM25 on every repo; other models / no instructions on the quick subset.
 * --write-md: replace the generated tables in bench/RESULTS.md (the ablation log there is kept).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, freemem, totalmem } from "node:os";
import { join } from "node:path";
import { parseFlags } from "./lib/args.mjs";
import { coverageLine, languageTable, qualityTable, repoTable, worstText } from "./lib/report.mjs";
import { runForJson, runQualitySet } from "./lib/qualitySet.mjs";
import { cliAvailable, snapshotCli } from "./lib/seekCli.mjs";
import { DEFAULT_MODEL, FULL_SYSTEMS, QUICK_SYSTEMS, parseSystem } from "./lib/systems.mjs";
import { buildCsnSets } from "./csn/build.mjs";
import { BENCH_DIR, QUICK_REPOS, REPO_ROOT } from "./semble/data.mjs";
import { checkoutInfo } from "./semble/repos.mjs";
import { runSembleSet } from "./semble/run.mjs";
import { runSpeed } from "./speed/run.mjs";

const args = parseFlags(process.argv.slice(2), { booleans: ["quick", "fresh", "writeMd", "rebuildCsn", "ablationsOnAll"], lists: ["sets", "only", "systems"] });
const quick = Boolean(args.quick);
const sets = args.sets ?? ["semble", "csn", "speed"];
const reposDir = args.reposDir ?? process.env.SEEK_BENCH_REPOS ?? join(REPO_ROOT, "..", "bench-repos");
const log = join(BENCH_DIR, ".cache", "seek-cli.log");
const started = new Date();
const say = (m) => process.stdout.write(`${m}\n`);

function machine() {
    const c = cpus();
    return {
        cpu: c[0]?.model,
        cores: c.length,
        memGiB: +(totalmem() / 2 ** 30).toFixed(1),
        freeGiB: +(freemem() / 2 ** 30).toFixed(1),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        commit: spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout.trim(),
        dirty: spawnSync("git", ["status", "--porcelain", "--", "src"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout.trim() !== "",
    };
}

async function main() {
    mkdirSync(join(BENCH_DIR, ".cache"), { recursive: true });
    const out = { date: started.toISOString(), quick, machine: machine(), sets: {} };
    const rankings = {};
    const md = [];
    let haveCli = await cliAvailable();
    if (haveCli) {
        out.machine.cliBuild = snapshotCli();
        haveCli = await cliAvailable();
    }
    let systems = args.systems ?? (quick ? QUICK_SYSTEMS : FULL_SYSTEMS);
    if (!haveCli) {
        say("dist/cli.js is missing or broken (run `node esbuild.mjs`): Seek systems skipped, baselines only.");
        systems = systems.filter((s) => !s.startsWith("seek"));
    }
    const common = { threads: args.threads ? Number(args.threads) : undefined, log, fresh: Boolean(args.fresh), worst: Number(args.worst ?? 15), progress: say };
    say(`machine: ${JSON.stringify(out.machine)}`);

    if (sets.includes("semble")) {
        const only = args.only ?? (quick ? QUICK_REPOS : undefined);
        // Every model and instruction setting on all repos is a day of CPU here: the full run scores the default
        // model on every repo and the model/instruction ablations on the quick subset (--ablations-on-all: all repos).
        const ablations = quick || args.systems || args.ablationsOnAll ? [] : systems.filter((s) => !isDefaultModel(s));
        const main = systems.filter((s) => !ablations.includes(s));
        const runs = [["semble", only, main]];
        if (ablations.length) runs.push(["semble-subset", args.only ?? QUICK_REPOS, ["bm25", ...systems.filter(isDefaultModel).filter((s) => s !== "bm25"), ...ablations]]);
        for (const [key, repos, sys] of runs) {
            const r = await runSembleSet({ reposDir, only: repos, systems: sys, minCoverage: Number(args.minCoverage ?? 0.5), ...common });
            const info = checkoutInfo(reposDir);
            const notPinned = r.units.filter((u) => info[u.name] && !info[u.name].pinned).map((u) => u.name);
            out.sets[key] = { reposDir, repos: r.units.map((u) => u.name), notPinned, excluded: r.excluded, coverage: r.coverage, runs: r.runs.map(runForJson), worst: r.worst };
            rankings[key] = Object.fromEntries(r.runs.map((x) => [x.id, x.rankings]));
            const title = key === "semble" ? `semble set (${r.units.length} repos${only ? ", subset" : ""})` : `semble set, quick subset (${r.units.length} repos): models and instructions`;
            md.push(section(title, r, [coverageLine(r.coverage), notPinned.length ? `not at the pinned revision (snapshot HEAD used): ${notPinned.join(", ")}` : "all at the pinned revisions", r.excluded.length ? `left out (coverage < ${args.minCoverage ?? 0.5}): ${r.excluded.map((e) => `${e.repo} ${e.coverage}`).join(", ")}` : ""]));
        }
    }

    if (sets.includes("csn")) {
        const csn = await buildCsnSets({ rebuild: Boolean(args.rebuildCsn) });
        // Quick runs keep the four main systems unless --systems names them.
        const csnSystems =
            quick && !args.systems
                ? systems.filter((s) => ["bm25", "seek:hybrid", "seek:vector", "seek:lexical"].includes(s))
                : systems.filter((s) => !s.endsWith(":code"));
        // Quick: the smaller packages only (mathjs, rxjs, async and undici take most of the indexing time).
        const pick = (units) => (quick ? units.filter((u) => QUICK_CSN.includes(u.name)) : units);
        for (const [name, units] of [["csn-code", pick(csn.code)], ["csn-docs", pick(csn.docs)], ["csn-mixed", pick(csn.mixed)]]) {
            const r = await runQualitySet(name, units, csnSystems, common);
            out.sets[name] = { packages: units.map((u) => `${u.name}@${u.version}`), queries: units.reduce((a, u) => a + u.tasks.length, 0), runs: r.runs.map(runForJson), worst: r.worst };
            rankings[name] = Object.fromEntries(r.runs.map((x) => [x.id, x.rankings]));
            md.push(section(`${name} (${out.sets[name].queries} queries, ${units.length} packages)`, r, [`packages: ${out.sets[name].packages.join(", ")}`]));
        }
    }

    if (sets.includes("speed")) {
        if (!haveCli) say("speed: needs the built core (dist/cli.js, out/src/core); skipped");
        else {
            const speed = await runSpeed({ quick, reposDir, progress: say });
            out.sets.speed = speed.json;
            md.push(`### Speed and cost\n\n${speed.markdown}`);
        }
    }

    const stamp = started.toISOString().replace(/[:]/g, "-").replace(/\..+$/, "");
    const resultsDir = join(BENCH_DIR, "results");
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `${stamp}${quick ? "-quick" : ""}.json`);
    writeFileSync(file, `${JSON.stringify(out, null, 1)}\n`);
    writeFileSync(file.replace(/\.json$/, "-rankings.json"), `${JSON.stringify(rankings)}\n`);
    const header = `_Run ${out.date} on ${out.machine.cpu} (${out.machine.cores} cores), Node ${out.machine.node}, commit ${out.machine.commit}${out.machine.dirty ? "+dirty" : ""}, CLI build ${out.machine.cliBuild ?? "none"}${quick ? ", --quick" : ""}._`;
    const text = [header, ...md].join("\n\n");
    say(`\n${text}\n\nwrote ${file}`);
    if (args.writeMd) writeResultsMd(text);
}

/** Systems on the default model with instructions (BM25 counts as default: it belongs in every table). */
function isDefaultModel(id) {
    const s = parseSystem(id);
    return s.kind === "bm25" || (s.model === DEFAULT_MODEL && s.instructions);
}

function section(title, r, notes) {
    const parts = [`### ${title}`, notes.filter(Boolean).map((n) => `- ${n}`).join("\n"), qualityTable(r.runs), "By language (repo mean NDCG@10):", languageTable(r.runs)];
    if (r.runs.length && r.runs[0].summary?.repos.length <= 70) parts.push("Per repo / package (NDCG@10):", repoTable(r.runs));
    const worst = Object.entries(r.worst ?? {})[0];
    if (worst) parts.push(`Worst queries for ${worst[0]}:\n\n\`\`\`\n${worstText(worst[1].slice(0, 8))}\n\`\`\``);
    const errs = r.runs.flatMap((x) => Object.entries(x.errors ?? {}).map(([u, e]) => `- ${x.id} / ${u}: ${e.split("\n")[0]}`));
    if (errs.length) parts.push(`Errors:\n${errs.join("\n")}`);
    return parts.join("\n\n");
}

const QUICK_CSN = ["commander", "ws", "luxon", "fastify", "pino"];

const START = "<!-- bench:generated:start -->";
const END = "<!-- bench:generated:end -->";

function writeResultsMd(text) {
    const file = join(BENCH_DIR, "RESULTS.md");
    const current = existsSync(file) ? readFileSync(file, "utf8") : `# Bench results\n\n${START}\n${END}\n`;
    const a = current.indexOf(START);
    const b = current.indexOf(END);
    const next = a >= 0 && b > a ? `${current.slice(0, a + START.length)}\n${text}\n${current.slice(b)}` : `${current}\n${START}\n${text}\n${END}\n`;
    writeFileSync(file, next);
    say(`updated ${file}`);
}

main().catch((err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
});
