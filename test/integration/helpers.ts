/** Shared helpers of the integration suite: the test-state hook, polling, and the fixture workspace. */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { IndexStateDto } from "../../src/protocol/messages";

export const EXTENSION_ID = "seek-dev.seek";

export interface FolderState {
    name: string;
    phase: string;
    done: number;
    total: number;
    files: number;
    chunks: number;
    pendingFiles: number;
    error?: string;
    errorReason?: string;
}

export interface TestHit {
    path: string;
    startLine: number;
    endLine: number;
    score: number;
    symbol?: string;
}

/** The summary the status bar and webviews show. */
export type SummaryState = IndexStateDto;

/**
 * Suite hooks for a suite that writes files under `dir` of the fixture workspace: activate and wait for the index
 * first; afterwards resume indexing (a test may have paused it), delete `dir` and wait until the index has caught up.
 */
export function indexedSuite(dir: string): void {
    suiteSetup(async () => {
        await activate();
        await waitForIndex();
    });
    suiteTeardown(async () => {
        await vscode.commands.executeCommand("seek.resumeIndexing");
        await vscode.workspace.fs.delete(fixtureUri(dir), { recursive: true, useTrash: false }).then(undefined, () => undefined);
        await waitForIndex(180_000);
    });
}

export interface TestState {
    indexReady: boolean;
    paused: boolean;
    /** Context keys as the extension last set them (the `when` clauses of its menus read them). */
    contextKeys: Record<"seek.indexReady" | "seek.indexPaused", unknown>;
    summary: SummaryState;
    folders: FolderState[];
    lastResults?: { seq: number; source: "search" | "similar"; query: string; coverage: number; semanticCoverage: number; hits: TestHit[] };
    eventLoopLagP99Ms: number;
    eventLoopLagMaxMs: number;
    eventLoopLagSamples: number;
    webviews: Record<"panel" | "view", { opened: number; ready: number; malformed: number }>;
    panelOpen: boolean;
    enginePid?: number;
}

/** Outcome of seek._search / seek._findSimilar (0-based lines, like the webview protocol). */
export interface Outcome {
    seq: number;
    source: "search" | "similar";
    query: string;
    coverage: number;
    semanticCoverage: number;
    hits: { path: string; startLine: number; endLine: number; score: number; symbol?: string; folder: string; text: string }[];
}

export async function testState(): Promise<TestState> {
    return (await vscode.commands.executeCommand("seek._testState")) as TestState;
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `check` returns a value (not undefined/false), or fails with the last state seen. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
        const v = await check();
        if (v !== undefined && v !== false) return v;
        last = await testState().catch((e: unknown) => String(e));
        await sleep(250);
    }
    assert.fail(`timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
}

/** Waits until every folder is idle with nothing pending, and returns that state. */
export function waitForIndex(timeoutMs = 120_000): Promise<TestState> {
    return waitFor(
        "the index to be complete",
        async () => {
            const s = await testState();
            const failed = s.folders.find((f) => f.phase === "error");
            if (failed) assert.fail(`indexing failed: ${failed.errorReason ?? ""} ${failed.error ?? ""}`);
            const done = s.indexReady && s.folders.length > 0 && s.folders.every((f) => f.phase === "idle" && f.pendingFiles === 0 && f.chunks > 0);
            return done ? s : undefined;
        },
        timeoutMs,
    );
}

export function workspaceFolder(): vscode.WorkspaceFolder {
    const f = vscode.workspace.workspaceFolders?.[0];
    assert.ok(f, "the suite needs the fixture workspace open");
    return f;
}

export function fixtureUri(rel: string): vscode.Uri {
    return vscode.Uri.joinPath(workspaceFolder().uri, ...rel.split("/"));
}

export async function search(query: string, options: Record<string, unknown> = {}): Promise<Outcome> {
    return (await vscode.commands.executeCommand("seek._search", query, options)) as Outcome;
}

export async function activate(): Promise<void> {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await ext.activate();
}
