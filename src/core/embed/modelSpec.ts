/**
 * What the embedding pipeline needs to know about one model: where its files are, how to pool and normalise its
 * output, its token limit, and its instruction templates. Built by `modelRegistry.ts` from models/manifest.json or
 * from a local model folder; sent as-is to the inference worker, so it stays plain JSON.
 */
import type { Domain, EmbedRole } from "../types";

/** `cls`: the first token's hidden state (BGE); `mean`: attention-masked mean of the token states (E5, MiniLM). */
export type Pooling = "cls" | "mean";

/**
 * How a model takes instructions:
 * - `prefix`: the model's documented prefix strings (BGE query instruction, E5 "query: "/"passage: "), pooled as
 *   usual;
 * - `instructor`: free-form "Represent the ... for ..." on both sides, and mean pooling over the text tokens only,
 *   the instruction tokens excluded (as INSTRUCTOR does);
 * - `none`: trained without instructions; none are ever added (user overrides included).
 */
export type InstructionStyle = "prefix" | "instructor" | "none";

/** Instruction template per role and domain. A template may contain `{language}` (a human name, e.g. "Python"). */
export type InstructionTemplates = Record<EmbedRole, Record<Domain, string>>;

/** One resolved model. */
export interface ModelSpec {
    /** Manifest id, the id named in a local folder's seek-model.json, or `local:<absolute folder>`. */
    id: string;
    /** Absolute folder holding the files. */
    dir: string;
    onnxPath: string;
    tokenizerPath: string;
    pooling: Pooling;
    /** L2-normalise the pooled vector. */
    normalize: boolean;
    /** Longest input in tokens, special tokens included; longer inputs are truncated. */
    maxTokens: number;
    /** Vector length; 0 when not known until the model is loaded (a local folder without a config). */
    dimensions: number;
    instructionStyle: InstructionStyle;
    instructions: InstructionTemplates;
}

/** One file of a manifest model. */
export interface ManifestFile {
    /** File name inside models/<id>/. */
    name: string;
    /** Entry name inside the downloaded archive (used by scripts/fetch-model.mjs). */
    entry: string;
    sha256: string;
}

/** One entry of models/manifest.json (only the fields the pipeline reads are typed). */
export interface ManifestModel {
    id: string;
    description?: string;
    files: { onnx: ManifestFile; tokenizer: ManifestFile };
    pooling: Pooling;
    normalize: boolean;
    maxTokens: number;
    dimensions: number;
    instructionStyle: InstructionStyle;
    instructions: InstructionTemplates;
}

/** models/manifest.json. */
export interface Manifest {
    default: string;
    models: ManifestModel[];
}

/** Templates with every role and domain empty. */
export function emptyTemplates(): InstructionTemplates {
    return {
        query: { code: "", docs: "" },
        document: { code: "", docs: "" },
        similar: { code: "", docs: "" },
    };
}

/**
 * Defaults for an INSTRUCTOR-style model that brings no templates, following the paper's "Represent the
 * (domain) (text type) for (task): " pattern. Documents and queries get different instructions.
 */
export function instructorTemplates(): InstructionTemplates {
    return {
        query: {
            code: "Represent the question for retrieving relevant {language} code: ",
            docs: "Represent the question for retrieving relevant documentation: ",
        },
        document: {
            code: "Represent the {language} code for retrieval: ",
            docs: "Represent the documentation passage for retrieval: ",
        },
        similar: {
            code: "Represent the {language} code for retrieving similar code: ",
            docs: "Represent the documentation passage for retrieving similar passages: ",
        },
    };
}
