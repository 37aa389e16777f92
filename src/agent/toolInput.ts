/**
 * What a coding agent may ask Seek's tools, checked once for both front ends (the MCP server and the VS Code
 * language-model tools). Agents send whatever their model wrote: every field is validated here, and every refusal
 * is one sentence the model can act on (ToolInputError), never a stack trace. Pure: no `vscode`, no fs.
 */
import * as path from "node:path";
import { resolveInsideFolder } from "../protocol/paths";
import type { ScopeDto } from "../protocol/messages";

/** Limits of one tool call; each is a named constant so the schemas, the messages and the tests agree. */
export const AGENT_LIMITS = {
    /**
     * The core reads at most 2,000 characters of a query (core/search/lexical.ts MAX_QUERY_CHARS); a longer one is
     * a pasted file, not a question, and is refused rather than silently cut.
     */
    maxQueryChars: 2000,
    /** Results per call: more than this never fits a useful snippet each into the largest character budget. */
    maxCount: 50,
    defaultCount: 10,
    /** About 1,500 tokens: room for ten trimmed snippets, a small share of an agent's context per call. */
    defaultMaxChars: 6000,
    /** Below this not even the header and a few locations fit. */
    minMaxChars: 500,
    /** About 6,000 tokens: a ceiling, so one call can never flood the agent's context. */
    maxMaxChars: 24_000,
    maxPathChars: 1000,
    /** Lines a find_similar range may span; the model reads only the first few hundred tokens of it anyway. */
    maxRangeLines: 2000,
} as const;

/** Which part of the folder a search covers. */
export type AgentScope = "code" | "docs" | "all";
export const AGENT_SCOPES: readonly AgentScope[] = ["code", "docs", "all"];

export interface SearchInput {
    query: string;
    scope: AgentScope;
    /** Folder-relative glob or path fragment, comma-separated (the search panel's path filter). */
    path?: string;
    count: number;
    maxChars: number;
}

export interface SimilarInput {
    /** As given: folder-relative, or absolute inside the folder (see folderRelativePath). */
    path: string;
    /** 1-based, inclusive. */
    startLine: number;
    endLine: number;
    count: number;
    maxChars: number;
}

/** A tool call the agent must fix; the message says how. */
export class ToolInputError extends Error {
    override readonly name = "ToolInputError";
}

function record(raw: unknown): Record<string, unknown> {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== "object" || Array.isArray(raw)) throw new ToolInputError("the arguments must be a JSON object");
    return raw as Record<string, unknown>;
}

function intIn(name: string, value: unknown, min: number, max: number, fallback?: number): number {
    if (value === undefined || value === null) {
        if (fallback !== undefined) return fallback;
        throw new ToolInputError(`${name} is required (an integer from ${min} to ${max})`);
    }
    if (typeof value !== "number" || !Number.isInteger(value)) {
        throw new ToolInputError(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
    }
    if (value < min || value > max) throw new ToolInputError(`${name} must be from ${min} to ${max} (got ${value})`);
    return value;
}

function optionalString(name: string, value: unknown, maxChars: number): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw new ToolInputError(`${name} must be a string`);
    if (value.length > maxChars) throw new ToolInputError(`${name} is ${value.length} characters long; the limit is ${maxChars}`);
    if (value.includes("\0")) throw new ToolInputError(`${name} contains a NUL character`);
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
}

function budget(raw: Record<string, unknown>): { count: number; maxChars: number } {
    return {
        count: intIn("count", raw.count, 1, AGENT_LIMITS.maxCount, AGENT_LIMITS.defaultCount),
        maxChars: intIn("maxChars", raw.maxChars, AGENT_LIMITS.minMaxChars, AGENT_LIMITS.maxMaxChars, AGENT_LIMITS.defaultMaxChars),
    };
}

