/**
 * The semble set: its annotated repos (whatever checkouts --repos-dir holds), scored with semble's metric.
 * Repos whose targets are mostly absent from the checkout (e.g. an old branch) are left out of the figures and
 * listed, since their numbers would measure the checkout, not the search.
 */
import { coverageOf } from "../lib/coverage.mjs";
import { runQualitySet } from "../lib/qualitySet.mjs";
import { DEFAULT_SEMBLE_DIR, loadUnits } from "./data.mjs";

/**
 * @param {{ reposDir:string, sembleDir?:string, only?:string[], systems:string[], minCoverage?:number,
 *           threads?:number, log?:string, fresh?:boolean, worst?:number, progress?:(m:string)=>void }} opts
 */
export async function runSembleSet(opts) {
    const all = loadUnits({ reposDir: opts.reposDir, sembleDir: opts.sembleDir ?? DEFAULT_SEMBLE_DIR, only: opts.only });
    const coverageAll = coverageOf(all);
    const minCoverage = opts.minCoverage ?? 0.5;
    const excluded = all
        .filter((u) => {
            const c = coverageAll.perUnit[u.name];
            return c.targets > 0 && c.indexed / c.targets < minCoverage;
        })
        .map((u) => ({ repo: u.name, coverage: `${coverageAll.perUnit[u.name].indexed}/${coverageAll.perUnit[u.name].targets}` }));
    const units = all.filter((u) => !excluded.some((e) => e.repo === u.name));
    const coverage = coverageOf(units);
    opts.progress?.(`[semble] ${units.length} repos, ${units.reduce((a, u) => a + u.tasks.length, 0)} queries; excluded for coverage < ${minCoverage}: ${excluded.map((e) => e.repo).join(", ") || "none"}`);
    const { runs, worst } = await runQualitySet("semble", units, opts.systems, opts);
    return { units, coverage, excluded, runs, worst };
}
