/**
 * The local index as what a publisher reads (publish.ts): its catalog, and each file's chunks with the vectors the
 * local run computed, so publishing embeds nothing again.
 */
import type { IndexStore } from "../indexStore";
import type { PublishInput } from "./publish";

export function localPublishInput(store: IndexStore): PublishInput {
    return {
        fileHashes: () => store.catalog(),
        fileChunks: (path) =>
            store.chunksForPath(path).map(({ id, ...chunk }) => {
                const vector = store.vectorOf(id);
                return vector ? { ...chunk, vector } : chunk;
            }),
    };
}
