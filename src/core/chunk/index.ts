/**
 * Splits one file into chunks: syntax-aware for code with a tree-sitter grammar (code.ts), by heading sections for
 * docs (markdown.ts), line windows for everything else and as the fallback whenever structure is not available.
 */
import { languageOf } from "../languages";
import type { Chunk, FileKind, Logger } from "../types";
import { codePieces } from "./code";
import type { DocFlavor } from "./headings";
import { maskCppMacros } from "./cppMacros";
import { nameDeclarations } from "./declarations";
import { lineWindows, SourceLines } from "./lines";
import { docPieces } from "./markdown";
import { mergeSmall, piecesToChunks, type Piece } from "./pieces";
import { syntaxSpecFor, type SyntaxSpec } from "./syntax";
import { TreeSitterHost } from "./treeSitter";

export { estimateTokens } from "./tokens";

/**
 * Version of the chunker's output. Part of the index identity: bump it whenever the same file would be chunked
 * differently, so existing indexes are rebuilt rather than mixing old and new boundaries.
 */
export const CHUNKER_VERSION = "ts-4";

/** Options for {@link chunkFile}. */
export interface ChunkOptions {
    /** Token budget per chunk (estimated, see tokens.ts). Default {@link DEFAULT_MAX_TOKENS}. */
    maxTokens?: number;
    /** Lines shared by consecutive line windows. Default {@link DEFAULT_OVERLAP_LINES}. */
    overlapLines?: number;
    /** Receives, at debug level, why a file fell back to line windows. */
    logger?: Logger;
}

/** Default budget: bge-small reads 512 tokens; this leaves room for the instruction and the context header. */
export const DEFAULT_MAX_TOKENS = 400;
export const DEFAULT_OVERLAP_LINES = 5;
/** Lines per window for files without structure. */
export const DEFAULT_WINDOW_LINES = 40;
/** Smallest budget accepted; below it every line of code would be cut by characters. */
const MIN_MAX_TOKENS = 16;

/** Share of the budget under which neighbouring code units are merged into one chunk. */
const SMALL_UNIT_SHARE = 0.125;
/** Pieces this small (a closing brace, `}  // namespace x`, `end`, `package x`) join a neighbour with room. */
const TRIVIAL_TOKENS = 12;

/** Files larger than this are not parsed: tree-sitter's time and memory grow with size, windows do fine. */
const MAX_SYNTAX_CHARS = 4_000_000;
/** Parser time limit per file; a slower parse falls back to line windows. */
const PARSE_TIMEOUT_MS = 4_000;
/** Mean characters per line above which a file is treated as minified (syntax units would be single lines). */
const MINIFIED_CHARS_PER_LINE = 400;
/** Share of lines inside top-level parse errors above which the tree is not trusted. */
const MAX_ERROR_LINE_SHARE = 0.5;

/** The process-wide tree-sitter host: grammars load once and parsers are reused across files. */
const treeSitter = new TreeSitterHost();

const DOC_FLAVORS: Record<string, DocFlavor> = {
    markdown: "markdown",
    mdx: "markdown",
    restructuredtext: "rst",
    asciidoc: "asciidoc",
};

/**
 * Chunks one file. `path` is folder-relative (it picks the language and is copied into each chunk); `text` is the
 * file's content. Returns chunks in line order; every non-blank line is in at least one chunk. Never throws for
 * odd input: anything unexpected falls back to line windows (logged at debug).
 */
export function chunkFile(path: string, text: string, opts: ChunkOptions = {}): Promise<Chunk[]> {
    return chunkWith(treeSitter, path, text, opts);
}

