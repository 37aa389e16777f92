/**
 * Instruction choice (role x domain x language, overrides, on/off), the index-identity hash of the instruction set,
 * and the document header. Pure functions over the manifest specs; no inference.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isCoreError } from "../../src/core/errors";
import { DOCUMENT_FORMAT_VERSION, formatDocument, instructionSetId, promptFor } from "../../src/core/embed/instructions";
import { instructorTemplates, type ModelSpec } from "../../src/core/embed/modelSpec";
import { resolveModel } from "../../src/core/embed/modelRegistry";
import type { EmbedInput } from "../../src/core/types";

const BGE_QUERY = "Represent this sentence for searching relevant passages: ";
const on = { enabled: true };
const bge = () => resolveModel("bge-small-en-v1.5-q", undefined, { skipChecksum: true });
const e5 = () => resolveModel("e5-small-v2-q", undefined, { skipChecksum: true });
const minilm = () => resolveModel("all-minilm-l6-v2-q", undefined, { skipChecksum: true });

/** An INSTRUCTOR-style spec (no files needed for prompt tests). */
function instructor(): ModelSpec {
    return { ...bge(), id: "instructor-test", pooling: "mean", instructionStyle: "instructor", instructions: instructorTemplates() };
}

const input = (role: EmbedInput["role"], domain: EmbedInput["domain"], language?: string): EmbedInput => ({
    role,
    domain,
    language,
    text: "retry a failed upload",
});

test("manifest conventions: BGE query instruction only on queries, E5 query/passage prefixes", () => {
    assert.deepEqual(promptFor(input("query", "code"), bge(), on), { instruction: BGE_QUERY, text: "retry a failed upload" });
    assert.equal(promptFor(input("query", "docs"), bge(), on).instruction, BGE_QUERY);
    assert.equal(promptFor(input("document", "code", "python"), bge(), on).instruction, "");
    assert.equal(promptFor(input("similar", "code", "python"), bge(), on).instruction, "");
    assert.equal(promptFor(input("query", "code"), e5(), on).instruction, "query: ");
    assert.equal(promptFor(input("document", "docs", "markdown"), e5(), on).instruction, "passage: ");
    assert.equal(promptFor(input("query", "code"), minilm(), on).instruction, "");
});

test("documents never get a query instruction, for any model, role template or language", () => {
    for (const spec of [bge(), e5(), minilm(), instructor()]) {
        for (const domain of ["code", "docs"] as const) {
            for (const language of [undefined, "python", "markdown"]) {
                const doc = promptFor(input("document", domain, language), spec, on).instruction;
                const query = promptFor(input("query", domain, language), spec, on).instruction;
                if (doc !== "") assert.notEqual(doc, query, `${spec.id} ${domain} ${language}`);
                assert.ok(!doc.includes("question") && !doc.startsWith("query:") && doc !== BGE_QUERY, `${spec.id}: ${doc}`);
            }
        }
    }
    // An override that would do it is refused, both when the identity is computed and per prompt.
    const bad = { enabled: true, overrides: { document: { code: BGE_QUERY } } };
    const refused = (err: unknown) => isCoreError(err, "badInput") && /query instruction/.test((err as Error).message);
    assert.throws(() => instructionSetId(bge(), bad), refused);
    assert.throws(() => promptFor(input("document", "code"), bge(), bad), refused);
    const badLang = { enabled: true, overrides: { query: { rust: "R: " }, document: { rust: "R: " } } };
    assert.throws(() => instructionSetId(bge(), badLang), refused);
    assert.equal(promptFor(input("document", "code", "go"), bge(), badLang).instruction, "", "other languages unaffected");
});

test("overrides: language beats domain beats '*' beats the manifest", () => {
    const overrides = {
        query: { python: "Find Python: ", code: "Find code: ", "*": "Find: " },
        document: { docs: "Doc: " },
    };
    const opts = { enabled: true, overrides };
    assert.equal(promptFor(input("query", "code", "python"), bge(), opts).instruction, "Find Python: ");
    assert.equal(promptFor(input("query", "code", "go"), bge(), opts).instruction, "Find code: ");
    assert.equal(promptFor(input("query", "code"), bge(), opts).instruction, "Find code: ");
    assert.equal(promptFor(input("query", "docs"), bge(), opts).instruction, "Find: ");
    assert.equal(promptFor(input("document", "docs", "markdown"), bge(), opts).instruction, "Doc: ");
    assert.equal(promptFor(input("document", "code", "python"), bge(), opts).instruction, "", "manifest");
    assert.equal(promptFor(input("similar", "code", "python"), e5(), opts).instruction, "query: ", "manifest");
});

