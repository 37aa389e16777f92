/** Real text for the speed benches: code windows from benchmark checkouts (or this repo when none are there). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listFiles } from "../lib/walk.mjs";
import { REPO_ROOT } from "../semble/data.mjs";

const SOURCES = ["click/src/click", "gin", "express/lib", "flask/src/flask", "cobra", "axios/lib"];

/**
 * n code chunks of ~`lines` lines (non-blank), taken round-robin from a few repos, deterministic.
 * @param {string} reposDir
 * @param {number} n
 * @param {number} [lines]
 */
export function sampleTexts(reposDir, n, lines = 30) {
    const roots = SOURCES.map((s) => join(reposDir, s)).filter((p) => existsSync(p));
    if (!roots.length) roots.push(join(REPO_ROOT, "src"));
    const pools = roots.map((root) => {
        const out = [];
        for (const rel of listFiles(root)) {
            const text = readFileSync(join(root, rel), "utf8").split("\n");
            for (let i = 0; i + 5 < text.length; i += lines) {
                const chunk = text.slice(i, i + lines).join("\n");
                if (chunk.trim().length > 40) out.push(chunk);
            }
        }
        return out;
    });
    const texts = [];
    for (let i = 0; texts.length < n && i < 1e6; i++) {
        const pool = pools[i % pools.length];
        const t = pool[Math.floor(i / pools.length) % Math.max(1, pool.length)];
        if (t) texts.push(t);
    }
    return texts;
}
