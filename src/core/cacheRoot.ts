/**
 * Where Seek keeps per-user caches: `$XDG_CACHE_HOME/seek` or `~/.cache/seek`. The CLI's indexes and the embedding
 * cache shared by the CLI and the extension live here, so both front ends find each other's vectors.
 */
import { homedir } from "node:os";
import { join } from "node:path";

export function seekCacheRoot(): string {
    return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "seek");
}

/** The default embedding cache directory (EngineOptions.embeddingCache). */
export function defaultEmbeddingCacheDir(): string {
    return join(seekCacheRoot(), "embeddings");
}
