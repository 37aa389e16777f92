/**
 * Model resolution: manifest ids, local folders, and the errors for missing, corrupt and unknown models. Uses the
 * fetched models under models/ (npm run fetch-model) and throwaway copies in a temp folder.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, openSync, readSync, closeSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isCoreError } from "../../src/core/errors";
import { CHECKSUM_CACHE_FILE } from "../../src/core/embed/modelChecksum";
import { defaultModelsDir, findPackageRoot, loadManifest, resolveModel } from "../../src/core/embed/modelRegistry";

const repoRoot = resolve(__dirname, "..", "..", "..");
const modelsDir = join(repoRoot, "models");
const BGE = "bge-small-en-v1.5-q";

function tmp(): string {
    return mkdtempSync(join(tmpdir(), "seek-embed-reg-"));
}

/** A models folder holding the real manifest and whatever files the test puts in. */
function modelsCopy(): string {
    const dir = tmp();
    copyFileSync(join(modelsDir, "manifest.json"), join(dir, "manifest.json"));
    return dir;
}

function assertReason(fn: () => unknown, reason: Parameters<typeof isCoreError>[1], pattern?: RegExp): void {
    assert.throws(fn, (err: unknown) => {
        assert.ok(isCoreError(err, reason), `expected CoreError(${reason}), got ${String(err)}`);
        if (pattern) assert.match((err as Error).message, pattern);
        return true;
    });
}

test("findPackageRoot walks up to the folder with models/manifest.json", () => {
    assert.equal(findPackageRoot(__dirname), repoRoot);
    assert.equal(findPackageRoot(join(repoRoot, "models")), repoRoot);
    assert.equal(defaultModelsDir(), modelsDir);
    assertReason(() => findPackageRoot(tmpdir()), "modelMissing", /models\/manifest\.json/);
});

test("manifest models resolve with their pooling, limits and instructions", () => {
    const manifest = loadManifest(modelsDir);
    const def = resolveModel(undefined);
    assert.equal(def.id, manifest.default);
    const bge = resolveModel(BGE, modelsDir);
    assert.equal(bge.pooling, "cls");
    assert.equal(bge.dimensions, 384);
    assert.equal(bge.maxTokens, 512);
    assert.equal(bge.instructionStyle, "prefix");
    assert.equal(bge.onnxPath, join(modelsDir, BGE, "model.onnx"));
    assert.equal(bge.instructions.query.code, "Represent this sentence for searching relevant passages: ");
    assert.equal(bge.instructions.document.code, "");
    const e5 = resolveModel("e5-small-v2-q", modelsDir);
    assert.equal(e5.pooling, "mean");
    assert.equal(e5.instructions.document.docs, "passage: ");
    const minilm = resolveModel("all-minilm-l6-v2-q", modelsDir);
    assert.equal(minilm.maxTokens, 256);
    assert.equal(minilm.instructionStyle, "none");
});

test("unknown id -> unknownModel listing the known ids", () => {
    assertReason(() => resolveModel("no-such-model", modelsDir), "unknownModel", /no-such-model.*bge-small-en-v1\.5-q/);
});

