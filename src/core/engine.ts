/**
 * SeekEngine: the one facade the CLI and the VS Code layer use. It owns the store, the embedder and the indexer
 * for one workspace folder. (Contract first; implementation lands with the indexer.)
 */
import type { Embedder, Hit, IndexProgress, IndexStatus, Logger, SearchOptions } from "./types";

export interface InstructionOverrides {
    /** role -> domain -> template; `*` in place of a language applies to all. e.g. { query: { code: "..." } } */
    [role: string]: { [domainOrLanguage: string]: string } | undefined;
}

export interface EngineOptions {
    /** Absolute path of the workspace folder. */
    folder: string;
    /** Directory holding this folder's index (created if missing). */
    indexDir: string;
    /** Model id from models/manifest.json, or a local model directory (tokenizer.json + *.onnx). */
    model?: string;
    /** Where fetched models live (default: <package root>/models). */
    modelsDir?: string;
    /** false = no instructions on any side (to measure their effect). Default true. */
    instructions?: boolean;
    instructionOverrides?: InstructionOverrides;
    include?: string[];
    exclude?: string[];
    maxFileBytes?: number;
    /** Intra-op threads for inference. */
    threads?: number;
    logger?: Logger;
    /** Injected embedder (tests); default: ONNX model in a worker thread. */
    embedder?: Embedder;
}

export interface SearchResult {
    hits: Hit[];
    /** Fraction (0..1) of discovered files that are indexed; < 1 while the first build runs. */
    coverage: number;
    elapsedMs: number;
}

/** A range to find similar code for. Without endLine, the chunk enclosing startLine is used. */
export interface SimilarTarget {
    path: string;
    startLine: number;
    endLine?: number;
}
