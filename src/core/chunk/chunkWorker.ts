/**
 * worker_threads entry of the chunking worker (chunkWorkerClient.ts starts it): prepares files for the keyword
 * stage (filePreparation.ts) while the indexer's thread writes the previous ones to SQLite, so two cores work.
 * Bundled to dist/chunkWorker.js (esbuild.mjs); under tsc it is out/src/core/chunk/chunkWorker.js.
 */
import { workerData } from "node:worker_threads";
import { prepareFile } from "../filePreparation";
import type { ChunkWorkerData } from "./chunkWorkerProtocol";
import { serveChunkRequests } from "./chunkWorkerServe";

serveChunkRequests((file, options) => prepareFile(file.entry, file.knownHash, options), workerData as ChunkWorkerData);
