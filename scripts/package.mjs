// `npm run package [-- --target linux-x64] [--out file.vsix] [--no-build]`
// Builds the production bundle, runs the prepackage check, packages a platform-specific VSIX with @vscode/vsce from
// the .vscodeignore allow-list, then opens the VSIX and verifies what went in (and what must not have).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import { ortBinDir, parseTarget, prepackageProblems } from "./prepackage-check.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MiB = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

function parseArgs(argv) {
    const opts = { target: "linux-x64", out: undefined, build: true };
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--target") opts.target = argv[++i];
        else if (argv[i] === "--out") opts.out = resolve(argv[++i]);
        else if (argv[i] === "--no-build") opts.build = false;
        else throw new Error(`unknown argument ${argv[i]} (use --target <platform-arch>, --out <file>, --no-build)`);
    }
    parseTarget(opts.target);
    return opts;
}

/**
 * .vscodeignore names linux-x64's binary. For another target, the staged copy gets that target's folder and library
 * names, so the allow-list stays the single source of what goes in.
 */
function ignoreTextFor(target) {
    const text = readFileSync(join(REPO, ".vscodeignore"), "utf8");
    if (target === "linux-x64") return text;
    const { platform } = parseTarget(target);
    // The binding links @rpath/libonnxruntime.1.dylib; the package also ships an identical libonnxruntime.1.30.0.dylib.
    const lib = { linux: "libonnxruntime.so*", darwin: "libonnxruntime.1.dylib", win32: "onnxruntime.dll" }[platform];
    return text
        .replaceAll(ortBinDir("linux-x64"), ortBinDir(target))
        .replace(/(bin\/napi-v\d+\/\w+\/\w+\/)libonnxruntime\.so\*/, `$1${lib}`);
}

/** onnxruntime-node and the packages it requires (hoisted or nested), as folders relative to the repo. */
function runtimeDependencyClosure(root = "onnxruntime-node") {
    const seen = new Set();
    const visit = (dir) => {
        if (seen.has(dir)) return;
        seen.add(dir);
        const pkg = JSON.parse(readFileSync(join(REPO, dir, "package.json"), "utf8"));
        for (const name of Object.keys(pkg.dependencies ?? {})) {
            // Node's lookup: the package's own node_modules first, then each parent's.
            let at = dir;
            for (;;) {
                const candidate = join(at, "node_modules", name);
                if (existsSync(join(REPO, candidate, "package.json"))) {
                    visit(candidate);
                    break;
                }
                if (at === "." || at === "") throw new Error(`${dir} needs ${name}, which is not installed: run npm install`);
                at = at.includes("node_modules") ? at.slice(0, at.lastIndexOf("node_modules")).replace(/\/$/, "") || "." : ".";
            }
        }
    };
    visit(join("node_modules", root));
    return [...seen];
}

/**
 * Copies what the VSIX may contain into .e2e/stage-<target>/ and packages from there: vsce matches every file of the
 * folder and of each production dependency against the ignore file, which in the repository means the benchmark
 * caches, .e2e/ and bench-only packages (~25 s); staged, a few hundred files (~5 s). The staged package.json lists
 * only the dependency that ships (onnxruntime-node); the rest is bundled into dist/.
 */
function stage(target) {
    const dir = join(REPO, ".e2e", `stage-${target}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
    const ort = "onnxruntime-node";
    writeFileSync(join(dir, "package.json"), JSON.stringify({ ...pkg, dependencies: { [ort]: pkg.dependencies[ort] } }, null, 2));
    writeFileSync(join(dir, ".vscodeignore"), ignoreTextFor(target));
    const manifest = JSON.parse(readFileSync(join(REPO, "models/manifest.json"), "utf8"));
    const parts = ["README.md", "LICENSE", "CHANGELOG.md", "dist", "media", "models/manifest.json", `models/${manifest.default}`,
        ...runtimeDependencyClosure(ort)];
    const { platform, arch } = parseTarget(target);
    const otherPlatform = (src) => {
        const m = /\/bin\/napi-v\d+\/(\w+)(?:\/(\w+))?/.exec(src);
        return m !== null && (m[1] !== platform || (m[2] !== undefined && m[2] !== arch));
    };
    for (const p of parts) {
        if (!existsSync(join(REPO, p))) continue;
        const from = join(REPO, p);
        // A package's own node_modules is staged separately (only the parts of it in the closure); other platforms'
        // binaries (~240 MB) are not copied at all.
        cpSync(from, join(dir, p), { recursive: true, filter: (src) => src === from || (!src.slice(from.length).includes("/node_modules") && !otherPlatform(src)) });
    }
    return dir;
}

function run(cmd, args, what, cwd = REPO) {
    const t0 = Date.now();
    // stdin from /dev/null: vsce asks y/N questions and would wait forever without a terminal.
    const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status})`);
    console.log(`[package] ${what}: ${Date.now() - t0} ms`);
}

