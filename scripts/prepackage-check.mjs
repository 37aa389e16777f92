// Checks, before `vsce package`, that everything the VSIX must carry is there: the bundled JS, the webview assets,
// the native onnxruntime binary for the target platform and the default model's files (checksums verified).
// Fails with one clear line per problem. Usage: node scripts/prepackage-check.mjs [--target linux-x64]
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const rel = (p) => join(REPO, p);
const nonEmpty = (p) => existsSync(rel(p)) && statSync(rel(p)).size > 0;

/** Native file names onnxruntime-node 1.x ships per platform, next to onnxruntime_binding.node. */
const ORT_LIBS = { linux: "libonnxruntime.so.1", darwin: "libonnxruntime.1.dylib", win32: "onnxruntime.dll" };

/** `linux-x64` -> { platform: "linux", arch: "x64" } (the VS Code target names that onnxruntime-node ships). */
export function parseTarget(target) {
    const m = /^(linux|darwin|win32)-(x64|arm64)$/.exec(target);
    if (!m) throw new Error(`unsupported target "${target}" (onnxruntime-node ships linux|darwin|win32 - x64|arm64)`);
    return { platform: m[1], arch: m[2] };
}

/** The folder (relative to the repo) that holds onnxruntime-node's binary for a target. */
export function ortBinDir(target) {
    const { platform, arch } = parseTarget(target);
    const pkg = JSON.parse(readFileSync(rel("node_modules/onnxruntime-node/package.json"), "utf8"));
    const napi = Math.max(...(pkg.binary?.napi_versions ?? [6]));
    return `node_modules/onnxruntime-node/bin/napi-v${napi}/${platform}/${arch}`;
}

function sha256(file) {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function checkBundle(problems) {
    if (!nonEmpty("dist/extension.js")) {
        problems.push("dist/extension.js is missing: the production build (node esbuild.mjs --production) failed or did not run");
        return;
    }
    const bundles = readdirSync(rel("dist")).filter((f) => f.endsWith(".js"));
    const text = bundles.map((f) => readFileSync(rel(`dist/${f}`), "utf8")).join("\n");
    // Files the bundles load from their own folder at run time (child processes, workers, wasm).
    for (const f of ["engineProcess.js", "worker.js", "chunkWorker.js", "node-sqlite3-wasm.wasm"]) {
        if (text.includes(f) && !nonEmpty(`dist/${f}`)) problems.push(`dist/${f} is missing but the bundles load it`);
    }
    if (/grammars/.test(text) && !nonEmpty("dist/grammars/tree-sitter.wasm")) {
        problems.push("dist/grammars/tree-sitter.wasm is missing (esbuild.mjs copies the tree-sitter grammars)");
    }
    if (existsSync(rel("media/src/results.ts")) && !nonEmpty("media/dist/results.js")) {
        problems.push("media/dist/results.js (the webview script) is missing");
    }
    if (!nonEmpty("media/dist/codicon.css") || !nonEmpty("media/dist/codicon.ttf")) {
        problems.push("media/dist/codicon.css/.ttf are missing (esbuild.mjs copies them from @vscode/codicons)");
    }
}

function checkNative(problems, target, ignoreText) {
    const { platform, arch } = parseTarget(target);
    const dir = ortBinDir(target);
    const before = problems.length;
    for (const f of ["onnxruntime_binding.node", ORT_LIBS[platform]]) {
        if (!nonEmpty(`${dir}/${f}`)) {
            problems.push(`native binary ${dir}/${f} is missing: run npm install (onnxruntime-node ships its CPU binaries in the npm package)`);
        }
    }
    if (!nonEmpty("node_modules/onnxruntime-common/dist/cjs/index.js")) problems.push("node_modules/onnxruntime-common is missing: run npm install");
    if (ignoreText !== undefined && !ignoreText.includes(`!${dir}/onnxruntime_binding.node`)) {
        problems.push(`the ignore file does not re-include ${dir}/onnxruntime_binding.node`);
    }
    // Load it for real when the target is this machine: a truncated or wrong-arch binary fails here, not in the user's editor.
    if (platform === process.platform && arch === process.arch && problems.length === before) {
        const r = spawnSync(process.execPath, ["-e", "require('onnxruntime-node')"], { cwd: REPO, encoding: "utf8" });
        if (r.status !== 0) problems.push(`onnxruntime-node does not load: ${r.stderr.trim().split("\n").slice(-3).join(" ")}`);
    }
}

function checkModel(problems, ignoreText) {
    if (!existsSync(rel("models/manifest.json"))) {
        problems.push("models/manifest.json is missing");
        return;
    }
    const manifest = JSON.parse(readFileSync(rel("models/manifest.json"), "utf8"));
    const model = manifest.models.find((m) => m.id === manifest.default);
    if (!model) {
        problems.push(`models/manifest.json: default model "${manifest.default}" is not listed`);
        return;
    }
    for (const file of Object.values(model.files)) {
        const p = `models/${model.id}/${file.name}`;
        if (!nonEmpty(p)) problems.push(`model file ${p} is missing: run npm run fetch-model`);
        else if (file.sha256 && sha256(rel(p)) !== file.sha256) problems.push(`model file ${p} does not match its sha256 in models/manifest.json: run npm run fetch-model`);
        if (ignoreText !== undefined && !ignoreText.includes(`!${p}`)) problems.push(`the ignore file does not re-include ${p} (the default model changed?)`);
    }
}

function checkManifest(problems) {
    const pkg = JSON.parse(readFileSync(rel("package.json"), "utf8"));
    for (const k of ["name", "publisher", "version", "main"]) if (!pkg[k]) problems.push(`package.json has no "${k}"`);
    if (!pkg.engines?.vscode) problems.push('package.json has no "engines.vscode"');
    if (!existsSync(rel("LICENSE"))) problems.push("LICENSE is missing (vsce asks for one)");
}

/**
 * Returns the problems that would make a broken VSIX for `target` (empty when it is fine to package).
 * @param {{ target?: string, ignoreFile?: string }} opts
 */
export function prepackageProblems({ target = "linux-x64", ignoreFile = rel(".vscodeignore") } = {}) {
    const problems = [];
    const ignoreText = existsSync(ignoreFile) ? readFileSync(ignoreFile, "utf8") : undefined;
    if (ignoreText === undefined) problems.push(`${ignoreFile} is missing (the VSIX allow-list)`);
    checkManifest(problems);
    checkBundle(problems);
    checkNative(problems, target, ignoreText);
    checkModel(problems, ignoreText);
    return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const i = process.argv.indexOf("--target");
    const target = i > 0 ? process.argv[i + 1] : "linux-x64";
    const problems = prepackageProblems({ target });
    if (problems.length) {
        console.error(`prepackage check failed (${target}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        process.exit(1);
    }
    console.log(`prepackage check ok (${target})`);
}
