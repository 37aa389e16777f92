// Bundles the extension, the CLI, the inference and chunking workers and the webview script.
// Usage: node esbuild.mjs [--production] [--watch]
import { context } from "esbuild";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

/** Prints errors in the `file:line:col: error: text` form VS Code's $esbuild-watch problem matcher reads. */
const problemMatcher = {
    name: "problem-matcher",
    setup(build) {
        // The start/finish lines are for the watch task's problem matcher; a one-off build (npm install) stays quiet.
        build.onStart(() => {
            if (watch) console.log("[watch] build started");
        });
        build.onEnd((result) => {
            for (const { text, location } of result.errors) {
                console.error(`✘ [ERROR] ${text}`);
                if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
            }
            if (watch) console.log("[watch] build finished");
        });
    },
};

/** Copies runtime assets the bundles load from disk: tree-sitter grammars and codicons. */
function copyAssets() {
    const wasmDir = join(dirname(require.resolve("@vscode/tree-sitter-wasm/package.json")), "wasm");
    mkdirSync("dist/grammars", { recursive: true });
    cpSync(wasmDir, "dist/grammars", { recursive: true, filter: (src) => !src.endsWith(".d.ts") });
    // node-sqlite3-wasm loads its .wasm from the bundle's own folder (__dirname = dist/).
    cpSync(require.resolve("node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm"), "dist/node-sqlite3-wasm.wasm");
    const codicons = join(dirname(require.resolve("@vscode/codicons/package.json")), "dist");
    mkdirSync("media/dist", { recursive: true });
    for (const f of ["codicon.css", "codicon.ttf"]) cpSync(join(codicons, f), join("media/dist", f));
}

const nodeCommon = {
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    // The native binding cannot be bundled; `vscode` is provided by the host.
    external: ["vscode", "onnxruntime-node"],
    logLevel: "silent",
    plugins: [problemMatcher],
};

const entries = [
    { ...nodeCommon, entryPoints: ["src/extension.ts"], outfile: "dist/extension.js" },
    { ...nodeCommon, entryPoints: ["src/cli.ts"], outfile: "dist/cli.js", banner: { js: "#!/usr/bin/env node" } },
    { ...nodeCommon, entryPoints: ["src/core/embed/worker.ts"], outfile: "dist/worker.js" },
    // The keyword stage's chunking worker (src/core/chunk/chunkWorkerClient.ts looks for it beside the bundle).
    { ...nodeCommon, entryPoints: ["src/core/chunk/chunkWorker.ts"], outfile: "dist/chunkWorker.js" },
    // The engine child process the extension forks (src/engineHost/engineClient.ts): core + store + indexer.
    { ...nodeCommon, entryPoints: ["src/engineHost/engineProcess.ts"], outfile: "dist/engineProcess.js" },
];
/** A webview script: one browser bundle per page, built only when its source exists. */
function webviewEntry(entry, outfile) {
    if (!existsSync(entry)) return;
    entries.push({
        bundle: true,
        format: "iife",
        platform: "browser",
        target: "es2022",
        minify: production,
        sourcemap: !production,
        sourcesContent: false,
        logLevel: "silent",
        plugins: [problemMatcher],
        entryPoints: [entry],
        outfile,
    });
}
webviewEntry("media/src/results.ts", "media/dist/results.js");
// Seek: Show Index Status (views/indexStatusView.ts): its own small page, so it does not load the results UI.
webviewEntry("media/src/indexStatus.ts", "media/dist/indexStatus.js");

copyAssets();
const contexts = await Promise.all(
    entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => context(e)),
);
if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
} else {
    const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
    const failed = results.filter((r) => r.status === "rejected");
    if (failed.length > 0) {
        for (const f of failed) console.error(f.reason?.message ?? f.reason);
        process.exit(1);
    }
}
