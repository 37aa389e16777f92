/**
 * Indexing cost: a full, fresh index of one repository through the CLI (wall time, files/s, chunks/s, peak RSS of
 * the CLI process via /usr/bin/time, bytes on disk); and time to first result on a fresh ~5,000-file workspace
 * (in-process engine: index with a few files marked as open editors first, search while indexing runs).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR, seekIndex } from "../lib/seekCli.mjs";
import { loadCore } from "./core.mjs";

/** Full fresh index of `folder` via `seek index`. */
export async function fullIndex(folder, { model, threads, log }) {
    const indexDir = join(CACHE_DIR, "speed", "full-index", model);
    const r = await seekIndex(folder, { indexDir, model, instructions: true, threads, log, fresh: true });
    const s = r.status;
    return {
        folder,
        files: s.files,
        chunks: s.chunks,
        wallMs: r.wallMs,
        filesPerSec: s.files / (r.wallMs / 1000),
        chunksPerSec: s.chunks / (r.wallMs / 1000),
        peakRssMiB: r.peakRssKb ? r.peakRssKb / 1024 : undefined,
        bytesOnDisk: s.bytesOnDisk,
        skipped: s.skipped,
    };
}

/**
 * Fresh workspace, open editors given as priority paths; polls a search aimed at one of them while indexing runs.
 * @param {{ folder:string, priorityPaths:string[], query:string, targetPath:string, model:string, timeoutMs?:number }} o
 */
export async function timeToFirstResult(o) {
    const { SeekEngine } = loadCore();
    const indexDir = join(CACHE_DIR, "speed", "first-result");
    rmSync(indexDir, { recursive: true, force: true });
    mkdirSync(indexDir, { recursive: true });
    const started = performance.now();
    const engine = await SeekEngine.open({ folder: o.folder, indexDir, model: o.model });
    const controller = new AbortController();
    const out = { folder: o.folder, priorityPaths: o.priorityPaths, query: o.query, targetPath: o.targetPath };
    let discovered = 0;
    const indexing = (async () => {
        try {
            for await (const p of engine.run({ signal: controller.signal, priorityPaths: o.priorityPaths })) {
                out.firstProgressMs ??= performance.now() - started;
                discovered = Math.max(discovered, p.filesTotal ?? p.total ?? 0);
            }
            out.fullIndexMs = performance.now() - started;
        } catch (err) {
            if (!controller.signal.aborted) out.indexError = String(err);
        }
    })();
    const deadline = started + (o.timeoutMs ?? 600_000);
    try {
        while (performance.now() < deadline && out.fullIndexMs === undefined) {
            const r = await engine.search(o.query, { top: 10 });
            const now = performance.now() - started;
            if (r.hits.length && out.firstAnyResultMs === undefined) out.firstAnyResultMs = now;
            const rank = r.hits.findIndex((h) => h.path === o.targetPath);
            if (rank >= 0) {
                out.firstTargetResultMs = now;
                out.targetRank = rank + 1;
                out.coverageAtHit = r.coverage;
                out.filesIndexedAtHit = engine.status().files;
                break;
            }
            await new Promise((res) => setTimeout(res, 100));
        }
    } finally {
        controller.abort();
        await indexing;
        out.discoveredFiles = discovered;
        await engine.close();
    }
    return out;
}
