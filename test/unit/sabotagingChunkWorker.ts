/**
 * A chunking worker that serves the real protocol and preparation, except for the fifth file it is given, whose
 * path it first writes to SEEK_TEST_SABOTAGE_RECORD. With SEEK_TEST_SABOTAGE=hang it never finishes that file (a
 * chunker caught in a pathological input); with =delete it deletes the file just before reading it (a file gone
 * between discovery and read, on the worker's side). chunkWorker.test.ts checks what the stage makes of each.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { workerData } from "node:worker_threads";
import { serveChunkRequests } from "../../src/core/chunk/chunkWorkerServe";
import type { ChunkWorkerData } from "../../src/core/chunk/chunkWorkerProtocol";
import { prepareFile } from "../../src/core/filePreparation";

let given = 0;

serveChunkRequests(async (file, options) => {
    if (++given === 5) {
        writeFileSync(process.env.SEEK_TEST_SABOTAGE_RECORD!, file.entry.path);
        if (process.env.SEEK_TEST_SABOTAGE === "hang") for (;;);
        rmSync(join(options.folder, file.entry.path));
    }
    return prepareFile(file.entry, file.knownHash, options);
}, workerData as ChunkWorkerData);
