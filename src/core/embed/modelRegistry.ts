/**
 * Resolves a model id or a local model folder to a {@link ModelSpec}, checking that the files are there and (for
 * manifest models) intact. Every failure is a CoreError that names the file and the fix, never a stack trace.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { CoreError } from "../errors";
import type { Logger } from "../types";
import { cachedSha256 } from "./modelChecksum";
import { localModelSpec, readSeekModelJson, type SeekModelJson } from "./localModel";
import type { Manifest, ManifestModel, ModelSpec } from "./modelSpec";

export type { ModelSpec } from "./modelSpec";

/** Options of {@link resolveModel}. */
export interface ResolveModelOptions {
    /** Receives debug notes (checksum cache misses and the like). */
    logger?: Logger;
    /** Skip the sha256 check of manifest models (only for callers that verified the files themselves). */
    skipChecksum?: boolean;
}

/**
 * The package root: the nearest folder at or above `fromDir` that holds models/manifest.json. Works from the bundle
 * (dist/), from tsc output (out/src/core/embed/) and from an installed extension alike.
 * @throws CoreError("modelMissing") when there is none.
 */
export function findPackageRoot(fromDir: string): string {
    let dir = resolve(fromDir);
    for (;;) {
        if (existsSync(join(dir, "models", "manifest.json"))) return dir;
        const parent = dirname(dir);
        if (parent === dir) {
            throw new CoreError("modelMissing", `Model manifest not found: no models/manifest.json above ${fromDir}.`);
        }
        dir = parent;
    }
}

/**
 * Reads `<modelsDir>/manifest.json`.
 * @throws CoreError("modelMissing") when it is missing, CoreError("modelCorrupt") when it is not a manifest.
 */
export function loadManifest(modelsDir: string): Manifest {
    const path = join(modelsDir, "manifest.json");
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (err) {
        throw new CoreError("modelMissing", `Model manifest not found: ${path}.`, { cause: err });
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (err) {
        throw new CoreError("modelCorrupt", `Model manifest is not valid JSON: ${path}.`, { cause: err });
    }
    const m = parsed as Partial<Manifest> | null;
    if (!m || typeof m.default !== "string" || !Array.isArray(m.models)) {
        throw new CoreError("modelCorrupt", `Model manifest has no "default" and "models": ${path}.`);
    }
    return m as Manifest;
}

/** The folder where fetched models live by default: <package root>/models. */
export function defaultModelsDir(): string {
    return join(findPackageRoot(__dirname), "models");
}

/**
 * Resolves a model.
 * @param idOrDir a manifest id, a local model folder (tokenizer.json + *.onnx or onnx/model*.onnx, optional
 *   seek-model.json), or undefined for the manifest's default.
 * @param modelsDir where manifest models are (default {@link defaultModelsDir}).
 * @throws CoreError "unknownModel" | "modelMissing" | "modelCorrupt".
 */
export function resolveModel(idOrDir: string | undefined, modelsDir?: string, opts: ResolveModelOptions = {}): ModelSpec {
    const dir = modelsDir ?? defaultModelsDir();
    const manifest = loadManifest(dir);
    const wanted = idOrDir ?? manifest.default;
    const entry = manifest.models.find((m) => m.id === wanted);
    if (entry) return manifestSpec(entry, join(dir, entry.id), manifest, opts);
    if (!looksLikePath(wanted)) {
        const known = manifest.models.map((m) => m.id).join(", ");
        throw new CoreError(
            "unknownModel",
            `Unknown model '${wanted}'. Known models: ${known}; or give a folder with tokenizer.json and an .onnx file.`,
        );
    }
    return resolveLocal(resolve(wanted), manifest, opts);
}

function looksLikePath(s: string): boolean {
    return isAbsolute(s) || s.includes("/") || s.includes("\\") || s.startsWith(".") || existsSync(s);
}

function resolveLocal(dir: string, manifest: Manifest, opts: ResolveModelOptions): ModelSpec {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new CoreError("modelMissing", `Model folder not found: ${dir}. Give a folder with tokenizer.json and an .onnx file, or a model id.`);
    }
    const config: SeekModelJson = readSeekModelJson(dir);
    const base = config.id === undefined ? undefined : manifest.models.find((m) => m.id === config.id);
    // A folder that only says which manifest model it holds (what fetch-model writes) is that model, verified.
    if (base && isOnlyId(config)) return manifestSpec(base, dir, manifest, opts);
    return localModelSpec(dir, config, base, findOnnx(dir, config));
}

function isOnlyId(config: SeekModelJson): boolean {
    return Object.keys(config).every((k) => k === "id" || k.startsWith("$"));
}

/** The ONNX file of a local folder: seek-model.json's `onnx`, else model.onnx, any *.onnx, then onnx/model*.onnx. */
function findOnnx(dir: string, config: SeekModelJson): string {
    if (config.onnx) return requireFile(join(dir, config.onnx), undefined);
    const pick = (folder: string, accept: (name: string) => boolean): string | undefined => {
        if (!existsSync(folder)) return undefined;
        const names = readdirSync(folder).filter(accept).sort();
        // The exact export first; quantized and fp16 variants are picked only when asked for or alone.
        const best = names.find((n) => n === "model.onnx") ?? names[0];
        return best === undefined ? undefined : join(folder, best);
    };
    const found =
        pick(dir, (n) => n.endsWith(".onnx")) ?? pick(join(dir, "onnx"), (n) => n.startsWith("model") && n.endsWith(".onnx"));
    if (!found) {
        throw new CoreError("modelMissing", `Model file not found: ${join(dir, "model.onnx")} (no .onnx file in ${dir} or ${join(dir, "onnx")}).`);
    }
    return found;
}

function fetchHint(id: string, manifest: Manifest): string {
    return id === manifest.default ? "npm run fetch-model" : `npm run fetch-model -- ${id}`;
}

/** Throws modelMissing naming the file (and the fetch command for manifest models). */
function requireFile(path: string, fix: string | undefined): string {
    if (existsSync(path) && statSync(path).isFile()) return path;
    const action = fix ? ` Run \`${fix}\` to download it.` : "";
    throw new CoreError("modelMissing", `Model file not found: ${path}.${action}`);
}

function manifestSpec(entry: ManifestModel, dir: string, manifest: Manifest, opts: ResolveModelOptions): ModelSpec {
    const fix = fetchHint(entry.id, manifest);
    const onnxPath = requireFile(join(dir, entry.files.onnx.name), fix);
    const tokenizerPath = requireFile(join(dir, entry.files.tokenizer.name), fix);
    if (!opts.skipChecksum) {
        for (const [path, want] of [
            [onnxPath, entry.files.onnx.sha256],
            [tokenizerPath, entry.files.tokenizer.sha256],
        ] as const) {
            if (cachedSha256(path, opts.logger) !== want) {
                throw new CoreError(
                    "modelCorrupt",
                    `Model file is corrupt (sha256 mismatch): ${path}. Run \`${fix}\` to download it again.`,
                );
            }
        }
    }
    return {
        id: entry.id,
        dir,
        onnxPath,
        tokenizerPath,
        pooling: entry.pooling,
        normalize: entry.normalize,
        maxTokens: entry.maxTokens,
        dimensions: entry.dimensions,
        instructionStyle: entry.instructionStyle,
        instructions: entry.instructions,
    };
}
