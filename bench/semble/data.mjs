/**
 * The semble benchmark's data: repo specs (repos.json) and per-repo annotations, loaded the way semble's
 * benchmarks/data.py loads them (category inferred when missing; relevant + secondary both count).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = resolve(BENCH_DIR, "..");

/** The benchmark data lives outside this repo (its licence travels with it); override with SEEK_SEMBLE_DIR. */
export const DEFAULT_SEMBLE_DIR = process.env.SEEK_SEMBLE_DIR || resolve(REPO_ROOT, "../shared/bench/semble");

/**
 * Fixed iteration subset: small repos across 7 languages, so `--quick` stays well under 15 minutes on 2 cores.
 * Chosen once by checkout size; do not change it casually (numbers across runs must stay comparable).
 */
export const QUICK_REPOS = ["click", "flask", "chi", "cobra", "gin", "express", "axios", "httpx"];

/** semble's rule for a query without a category. */
export function inferCategory(query) {
    const q = query.trim();
    if (!q.includes(" ")) return "symbol";
    const lower = q.toLowerCase();
    return lower.startsWith("how ") ? "architecture" : "semantic";
}

/** A target as `{ path, startLine?, endLine? }` (1-based inclusive lines). */
export function parseTarget(raw) {
    if (typeof raw === "string") return { path: raw };
    const t = { path: String(raw.path) };
    if (raw.start_line != null && raw.end_line != null) {
        t.startLine = Number(raw.start_line);
        t.endLine = Number(raw.end_line);
    }
    return t;
}

/** @returns {Array<{name:string, language:string, url:string, revision:string, benchmarkRoot:string|null}>} */
export function loadRepoSpecs(sembleDir = DEFAULT_SEMBLE_DIR) {
    const raw = JSON.parse(readFileSync(join(sembleDir, "repos.json"), "utf8"));
    return raw.map((r) => ({
        name: r.name,
        language: r.language,
        url: r.url,
        revision: r.revision,
        benchmarkRoot: r.benchmark_root ?? null,
    }));
}

/**
 * Queries of one repo, each with all targets (relevant then secondary) and its category.
 * @returns {Array<{id:string, query:string, category:string, targets:Array<{path:string,startLine?:number,endLine?:number}>}>}
 */
export function loadTasks(name, sembleDir = DEFAULT_SEMBLE_DIR) {
    const file = join(sembleDir, "annotations", `${name}.json`);
    if (!existsSync(file)) return [];
    const raw = JSON.parse(readFileSync(file, "utf8"));
    return raw.map((item, i) => ({
        id: `${name}#${i}`,
        query: item.query,
        category: typeof item.category === "string" ? item.category : inferCategory(item.query),
        targets: [...(item.relevant ?? []), ...(item.secondary ?? [])].map(parseTarget),
    }));
}

/**
 * The benchmark units present under reposDir (one checkout per repo name), filtered by name.
 * indexRoot is what gets indexed: the checkout's benchmark_root subfolder, or the checkout itself.
 */
export function loadUnits({ reposDir, sembleDir = DEFAULT_SEMBLE_DIR, only }) {
    const specs = loadRepoSpecs(sembleDir);
    const wanted = only && only.length ? new Set(only) : undefined;
    const units = [];
    for (const spec of specs) {
        if (wanted && !wanted.has(spec.name)) continue;
        const checkout = join(reposDir, spec.name);
        if (!existsSync(checkout)) continue;
        const indexRoot = spec.benchmarkRoot ? join(checkout, spec.benchmarkRoot) : checkout;
        if (!existsSync(indexRoot)) continue;
        units.push({ name: spec.name, language: spec.language, checkout, indexRoot, spec, tasks: loadTasks(spec.name, sembleDir) });
    }
    return units;
}
