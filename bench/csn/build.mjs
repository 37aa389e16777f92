/**
 * Builds the CodeSearchNet-style sets from npm packages at fixed versions (installed into bench/.cache/csn/npm):
 * - csn-code: query = first sentence of a JSDoc block, target = the declaration it documents; every JSDoc block
 *   that yields a candidate is blanked in the indexed copy (line numbers kept);
 * - csn-docs: query = first sentence of a markdown section, target = the section; that sentence is blanked.
 * - csn-mixed: csn-docs' queries over a folder holding both the package's (blanked) docs and its (blanked) code,
 *   so a ranking that favours code for questions is caught when it buries the docs a question is about.
 * lodash, ramda, date-fns and the Node.js API docs are held out for separate evaluation and never used here.
 * Sampling is seeded, so the same versions always give the same queries.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { listFiles } from "../lib/walk.mjs";
import { CACHE_DIR } from "../lib/seekCli.mjs";
import { blankRanges, extractJsdoc, extractSections } from "./extract.mjs";
import { mulberry32 } from "../lib/random.mjs";

/** Bump when extraction or sampling changes, so cached sets are rebuilt. */
const BUILD_VERSION = 5;
const SEED = 20250601;
const CODE_PER_PACKAGE = 50;
const DOCS_PER_PACKAGE = 60;

export const HELD_OUT = ["lodash", "ramda", "date-fns"];

/** name@version, the folder that is indexed, and what it holds. */
export const CODE_PACKAGES = [
    { pkg: "commander", version: "12.1.0", dir: "lib", language: "javascript" },
    { pkg: "ws", version: "8.18.0", dir: "lib", language: "javascript" },
    { pkg: "luxon", version: "3.5.0", dir: "src", language: "javascript" },
    { pkg: "rxjs", version: "7.8.1", dir: "src/internal", language: "typescript" },
    { pkg: "async", version: "3.2.6", dir: "internal", language: "javascript", alsoTopLevel: true },
    { pkg: "mathjs", version: "13.2.2", dir: "lib/esm/function", language: "javascript" },
    { pkg: "fastify", version: "5.1.0", dir: "lib", language: "javascript" },
    { pkg: "undici", version: "6.21.0", dir: "lib", language: "javascript" },
    { pkg: "pino", version: "9.5.0", dir: "lib", language: "javascript" },
];

export const DOCS_PACKAGES = [
    { pkg: "fastify", version: "5.1.0", dir: "docs" },
    { pkg: "undici", version: "6.21.0", dir: "docs" },
    { pkg: "pino", version: "9.5.0", dir: "docs" },
    { pkg: "commander", version: "12.1.0", files: ["Readme.md"] },
    { pkg: "ws", version: "8.18.0", files: ["README.md"] },
];

const NPM_DIR = join(CACHE_DIR, "csn", "npm");
const WORK_DIR = join(CACHE_DIR, "csn", "work");

/** Seeded sample of n items (deterministic for a given input order). */
function sample(items, n, seed) {
    const rand = mulberry32(seed);
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, n);
}

function install(specs) {
    const wanted = [...new Set(specs.map((s) => `${s.pkg}@${s.version}`))];
    if (wanted.some((w) => HELD_OUT.includes(w.split("@")[0]))) throw new Error("held-out package requested");
    const missing = wanted.filter((w) => {
        const [name, version] = w.split("@");
        const pj = join(NPM_DIR, "node_modules", name, "package.json");
        return !existsSync(pj) || JSON.parse(readFileSync(pj, "utf8")).version !== version;
    });
    if (!missing.length) return;
    mkdirSync(NPM_DIR, { recursive: true });
    if (!existsSync(join(NPM_DIR, "package.json"))) writeFileSync(join(NPM_DIR, "package.json"), '{ "name": "seek-bench-csn", "private": true }\n');
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", "--no-save", ...missing], { cwd: NPM_DIR, stdio: "inherit" });
}

/** Keeps queries that occur once in a unit: a sentence shared by two functions has no single answer. */
function uniqueQueries(cands) {
    const count = new Map();
    for (const c of cands) count.set(c.query.toLowerCase(), (count.get(c.query.toLowerCase()) ?? 0) + 1);
    return cands.filter((c) => count.get(c.query.toLowerCase()) === 1);
}