test("{language} becomes the human name; without a language the word is dropped", () => {
    const spec = instructor();
    assert.equal(promptFor(input("document", "code", "python"), spec, on).instruction, "Represent the Python code for retrieval: ");
    assert.equal(promptFor(input("document", "code", "cpp"), spec, on).instruction, "Represent the C++ code for retrieval: ");
    assert.equal(promptFor(input("document", "code", "zig"), spec, on).instruction, "Represent the Zig code for retrieval: ");
    assert.equal(promptFor(input("document", "code", "brainfuck"), spec, on).instruction, "Represent the brainfuck code for retrieval: ");
    assert.equal(promptFor(input("document", "code"), spec, on).instruction, "Represent the code for retrieval: ");
    assert.equal(promptFor(input("query", "code"), spec, on).instruction, "Represent the question for retrieving relevant code: ");
    const opts = { enabled: true, overrides: { query: { typescript: "Which {language} function does this: " } } };
    assert.equal(promptFor(input("query", "code", "typescript"), bge(), opts).instruction, "Which TypeScript function does this: ");
});

test("disabled: no instruction anywhere; style 'none' ignores overrides", () => {
    const off = { enabled: false, overrides: { query: { code: "Q: " } } };
    for (const spec of [bge(), e5(), instructor()]) {
        for (const role of ["query", "document", "similar"] as const) {
            assert.deepEqual(promptFor(input(role, "code", "python"), spec, off), { instruction: "", text: "retry a failed upload" });
        }
    }
    assert.equal(promptFor(input("query", "code"), minilm(), { enabled: true, overrides: { query: { code: "Q: " } } }).instruction, "");
});

test("instructionSetId: stable, short, and changes with anything that changes the embedded text", () => {
    const id = instructionSetId(bge(), on);
    assert.match(id, /^[0-9a-f]{12}$/);
    assert.equal(instructionSetId(bge(), { enabled: true }), id, "stable");
    assert.equal(instructionSetId(bge(), { enabled: true, overrides: {} }), id, "empty overrides change nothing");
    assert.equal(
        instructionSetId(bge(), { enabled: true, overrides: { query: { code: BGE_QUERY } } }),
        id,
        "an override equal to the manifest changes nothing",
    );
    const ids = new Set([
        id,
        instructionSetId(bge(), { enabled: false }),
        instructionSetId(e5(), on),
        instructionSetId(bge(), { enabled: true, overrides: { query: { code: "Find: " } } }),
        instructionSetId(bge(), { enabled: true, overrides: { query: { python: "Find: " } } }),
        instructionSetId(instructor(), on),
        instructionSetId({ ...instructor(), pooling: "cls" }, on),
    ]);
    assert.equal(ids.size, 7);
    assert.equal(DOCUMENT_FORMAT_VERSION, 1, "bump it (and this test) when formatDocument changes");
});

test("formatDocument: a short path/symbol header, then the chunk text", () => {
    const chunk = {
        path: "src/upload/retry.ts",
        startLine: 15,
        endLine: 28,
        language: "typescript",
        kind: "code" as const,
        symbol: "retryUpload",
        symbolKind: "function",
        text: "export async function retryUpload() {}",
    };
    assert.equal(formatDocument(chunk), "path: src/upload/retry.ts\nsymbol: retryUpload (function)\n\nexport async function retryUpload() {}");
    assert.equal(formatDocument({ ...chunk, symbol: undefined, symbolKind: undefined }), "path: src/upload/retry.ts\n\nexport async function retryUpload() {}");
    assert.equal(formatDocument({ ...chunk, symbolKind: undefined }), "path: src/upload/retry.ts\nsymbol: retryUpload\n\nexport async function retryUpload() {}");
    const long = formatDocument({ ...chunk, symbol: "A > ".repeat(100) });
    assert.ok(long.split("\n")[1].length < 140, "long heading paths are cut");
});
