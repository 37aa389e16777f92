/**
 * Access to Seek's compiled core (out/src/core, from `npx tsc -p tsconfig.json`) for the in-process speed benches.
 * Only the public facade and store API are used, plus the store's identity (read off the engine), so a synthetic
 * index opens under exactly the identity the engine expects.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { REPO_ROOT } from "../semble/data.mjs";

const require = createRequire(import.meta.url);
const OUT = join(REPO_ROOT, "out", "src", "core");

export function coreAvailable() {
    return existsSync(join(OUT, "engine.js")) && existsSync(join(OUT, "store", "indexStore.js"));
}

/** @returns {{ SeekEngine: any, IndexStore: any }} */
export function loadCore() {
    if (!coreAvailable()) throw new Error(`compiled core not found under ${OUT} (run npx tsc -p tsconfig.json)`);
    const { SeekEngine } = require(join(OUT, "engine.js"));
    const { IndexStore } = require(join(OUT, "store", "indexStore.js"));
    return { SeekEngine, IndexStore };
}

/** The identity the engine opened its store with (needed to open a synthetic store the engine will accept). */
export function engineIdentity(engine) {
    const store = engine.store;
    if (!store?.identity) throw new Error("cannot read the engine's store identity (SeekEngine internals changed)");
    return store.identity;
}

export function engineStore(engine) {
    if (!engine.store) throw new Error("cannot reach the engine's store (SeekEngine internals changed)");
    return engine.store;
}

export function percentile(xs, p) {
    const s = [...xs].sort((a, b) => a - b);
    if (!s.length) return NaN;
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
