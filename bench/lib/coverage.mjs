/**
 * Target coverage: how many annotated targets exist in the checkouts at hand (a checkout at another revision
 * than the pinned one can miss files or shift line spans). Scores are only comparable next to this figure.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const lineCounts = new Map();

function lineCount(file) {
    let n = lineCounts.get(file);
    if (n === undefined) {
        n = readFileSync(file, "utf8").split(/\r?\n/).length;
        lineCounts.set(file, n);
    }
    return n;
}

function isFile(p) {
    try {
        return statSync(p).isFile();
    } catch {
        return false;
    }
}

/**
 * Where a target resolves: under the indexed folder (findable), elsewhere in the checkout (not findable), or absent.
 * Targets are mostly repo-relative, for a few repos relative to the indexed folder: both are tried.
 * @returns {'indexed'|'outside'|'missing'|'spanMissing'}
 */
export function targetState(unit, target) {
    const inRoot = [join(unit.indexRoot, target.path)];
    const rootPrefix = unit.indexRoot.startsWith(`${unit.checkout}/`) ? `${unit.indexRoot.slice(unit.checkout.length + 1)}/` : "";
    if (!rootPrefix || target.path.startsWith(rootPrefix)) inRoot.unshift(join(unit.checkout, target.path));
    const hit = inRoot.find(isFile);
    if (!hit) return isFile(join(unit.checkout, target.path)) ? "outside" : "missing";
    if (target.startLine != null && lineCount(hit) < target.startLine) return "spanMissing";
    return "indexed";
}

/** Counts per state over all targets of the units; per unit as well. */
export function coverageOf(units) {
    const total = { targets: 0, indexed: 0, outside: 0, missing: 0, spanMissing: 0, queries: 0, queriesAllPresent: 0 };
    const perUnit = {};
    for (const u of units) {
        const c = { targets: 0, indexed: 0, outside: 0, missing: 0, spanMissing: 0, queries: u.tasks.length, queriesAllPresent: 0, missingPaths: [] };
        for (const t of u.tasks) {
            let all = true;
            for (const target of t.targets) {
                const s = targetState(u, target);
                c.targets++;
                c[s]++;
                if (s !== "indexed") {
                    all = false;
                    if (c.missingPaths.length < 20) c.missingPaths.push(`${target.path} (${s})`);
                }
            }
            if (all) c.queriesAllPresent++;
        }
        perUnit[u.name] = c;
        for (const k of Object.keys(total)) total[k] += c[k];
    }
    return { ...total, perUnit };
}

export function existsDir(p) {
    return existsSync(p) && statSync(p).isDirectory();
}