/** Opens the VSIX and checks it holds the run-time files and nothing that must stay out. Returns the entry sizes. */
export function verifyVsix(vsix, target) {
    const all = [];
    // fflate's filter sees every entry with its size: collect them and inflate nothing.
    unzipSync(readFileSync(vsix), { filter: (f) => (all.push({ name: f.name, size: f.originalSize }), false) });
    const has = (n) => all.some((e) => e.name === n);
    const problems = [];
    const binDir = `extension/${ortBinDir(target)}`;
    const manifest = JSON.parse(readFileSync(join(REPO, "models/manifest.json"), "utf8"));
    for (const n of ["extension/package.json", "extension/dist/extension.js", "extension/dist/chunkWorker.js", `${binDir}/onnxruntime_binding.node`,
        "extension/node_modules/onnxruntime-common/dist/cjs/index.js", "extension/models/manifest.json",
        `extension/models/${manifest.default}/model.onnx`, `extension/models/${manifest.default}/tokenizer.json`]) {
        if (!has(n)) problems.push(`missing ${n}`);
    }
    for (const { name } of all) {
        if (name.includes("/bin/napi-") && !name.startsWith(`${binDir}/`)) problems.push(`other platform's binary: ${name}`);
        if (/providers_(cuda|tensorrt)/i.test(name)) problems.push(`GPU provider library: ${name}`);
        if (/\.map$|\.ts$|^extension\/(src|test|bench|out|scripts)\//.test(name)) problems.push(`not a run-time file: ${name}`);
        if (/^extension\/models\//.test(name) && !name.startsWith(`extension/models/${manifest.default}/`) && name !== "extension/models/manifest.json") {
            problems.push(`non-default model file: ${name}`);
        }
    }
    if (problems.length) throw new Error(`the VSIX is wrong:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return all;
}

function summarize(vsix, all) {
    const groups = new Map();
    for (const { name, size } of all) {
        const parts = name.split("/");
        const key = parts[0] !== "extension" ? parts[0] : parts[1] === "node_modules" ? parts.slice(1, 3).join("/") : parts[1];
        groups.set(key, (groups.get(key) ?? 0) + size);
    }
    const rows = [...groups].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${MiB(v).padStart(10)}  ${k}`);
    console.log(`[package] ${vsix}: ${MiB(statSync(vsix).size)} (${all.length} files; uncompressed by part:)\n${rows.join("\n")}`);
}

/** Builds and packages; returns the VSIX path. */
export function packageVsix(argv = []) {
    const opts = parseArgs(argv);
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
    const out = opts.out ?? join(REPO, `${pkg.name}-${opts.target}-${pkg.version}.vsix`);
    if (opts.build) run(process.execPath, ["esbuild.mjs", "--production"], "node esbuild.mjs --production");
    const t = Date.now();
    const dir = stage(opts.target);
    console.log(`[package] staged in ${dir}: ${Date.now() - t} ms`);
    const problems = prepackageProblems({ target: opts.target, ignoreFile: join(dir, ".vscodeignore") });
    if (problems.length) throw new Error(`prepackage check failed (${opts.target}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    const vsce = join(REPO, "node_modules/@vscode/vsce/vsce");
    const args = ["package", "--target", opts.target, "--out", out];
    if (!pkg.repository) args.push("--allow-missing-repository");
    run(process.execPath, [vsce, ...args], `vsce ${args.join(" ")}`, dir);
    summarize(out, verifyVsix(out, opts.target));
    return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    try {
        packageVsix(process.argv.slice(2));
    } catch (err) {
        console.error(`npm run package: ${err.message}`);
        process.exit(1);
    }
}
