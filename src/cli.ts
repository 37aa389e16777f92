/**
 * `seek`: the command-line front end over the same core as the extension.
 * Contract (kept exactly; other tools depend on it): see USAGE in cli/args.ts and the README.
 */
process.env.ORT_DISABLE_TELEMETRY = "1";

import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs, parseRange, UsageError, USAGE, type CliArgs } from "./cli/args";
import { formatHits, formatIndexed, formatNotIndexed, formatStatus, notIndexedStatus, ProgressPrinter, stderrLogger, toJsonHit } from "./cli/output";
import { seekCacheRoot } from "./core/cacheRoot";
import { SeekEngine } from "./core/engine";
import { CoreError } from "./core/errors";
import { indexLocation, removeLegacyIndex } from "./core/indexLocation";
import { serveMcpOverStdio } from "./mcp/serveStdio";
import { attachStore, publishToStore, storeStatus } from "./cli/storeCommands";
import type { IndexProgress, SearchOptions } from "./core/types";

/** The folder's index at the location every front end shares (core/indexLocation.ts): the extension's is the CLI's. */
export function defaultIndexDir(folder: string, args: Pick<CliArgs, "model" | "instructions">): string {
    return indexLocation(folder, { model: args.model, instructions: args.instructions });
}

/** Where CLIs before session 6 kept the folder's index (nothing reads it any more). */
function legacyIndexDir(folder: string): string {
    return join(seekCacheRoot(), `${basename(folder) || "root"}-${createHash("sha256").update(folder).digest("hex").slice(0, 16)}`);
}

async function openEngine(args: CliArgs, folder: string, readOnly = false): Promise<SeekEngine> {
    return SeekEngine.open({
        readOnly,
        folder,
        indexDir: args.indexDir ? resolve(args.indexDir) : defaultIndexDir(folder, args),
        model: args.model,
        instructions: args.instructions,
        threads: args.threads,
        logger: stderrLogger(args.verbose),
    });
}

/** Brings the index up to date, showing progress on stderr. Ctrl-C stops cleanly; what is stored stays. */
async function refresh(engine: SeekEngine, args: CliArgs, signal: AbortSignal): Promise<IndexProgress | undefined> {
    const printer = new ProgressPrinter(!args.json || args.command === "index");
    let last: IndexProgress | undefined;
    // search --no-wait: the keyword stage makes the whole folder searchable; the embeddings can wait for a later run.
    // With a team index, search and similar embed nothing locally: the team index has the vectors, and files that
    // differ from it are matched by keyword until `seek index` embeds them.
    const semantic = !(args.command === "search" && args.noWait) && !(args.store && args.command !== "index");
    for await (const p of engine.run({ signal, semantic })) {
        printer.update(p);
        last = p;
    }
    return last;
}

function searchOptions(args: CliArgs, signal: AbortSignal): SearchOptions {
    return { top: args.top, mode: args.mode, task: args.task, signal };
}

