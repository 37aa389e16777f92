/**
 * The agent tools' names, descriptions and input schemas, written once. The MCP server builds its zod schemas from
 * these descriptions; package.json's `contributes.languageModelTools` must carry the same JSON schemas (a unit
 * test compares them, since package.json cannot import code). Pure.
 */
import { AGENT_LIMITS, AGENT_SCOPES } from "./toolInput";

/** What a model reads to decide when to call the tool: when it beats grep, and what comes back. */
export const SEARCH_DESCRIPTION =
    "Search this codebase by meaning and by keyword at once (local semantic index, the same ranking as Seek's search panel). " +
    "Use it before grep when you do not know the exact identifier: ask a question in plain words (\"where are failed uploads retried?\") " +
    "or give an identifier (parseConfig, Foo.bar). Returns ranked places: file path, 1-based line range, symbol and a short snippet " +
    "around the best-matching lines, within a character budget. Each answer says how much of the index is built.";

export const SIMILAR_DESCRIPTION =
    "Find code elsewhere in this codebase that is similar in meaning to a given file's line range (duplicates, parallel " +
    "implementations, other callers of the same pattern). Give the file path (relative to the folder) and a 1-based line range. " +
    "Returns ranked places with snippets, never the range itself.";

export const STATUS_DESCRIPTION =
    "Report the state of Seek's index of this folder: files and chunks indexed, whether indexing is still running, and how much " +
    "of it the meaning side of search covers yet.";

export const PARAM_DESCRIPTIONS = {
    query: `A natural-language question or an identifier, at most ${AGENT_LIMITS.maxQueryChars} characters.`,
    scope: "code: only source files; docs: only documentation and text; all (default): both.",
    glob: "Only paths matching this folder-relative glob or path fragment (src/**, src/upload, **/*.test.ts); comma-separate several.",
    count: `Most results to return, 1 to ${AGENT_LIMITS.maxCount} (default ${AGENT_LIMITS.defaultCount}).`,
    maxChars: `Character budget of the whole answer, ${AGENT_LIMITS.minMaxChars} to ${AGENT_LIMITS.maxMaxChars} (default ${AGENT_LIMITS.defaultMaxChars}); lower-ranked results lose their snippets first.`,
    path: "The file, relative to the folder (absolute paths inside the folder are accepted too).",
    startLine: "First line of the range, 1-based.",
    endLine: "Last line of the range, 1-based, inclusive (default: startLine; a single line compares the code unit around it).",
} as const;

/** A JSON Schema object, as `contributes.languageModelTools[].inputSchema` declares it. */
export interface JsonSchemaObject {
    type: "object";
    properties: Record<string, Record<string, unknown>>;
    required: string[];
    additionalProperties?: boolean;
}

const countSchema = { type: "integer", minimum: 1, maximum: AGENT_LIMITS.maxCount, description: PARAM_DESCRIPTIONS.count };
const maxCharsSchema = {
    type: "integer",
    minimum: AGENT_LIMITS.minMaxChars,
    maximum: AGENT_LIMITS.maxMaxChars,
    description: PARAM_DESCRIPTIONS.maxChars,
};

export function searchInputJsonSchema(): JsonSchemaObject {
    return {
        type: "object",
        properties: {
            query: { type: "string", description: PARAM_DESCRIPTIONS.query },
            scope: { type: "string", enum: [...AGENT_SCOPES], description: PARAM_DESCRIPTIONS.scope },
            path: { type: "string", description: PARAM_DESCRIPTIONS.glob },
            count: countSchema,
            maxChars: maxCharsSchema,
        },
        required: ["query"],
    };
}

export function similarInputJsonSchema(): JsonSchemaObject {
    return {
        type: "object",
        properties: {
            path: { type: "string", description: PARAM_DESCRIPTIONS.path },
            startLine: { type: "integer", minimum: 1, description: PARAM_DESCRIPTIONS.startLine },
            endLine: { type: "integer", minimum: 1, description: PARAM_DESCRIPTIONS.endLine },
            count: countSchema,
            maxChars: maxCharsSchema,
        },
        required: ["path", "startLine"],
    };
}
