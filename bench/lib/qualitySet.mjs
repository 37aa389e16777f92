/** Runs a list of systems over one set of units, in index-sharing order, and keeps what the report needs. */
import { indexKey, parseSystem } from "./systems.mjs";
import { runSystem, worstQueries } from "./evaluate.mjs";

/**
 * @param {string} dataset cache namespace
 * @param {any[]} units
 * @param {string[]} systemIds
 * @param {{ threads?:number, log?:string, fresh?:boolean, worst?:number, progress?:(msg:string)=>void }} opts
 */
export async function runQualitySet(dataset, units, systemIds, opts = {}) {
    const systems = systemIds.map(parseSystem);
    // Systems sharing an index run back to back, so each index is built once per unit.
    const order = [...systems].sort((a, b) => indexKey(a).localeCompare(indexKey(b)));
    const byId = new Map();
    const freshDone = new Set();
    for (const sys of order) {
        const started = performance.now();
        opts.progress?.(`[${dataset}] ${sys.label}: ${units.length} units`);
        const run = await runSystem(dataset, units, sys, {
            threads: opts.threads,
            log: opts.log,
            fresh: opts.fresh,
            freshDone,
            onUnit: (name, info) =>
                opts.progress?.(
                    info.error
                        ? `  ${name}: ERROR ${info.error.split("\n")[0]}`
                        : `  ${name}: ndcg@10 ${info.ndcg10.toFixed(3)}  ${info.files ?? "?"} files, ${info.chunks ?? "?"} chunks, index ${(info.indexMs / 1000).toFixed(1)}s, search ${(info.searchMs / 1000).toFixed(1)}s`,
                ),
        });
        byId.set(sys.id, { ...sys, ...run, wallMs: performance.now() - started });
    }
    const runs = systems.map((s) => byId.get(s.id));
    const worst = {};
    for (const r of runs) if (r.kind === "seek" && r.mode === "hybrid" && r.rows.length) worst[r.id] = worstQueries(units, r, opts.worst ?? 15);
    return { runs, worst };
}

/** The part of a run that goes into the results JSON (rankings are written separately). */
export function runForJson(r) {
    return { id: r.id, label: r.label, summary: r.summary, timing: r.timing, errors: r.errors, wallMs: r.wallMs };
}
