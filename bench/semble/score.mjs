/**
 * semble's retrieval metric, reproduced exactly (MinishLab/semble benchmarks/data.py + bench_hybrid.py):
 * - a result matches a target when the paths are equal or either one ends with "/" + the other
 *   (result paths are relative to the indexed folder, targets mostly to the repo root), and, when the target has
 *   a line span, the result's lines overlap it;
 * - a target's rank is the rank of the first matching result; a rank hit by two targets counts once;
 * - NDCG@k = DCG / IDCG with binary gains, IDCG over min(k, number of targets) ones;
 * - headline = mean over repos of each repo's query mean; a category's figure = mean over the repos that have it.
 * MRR@10 (first matching rank) and Recall@10 (share of targets found in the top 10) are added on the same matching.
 */

/** Normalised path: forward slashes, no leading "./". */
function norm(p) {
    return p.replace(/\\/g, "/").replace(/^\.\//, "");
}

/** semble's path rule: equal, or either path is a "/"-suffix of the other. */
export function pathMatches(resultPath, targetPath) {
    const r = norm(resultPath);
    const t = norm(targetPath);
    return r === t || r.endsWith(`/${t}`) || t.endsWith(`/${r}`);
}

/** Path match plus line-span overlap when the target has a span. */
export function targetMatches(result, target) {
    if (!pathMatches(result.path, target.path)) return false;
    if (target.startLine == null || target.endLine == null) return true;
    return !(result.endLine < target.startLine || result.startLine > target.endLine);
}

/** 1-based rank of the first result matching the target within the top k, or undefined. */
export function targetRank(results, target, k = 10) {
    const n = Math.min(k, results.length);
    for (let i = 0; i < n; i++) if (targetMatches(results[i], target)) return i + 1;
    return undefined;
}

function dcg(gains) {
    let s = 0;
    for (let i = 0; i < gains.length; i++) s += gains[i] / Math.log2(i + 2);
    return s;
}

/** NDCG@k from 1-based ranks of found targets and the number of targets (binary gains). */
export function ndcgAtK(ranks, nRelevant, k) {
    if (nRelevant <= 0) return 0;
    const gains = new Array(k).fill(0);
    for (const r of ranks) if (r >= 1 && r <= k) gains[r - 1] = 1;
    const ideal = dcg(new Array(Math.min(k, nRelevant)).fill(1));
    return ideal > 0 ? dcg(gains) / ideal : 0;
}

/**
 * Scores one query's ranked results against its targets.
 * @param {Array<{path:string,startLine:number,endLine:number}>} results ranked hits
 * @param {Array<{path:string,startLine?:number,endLine?:number}>} targets relevant + secondary
 * @param {{ nRelevant?: number }} [opts] IDCG size override (semble's later code counts only indexed targets)
 */
export function scoreQuery(results, targets, opts = {}) {
    const ranks = [];
    for (const t of targets) {
        const r = targetRank(results, t, 10);
        if (r !== undefined) ranks.push(r);
    }
    const n = opts.nRelevant ?? targets.length;
    const first = ranks.length ? Math.min(...ranks) : undefined;
    return {
        ndcg10: ndcgAtK(ranks, n, 10),
        ndcg5: ndcgAtK(ranks, n, 5),
        mrr10: first ? 1 / first : 0,
        recall10: n > 0 ? Math.min(1, ranks.length / n) : 0,
        ranks,
    };
}

const METRICS = ["ndcg10", "ndcg5", "mrr10", "recall10"];

function mean(xs) {
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

function meanOf(rows) {
    const out = { n: rows.length };
    for (const m of METRICS) out[m] = mean(rows.map((r) => r[m]));
    return out;
}

/**
 * Aggregates scored queries. Each row: { repo, language, category, ndcg10, ndcg5, mrr10, recall10 }.
 * Returns query means and repo means overall, per category and per language (semble's headline is repoMean).
 */
export function aggregate(rows) {
    const repos = [...groupBy(rows, (r) => r.repo).entries()].map(([repo, rs]) => ({
        repo,
        language: rs[0].language,
        ...meanOf(rs),
        byCategory: catMeans(rs),
    }));
    const summary = summarizeRepos(repos);
    const byCategory = {};
    for (const [c, rs] of groupBy(rows, (r) => r.category)) byCategory[c] = { queryMean: meanOf(rs), repoMean: summary.byCategory[c] };
    const byLanguage = {};
    for (const [l, rs] of groupBy(rows, (r) => r.language)) byLanguage[l] = { queryMean: meanOf(rs), repoMean: summary.byLanguage[l] };
    return { queries: rows.length, queryMean: meanOf(rows), repoMean: summary.repoMean, byCategory, byLanguage, repos };
}

/**
 * semble's repo-level aggregation: each figure is a mean of per-repo means (a category over the repos that have
 * it, a language over its repos). repos: [{ repo, language, ndcg10, ..., byCategory: { c: { ndcg10, ... } } }].
 */
export function summarizeRepos(repos) {
    const repoMeanOf = (rs) => {
        const out = { repos: rs.length };
        for (const m of METRICS) out[m] = mean(rs.map((r) => r[m]).filter((v) => v !== undefined));
        return out;
    };
    const categories = [...new Set(repos.flatMap((r) => Object.keys(r.byCategory ?? {})))].sort();
    const languages = [...new Set(repos.map((r) => r.language))].sort();
    return {
        repoMean: repoMeanOf(repos),
        byCategory: Object.fromEntries(categories.map((c) => [c, repoMeanOf(repos.filter((r) => r.byCategory?.[c]).map((r) => r.byCategory[c]))])),
        byLanguage: Object.fromEntries(languages.map((l) => [l, repoMeanOf(repos.filter((r) => r.language === l))])),
    };
}

function catMeans(rows) {
    const out = {};
    for (const [c, rs] of groupBy(rows, (r) => r.category)) out[c] = meanOf(rs);
    return out;
}

function groupBy(xs, key) {
    const m = new Map();
    for (const x of xs) {
        const k = key(x);
        if (!m.has(k)) m.set(k, []);
        m.get(k).push(x);
    }
    return m;
}
