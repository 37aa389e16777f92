/**
 * Missing, truncated and wrong-checksum model files. The real models/ folder is never touched: each case works on a
 * copy in a temp dir, passed as `--model <dir>` (a folder whose seek-model.json names a manifest model is verified
 * against the manifest's sha256, exactly like models/<id>/) or as `modelsDir` to the core API. Expected: exit 1
 * and one line that names the file and the fix (`npm run fetch-model` for manifest models), never a stack trace.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, openSync, readSync, rmSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { SeekEngine } from "../../../src/core/engine";
import { isCoreError } from "../../../src/core/errors";
import { resolveModel } from "../../../src/core/embed/modelRegistry";
import { describe, seek } from "../lib/cli";
import { writeGood } from "../lib/corpus";
import { defaultModelId, modelsDir, removeDir, tempDir, type Scale } from "../lib/env";
import type { Tally } from "../lib/tally";

const ONNX = "model.onnx";
const TOKENIZER = "tokenizer.json";

/** Flips one byte in the middle of a file (same size). */
function flipByte(file: string): void {
    const fd = openSync(file, "r+");
    try {
        const pos = Math.floor(statSync(file).size / 2);
        const b = Buffer.alloc(1);
        readSync(fd, b, 0, 1, pos);
        b[0] ^= 0xff;
        writeSync(fd, b, 0, 1, pos);
    } finally {
        closeSync(fd);
    }
}

interface ModelCase {
    id: string;
    /** Which file the message must name. */
    file: string;
    /** Manifest-verified copy (seek-model.json with the id) or a plain user folder. */
    verified: boolean;
    quick: boolean;
    apply(dir: string): void;
}

const CASES: ModelCase[] = [
    { id: "model.onnx missing", file: ONNX, verified: true, quick: true, apply: (d) => rmSync(join(d, ONNX)) },
    { id: "tokenizer.json missing", file: TOKENIZER, verified: true, quick: false, apply: (d) => rmSync(join(d, TOKENIZER)) },
    { id: "model.onnx truncated to half", file: ONNX, verified: true, quick: false, apply: (d) => truncateSync(join(d, ONNX), Math.floor(statSync(join(d, ONNX)).size / 2)) },
    { id: "model.onnx empty", file: ONNX, verified: true, quick: false, apply: (d) => truncateSync(join(d, ONNX), 0) },
    { id: "model.onnx one byte flipped (wrong checksum, same size)", file: ONNX, verified: true, quick: true, apply: (d) => flipByte(join(d, ONNX)) },
    { id: "tokenizer.json truncated", file: TOKENIZER, verified: true, quick: false, apply: (d) => truncateSync(join(d, TOKENIZER), 1000) },
    { id: "user folder: no .onnx file", file: ONNX, verified: false, quick: false, apply: (d) => rmSync(join(d, ONNX)) },
    { id: "user folder: model.onnx truncated", file: ONNX, verified: false, quick: true, apply: (d) => truncateSync(join(d, ONNX), Math.floor(statSync(join(d, ONNX)).size / 3)) },
    { id: "user folder: tokenizer.json is not JSON", file: TOKENIZER, verified: false, quick: true, apply: (d) => writeFileSync(join(d, TOKENIZER), "{ this is not json") },
    { id: "user folder: tokenizer.json missing", file: TOKENIZER, verified: false, quick: false, apply: (d) => rmSync(join(d, TOKENIZER)) },
];

/**
 * A copy of the default model folder: weights and tokenizer, plus seek-model.json naming the manifest id when
 * `verified` (then checked against the manifest's sha256), else a Hugging Face config.json with the dimensions,
 * as a user's own export would have.
 */
function copyModel(dest: string, verified: boolean): void {
    mkdirSync(dest, { recursive: true });
    const src = join(modelsDir, defaultModelId);
    copyFileSync(join(src, ONNX), join(dest, ONNX));
    copyFileSync(join(src, TOKENIZER), join(dest, TOKENIZER));
    if (verified) writeFileSync(join(dest, "seek-model.json"), JSON.stringify({ id: defaultModelId }));
    else writeFileSync(join(dest, "config.json"), JSON.stringify({ hidden_size: 384 }));
}

