/**
 * Where the fault suites find the built CLI, the compiled core and the models, and the scale knobs that separate
 * the quick suites (`npm test`) from the full ones (`npm run test:faults`).
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Repository root (this file compiles to out/test/faults/lib/env.js). */
export const repoRoot = resolve(__dirname, "..", "..", "..", "..");
export const cliPath = join(repoRoot, "dist", "cli.js");
export const modelsDir = join(repoRoot, "models");
export const defaultModelId = "bge-small-en-v1.5-q";
/** Compiled helper scripts run as child processes (same folder as this file). */
export const libDir = __dirname;

/** How hard each suite pushes. The quick numbers keep `npm test` within its time budget on 2 cores. */
export interface Scale {
    name: "quick" | "full";
    /** kill -9 trials against `seek index`. */
    killTrials: number;
    /** Files in the "many tiny files" corpus. */
    tinyFiles: number;
    /** Directory depth of the deep-tree case. */
    deepLevels: number;
    /** Chunks in the synthetic load workspace (FakeEmbedder). */
    loadChunks: number;
    /** Searches in a row in the memory-growth test, after warm-up. */
    searchLoops: number;
    /** SIGINT trials. */
    sigintTrials: number;
    /** Also run every bad input alone (isolated folder), not only the mixed corpus. */
    isolatedInputs: boolean;
}

export const QUICK: Scale = {
    name: "quick",
    killTrials: 3,
    tinyFiles: 5_000,
    deepLevels: 120,
    loadChunks: 8_000,
    searchLoops: 300,
    sigintTrials: 1,
    isolatedInputs: false,
};

export const FULL: Scale = {
    name: "full",
    killTrials: 30,
    tinyFiles: 100_000,
    deepLevels: 1_000,
    loadChunks: 200_000,
    searchLoops: 1_000,
    sigintTrials: 5,
    isolatedInputs: true,
};

/** A fresh temp dir, world-readable so the `nobody` cases can enter it. */
export function tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `seek-${prefix}-`));
    chmodSync(dir, 0o755);
    return dir;
}

export function removeDir(dir: string): void {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