async function buildCodeUnit(spec, seed) {
    const pkgRoot = join(NPM_DIR, "node_modules", spec.pkg);
    const isSource = (rel) => /\.(m|c)?[jt]s$/.test(rel) && !rel.endsWith(".d.ts");
    const files = listFiles(join(pkgRoot, spec.dir), { filter: isSource }).map((f) => `${spec.dir}/${f}`);
    if (spec.alsoTopLevel) files.push(...listFiles(pkgRoot, { filter: (rel) => !rel.includes("/") && isSource(rel) }));
    const root = join(WORK_DIR, "code", spec.pkg);
    rmSync(root, { recursive: true, force: true });
    const cands = [];
    for (const rel of files.sort()) {
        const text = readFileSync(join(pkgRoot, rel), "utf8");
        const language = rel.endsWith("ts") ? "typescript" : "javascript";
        const docs = await extractJsdoc(text, language);
        const out = join(root, rel);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, docs.length ? blankRanges(text, docs.map((d) => [d.docStart, d.docEnd])) : text);
        for (const d of docs) cands.push({ query: d.query, targets: [{ path: rel, startLine: d.startLine, endLine: d.endLine }], kind: d.kind });
    }
    const picked = sample(uniqueQueries(cands), CODE_PER_PACKAGE, seed);
    const tasks = picked.map((c, i) => ({ id: `${spec.pkg}#${i}`, query: c.query, category: "code", targets: c.targets, kind: c.kind }));
    return { name: spec.pkg, version: spec.version, language: spec.language, kind: "code", checkout: root, indexRoot: root, tasks, files: files.length, candidates: cands.length };
}

/** Offsets of the first sentence of a section's first paragraph, for blanking. */
function sentenceRange(text, lineStarts, section) {
    const from = lineStarts[section.blankFrom - 1];
    const to = section.blankTo < lineStarts.length ? lineStarts[section.blankTo] - 1 : text.length;
    const para = text.slice(from, to);
    const m = /[.!?:](\s|$)/.exec(para);
    return [from, m ? from + m.index + 1 : to];
}

function buildDocsUnit(spec, seed) {
    const pkgRoot = join(NPM_DIR, "node_modules", spec.pkg);
    const files = spec.files ?? listFiles(join(pkgRoot, spec.dir), { filter: (rel) => rel.endsWith(".md") }).map((f) => `${spec.dir}/${f}`);
    const root = join(WORK_DIR, "docs", spec.pkg);
    rmSync(root, { recursive: true, force: true });
    const cands = [];
    for (const rel of files.sort()) {
        const text = readFileSync(join(pkgRoot, rel), "utf8");
        const sections = extractSections(text);
        const lineStarts = [0];
        for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
        const out = join(root, rel);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, blankRanges(text, sections.map((s) => sentenceRange(text, lineStarts, s))));
        for (const s of sections) cands.push({ query: s.query, targets: [{ path: rel, startLine: s.startLine, endLine: s.endLine }], heading: s.heading });
    }
    const picked = sample(uniqueQueries(cands), DOCS_PER_PACKAGE, seed);
    const tasks = picked.map((c, i) => ({ id: `${spec.pkg}#${i}`, query: c.query, category: "docs", targets: c.targets, heading: c.heading }));
    return { name: spec.pkg, version: spec.version, language: "markdown", kind: "docs", checkout: root, indexRoot: root, tasks, files: files.length, candidates: cands.length };
}

/**
 * csn-mixed units: each docs unit whose package is also a code unit, with both indexed copies in one folder
 * (docs under their package paths, code under its own; the two never share a path).
 */
function buildMixedUnits(sets) {
    const out = [];
    for (const docs of sets.docs) {
        const code = sets.code.find((u) => u.name === docs.name);
        if (!code) continue;
        const root = join(WORK_DIR, "mixed", docs.name);
        if (!existsSync(root)) {
            cpSync(code.indexRoot, root, { recursive: true });
            cpSync(docs.indexRoot, root, { recursive: true });
        }
        out.push({ ...docs, kind: "mixed", language: "markdown+code", checkout: root, indexRoot: root });
    }
    return out;
}

/**
 * Builds (or loads the cached) csn-code, csn-docs and csn-mixed sets.
 * @returns {Promise<{ code: any[], docs: any[], mixed: any[] }>} units in the shape the evaluator takes
 */
export async function buildCsnSets({ rebuild = false } = {}) {
    const file = join(CACHE_DIR, "csn", "sets.json");
    if (!rebuild && existsSync(file)) {
        const cached = JSON.parse(readFileSync(file, "utf8"));
        if (cached.version === BUILD_VERSION && cached.code.every((u) => existsSync(u.indexRoot))) return { ...cached, mixed: buildMixedUnits(cached) };
    }
    install([...CODE_PACKAGES, ...DOCS_PACKAGES]);
    const code = [];
    for (const [i, spec] of CODE_PACKAGES.entries()) code.push(await buildCodeUnit(spec, SEED + i));
    const docs = DOCS_PACKAGES.map((spec, i) => buildDocsUnit(spec, SEED + 100 + i));
    const sets = { version: BUILD_VERSION, seed: SEED, code, docs };
    writeFileSync(file, `${JSON.stringify(sets, null, 1)}\n`);
    return { ...sets, mixed: buildMixedUnits(sets) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const sets = await buildCsnSets({ rebuild: process.argv.includes("--rebuild") });
    for (const [name, units] of Object.entries({ code: sets.code, docs: sets.docs })) {
        process.stdout.write(`csn-${name}: ${units.reduce((a, u) => a + u.tasks.length, 0)} queries\n`);
        for (const u of units) process.stdout.write(`  ${u.name}@${u.version}: ${u.files} files, ${u.candidates} candidates, ${u.tasks.length} queries\n`);
    }
}
