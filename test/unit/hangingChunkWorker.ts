/**
 * A chunking worker that serves the real protocol and preparation, except that it never finishes the fifth file it
 * is given (a chunker caught in a pathological input); it writes that file's path to SEEK_TEST_HANG_RECORD first.
 * chunkWorker.test.ts checks that the stage leaves that one file out and indexes the rest.
 */
import { writeFileSync } from "node:fs";
import { workerData } from "node:worker_threads";
import { serveChunkRequests } from "../../src/core/chunk/chunkWorkerServe";
import type { ChunkWorkerData } from "../../src/core/chunk/chunkWorkerProtocol";
import { prepareFile } from "../../src/core/filePreparation";

let given = 0;

serveChunkRequests(async (file, options) => {
    if (++given === 5) {
        writeFileSync(process.env.SEEK_TEST_HANG_RECORD!, file.entry.path);
        for (;;);
    }
    return prepareFile(file.entry, file.knownHash, options);
}, workerData as ChunkWorkerData);