test("missing model file -> modelMissing naming the file and the fix", () => {
    const dir = modelsCopy();
    try {
        assertReason(
            () => resolveModel(BGE, dir),
            "modelMissing",
            new RegExp(`Model file not found: ${join(dir, BGE, "model.onnx").replace(/[.\\]/g, "\\$&")}\\. Run \`npm run fetch-model\` to download it\\.`),
        );
        // A non-default model names itself in the fetch command.
        assertReason(() => resolveModel("e5-small-v2-q", dir), "modelMissing", /npm run fetch-model -- e5-small-v2-q/);
        // The tokenizer is checked as well.
        mkdirSync(join(dir, BGE));
        symlinkSync(join(modelsDir, BGE, "model.onnx"), join(dir, BGE, "model.onnx"));
        assertReason(() => resolveModel(BGE, dir), "modelMissing", /tokenizer\.json.*npm run fetch-model/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

/** The first `bytes` bytes of a file, written to `to` (a download cut short). */
function truncatedCopy(from: string, to: string, bytes: number): void {
    const buf = Buffer.alloc(bytes);
    const fd = openSync(from, "r");
    try {
        readSync(fd, buf, 0, bytes, 0);
    } finally {
        closeSync(fd);
    }
    writeFileSync(to, buf);
}

test("truncated model copy -> modelCorrupt naming the file and the fix", () => {
    const dir = modelsCopy();
    try {
        mkdirSync(join(dir, BGE));
        copyFileSync(join(modelsDir, BGE, "tokenizer.json"), join(dir, BGE, "tokenizer.json"));
        truncatedCopy(join(modelsDir, BGE, "model.onnx"), join(dir, BGE, "model.onnx"), 1 << 20);
        assertReason(
            () => resolveModel(BGE, dir),
            "modelCorrupt",
            /model\.onnx.*sha256 mismatch|sha256 mismatch.*model\.onnx/,
        );
        assertReason(() => resolveModel(BGE, dir), "modelCorrupt", /npm run fetch-model/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("checksums are cached by size and mtime, and a changed file is hashed again", () => {
    const dir = modelsCopy();
    try {
        const m = join(dir, BGE);
        mkdirSync(m);
        copyFileSync(join(modelsDir, BGE, "tokenizer.json"), join(m, "tokenizer.json"));
        copyFileSync(join(modelsDir, BGE, "model.onnx"), join(m, "model.onnx"));
        resolveModel(BGE, dir);
        const cache = JSON.parse(readFileSync(join(m, CHECKSUM_CACHE_FILE), "utf8")) as Record<string, { size: number; sha256: string }>;
        assert.equal(cache["model.onnx"].size, statSync(join(m, "model.onnx")).size);
        assert.equal(cache["model.onnx"].sha256, loadManifest(dir).models.find((x) => x.id === BGE)!.files.onnx.sha256);
        // A cached entry is trusted while size and mtime match: poisoning it proves the file is not re-read.
        cache["model.onnx"].sha256 = "0".repeat(64);
        writeFileSync(join(m, CHECKSUM_CACHE_FILE), JSON.stringify(cache));
        assertReason(() => resolveModel(BGE, dir), "modelCorrupt");
        // A new mtime invalidates the entry: the file is hashed again, matches, and the cache is repaired.
        utimesSync(join(m, "model.onnx"), new Date(), new Date(Date.now() - 60_000));
        assert.equal(resolveModel(BGE, dir).id, BGE);
        const repaired = JSON.parse(readFileSync(join(m, CHECKSUM_CACHE_FILE), "utf8")) as typeof cache;
        assert.notEqual(repaired["model.onnx"].sha256, "0".repeat(64));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("local folder: tokenizer.json + onnx/model*.onnx, defaults without seek-model.json", () => {
    const dir = tmp();
    try {
        mkdirSync(join(dir, "onnx"));
        symlinkSync(join(modelsDir, BGE, "tokenizer.json"), join(dir, "tokenizer.json"));
        symlinkSync(join(modelsDir, BGE, "model.onnx"), join(dir, "onnx", "model_quantized.onnx"));
        const spec = resolveModel(dir, modelsDir);
        assert.equal(spec.id, `local:${dir}`);
        assert.equal(spec.onnxPath, join(dir, "onnx", "model_quantized.onnx"));
        assert.equal(spec.pooling, "mean");
        assert.equal(spec.maxTokens, 512);
        assert.equal(spec.instructionStyle, "none");
        assert.equal(spec.dimensions, 0, "unknown until loaded");
        assert.deepEqual(spec.instructions.query, { code: "", docs: "" });
        // config.json's hidden_size gives the dimensions up front.
        writeFileSync(join(dir, "config.json"), JSON.stringify({ hidden_size: 384 }));
        assert.equal(resolveModel(dir, modelsDir).dimensions, 384);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("local folder: seek-model.json settings, id-only folders, and errors", () => {
    const dir = tmp();
    try {
        symlinkSync(join(modelsDir, BGE, "tokenizer.json"), join(dir, "tokenizer.json"));
        assertReason(() => resolveModel(dir, modelsDir), "modelMissing", /Model file not found: .*model\.onnx/);
        symlinkSync(join(modelsDir, BGE, "model.onnx"), join(dir, "model.onnx"));
        writeFileSync(join(dir, "seek-model.json"), JSON.stringify({ id: "my-model", pooling: "cls", maxTokens: 128, instructions: { query: { code: "Q: " } } }));
        const spec = resolveModel(dir, modelsDir);
        assert.equal(spec.id, "my-model");
        assert.equal(spec.pooling, "cls");
        assert.equal(spec.maxTokens, 128);
        assert.equal(spec.instructions.query.code, "Q: ");
        assert.equal(spec.instructions.query.docs, "");
        // What fetch-model writes: only the manifest id -> exactly that model (checksums verified).
        writeFileSync(join(dir, "seek-model.json"), JSON.stringify({ id: BGE }));
        const same = resolveModel(dir, modelsDir);
        assert.equal(same.id, BGE);
        assert.equal(same.pooling, "cls");
        assert.equal(same.dir, dir);
        // A manifest id with changed settings is a different model for the index.
        writeFileSync(join(dir, "seek-model.json"), JSON.stringify({ id: BGE, maxTokens: 256 }));
        const changed = resolveModel(dir, modelsDir);
        assert.equal(changed.id, `local:${dir}`);
        assert.equal(changed.pooling, "cls", "inherits the manifest entry");
        assert.equal(changed.instructions.query.code, "Represent this sentence for searching relevant passages: ");
        writeFileSync(join(dir, "seek-model.json"), JSON.stringify({ pooling: "max" }));
        assertReason(() => resolveModel(dir, modelsDir), "badInput", /pooling/);
        writeFileSync(join(dir, "seek-model.json"), "{ not json");
        assertReason(() => resolveModel(dir, modelsDir), "badInput", /seek-model\.json/);
        assertReason(() => resolveModel(join(dir, "nope"), modelsDir), "modelMissing", /Model folder not found/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
