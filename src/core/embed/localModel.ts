/**
 * A user's own model folder (Hugging Face style: tokenizer.json + an ONNX export), described by an optional
 * seek-model.json. Without one: mean pooling, normalised, 512 tokens, no instructions, dimensions from config.json
 * or discovered when the model loads.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CoreError } from "../errors";
import type { Domain, EmbedRole } from "../types";
import {
    emptyTemplates,
    instructorTemplates,
    type InstructionStyle,
    type InstructionTemplates,
    type ManifestModel,
    type ModelSpec,
    type Pooling,
} from "./modelSpec";

/** Optional description file of a local model folder. Every field is optional. */
export interface SeekModelJson {
    /**
     * A manifest id: alone, the folder holds exactly that model (verified like a fetched one); with other fields,
     * that model's settings are the base the other fields change. Any other string names the model (index identity).
     */
    id?: string;
    /** ONNX file, relative to the folder. */
    onnx?: string;
    /** Tokenizer file, relative to the folder (default tokenizer.json). */
    tokenizer?: string;
    pooling?: Pooling;
    normalize?: boolean;
    maxTokens?: number;
    dimensions?: number;
    instructionStyle?: InstructionStyle;
    /** Partial templates; missing ones are empty (or INSTRUCTOR defaults for the `instructor` style). */
    instructions?: Partial<Record<EmbedRole, Partial<Record<Domain, string>>>>;
}

export const SEEK_MODEL_JSON = "seek-model.json";

const DEFAULT_MAX_TOKENS = 512;

/** Reads seek-model.json when present ({} when absent). @throws CoreError("badInput") when it is malformed. */
export function readSeekModelJson(dir: string): SeekModelJson {
    const path = join(dir, SEEK_MODEL_JSON);
    if (!existsSync(path)) return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (err) {
        throw new CoreError("badInput", `${path} is not valid JSON.`, { cause: err });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new CoreError("badInput", `${path} must hold a JSON object.`);
    }
    const c = parsed as SeekModelJson;
    const bad = (field: string, want: string) => new CoreError("badInput", `${path}: "${field}" must be ${want}.`);
    if (c.pooling !== undefined && c.pooling !== "cls" && c.pooling !== "mean") throw bad("pooling", `"cls" or "mean"`);
    if (c.instructionStyle !== undefined && !["prefix", "instructor", "none"].includes(c.instructionStyle)) {
        throw bad("instructionStyle", `"prefix", "instructor" or "none"`);
    }
    if (c.maxTokens !== undefined && !(Number.isInteger(c.maxTokens) && c.maxTokens >= 8)) throw bad("maxTokens", "an integer >= 8");
    if (c.dimensions !== undefined && !(Number.isInteger(c.dimensions) && c.dimensions > 0)) throw bad("dimensions", "a positive integer");
    return c;
}

/** hidden_size from a Hugging Face config.json, when there is one; 0 otherwise (found at load). */
function configDimensions(dir: string): number {
    const path = join(dir, "config.json");
    if (!existsSync(path)) return 0;
    try {
        const size = (JSON.parse(readFileSync(path, "utf8")) as { hidden_size?: unknown }).hidden_size;
        return typeof size === "number" && Number.isInteger(size) && size > 0 ? size : 0;
    } catch {
        // An unreadable config only means the worker reports the dimensions after loading the model.
        return 0;
    }
}

function mergeTemplates(base: InstructionTemplates, over: SeekModelJson["instructions"]): InstructionTemplates {
    const out = emptyTemplates();
    for (const role of ["query", "document", "similar"] as const) {
        for (const domain of ["code", "docs"] as const) {
            const v = over?.[role]?.[domain];
            out[role][domain] = typeof v === "string" ? v : base[role][domain];
        }
    }
    return out;
}

/** The spec of a local folder from its seek-model.json (and the manifest entry it names, if any). */
export function localModelSpec(dir: string, config: SeekModelJson, base: ManifestModel | undefined, onnxPath: string): ModelSpec {
    const tokenizerPath = join(dir, config.tokenizer ?? "tokenizer.json");
    if (!existsSync(tokenizerPath)) {
        throw new CoreError("modelMissing", `Model file not found: ${tokenizerPath}. A model folder needs tokenizer.json next to its .onnx file.`);
    }
    const style = config.instructionStyle ?? base?.instructionStyle ?? "none";
    const defaults = base && base.instructionStyle === style ? base.instructions : style === "instructor" ? instructorTemplates() : emptyTemplates();
    return {
        // A manifest id with changed settings is a different model as far as stored vectors go.
        id: config.id !== undefined && base === undefined ? config.id : `local:${dir}`,
        dir,
        onnxPath,
        tokenizerPath,
        pooling: config.pooling ?? (style === "instructor" ? "mean" : (base?.pooling ?? "mean")),
        normalize: config.normalize ?? base?.normalize ?? true,
        maxTokens: config.maxTokens ?? base?.maxTokens ?? DEFAULT_MAX_TOKENS,
        dimensions: config.dimensions ?? base?.dimensions ?? configDimensions(dir),
        instructionStyle: style,
        instructions: mergeTemplates(defaults, config.instructions),
    };
}