/** Validates a `search` call. Throws ToolInputError. */
export function parseSearchInput(raw: unknown): SearchInput {
    const r = record(raw);
    if (typeof r.query !== "string") throw new ToolInputError("query is required: a question or an identifier, as a string");
    const query = r.query.trim();
    if (query === "") throw new ToolInputError("query is empty: ask a question (\"where are failed uploads retried?\") or give an identifier");
    if (query.length > AGENT_LIMITS.maxQueryChars) {
        throw new ToolInputError(
            `query is ${query.length} characters long; the limit is ${AGENT_LIMITS.maxQueryChars}. Ask a short question or name an identifier; ` +
                "to find code like a block you have, use find_similar on its file and lines",
        );
    }
    const scope = r.scope ?? "all";
    if (!AGENT_SCOPES.includes(scope as AgentScope)) throw new ToolInputError(`scope must be one of ${AGENT_SCOPES.join(", ")} (got ${JSON.stringify(scope)})`);
    const glob = optionalString("path", r.path, AGENT_LIMITS.maxPathChars);
    if (glob !== undefined) checkGlob(glob);
    const out: SearchInput = { query, scope: scope as AgentScope, ...budget(r) };
    if (glob !== undefined) out.path = glob;
    return out;
}

/** A path filter names places inside the folder: no absolute paths, no `..`. */
function checkGlob(glob: string): void {
    for (const part of glob.split(",").map((g) => g.trim())) {
        if (part.startsWith("/") || /^[a-zA-Z]:/.test(part) || part.includes("\\")) {
            throw new ToolInputError(`path filter '${part}' must be relative to the folder (like src/** or src/upload), with forward slashes`);
        }
        if (part.split("/").includes("..")) throw new ToolInputError(`path filter '${part}' leaves the folder ('..' is not allowed)`);
    }
}

/** Validates a `find_similar` call (the file itself is checked against the folder later). Throws ToolInputError. */
export function parseSimilarInput(raw: unknown): SimilarInput {
    const r = record(raw);
    const p = optionalString("path", r.path, AGENT_LIMITS.maxPathChars);
    if (p === undefined) throw new ToolInputError("path is required: the file to compare, relative to the folder");
    const startLine = intIn("startLine", r.startLine, 1, Number.MAX_SAFE_INTEGER);
    const endLine = intIn("endLine", r.endLine, 1, Number.MAX_SAFE_INTEGER, startLine);
    if (endLine < startLine) throw new ToolInputError(`endLine (${endLine}) is before startLine (${startLine})`);
    if (endLine - startLine + 1 > AGENT_LIMITS.maxRangeLines) {
        throw new ToolInputError(`the range spans ${endLine - startLine + 1} lines; the limit is ${AGENT_LIMITS.maxRangeLines}. Pick the function or block to compare`);
    }
    return { path: p, startLine, endLine, ...budget(r) };
}

/** The range must lie in the file: an agent that guessed line numbers learns the file's length. */
export function checkRangeInFile(input: Pick<SimilarInput, "path" | "startLine" | "endLine">, lineCount: number): void {
    if (input.startLine > lineCount || input.endLine > lineCount) {
        throw new ToolInputError(`${input.path} has ${lineCount} lines; lines ${input.startLine}-${input.endLine} are outside it`);
    }
}

/**
 * A path an agent gave, as a folder-relative POSIX path, or a ToolInputError when it is not inside the folder.
 * Agents pass absolute paths as often as relative ones; both are accepted when they stay inside.
 */
export function folderRelativePath(folder: string, given: string, p: path.PlatformPath = path): string {
    let rel = given.replace(/^\.\//, "");
    if (p.isAbsolute(given)) {
        rel = p.relative(p.resolve(folder), p.resolve(given)).split(p.sep).join("/");
        if (rel === "" || rel === ".." || rel.startsWith("../") || p.isAbsolute(rel)) {
            throw new ToolInputError(`${given} is outside the indexed folder; give a path inside it`);
        }
    }
    const resolved = resolveInsideFolder(folder, rel, p);
    if (!resolved.ok) {
        throw new ToolInputError(
            resolved.reason === "parentSegment" || resolved.reason === "outside"
                ? `${given} is outside the indexed folder; give a path inside it`
                : `${given} is not a usable path (${resolved.reason}); give a path relative to the folder, like src/app.ts`,
        );
    }
    return rel;
}

/** The scope filters of the human search surfaces, so an agent's search ranks exactly as a person's. */
export function searchScope(input: Pick<SearchInput, "scope" | "path">): ScopeDto {
    return { code: input.scope !== "docs", docs: input.scope !== "code", glob: input.path ?? "" };
}

/** Lines of a file as an editor numbers them (a final newline does not start another line). */
export function countLines(text: string): number {
    if (text === "") return 0;
    const lines = text.split(/\r\n|\n|\r/).length;
    return /(\r\n|\n|\r)$/.test(text) ? lines - 1 : lines;
}