async function runSearch(engine: SeekEngine, args: CliArgs, signal: AbortSignal): Promise<void> {
    if (args.queries) {
        const lines = readFileSync(args.queries, "utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
        for (const [n, line] of lines.entries()) {
            let q: { id?: unknown; query?: unknown; task?: unknown };
            try {
                q = JSON.parse(line);
            } catch {
                throw new UsageError(`${args.queries}:${n + 1}: not valid JSON`);
            }
            if (typeof q.query !== "string") throw new UsageError(`${args.queries}:${n + 1}: "query" must be a string`);
            const task = q.task === "code" || q.task === "docs" ? q.task : args.task;
            const result = await engine.search(q.query, { ...searchOptions(args, signal), task });
            process.stdout.write(`${JSON.stringify({ id: q.id ?? n, results: result.hits.map(toJsonHit) })}\n`);
        }
        return;
    }
    const result = await engine.search(args.positional[0], searchOptions(args, signal));
    if (args.json) {
        const out = { results: result.hits.map(toJsonHit), coverage: result.coverage, semanticCoverage: result.semanticCoverage, elapsedMs: Math.round(result.elapsedMs) };
        process.stdout.write(`${JSON.stringify(out)}\n`);
    } else {
        process.stdout.write(`${formatHits(result.hits, result.coverage)}\n`);
    }
}

async function runSimilar(engine: SeekEngine, args: CliArgs, signal: AbortSignal): Promise<void> {
    const target = parseRange(args.positional[0]);
    const result = await engine.similar(target, { top: args.top, signal });
    if (args.json) process.stdout.write(`${JSON.stringify({ results: result.hits.map(toJsonHit) })}\n`);
    else process.stdout.write(`${formatHits(result.hits, result.coverage)}\n`);
}

async function main(argv: string[]): Promise<number> {
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(`${USAGE}\n`);
        return argv.length === 0 ? 2 : 0;
    }
    const args = parseArgs(argv);
    const folder = resolve(args.folder);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`not a folder: ${args.folder}`);
    // The MCP server opens, indexes and closes the folder itself, for as long as its client stays connected.
    if (args.command === "mcp") return serveMcpOverStdio({ folder, open: (readOnly) => openEngine(args, folder, readOnly), logger: stderrLogger(args.verbose) });
    const indexDir = args.indexDir ? resolve(args.indexDir) : defaultIndexDir(folder, args);
    // Opening an engine creates the index directory: asking about a folder must not leave one behind.
    if (args.command === "status" && !args.store && !existsSync(indexDir)) {
        process.stdout.write(args.json ? `${JSON.stringify(notIndexedStatus())}\n` : `${formatNotIndexed(folder)}\n`);
        return 0;
    }
    if (!args.indexDir) removeLegacyIndex(legacyIndexDir(folder), stderrLogger(args.verbose));
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());
    let engine: SeekEngine;
    try {
        engine = await openEngine(args, folder);
    } catch (err) {
        // Another Seek (a VS Code window, another CLI) is writing this index: searching what it has stored so far
        // beats failing; building it is that process's job.
        if (!(err instanceof CoreError && err.reason === "storeLocked") || args.command === "index") throw err;
        engine = await openEngine(args, folder, true);
        process.stderr.write("seek: another process is updating this index; searching what it has stored so far\n");
    }
    if (engine.storeRebuilt === "corrupt") {
        process.stderr.write("seek: the index was damaged; it was moved aside (corrupt-*) and is being rebuilt\n");
    }
    try {
        if (args.store && (args.command === "search" || args.command === "similar")) await attachStore(engine, args, folder, stderrLogger(args.verbose));
        const run = args.command === "status" || engine.readOnly ? undefined : await refresh(engine, args, controller.signal);
        const published = args.store && args.command === "index" ? await publishToStore(engine, args, folder, indexDir, stderrLogger(args.verbose)) : undefined;
        if (args.command === "index") {
            const s = engine.status();
            const skips = engine.skipSummary();
            const skipped = skips.total;
            const embeddedChunks = run?.chunksEmbedded ?? 0;
            // Of the chunks this run stored: how many the model embedded, how many the embedding cache answered.
            const { embedded: modelEmbedded, cached: cacheHits } = engine.embedStats();
            if (args.json) process.stdout.write(`${JSON.stringify({ ...s, skipped, embeddedChunks, modelEmbedded, cacheHits, ...(published && { published }) })}\n`);
            else process.stdout.write(`${formatIndexed(s, skips)}\n`);
        } else if (args.command === "search") {
            await runSearch(engine, args, controller.signal);
        } else if (args.command === "similar") {
            await runSimilar(engine, args, controller.signal);
        } else if (args.store) {
            process.stdout.write(`${await storeStatus(engine, args, folder, stderrLogger(args.verbose))}\n`);
        } else {
            const s = engine.status();
            process.stdout.write(args.json ? `${JSON.stringify({ indexed: true, ...s })}\n` : `${formatStatus(s, folder)}\n`);
        }
    } finally {
        await engine.close();
    }
    return 0;
}

/**
 * Holds the event loop open until main() settles. While main() awaits work that no libuv handle stands for
 * (WebAssembly compiles of the grammars, promise chains between them), the loop runs empty and Node 20 waits in
 * NodePlatform::DrainTasks for V8's background jobs; a Turbofan job that needs a main-thread GC then never finishes,
 * and the process hangs at 0% CPU (seen in `seek index`: main thread in DrainTasks, a compile job in
 * CollectionBarrier::AwaitCollectionBackground; nodejs/node#54918). An active timer keeps the loop from running empty.
 */
const keepAlive = setInterval(() => undefined, 1 << 30);

main(process.argv.slice(2)).then(
    (code) => {
        clearInterval(keepAlive);
        process.exit(code);
    },
    (err: unknown) => {
        if (err instanceof UsageError) {
            process.stderr.write(`seek: ${err.message}\n${USAGE}\n`);
            process.exit(2);
        }
        if (err instanceof CoreError && err.reason === "cancelled") {
            process.stderr.write("\nseek: cancelled (the index keeps what was stored)\n");
            process.exit(1);
        }
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`seek: ${message}\n`);
        if (process.env.SEEK_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ""}\n`);
        process.exit(1);
    },
);
