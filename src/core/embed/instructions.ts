/**
 * Instructions (the INSTRUCTOR idea): every text is embedded with a template chosen by its role (query, document,
 * similar), its domain (code, docs) and its language. Templates come from the model manifest; configuration can
 * override them per role and per domain or language. The instruction stays apart from the text
 * ({@link PromptedText}) so an INSTRUCTOR-style model can pool over the text tokens only.
 */
import { createHash } from "node:crypto";
import { CoreError } from "../errors";
import type { Chunk, Domain, EmbedInput, EmbedRole, InstructionOverrides, PromptedText } from "../types";
import { languageName } from "./languageNames";
import type { ModelSpec } from "./modelSpec";

/** How instructions are applied. */
export interface InstructionOptions {
    /** false: no instruction on either side (to measure their effect). */
    enabled: boolean;
    /**
     * role -> key -> template, where key is a language id, a domain, or `*` (any). Precedence:
     * overrides[role][language] > overrides[role][domain] > overrides[role]["*"] > the manifest.
     */
    overrides?: InstructionOverrides;
}

/**
 * Version of {@link formatDocument}'s header layout. Part of {@link instructionSetId}: a different header changes
 * every document vector, so an index built with the old one must be rebuilt.
 */
export const DOCUMENT_FORMAT_VERSION = 1;

/** Longest symbol shown in a header; headings paths can get long and the header should stay a small prefix. */
const MAX_HEADER_SYMBOL = 120;

const ROLES: readonly EmbedRole[] = ["query", "document", "similar"];
const DOMAINS: readonly Domain[] = ["code", "docs"];

/** The raw template (before `{language}` substitution) for one role, domain and language. */
export function templateFor(role: EmbedRole, domain: Domain, language: string | undefined, spec: ModelSpec, opts: InstructionOptions): string {
    if (!opts.enabled || spec.instructionStyle === "none") return "";
    const over = opts.overrides?.[role];
    if (over) {
        if (language !== undefined && typeof over[language] === "string") return over[language];
        if (typeof over[domain] === "string") return over[domain];
        if (typeof over["*"] === "string") return over["*"];
    }
    return spec.instructions[role][domain];
}

/** Substitutes `{language}`; with no language the word is dropped ("Represent the  code" -> "Represent the code"). */
function fill(template: string, language: string | undefined): string {
    if (!template.includes("{language}")) return template;
    const name = languageName(language);
    const filled = template.split("{language}").join(name);
    return name ? filled : filled.replace(/ {2,}/g, " ").replace(/^ /, "");
}

/**
 * The instruction and text to embed for one input. Documents only ever get document templates, and a document
 * template equal to the query template (a misconfiguration that would make every chunk look like a question) is
 * refused.
 * @throws CoreError("badInput") for that misconfiguration.
 */
export function promptFor(input: EmbedInput, spec: ModelSpec, opts: InstructionOptions): PromptedText {
    const template = templateFor(input.role, input.domain, input.language, spec, opts);
    if (input.role === "document" && template !== "") assertNotQueryTemplate(template, input.domain, input.language, spec, opts);
    return { instruction: fill(template, input.language), text: input.text };
}

function assertNotQueryTemplate(template: string, domain: Domain, language: string | undefined, spec: ModelSpec, opts: InstructionOptions): void {
    if (template === templateFor("query", domain, language, spec, opts)) {
        throw new CoreError(
            "badInput",
            `The document instruction for ${language ?? domain} is the query instruction ("${template}"); ` +
                "documents must never be embedded with a query instruction. Change the instruction overrides.",
        );
    }
}

/** Every (role, key) pair the templates differ on: the domains plus every language named in an override. */
function effectiveTemplates(spec: ModelSpec, opts: InstructionOptions): Record<string, string> {
    const languages = new Set<string>();
    for (const role of ROLES) {
        for (const key of Object.keys(opts.overrides?.[role] ?? {})) {
            if (key !== "*" && !DOMAINS.includes(key as Domain)) languages.add(key);
        }
    }
    const out: Record<string, string> = {};
    for (const role of ROLES) {
        for (const domain of DOMAINS) {
            out[`${role}.${domain}`] = templateFor(role, domain, undefined, spec, opts);
            for (const lang of [...languages].sort()) {
                out[`${role}.${domain}.${lang}`] = templateFor(role, domain, lang, spec, opts);
            }
        }
    }
    return out;
}

/**
 * A short stable hash of everything that shapes the embedded text apart from the chunk itself: the effective
 * templates, the instruction style and pooling, and the document header version. Part of the index identity.
 * Also validates the overrides (see {@link promptFor}).
 * @throws CoreError("badInput") when a document template equals the matching query template.
 */
export function instructionSetId(spec: ModelSpec, opts: InstructionOptions): string {
    const templates = effectiveTemplates(spec, opts);
    for (const domain of DOMAINS) {
        const doc = templates[`document.${domain}`];
        if (doc !== "") assertNotQueryTemplate(doc, domain, undefined, spec, opts);
    }
    for (const key of Object.keys(templates)) {
        const [role, domain, lang] = key.split(".");
        if (role === "document" && lang !== undefined && templates[key] !== "") {
            assertNotQueryTemplate(templates[key], domain as Domain, lang, spec, opts);
        }
    }
    const identity = {
        enabled: opts.enabled,
        style: spec.instructionStyle,
        pooling: spec.pooling,
        header: DOCUMENT_FORMAT_VERSION,
        templates,
    };
    return createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 12);
}

/**
 * The text embedded for a chunk: a short context header (path, symbol) and the chunk text. The instruction goes
 * before it, separately ({@link promptFor}).
 * @example "path: src/upload/retry.ts\nsymbol: retryUpload (function)\n\nexport async function retryUpload(..."
 */
export function formatDocument(chunk: Chunk, opts: { includePath?: boolean } = {}): string {
    let header = opts.includePath === false ? "" : `path: ${chunk.path}\n`;
    if (chunk.symbol) {
        const symbol = chunk.symbol.length > MAX_HEADER_SYMBOL ? `${chunk.symbol.slice(0, MAX_HEADER_SYMBOL - 1)}…` : chunk.symbol;
        header += `symbol: ${symbol}${chunk.symbolKind ? ` (${chunk.symbolKind})` : ""}\n`;
    }
    return `${header}\n${chunk.text}`;
}