async function chunkWith(
    host: TreeSitterHost,
    path: string,
    text: string,
    opts: ChunkOptions,
): Promise<Chunk[]> {
    const { language, kind } = languageOf(path);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const src = new SourceLines(text);
    if (src.count === 0 || (src.count === 1 && src.isBlank(0))) return [];
    const maxTokens = Math.max(MIN_MAX_TOKENS, orDefault(opts.maxTokens, DEFAULT_MAX_TOKENS));
    const overlapLines = Math.max(0, orDefault(opts.overlapLines, DEFAULT_OVERLAP_LINES));
    let pieces: Piece[] | undefined;
    try {
        pieces = await structuredPieces(src, text, language, kind, {
            host,
            path,
            maxTokens,
            overlapLines,
            logger: opts.logger,
        });
    } catch (err) {
        opts.logger?.debug(`chunker: ${path}: falling back to line windows: ${String(err)}`);
    }
    // Code without a grammar: windows named by the declarations in them (declarations.ts).
    pieces ??= nameDeclarations(src, lineWindows(src, 0, src.count - 1, { maxTokens, maxLines: DEFAULT_WINDOW_LINES, overlapLines }), kind === "code" ? language : "");
    return piecesToChunks(src, pieces, path, language, kind);
}

/** A whole number from an option, or the default when it is missing or not a finite number. */
function orDefault(value: number | undefined, fallback: number): number {
    return value !== undefined && Number.isFinite(value) ? Math.floor(value) : fallback;
}

/** What the structured chunkers need besides the text. */
interface Budget {
    host: TreeSitterHost;
    path: string;
    maxTokens: number;
    overlapLines: number;
    logger?: Logger;
}

/** Pieces from the file's structure, or undefined when it has none the chunker understands. */
async function structuredPieces(
    src: SourceLines,
    text: string,
    language: string,
    kind: FileKind,
    b: Budget,
): Promise<Piece[] | undefined> {
    const flavor = DOC_FLAVORS[language];
    if (flavor) return docPieces(src, flavor, b);
    const spec = kind === "code" ? syntaxSpecFor(language) : undefined;
    if (!spec) return undefined;
    if (text.length > MAX_SYNTAX_CHARS || text.length / src.count > MINIFIED_CHARS_PER_LINE) {
        b.logger?.debug(
            `chunker: ${b.path}: ${text.length} chars in ${src.count} lines: too big or minified to parse`,
        );
        return undefined;
    }
    // C/C++: parse a copy with the macros that derail tree-sitter blanked out (cppMacros.ts); positions are kept.
    const parsed = spec.grammar === "cpp" ? maskCppMacros(text) : text;
    const pieces = await syntaxPieces(src, parsed, spec, b);
    return (
        pieces &&
        mergeSmall(src, pieces, {
            maxTokens: b.maxTokens,
            smallTokens: Math.floor(b.maxTokens * SMALL_UNIT_SHARE),
            trivialTokens: TRIVIAL_TOKENS,
        })
    );
}

async function syntaxPieces(
    src: SourceLines,
    text: string,
    spec: SyntaxSpec,
    b: Budget,
): Promise<Piece[] | undefined> {
    const tree = await b.host.parse(spec.grammar, text, PARSE_TIMEOUT_MS);
    try {
        const root = tree.rootNode;
        // A root of type ERROR (e.g. a truncated file) still holds the statements it could parse as children;
        // only large ERROR subtrees make the tree useless.
        if (root.hasError) {
            let errorLines = 0;
            let counted = -1; // last row counted: neighbouring ERROR nodes can share a row
            for (const c of root.namedChildren) {
                if (c?.type !== "ERROR") continue;
                const from = Math.max(c.startPosition.row, counted + 1);
                errorLines += Math.max(0, c.endPosition.row - from + 1);
                counted = Math.max(counted, c.endPosition.row);
            }
            if (errorLines > src.count * MAX_ERROR_LINE_SHARE) {
                b.logger?.debug(
                    `chunker: ${b.path}: parse errors cover ${errorLines} of ${src.count} lines`,
                );
                return undefined;
            }
        }
        return codePieces(root, {
            src,
            spec,
            maxTokens: b.maxTokens,
            overlapLines: b.overlapLines,
        });
    } finally {
        tree.delete();
    }
}

/** For tests only: chunking with a given tree-sitter host (e.g. one whose grammars are missing). */
export const _private = { chunkWith };
