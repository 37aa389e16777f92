/**
 * The token estimate against the real tokenizer of the default model (models/bge-small-en-v1.5-q/tokenizer.json,
 * fetched by `npm run fetch-model`): it must be an upper bound for at least 95% of the chunks the chunker makes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { chunkFile, estimateTokens } from "../../src/core/chunk/index";
import { fixtureDir, workspaceDir } from "./chunkHelpers";

const tokenizerPath = resolve(
    __dirname,
    "..",
    "..",
    "..",
    "models",
    "bge-small-en-v1.5-q",
    "tokenizer.json",
);

/** The real tokenizer. A dynamic import: the package is ESM and this test compiles to CommonJS. */
async function loadTokenizer() {
    assert.ok(existsSync(tokenizerPath), `${tokenizerPath} is missing: run npm run fetch-model`);
    const { Tokenizer } = await import("@huggingface/tokenizers");
    return new Tokenizer(JSON.parse(readFileSync(tokenizerPath, "utf8")), {});
}

function files(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
    );
}

test("estimateTokens: basics", () => {
    assert.equal(estimateTokens(""), 0);
    assert.equal(estimateTokens("   \n\t  \r\n"), 0);
    assert.ok(
        estimateTokens("getUserById(user_id);") > estimateTokens("get the user by id"),
        "code costs more than prose",
    );
    assert.ok(estimateTokens("a".repeat(400)) >= 100);
    assert.ok(estimateTokens("漢字かな") >= 4, "each CJK character is a token");
});

test("the estimate bounds the real token count for >= 95% of chunks", async () => {
    const tokenizer = await loadTokenizer();
    const real = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids.length;
    // A long real file too: this repository's chunker sources (code) and the fixtures (code + docs).
    const sources = [
        ...files(fixtureDir),
        ...files(workspaceDir),
        ...files(resolve(__dirname, "..", "..", "..", "src", "core", "chunk")),
    ];
    let total = 0;
    let bounded = 0;
    const worst: string[] = [];
    for (const file of sources) {
        const text = readFileSync(file, "utf8");
        for (const maxTokens of [60, 150, 400]) {
            for (const c of await chunkFile(relative(fixtureDir, file), text, { maxTokens })) {
                const r = real(c.text);
                const e = estimateTokens(c.text);
                total++;
                if (r <= e) bounded++;
                else if (r > e * 1.2) worst.push(`${file}:${c.startLine} real ${r} est ${e}`);
                // The model reads 512 tokens: even a chunk the estimate misjudges must not get near that.
                assert.ok(r <= 512, `${file}:${c.startLine}-${c.endLine} has ${r} real tokens`);
            }
        }
    }
    assert.ok(total > 100, `only ${total} chunks`);
    assert.ok(
        bounded / total >= 0.95,
        `estimate bounds ${bounded}/${total} chunks; worst: ${worst.slice(0, 5).join("; ")}`,
    );
});
