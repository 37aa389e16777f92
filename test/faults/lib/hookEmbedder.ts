/**
 * A deterministic test embedder with fault hooks, for driving SeekEngine through the core API without the model:
 * vectors come from a hash of the text (same text, same vector), and `onEmbed` runs before every call so a test
 * can change the workspace at an exact point of an indexing run.
 */
import { createHash } from "node:crypto";
import { CoreError } from "../../../src/core/errors";
import type { Embedder, PromptedText } from "../../../src/core/types";

export class HookEmbedder implements Embedder {
    readonly modelId = "hook-embedder";
    calls = 0;
    texts = 0;

    constructor(
        readonly dimensions = 384,
        private readonly onEmbed?: (call: number, texts: PromptedText[]) => void | Promise<void>,
    ) {}

    async embed(texts: PromptedText[], signal?: AbortSignal): Promise<Float32Array[]> {
        this.calls++;
        if (signal?.aborted) throw new CoreError("cancelled", "cancelled");
        await this.onEmbed?.(this.calls, texts);
        this.texts += texts.length;
        return texts.map((t) => hashVector(`${t.instruction}${t.text}`, this.dimensions));
    }

    async dispose(): Promise<void> {}
}

/** A unit vector derived from sha256 of the text (deterministic, roughly uniform). */
export function hashVector(text: string, dims: number): Float32Array {
    const v = new Float32Array(dims);
    let block = createHash("sha256").update(text).digest();
    for (let i = 0; i < dims; i++) {
        if (i % 32 === 0 && i > 0) block = createHash("sha256").update(block).digest();
        v[i] = block[i % 32] / 127.5 - 1;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dims; i++) v[i] /= norm;
    return v;
}
