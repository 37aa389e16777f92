/**
 * Runs retrieval systems over benchmark units and scores every query with semble's metric.
 * A unit: { name, language, checkout, indexRoot, tasks: [{ id, query, category, targets, task? }] }.
 */
import { buildFolderIndex } from "./bm25.mjs";
import { isCodeFile } from "./walk.mjs";
import { rmSync } from "node:fs";
import { indexDirFor, seekIndex, seekSearch } from "./seekCli.mjs";
import { aggregate, scoreQuery } from "../semble/score.mjs";

/** Kept per hit in the rankings file: enough to see what came back. */
function slimHit(h) {
    const out = { path: h.path, startLine: h.startLine, endLine: h.endLine };
    if (h.score !== undefined) out.score = h.score;
    if (h.symbol) out.symbol = h.symbol;
    if (h.snippet) out.firstLine = h.snippet.split("\n").find((l) => l.trim() !== "")?.trim().slice(0, 120);
    return out;
}

function scoreUnit(unit, resultsById, rows, rankings) {
    for (const t of unit.tasks) {
        const results = resultsById.get(String(t.id)) ?? [];
        const s = scoreQuery(results, t.targets);
        rows.push({ id: t.id, repo: unit.name, language: unit.language, category: t.category, ...s });
        rankings[t.id] = results.slice(0, 10).map(slimHit);
    }
}

async function runBm25Unit(unit) {
    const started = performance.now();
    // Docs units hold markdown only, mixed units markdown and code; everywhere else the baseline reads code files.
    const filter = unit.kind === "docs" ? (rel) => rel.endsWith(".md") : unit.kind === "mixed" ? (rel) => rel.endsWith(".md") || isCodeFile(rel) : undefined;
    const { index, files, chunks } = buildFolderIndex(unit.indexRoot, { filter });
    const indexMs = performance.now() - started;
    const searchStarted = performance.now();
    const results = new Map(unit.tasks.map((t) => [String(t.id), index.search(t.query, 10).map((r) => r.doc)]));
    return { results, timing: { indexMs, searchMs: performance.now() - searchStarted, files, chunks } };
}

function keywordStageOnly(indexDir, fresh) {
    if (fresh) rmSync(indexDir, { recursive: true, force: true });
    return { wallMs: 0, status: {}, fresh: true };
}

async function runSeekUnit(dataset, unit, sys, opts) {
    const indexDir = indexDirFor(dataset, unit.name, sys.model, sys.instructions) + (sys.keywordStage ? "-stage1" : "");
    const cliOpts = { indexDir, model: sys.model, instructions: sys.instructions, threads: opts.threads, log: opts.log, noWait: sys.keywordStage };
    // The keyword stage is built by the search itself (`search --no-wait`); `index` would embed every chunk.
    const idx = sys.keywordStage ? keywordStageOnly(indexDir, opts.fresh) : await seekIndex(unit.indexRoot, { ...cliOpts, fresh: opts.fresh && !opts.freshDone?.has(indexDir) });
    opts.freshDone?.add(indexDir);
    const queries = unit.tasks.map((t) => ({ id: t.id, query: t.query, task: t.task ?? sys.task }));
    const s = await seekSearch(unit.indexRoot, queries, { ...cliOpts, mode: sys.mode, top: 10 });
    return {
        results: s.results,
        timing: {
            indexMs: idx.wallMs,
            indexBuilt: idx.fresh || (idx.status.embeddedChunks ?? 0) > 0,
            peakRssKb: idx.peakRssKb,
            searchMs: s.wallMs,
            files: idx.status.files,
            chunks: idx.status.chunks,
            bytesOnDisk: idx.status.bytesOnDisk,
        },
    };
}

/**
 * Runs one system over the units.
 * @param {string} dataset cache namespace (e.g. "semble", "csn-code")
 * @param {any[]} units
 * @param {{kind:string, mode?:string, model?:string, instructions?:boolean, id:string}} sys
 * @param {{ threads?:number, log?:string, fresh?:boolean, freshDone?:Set<string>, onUnit?:(name:string, info:any)=>void }} opts
 * @returns {Promise<{ rows:any[], rankings:Record<string, any[]>, timing:Record<string, any>, errors:Record<string,string>, summary:any }>}
 */
export async function runSystem(dataset, units, sys, opts = {}) {
    const rows = [];
    const rankings = {};
    const timing = {};
    const errors = {};
    for (const unit of units) {
        try {
            const r = sys.kind === "bm25" ? await runBm25Unit(unit) : await runSeekUnit(dataset, unit, sys, opts);
            scoreUnit(unit, r.results, rows, rankings);
            timing[unit.name] = r.timing;
            opts.onUnit?.(unit.name, { ...r.timing, ndcg10: meanNdcg(rows, unit.name) });
        } catch (err) {
            errors[unit.name] = err instanceof Error ? err.message : String(err);
            opts.onUnit?.(unit.name, { error: errors[unit.name] });
        }
    }
    return { rows, rankings, timing, errors, summary: rows.length ? aggregate(rows) : undefined };
}

function meanNdcg(rows, repo) {
    const rs = rows.filter((r) => r.repo === repo);
    return rs.reduce((a, r) => a + r.ndcg10, 0) / Math.max(1, rs.length);
}

/**
 * The n worst queries of a run (lowest NDCG@10, then by repo), each with its targets and the top results.
 */
export function worstQueries(units, run, n = 15, top = 5) {
    const tasks = new Map(units.flatMap((u) => u.tasks.map((t) => [t.id, t])));
    return [...run.rows]
        .sort((a, b) => a.ndcg10 - b.ndcg10 || a.repo.localeCompare(b.repo))
        .slice(0, n)
        .map((r) => ({
            id: r.id,
            repo: r.repo,
            category: r.category,
            ndcg10: r.ndcg10,
            query: tasks.get(r.id)?.query,
            targets: tasks.get(r.id)?.targets.map((t) => (t.startLine ? `${t.path}:${t.startLine}-${t.endLine}` : t.path)),
            got: (run.rankings[r.id] ?? []).slice(0, top).map((h) => `${h.path}:${h.startLine}-${h.endLine}${h.symbol ? ` ${h.symbol}` : ""}`),
        }));
}
