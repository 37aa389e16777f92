#!/usr/bin/env node
/**
 * Checks bench/semble/score.mjs against semble's definition:
 * 1. per-query NDCG on hand-worked cases (suffix rules, spans, shared ranks, IDCG size);
 * 2. repo-level aggregation on semble's published result files: their summary figures (headline, per category,
 *    per language) must come out of their own per-repo values. The files hold no per-query rankings, so the
 *    per-query part can only be checked by the worked cases.
 * Exit code 1 on any mismatch.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SEMBLE_DIR } from "./data.mjs";
import { ndcgAtK, pathMatches, scoreQuery, summarizeRepos } from "./score.mjs";

let failures = 0;
function check(label, got, want, tol = 5e-5) {
    const ok = typeof want === "boolean" ? got === want : Math.abs(got - want) <= tol;
    if (!ok) failures++;
    process.stdout.write(`${ok ? "ok  " : "FAIL"} ${label}: ${typeof got === "number" ? got.toFixed(4) : got} (want ${typeof want === "number" ? want.toFixed(4) : want})\n`);
}

function workedCases() {
    const r = (path, startLine = 1, endLine = 50) => ({ path, startLine, endLine });
    check("path equal", pathMatches("a/b.py", "a/b.py"), true);
    check("result under deeper root", pathMatches("/x/pkg/a/b.py", "a/b.py"), true);
    check("target repo-relative, result root-relative", pathMatches("main.py", "pydantic/main.py"), true);
    check("no partial-name suffix", pathMatches("xmain.py", "main.py"), false);
    check("rank 1 of 1", scoreQuery([r("a.py")], [{ path: "a.py" }]).ndcg10, 1);
    check("rank 2 of 1", scoreQuery([r("x.py"), r("a.py")], [{ path: "a.py" }]).ndcg10, 1 / Math.log2(3));
    const shared = scoreQuery([r("a.py")], [{ path: "a.py" }, { path: "pkg/a.py" }]);
    check("two targets on one rank count once", shared.ndcg10, 1 / (1 + 1 / Math.log2(3)));
    check("span miss", scoreQuery([r("a.py", 1, 10)], [{ path: "a.py", startLine: 20, endLine: 30 }]).ndcg10, 0);
    check("span touch", scoreQuery([r("a.py", 1, 20)], [{ path: "a.py", startLine: 20, endLine: 30 }]).ndcg10, 1);
    check("rank 11 ignored", scoreQuery([...Array(10).fill(r("x.py")), r("a.py")], [{ path: "a.py" }]).ndcg10, 0);
    check("IDCG caps at 10", ndcgAtK([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 12, 10), 1);
    check("mrr", scoreQuery([r("x.py"), r("y.py"), r("a.py")], [{ path: "a.py" }]).mrr10, 1 / 3);
    check("recall", scoreQuery([r("a.py")], [{ path: "a.py" }, { path: "b.py" }]).recall10, 0.5);
}

/** semble-hybrid-*.json: { summary: { ndcg10, by_category }, by_language, repos: [{ ndcg10, by_category }] }. */
function hybridFile(file) {
    const d = JSON.parse(readFileSync(file, "utf8"));
    const repos = d.repos.map((x) => ({ repo: x.repo, language: x.language, ndcg10: x.ndcg10, byCategory: wrap(x.by_category) }));
    const s = summarizeRepos(repos);
    check(`${file.split("/").pop()} headline (repo mean, ${repos.length} repos)`, s.repoMean.ndcg10, d.summary.ndcg10);
    for (const [c, v] of Object.entries(d.summary.by_category)) check(`  category ${c}`, s.byCategory[c].ndcg10, v);
    for (const [l, v] of Object.entries(d.by_language)) check(`  language ${l} (${v.repos} repos)`, s.byLanguage[l].ndcg10, v.ndcg10);
}

/** semble-ablations-*.json / coderankembed: { by_mode: { mode: { avg_ndcg10? ... } }, repos: [{ mode, ndcg10 }] }. */
function modesFile(file) {
    const d = JSON.parse(readFileSync(file, "utf8"));
    for (const [mode, summary] of Object.entries(d.by_mode)) {
        const repos = d.repos.filter((x) => x.mode === mode).map((x) => ({ repo: x.repo, language: x.language, ndcg10: x.ndcg10, byCategory: wrap(x.by_category) }));
        const s = summarizeRepos(repos);
        const want = summary.ndcg10 ?? summary.avg_ndcg10;
        process.stdout.write(`info ${file.split("/").pop()} ${mode}: repo mean of ${repos.length} per-repo values ${s.repoMean.ndcg10.toFixed(4)}; file says ${want}\n`);
        for (const [c, v] of Object.entries(summary.by_category ?? {})) {
            process.stdout.write(`info   category ${c}: ${s.byCategory[c]?.ndcg10.toFixed(4)}; file says ${v}\n`);
        }
    }
}

function wrap(byCategory) {
    return Object.fromEntries(Object.entries(byCategory ?? {}).map(([c, v]) => [c, { ndcg10: v }]));
}

workedCases();
const dir = join(process.argv[2] ?? DEFAULT_SEMBLE_DIR, "results");
const hybrid = join(dir, "semble-hybrid-0332378809c5.json");
if (existsSync(hybrid)) hybridFile(hybrid);
for (const f of ["semble-ablations-1ea77add4c1b.json", "semble-ablations-215a04760692.json", "coderankembed-0332378809c5.json"]) {
    if (existsSync(join(dir, f))) modesFile(join(dir, f));
}
process.stdout.write(failures ? `${failures} check(s) failed\n` : "all checks passed\n");
process.exit(failures ? 1 : 0);
