// Builds the extension bundle and the compiled tests only when their sources are newer than the outputs,
// so `npm start` and the test launchers are quick on a second run.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./codeServer.mjs";

/** Newest modification time (ms) of the files under `paths` (files or folders, relative to the repo). */
function newestMtime(paths) {
    let newest = 0;
    const visit = (p) => {
        let st;
        try {
            st = statSync(p);
        } catch {
            return;
        }
        if (st.isDirectory()) {
            for (const e of readdirSync(p)) if (e !== "node_modules" && e !== "dist") visit(join(p, e));
        } else newest = Math.max(newest, st.mtimeMs);
    };
    for (const p of paths) visit(join(REPO, p));
    return newest;
}

const mtime = (rel) => (existsSync(join(REPO, rel)) ? statSync(join(REPO, rel)).mtimeMs : 0);

function run(cmd, args, what, { allowFail = false } = {}) {
    const t0 = Date.now();
    const r = spawnSync(cmd, args, { cwd: REPO, stdio: "inherit" });
    if (r.status !== 0 && !allowFail) throw new Error(`${what} failed (exit ${r.status})`);
    console.log(`[build] ${what}: ${Date.now() - t0} ms${r.status !== 0 ? ` (exit ${r.status})` : ""}`);
    return r.status;
}

const BUNDLE_SOURCES = ["src", "media/src", "esbuild.mjs", "package.json"];

/** `node esbuild.mjs` (development build) unless dist/extension.js is newer than every source. */
export function ensureBundle({ force = false } = {}) {
    if (!force && mtime("dist/extension.js") > newestMtime(BUNDLE_SOURCES)) return;
    run(process.execPath, ["esbuild.mjs"], "node esbuild.mjs");
    if (!existsSync(join(REPO, "dist/extension.js"))) throw new Error("the build did not produce dist/extension.js");
}

/** `node esbuild.mjs --production`: minified, no source maps (what the VSIX ships). */
export function productionBundle() {
    run(process.execPath, ["esbuild.mjs", "--production"], "node esbuild.mjs --production");
}

/**
 * Compiles src/ + test/ with tsc (to out/) unless `output` is newer than the sources. tsc emits even when another
 * module has type errors, so a non-zero exit only fails here when `output` was not produced.
 */
export function ensureCompiledTests(output) {
    if (existsSync(output) && statSync(output).mtimeMs > newestMtime(["src", "test/integration", "tsconfig.json"])) return;
    const tsc = join(REPO, "node_modules/typescript/bin/tsc");
    const status = run(process.execPath, [tsc, "-p", "tsconfig.json"], "tsc -p tsconfig.json", { allowFail: true });
    if (!existsSync(output)) throw new Error(`tsc (exit ${status}) did not produce ${output}`);
}
