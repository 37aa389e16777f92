/**
 * Calibration of match strength (src/core/search/strength.ts COSINE_SCALES): what cosines a model gives relevant
 * chunks, off-topic queries and code look-alikes, on semble-annotated repos. Prints percentiles and the strength
 * each group gets with the current scales.
 *
 *   npx tsc -p tsconfig.json && node bench/strength.mjs [--model bge-small-en-v1.5-q] [--only flask,chi] [--repos-dir DIR]
 *
 * Groups:
 * - relevant: the first annotated target (relevant or secondary) in a query's hybrid top 10: its cosine and words;
 * - top1: the top hit of every annotated query, relevant or not;
 * - offTopic: the top hit of queries no repo here answers (cooking, geology, nonsense);
 * - similar: the top Find Similar hit for random chunks, and the cosine at the 25% point of all chunks (typical
 *   unrelated code).
 * Indexes go to bench/.cache/strength/<repo>/<model> (the embedding cache makes a second run fast).
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseFlags } from "./lib/args.mjs";
import { BENCH_DIR, REPO_ROOT, loadUnits } from "./semble/data.mjs";
import { pathMatches } from "./semble/score.mjs";

const require = createRequire(import.meta.url);
const { SeekEngine } = require(join(REPO_ROOT, "out/src/core/engine.js"));

const args = parseFlags(process.argv.slice(2));
const model = args.model ?? "bge-small-en-v1.5-q";
const only = (args.only ?? "flask,requests,chi,express,click,gin").split(",");
const reposDir = args.reposDir ?? process.env.SEEK_BENCH_REPOS ?? join(REPO_ROOT, "..", "bench-repos");

const OFF_TOPIC = [
    "qwzx plorf blenk xyzzy",
    "recipe for chocolate cake with strawberries",
    "mating habits of emperor penguins in antarctica",
    "medieval castle siege tactics",
    "how to tune the strings of a guitar",
    "tax rules for stock dividends",
    "knitting pattern for a wool scarf",
    "temperature of lava in a volcano eruption",
    "best hiking trails in the swiss alps",
    "symptoms of the common cold in children",
    "who won the football world cup in 1998",
    "how do bees make honey",
    "watering schedule for tomato plants",
    "the plot of hamlet by shakespeare",
    "zebra stripes camouflage evolution",
];

const pct = (xs, q) => {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};
const summary = (name, xs) =>
    `${name.padEnd(22)} n=${String(xs.length).padStart(4)}  p10 ${pct(xs, 0.1).toFixed(3)}  p25 ${pct(xs, 0.25).toFixed(3)}  ` +
    `p50 ${pct(xs, 0.5).toFixed(3)}  p75 ${pct(xs, 0.75).toFixed(3)}  p90 ${pct(xs, 0.9).toFixed(3)}`;

const groups = { relevantCos: [], relevantWords: [], relevantStrength: [], top1Cos: [], top1Strength: [], offTopicCos: [], offTopicWords: [], offTopicStrength: [], similarTop1: [], similarP75: [], similarTop1Strength: [] };
let found = 0;
let asked = 0;

const units = loadUnits({ reposDir, only });
for (const unit of units) {
    const indexDir = join(BENCH_DIR, ".cache", "strength", unit.name, model);
    mkdirSync(indexDir, { recursive: true });
    const engine = await SeekEngine.open({ folder: unit.indexRoot, indexDir, model, threads: 2 });
    try {
        const t0 = Date.now();
        for await (const _ of engine.run()) void _;
        const status = engine.status();
        console.error(`${unit.name}: ${status.files} files, ${status.chunks} chunks (${status.embeddedChunks} embedded) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        for (const task of unit.tasks) {
            asked++;
            const { hits } = await engine.search(task.query, { top: 10 });
            if (hits[0]?.strength?.cosine !== undefined) {
                groups.top1Cos.push(hits[0].strength.cosine);
                groups.top1Strength.push(hits[0].strength.value);
            }
            const rel = hits.find((h) => task.targets.some((t) => pathMatches(h.path, t.path)));
            if (rel?.strength?.cosine !== undefined) {
                found++;
                groups.relevantCos.push(rel.strength.cosine);
                groups.relevantWords.push(rel.strength.wordsTotal ? rel.strength.wordsMatched / rel.strength.wordsTotal : 0);
                groups.relevantStrength.push(rel.strength.value);
            }
        }
        for (const q of OFF_TOPIC) {
            const { hits } = await engine.search(q, { top: 10 });
            const s = hits[0]?.strength;
            if (s?.cosine === undefined) continue;
            groups.offTopicCos.push(s.cosine);
            groups.offTopicWords.push(s.wordsTotal ? s.wordsMatched / s.wordsTotal : 0);
            groups.offTopicStrength.push(s.value);
            if (q === OFF_TOPIC[0]) console.error(`  nonsense top hit: ${hits[0].path}:${hits[0].startLine} strength ${s.value} cos ${s.cosine.toFixed(3)}`);
        }
        // Find Similar from the first annotated target of a few queries (a chunk someone cared about).
        for (const task of unit.tasks.slice(0, 10)) {
            const t = task.targets[0];
            const root = unit.spec.benchmarkRoot ? `${unit.spec.benchmarkRoot}/` : "";
            const path = t.path.startsWith(root) ? t.path.slice(root.length) : t.path;
            let out;
            try {
                out = await engine.similar({ path, startLine: t.startLine ?? 1 }, { top: 1000 });
            } catch {
                continue;
            }
            const cos = out.hits.map((h) => h.strength?.cosine).filter((c) => c !== undefined);
            if (cos.length === 0) continue;
            groups.similarTop1.push(cos[0]);
            groups.similarTop1Strength.push(out.hits[0].strength.value);
            const at = Math.floor(0.25 * status.chunks);
            if (at < cos.length) groups.similarP75.push(cos[at]);
        }
    } finally {
        await engine.close();
    }
}

console.log(`model ${model}; repos ${units.map((u) => u.name).join(", ")}; ${found}/${asked} queries have an annotated target in the top 10`);
console.log(summary("relevant cosine", groups.relevantCos));
console.log(summary("relevant words share", groups.relevantWords));
console.log(summary("relevant strength", groups.relevantStrength));
console.log(summary("top-1 cosine", groups.top1Cos));
console.log(summary("top-1 strength", groups.top1Strength));
console.log(summary("off-topic top-1 cosine", groups.offTopicCos));
console.log(summary("off-topic words share", groups.offTopicWords));
console.log(summary("off-topic strength", groups.offTopicStrength));
console.log(summary("similar top-1 cosine", groups.similarTop1));
console.log(summary("similar top-1 strength", groups.similarTop1Strength));
console.log(summary("similar p75 of chunks", groups.similarP75));
