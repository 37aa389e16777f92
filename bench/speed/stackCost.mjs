#!/usr/bin/env node
/**
 * What the ranking stack costs per query: hybrid search on one store with every rule on and with every rule off,
 * interleaved query by query in one process (paired, so background load hits both alike). Query encoding included.
 *
 *   node bench/speed/stackCost.mjs --store DIR [--model id] [--rounds 3]
 * (stores: the synthetic ones bench/speed/latency.mjs builds under bench/.cache/speed/scale-<model>-<n>)
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseFlags } from "../lib/args.mjs";
import { CACHE_DIR } from "../lib/seekCli.mjs";
import { loadCore, percentile } from "./core.mjs";
import { LATENCY_QUERIES } from "./latency.mjs";

const args = parseFlags(process.argv.slice(2));
const { SeekEngine } = loadCore();
const empty = join(CACHE_DIR, "speed", "empty-folder");
mkdirSync(empty, { recursive: true });
const engine = await SeekEngine.open({ folder: empty, indexDir: args.store, model: args.model ?? "bge-small-en-v1.5-q", readOnly: true });
const variants = [
    ["stack", {}],
    ["rules off", { disabledRules: ["fileCoherence", "exactSymbol", "pathMatch", "pathPriors", "saturation", "sameFile"] }],
];
const times = new Map(variants.map(([name]) => [name, []]));
try {
    for (const q of LATENCY_QUERIES) await engine.search(q, { mode: "hybrid" });
    for (let r = 0; r < Number(args.rounds ?? 3); r++) {
        for (const q of LATENCY_QUERIES) {
            // Alternate which variant goes first, so neither always runs on a warmer cache.
            for (const [name, rankConfig] of r % 2 ? variants : [...variants].reverse()) {
                const t = performance.now();
                await engine.search(q, { mode: "hybrid", top: 10, rankConfig });
                times.get(name).push(performance.now() - t);
            }
        }
    }
} finally {
    await engine.close();
}
const on = times.get("stack");
const off = times.get("rules off");
for (const [name, xs] of times) process.stdout.write(`${name}: p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms (n ${xs.length})\n`);
process.stdout.write(`paired difference (stack - rules off): median ${percentile(on.map((t, i) => t - off[i]), 50).toFixed(2)} ms\n`);
