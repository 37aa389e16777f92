#!/usr/bin/env node
/**
 * Embedding throughput on the same texts, one implementation per process (so thread pools never mix):
 *   --impl raw           InferenceSession.run on pre-tokenised, length-sorted batches (inference only)
 *   --impl seek          Seek's pipeline: its embedder (tokenise + batch + infer + pool, in its worker) + store write
 *   --impl transformers  @huggingface/transformers pipeline('feature-extraction'), same model files, dtype q8
 *
 *   node bench/speed/embed.mjs --impl raw --threads 1 --batches plan,16,32 --n 256 --model bge-small-en-v1.5-q
 * Batch "plan" = Seek's own batch plan (4096 padded tokens, longest first): the like-for-like comparison.
 * Prints one JSON line: [{ impl, threads, batch, ms, chunks, tokens, chunksPerSec, tokensPerSec }].
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseFlags } from "../lib/args.mjs";
import { CACHE_DIR } from "../lib/seekCli.mjs";
import { REPO_ROOT } from "../semble/data.mjs";
import { sampleTexts } from "./corpus.mjs";
import { engineIdentity, engineStore, loadCore } from "./core.mjs";
import { pretokenize, timeRaw, timeTransformers } from "./rawOrt.mjs";

const POOLING = { "bge-small-en-v1.5-q": "cls", "bge-small-en-v1.5": "cls", "e5-small-v2-q": "mean", "all-minilm-l6-v2-q": "mean" };

/**
 * Seek's pipeline, measured through the engine's own embedder and store: texts go in as document prompts,
 * vectors come back pooled and normalised, and are written as one file per text.
 */
async function timeSeek(model, texts, threads) {
    const { SeekEngine } = loadCore();
    const indexDir = join(CACHE_DIR, "speed", `embed-seek-${process.pid}`);
    const folder = join(CACHE_DIR, "speed", "empty-folder");
    mkdirSync(folder, { recursive: true });
    rmSync(indexDir, { recursive: true, force: true });
    const engine = await SeekEngine.open({ folder, indexDir, model, threads });
    try {
        const embedder = engine.embedder;
        const store = engineStore(engine);
        engineIdentity(engine);
        const prompt = (text) => engine.prompt({ role: "document", domain: "code", language: "python", text });
        await embedder.embed(texts.slice(0, 8).map(prompt));
        const started = performance.now();
        const vectors = await embedder.embed(texts.map(prompt));
        const embedMs = performance.now() - started;
        store.replaceFiles(
            texts.map((text, i) => ({
                file: { path: `t${i}.py`, size: text.length, mtimeMs: 0, hash: `h${i}` },
                chunks: [{ path: `t${i}.py`, startLine: 1, endLine: text.split("\n").length, language: "python", kind: "code", text }],
                vectors: [vectors[i]],
            })),
        );
        return { ms: performance.now() - started, embedMs, chunks: texts.length };
    } finally {
        await engine.close();
        rmSync(indexDir, { recursive: true, force: true });
    }
}

async function main() {
    const args = parseFlags(process.argv.slice(2), { lists: ["batches"] });
    const model = args.model ?? "bge-small-en-v1.5-q";
    const modelDir = join(REPO_ROOT, "models", model);
    const threads = Number(args.threads ?? 1);
    const n = Number(args.n ?? 256);
    const texts = sampleTexts(args.reposDir ?? join(REPO_ROOT, "..", "bench-repos"), n);
    const encoded = pretokenize(modelDir, texts);
    const tokens = encoded.reduce((a, e) => a + e.length, 0);
    const rows = [];
    const row = (impl, batch, r) => rows.push({ impl, threads, batch, ...r, tokens, chunksPerSec: texts.length / (r.ms / 1000), tokensPerSec: tokens / (r.ms / 1000) });
    const batches = (args.batches ?? ["plan"]).map((b) => (b === "plan" ? b : Number(b)));
    if (args.impl === "raw") {
        for (const b of batches) row("raw", b, await timeRaw(modelDir, encoded, { threads, batchSize: b }));
    } else if (args.impl === "transformers") {
        for (const b of batches) row("transformers", b, await timeTransformers(modelDir, model, texts, encoded, { threads, batchSize: b, pooling: POOLING[model] }));
    } else if (args.impl === "seek") {
        row("seek", "plan", await timeSeek(model, texts, threads));
    } else {
        throw new Error("--impl raw|seek|transformers");
    }
    process.stdout.write(`${JSON.stringify(rows)}\n`);
}

main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
});
