/**
 * worker_threads entry of the chunking worker (chunkWorkerClient.ts starts it): prepares files for the keyword
 * stage (filePreparation.ts) while the indexer's thread writes the previous ones to SQLite, so two cores work.
 * Requests are served one at a time in arrival order, since the indexer consumes answers in that order.
 * Bundled to dist/chunkWorker.js (esbuild.mjs); under tsc it is out/src/core/chunk/chunkWorker.js.
 */
import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import { prepareFile, type PreparationOptions } from "../filePreparation";
import type { Logger } from "../types";
import type { ChunkWorkerData, FromChunkWorker, LogLevel, PrepareRequest } from "./chunkWorkerProtocol";

const port = parentPort;
if (!port) throw new Error("chunkWorker.js must run as a worker thread");
const post = (msg: FromChunkWorker) => port.postMessage(msg);

const forward =
    (level: LogLevel) =>
    (message: string | Error, ...args: unknown[]): void =>
        post({ type: "log", level, message: format(message, ...args) });
const logger: Logger = { trace: forward("trace"), debug: forward("debug"), info: forward("info"), warn: forward("warn"), error: forward("error") };

const options: PreparationOptions = { ...(workerData as ChunkWorkerData), logger, countTerms: true };

async function serve(request: PrepareRequest): Promise<void> {
    const results = [];
    for (const f of request.files) results.push(await prepareFile(f.entry, f.knownHash, options));
    post({ type: "prepared", id: request.id, results });
}

// A failure here is a bug, not a bad file (prepareFile never throws for those): it is left unhandled on purpose,
// so the worker dies and the indexer finishes the run in its own thread.
let queue = Promise.resolve();
port.on("message", (request: PrepareRequest) => {
    queue = queue.then(() => serve(request));
});
