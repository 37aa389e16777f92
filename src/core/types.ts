/**
 * Shared vocabulary of the Seek core. Nothing here imports `vscode`: the VS Code layer, the CLI and the tests
 * all implement these interfaces over their own world (see core/README.md for the terms).
 */

import type { MatchStrength } from "./search/strength";

/** Whether a file is source code, prose documentation, or other text (config, data, logs). */
export type FileKind = "code" | "docs" | "text";

/** The two retrieval domains an instruction is chosen for. `text` files are embedded as docs. */
export type Domain = "code" | "docs";

/** Why a text is being embedded; picks the instruction template (the INSTRUCTOR idea). */
export type EmbedRole = "query" | "document" | "similar";

/** One unit of retrieval: a function, class, doc section or line window of one file. */
export interface Chunk {
    /** Folder-relative POSIX path. */
    path: string;
    /** 1-based, inclusive. */
    startLine: number;
    /** 1-based, inclusive. */
    endLine: number;
    /** Language id (e.g. "typescript", "python", "markdown", "text"). */
    language: string;
    kind: FileKind;
    /** Symbol name where known (function/class name, or the heading path joined by " > " for docs). */
    symbol?: string;
    /** "function" | "method" | "class" | "interface" | "section" | "module" | ... */
    symbolKind?: string;
    /** The chunk's source text (exactly the lines startLine..endLine). */
    text: string;
}

/** A chunk as stored in the index. */
export interface StoredChunk extends Chunk {
    id: number;
}

/** One text to embed, with its role and domain so the right instruction can be chosen. */
export interface EmbedInput {
    role: EmbedRole;
    domain: Domain;
    /** Language id, for per-language instruction overrides. */
    language?: string;
    /** The text after the instruction (for documents: context header + chunk text). */
    text: string;
}

/** User templates that replace a model's instructions (the `seek.instructions` setting). */
export interface InstructionOverrides {
    /** role -> domain -> template; `*` in place of a language applies to all. e.g. { query: { code: "..." } } */
    [role: string]: { [domainOrLanguage: string]: string } | undefined;
}

/** What actually goes to the model: instruction and text kept apart so pooling can exclude the instruction. */
export interface PromptedText {
    instruction: string;
    text: string;
}

/** Turns texts into unit vectors. Implementations never block the caller's thread with inference. */
export interface Embedder {
    /** Model id (part of the index identity). */
    readonly modelId: string;
    readonly dimensions: number;
    /** Embeds in order; rejects with CoreError("cancelled") when the signal aborts. */
    embed(texts: PromptedText[], signal?: AbortSignal): Promise<Float32Array[]>;
    /** Loads the model now (optional): a bring-your-own model learns its width this way. */
    warmUp?(signal?: AbortSignal): Promise<void>;
    /** True while earlier work would delay a new call (optional: embedders that never queue leave it out). */
    readonly busy?: boolean;
    dispose(): Promise<void>;
}

/** Minimal logger; a VS Code LogOutputChannel already has this shape. */
export interface Logger {
    trace(message: string, ...args: unknown[]): void;
    debug(message: string, ...args: unknown[]): void;
    info(message: string, ...args: unknown[]): void;
    warn(message: string, ...args: unknown[]): void;
    error(message: string | Error, ...args: unknown[]): void;
}

/** A file found by discovery. */
export interface FileEntry {
    /** Folder-relative POSIX path. */
    path: string;
    size: number;
    mtimeMs: number;
}

/** A file discovery passed over, with the reason (logged and counted, never silent). */
export interface SkippedFile {
    path: string;
    reason: SkipReason;
    detail?: string;
}

export type SkipReason =
    | "ignored"
    | "tooLarge"
    | "binary"
    | "unreadable"
    | "symlinkLoop"
    | "secret"
    | "minified"
    | "vanished"
    | "badEncoding"
    | "embedFailed";

export type SearchMode = "hybrid" | "vector" | "lexical";

/** `auto` guesses from the query (prose vs identifier) and searches both domains. */
export type SearchTask = "auto" | "code" | "docs";

export interface SearchOptions {
    mode?: SearchMode;
    task?: SearchTask;
    /** Maximum results (default 10). */
    top?: number;
    /** Only paths matching one of these globs (folder-relative). */
    include?: string[];
    /** Drop paths matching any of these globs. */
    exclude?: string[];
    /** Restrict to these file kinds. */
    kinds?: FileKind[];
    /** Restrict to these languages. */
    languages?: string[];
    signal?: AbortSignal;
}

/** One ranked search result. */
export interface Hit {
    chunkId: number;
    path: string;
    startLine: number;
    endLine: number;
    score: number;
    language: string;
    kind: FileKind;
    symbol?: string;
    symbolKind?: string;
    /** The chunk text (callers trim it for display). */
    text: string;
    /** 1-based lines within [startLine, endLine] that matched best (for highlighting). */
    bestLines?: number[];
    /** How well this hit matches, on the 0-100 scale every surface shows (search/strength.ts); set by rankHits. */
    strength?: MatchStrength;
}

/**
 * Progress of one indexing run, yielded by Indexer.run. The run has two stages: "chunking" is the keyword stage
 * (files read, chunked and stored: searchable by keyword), "embedding" the semantic stage (chunks given vectors).
 */
export interface IndexProgress {
    phase: "discovering" | "chunking" | "embedding" | "removing" | "done";
    filesTotal: number;
    /** Files through the keyword stage. */
    filesDone: number;
    /** Chunks given a vector by this run. */
    chunksEmbedded: number;
    /** Chunks in the index now. */
    chunksTotal: number;
    /** Chunks in the index that have a vector now (semantic coverage = chunksWithVectors / chunksTotal). */
    chunksWithVectors: number;
    /** Files skipped so far with their reasons. */
    skipped: number;
    /** Seconds until the current stage is done, from recent throughput; undefined until known. */
    etaSeconds?: number;
    /** The file being processed, for display. */
    currentPath?: string;
}

/** Summary of the index on disk. */
export interface IndexStatus {
    modelId: string;
    files: number;
    chunks: number;
    /** Chunks with a vector (the rest are searchable by keyword only, until the semantic stage reaches them). */
    embeddedChunks: number;
    /** Files known to discovery but not yet indexed (0 when complete). */
    pendingFiles: number;
    bytesOnDisk: number;
    lastIndexedAt?: number;
    identity: string;
}
