/** Markdown tables for the terminal and for bench/RESULTS.md. */

const f3 = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(3));

export function mdTable(header, rows) {
    const widths = header.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
    return [line(header), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.map(line)].join("\n");
}

/**
 * One row per system: repo-mean NDCG@10 (semble's headline), query-mean NDCG@10, MRR@10, Recall@10 (repo means),
 * then repo-mean NDCG@10 per category.
 * @param {Array<{ label:string, summary:any }>} runs
 */
export function qualityTable(runs) {
    const categories = [...new Set(runs.flatMap((r) => Object.keys(r.summary?.byCategory ?? {})))].sort();
    const header = ["System", "NDCG@10 (repo mean)", "NDCG@10 (query mean)", "MRR@10", "Recall@10", ...categories.map((c) => `${c}`)];
    const rows = runs.map((r) => {
        const s = r.summary;
        if (!s) return [r.label, "failed", "", "", "", ...categories.map(() => "")];
        return [
            r.label,
            f3(s.repoMean.ndcg10),
            f3(s.queryMean.ndcg10),
            f3(s.repoMean.mrr10),
            f3(s.repoMean.recall10),
            ...categories.map((c) => f3(s.byCategory[c]?.repoMean.ndcg10)),
        ];
    });
    return mdTable(header, rows);
}

/** Repo-mean NDCG@10 per language, one row per system. */
export function languageTable(runs) {
    const langs = [...new Set(runs.flatMap((r) => Object.keys(r.summary?.byLanguage ?? {})))].sort();
    const header = ["System", ...langs];
    const rows = runs.map((r) => [r.label, ...langs.map((l) => f3(r.summary?.byLanguage[l]?.repoMean.ndcg10))]);
    return mdTable(header, rows);
}

/** Per-repo NDCG@10, one column per system. */
export function repoTable(runs) {
    const repos = [...new Set(runs.flatMap((r) => (r.summary?.repos ?? []).map((x) => x.repo)))];
    const header = ["Repo", ...runs.map((r) => r.label)];
    const rows = repos.map((repo) => [repo, ...runs.map((r) => f3(r.summary?.repos.find((x) => x.repo === repo)?.ndcg10))]);
    return mdTable(header, rows);
}

export function coverageLine(cov) {
    const pct = cov.targets ? ((100 * cov.indexed) / cov.targets).toFixed(1) : "0";
    return `targets present under the indexed folders: ${cov.indexed}/${cov.targets} (${pct}%); outside the indexed folder ${cov.outside}, missing ${cov.missing}, span beyond file ${cov.spanMissing}; queries with every target present ${cov.queriesAllPresent}/${cov.queries}`;
}

export function worstText(worst) {
    return worst
        .map((w) => [`- [${w.repo} ${w.category}] ndcg=${w.ndcg10.toFixed(2)} "${w.query}"`, `    want: ${w.targets.join(", ")}`, ...w.got.map((g, i) => `    ${i + 1}. ${g}`)].join("\n"))
        .join("\n");
}