export function defineModelFaultSuite(scale: Scale, tally: Tally): void {
    const cases = CASES.filter((c) => scale.name === "full" || c.quick);

    tally.test(`model faults (${scale.name}): ${cases.length} damaged model folders -> exit 1, one line naming the file and the fix`, async () => {
        const work = tempDir("model");
        try {
            const root = join(work, "ws");
            // Several files: a batch of more than one file takes the indexer's per-file fallback path on errors.
            for (let i = 0; i < 5; i++) writeGood(root, `src/m${i}.ts`, `modelws${i}`);
            // Control: an intact copy works, so the failures below are caused by the damage alone.
            const intact = join(work, "intact");
            copyModel(intact, true);
            const ok = await seek(["index", root, "--json", "--model", intact, "--index-dir", join(work, "index-intact")]);
            assert.equal(ok.code, 0, `intact copy: ${describe(ok)}`);
            const problems: string[] = [];
            // A bare user folder (tokenizer.json + model.onnx, nothing else) is documented to work: dimensions are
            // found when the model loads.
            const bare = join(work, "bare");
            mkdirSync(bare);
            copyFileSync(join(modelsDir, defaultModelId, ONNX), join(bare, ONNX));
            copyFileSync(join(modelsDir, defaultModelId, TOKENIZER), join(bare, TOKENIZER));
            const bareRun = await seek(["index", root, "--json", "--model", bare, "--index-dir", join(work, "index-bare")]);
            if (bareRun.code !== 0) problems.push(`[intact user folder without config.json] index: ${describe(bareRun)}\n  -> an intact model folder must work`);
            for (const c of cases) {
                const dir = join(work, c.id.replace(/[^a-z0-9]+/gi, "-"));
                copyModel(dir, c.verified);
                c.apply(dir);
                tally.fault();
                tally.trial();
                for (const cmd of ["index", "search"]) {
                    const args = cmd === "index" ? ["index", root] : ["search", root, "anything"];
                    const r = await seek([...args, "--json", "--model", dir, "--index-dir", join(work, `index-${cmd}`)], { timeoutMs: 120_000 });
                    const lines = r.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("seek: ["));
                    const why = `[${c.id}] ${cmd}: ${describe(r)}`;
                    if (r.code !== 1) problems.push(`${why}\n  -> exit ${r.code}, expected 1${r.code === 0 ? " (a broken model must not give an empty index and success)" : ""}`);
                    else if (lines.length !== 1) problems.push(`${why}\n  -> ${lines.length} stderr lines, expected one`);
                    else if (!lines[0].includes(join(dir, c.file))) problems.push(`${why}\n  -> does not name ${join(dir, c.file)}`);
                    else if (c.verified && !lines[0].includes("npm run fetch-model")) problems.push(`${why}\n  -> does not say \`npm run fetch-model\``);
                    else if (lines[0].length > 400) problems.push(`${why}\n  -> the line is ${lines[0].length} characters long`);
                }
                rmSync(dir, { recursive: true, force: true });
            }
            assert.deepEqual(problems, [], problems.join("\n\n"));
        } finally {
            removeDir(work);
        }
    });

    tally.test("model faults: core API with a modelsDir copy (resolveModel and SeekEngine.open) -> modelMissing / modelCorrupt naming file and fix", async () => {
        const work = tempDir("modelapi");
        try {
            const models = join(work, "models");
            mkdirSync(models);
            copyFileSync(join(modelsDir, "manifest.json"), join(models, "manifest.json"));
            const dir = join(models, defaultModelId);
            copyModel(dir, false);
            assert.equal(resolveModel(undefined, models).id, defaultModelId, "intact copy must resolve");
            const expectError = async (reason: string, file: string, what: string) => {
                tally.fault();
                tally.trial();
                assert.throws(() => resolveModel(defaultModelId, models), (err: unknown) => {
                    assert.ok(isCoreError(err), `${what}: not a CoreError: ${String(err)}`);
                    assert.equal(err.reason, reason, `${what}: ${err.message}`);
                    assert.ok(err.message.includes(join(dir, file)) && err.message.includes("npm run fetch-model"), `${what}: ${err.message}`);
                    return true;
                });
                await assert.rejects(SeekEngine.open({ folder: work, indexDir: join(work, "index"), modelsDir: models }), (err: unknown) => isCoreError(err) && err.reason === reason);
            };
            flipByte(join(dir, ONNX));
            await expectError("modelCorrupt", ONNX, "flipped byte");
            copyModel(dir, false);
            truncateSync(join(dir, TOKENIZER), 10);
            await expectError("modelCorrupt", TOKENIZER, "truncated tokenizer");
            copyModel(dir, false);
            rmSync(join(dir, ONNX));
            await expectError("modelMissing", ONNX, "missing onnx");
            // Probe (reported, not asserted): a flipped byte with size and mtime restored hides behind the checksum cache.
            copyModel(dir, false);
            assert.equal(resolveModel(defaultModelId, models).id, defaultModelId);
            // Bit rot changes neither size nor mtime; `touch -r` restores the nanosecond mtime exactly.
            const ref = join(work, "mtime-ref");
            writeFileSync(ref, "");
            spawnSync("touch", ["-r", join(dir, ONNX), ref]);
            flipByte(join(dir, ONNX));
            spawnSync("touch", ["-r", ref, join(dir, ONNX)]);
            let detected = false;
            try {
                resolveModel(defaultModelId, models);
            } catch {
                detected = true;
            }
            tally.note(`checksum cache probe: a flipped byte with size and mtime restored is ${detected ? "detected" : "NOT detected (the sha256 cache is keyed by size + mtime)"}`);
        } finally {
            removeDir(work);
        }
    });
}
