/**
 * `--store <postgres-url>` (or SEEK_STORE_URL): the CLI over a team index (#12).
 * - index: builds the folder's local index as without --store (same embedding cache), then publishes the
 *   difference by content hash to the namespace (--repo, --ref; by default from git, as the extension does).
 * - search, similar: answer from the team index, the files that differ from it answered by the local index
 *   (core/teamIndex.ts); while the database cannot be reached, from the local index alone, saying so on stderr.
 * - status: the namespace as the database holds it.
 * The URL may carry a password; every message shows it redacted (store/postgres/connection.ts).
 */
import { resolve } from "node:path";
import { isCoreError } from "../core/errors";
import type { SeekEngine } from "../core/engine";
import { IndexStore } from "../core/store/indexStore";
import { redactedUrl } from "../core/store/postgres/connection";
import { localPublishInput } from "../core/store/postgres/localInput";
import { checkedKey, identityKey, namespaceLabel, type NamespaceKey } from "../core/store/postgres/namespace";
import { PostgresSource } from "../core/store/postgres/postgresSource";
import { PostgresWriter } from "../core/store/postgres/postgresWriter";
import { publish, type PublishReport } from "../core/store/postgres/publish";
import type { Logger } from "../core/types";
import { defaultNamespace } from "../engineHost/teamIndexConfig";
import type { CliArgs } from "./args";

type StoreArgs = Pick<CliArgs, "store" | "repo" | "ref" | "wait" | "json">;

/** The namespace: --repo/--ref where given, else what git says about the folder (teamIndexConfig.ts). */
export function storeNamespace(args: StoreArgs, folder: string): NamespaceKey {
    const fallback = args.repo === undefined || args.ref === undefined ? defaultNamespace(folder) : undefined;
    return checkedKey({ repo: args.repo ?? fallback!.repository, ref: args.ref ?? fallback!.ref });
}

/** search/similar: the engine answers from the team index (connected at the first search) with local changes on top. */
export async function attachStore(engine: SeekEngine, args: StoreArgs, folder: string, logger: Logger): Promise<void> {
    const url = args.store!;
    const key = storeNamespace(args, folder);
    await engine.attachShared(async () => {
        try {
            return await PostgresSource.open(url, key, engine.indexIdentity, { logger });
        } catch (err) {
            // The engine falls back to the local index; on a command line that must not go unsaid.
            if (isCoreError(err, "storeUnreachable")) process.stderr.write(`seek: ${err.message}; answering from the local index\n`);
            throw err;
        }
    });
}

/** index: publishes the (just updated) local index to the namespace; prints one line (or returns it for --json). */
export async function publishToStore(engine: SeekEngine, args: StoreArgs, folder: string, indexDir: string, logger: Logger): Promise<PublishReport & { namespace: string }> {
    const url = args.store!;
    const key = storeNamespace(args, folder);
    // A read-only view of the index the engine just wrote: the publisher reads chunks and vectors, embeds nothing.
    const local = IndexStore.open(resolve(indexDir), engine.indexIdentity, { readOnly: true, logger });
    try {
        const writer = await PostgresWriter.open(url, key, engine.indexIdentity, { logger, wait: args.wait });
        try {
            const report = await publish(writer, localPublishInput(local), { logger });
            if (!args.json) process.stdout.write(`${formatPublished(report, key, url)}\n`);
            return { ...report, namespace: namespaceLabel(key) };
        } finally {
            await writer.close();
        }
    } finally {
        local.close();
    }
}

export function formatPublished(r: PublishReport, key: NamespaceKey, url: string): string {
    const files = `${r.added} new, ${r.updated} changed, ${r.removed} removed, ${r.unchanged} unchanged`;
    const rate = r.chunks > 0 ? ` (${Math.round(r.chunksPerSecond).toLocaleString("en-US")} chunks/s)` : "";
    return `Published ${namespaceLabel(key)} to ${redactedUrl(url)}: ${files} files; ${r.chunks.toLocaleString("en-US")} chunks written in ${r.seconds.toFixed(1)} s${rate}.`;
}

/** status: the namespace as the team index holds it. */
export async function storeStatus(engine: SeekEngine, args: StoreArgs, folder: string, logger: Logger): Promise<string> {
    const url = args.store!;
    const key = storeNamespace(args, folder);
    const source = await PostgresSource.open(url, key, engine.indexIdentity, { logger });
    try {
        const ns = source.namespace;
        if (args.json) {
            return JSON.stringify({
                store: redactedUrl(url),
                namespace: namespaceLabel(key),
                identity: identityKey(ns.identity),
                files: ns.files,
                chunks: ns.chunks,
                embeddedChunks: ns.embedded,
                updatedAt: ns.updatedAt.getTime(),
            });
        }
        return [
            `store:     ${redactedUrl(url)}`,
            `namespace: ${namespaceLabel(key)}`,
            `model:     ${identityKey(ns.identity)}`,
            `files:     ${ns.files.toLocaleString("en-US")}`,
            `chunks:    ${ns.chunks.toLocaleString("en-US")}`,
            `semantic:  ${ns.embedded.toLocaleString("en-US")} chunks embedded`,
            `published: ${ns.updatedAt.toISOString()}`,
        ].join("\n");
    } finally {
        await source.close();
    }
}
