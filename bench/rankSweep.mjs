#!/usr/bin/env node
/**
 * Ranking ablations without re-indexing: opens the bench's cached indexes read-only through the core (out/, from
 * `npx tsc`), runs each set's queries under several RankConfig variants and prints repo-mean NDCG@10 per variant.
 * The CLI always runs the defaults; this is how a candidate default is measured before it becomes one.
 *
 *   node bench/rankSweep.mjs [--sets semble,csn-code,csn-docs,csn-mixed] [--repos-dir DIR] [--only a,b]
 *                            [--modes hybrid,vector] [--variants '{"name": {rankConfig...}, ...}'] [--task auto]
 *                            [--stage1] [--dump file.json]
 *
 * --stage1 uses the keyword-stage indexes of `bench/run.mjs --systems seek:lexical:stage1` (no vectors: every
 * repository can be swept in minutes); --dump writes every query's score and top 10 per mode/variant, for reading
 * what a rule changes query by query.
 */
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseFlags } from "./lib/args.mjs";
import { indexDirFor, seekIndex } from "./lib/seekCli.mjs";
import { DEFAULT_MODEL } from "./lib/systems.mjs";
import { buildCsnSets } from "./csn/build.mjs";
import { QUICK_REPOS, REPO_ROOT, loadUnits } from "./semble/data.mjs";
import { aggregate, scoreQuery } from "./semble/score.mjs";

const require = createRequire(import.meta.url);
const { SeekEngine } = require(join(REPO_ROOT, "out", "src", "core", "engine.js"));

const args = parseFlags(process.argv.slice(2), { booleans: ["stage1"], lists: ["sets", "only", "modes"] });
const sets = args.sets ?? ["semble", "csn-docs", "csn-mixed"];
const modes = args.modes ?? ["hybrid"];
const variants = JSON.parse(args.variants ?? '{"default": {}}');
const reposDir = args.reposDir ?? join(REPO_ROOT, "..", "bench-repos");
const say = (m) => process.stdout.write(`${m}\n`);

async function unitsOf(set) {
    if (set === "semble") return loadUnits({ reposDir, only: args.only ?? QUICK_REPOS });
    const csn = await buildCsnSets();
    const units = { "csn-code": csn.code, "csn-docs": csn.docs, "csn-mixed": csn.mixed }[set];
    if (!units) throw new Error(`unknown set ${set}`);
    return args.only ? units.filter((u) => args.only.includes(u.name)) : units;
}

/** Every variant sees the same query vectors; embedding each query once keeps a sweep to minutes. */
function memoizeQueryEmbeddings(engine) {
    const embed = engine.embedQuery.bind(engine);
    const memo = new Map();
    engine.embedQuery = (q, signal) => {
        const key = JSON.stringify(q);
        if (!memo.has(key)) memo.set(key, embed(q, signal));
        return memo.get(key);
    };
}

async function main() {
    const table = [];
    const dump = {};
    for (const set of sets) {
        const units = await unitsOf(set);
        const rows = new Map(); // "mode/variant" -> scored rows
        for (const unit of units) {
            const indexDir = indexDirFor(set, unit.name, DEFAULT_MODEL, true) + (args.stage1 ? "-stage1" : "");
            if (!existsSync(join(indexDir, "index.db"))) {
                say(`  ${set}/${unit.name}: building its index through the CLI`);
                await seekIndex(unit.indexRoot, { indexDir, model: DEFAULT_MODEL, instructions: true });
            }
            const engine = await SeekEngine.open({ folder: unit.indexRoot, indexDir, readOnly: true, model: DEFAULT_MODEL });
            memoizeQueryEmbeddings(engine);
            try {
                for (const mode of modes) {
                    for (const [name, rankConfig] of Object.entries(variants)) {
                        const key = `${mode}/${name}`;
                        if (!rows.has(key)) rows.set(key, []);
                        for (const t of unit.tasks) {
                            const r = await engine.search(t.query, { mode, top: 10, task: args.task ?? "auto", rankConfig });
                            const row = { id: t.id, repo: unit.name, language: unit.language, category: t.category, ...scoreQuery(r.hits, t.targets) };
                            if (args.dump) Object.assign(row, { query: t.query, targets: t.targets, top: r.hits.map((h) => `${h.path}:${h.startLine}-${h.endLine}${h.symbol ? ` ${h.symbol}` : ""}`) });
                            rows.get(key).push(row);
                        }
                    }
                }
            } finally {
                await engine.close();
            }
        }
        for (const [key, rs] of rows) {
            dump[`${set}/${key}`] = rs;
            const a = aggregate(rs);
            const perRepo = a.repos.map((r) => `${r.repo} ${r.ndcg10.toFixed(3)}`).join(", ");
            table.push(`${set.padEnd(10)} ${key.padEnd(24)} ${a.repoMean.ndcg10.toFixed(3)}  (query mean ${a.queryMean.ndcg10.toFixed(3)}; ${perRepo})`);
            say(table.at(-1));
        }
    }
    if (args.dump) writeFileSync(args.dump, JSON.stringify(dump));
    say("\nset        mode/variant             NDCG@10 repo mean");
    for (const line of table) say(line);
}

main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
});
