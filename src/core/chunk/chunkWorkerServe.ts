/**
 * The chunking worker's side of chunkWorkerProtocol.ts: requests are served one at a time in arrival order (the
 * indexer consumes answers in that order), and the worker says when it starts each file, so that the indexer can
 * tell which file a worker that went silent is stuck on. Kept apart from chunkWorker.ts so a test worker can serve
 * the same protocol with a preparation of its own.
 */
import { format } from "node:util";
import { parentPort } from "node:worker_threads";
import type { FilePreparation, PreparationOptions } from "../filePreparation";
import type { Logger } from "../types";
import type { ChunkWorkerData, FileToPrepare, FromChunkWorker, LogLevel, PrepareRequest } from "./chunkWorkerProtocol";

export type Prepare = (file: FileToPrepare, options: PreparationOptions) => Promise<FilePreparation>;

export function serveChunkRequests(prepare: Prepare, data: ChunkWorkerData): void {
    const port = parentPort;
    if (!port) throw new Error("the chunking worker must run as a worker thread");
    const post = (msg: FromChunkWorker) => port.postMessage(msg);
    const forward =
        (level: LogLevel) =>
        (message: string | Error, ...args: unknown[]): void =>
            post({ type: "log", level, message: format(message, ...args) });
    const logger: Logger = { trace: forward("trace"), debug: forward("debug"), info: forward("info"), warn: forward("warn"), error: forward("error") };
    const options: PreparationOptions = { ...data, logger, countTerms: true };

    async function serve(request: PrepareRequest): Promise<void> {
        const results = [];
        for (const [index, file] of request.files.entries()) {
            post({ type: "started", id: request.id, index });
            results.push(await prepare(file, options));
        }
        post({ type: "prepared", id: request.id, results });
    }

    // A failure here is a bug, not a bad file (prepareFile never throws for those): it is left unhandled on
    // purpose, so the worker dies and the indexer finishes the run in its own thread.
    let queue = Promise.resolve();
    port.on("message", (request: PrepareRequest) => {
        queue = queue.then(() => serve(request));
    });
}
