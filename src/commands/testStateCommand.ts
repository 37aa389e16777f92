/**
 * `seek._testState` (hidden): a JSON snapshot of what the UI tests cannot see from outside the extension host:
 * index state per folder, the last results, the host's event-loop lag while indexing, webview handshakes.
 * With SEEK_TEST_STATE_FILE set, the same JSON is also written there whenever it changes (for Playwright).
 */
import { rename, writeFile } from "node:fs/promises";
import * as vscode from "vscode";
import { isCoreError } from "../core/errors";
import type { Ctx } from "../ctx";

/** Coalesces state writes: progress events can arrive many times a second. */
const WRITE_THROTTLE_MS = 200;

export function testState(ctx: Ctx): Record<string, unknown> {
    const lag = ctx.lag.stats();
    const last = ctx.search.last;
    return {
        indexReady: ctx.index.isReady(),
        paused: ctx.index.isPaused,
        contextKeys: { "seek.indexReady": ctx.contextValue("seek.indexReady"), "seek.indexPaused": ctx.contextValue("seek.indexPaused") },
        summary: ctx.index.summary(),
        // The engine's IndexStatus per folder name (files, chunks, lastIndexedAt...): changes when a re-index lands.
        status: Object.fromEntries(ctx.index.list().map((f) => [f.folder.name, f.status ?? null])),
        folders: ctx.index.list().map((f) => ({
            name: f.folder.name,
            uri: f.folder.uri.toString(),
            phase: f.phase,
            ...f.counts(),
            files: f.status?.files ?? 0,
            chunks: f.status?.chunks ?? 0,
            pendingFiles: f.status?.pendingFiles ?? 0,
            modelId: f.status?.modelId,
            indexDir: f.options.indexDir,
            error: f.error === undefined ? undefined : f.error instanceof Error ? f.error.message : String(f.error),
            errorReason: isCoreError(f.error) ? f.error.reason : undefined,
        })),
        // Lines here are 1-based, like the CLI's JSON output.
        lastResults: last && {
            seq: last.seq,
            source: last.source,
            query: last.query,
            coverage: last.coverage,
            semanticCoverage: last.semanticCoverage,
            elapsedMs: last.elapsedMs,
            hits: last.hits.map((h) => ({ folder: h.folderName, path: h.path, startLine: h.startLine + 1, endLine: h.endLine + 1, score: h.score, symbol: h.symbol })),
        },
        eventLoopLagP99Ms: lag.p99Ms,
        eventLoopLagMaxMs: lag.maxMs,
        eventLoopLagSamples: lag.samples,
        webviews: ctx.webviewStats,
        panelOpen: ctx.panel !== undefined,
        enginePid: ctx.client.pid,
    };
}

/** A JSON copy: in-process callers of executeCommand get the object itself, which must not change under them. */
export function testStateCommand(ctx: Ctx): Record<string, unknown> {
    return JSON.parse(JSON.stringify(testState(ctx))) as Record<string, unknown>;
}

/** Writes the snapshot to SEEK_TEST_STATE_FILE (atomically, throttled) when that variable is set. */
export function startTestStateFile(ctx: Ctx): vscode.Disposable {
    const file = process.env.SEEK_TEST_STATE_FILE;
    if (!file) return new vscode.Disposable(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    let writing = Promise.resolve();
    const write = () => {
        timer = undefined;
        const json = JSON.stringify(testState(ctx), null, 2);
        writing = writing
            .then(() => writeFile(`${file}.tmp`, json))
            .then(() => rename(`${file}.tmp`, file))
            .catch((err) => ctx.log.debug(`writing ${file} failed: ${String(err)}`));
    };
    const sub = ctx.onDidChangeState(() => {
        timer ??= setTimeout(write, WRITE_THROTTLE_MS);
    });
    write();
    return new vscode.Disposable(() => {
        clearTimeout(timer);
        sub.dispose();
        write();
    });
}
