/**
 * A chunking worker that dies in the middle of a run: the real one (chunkWorker.ts), except that the thread exits
 * right after its second answer, as a crash would. chunkWorker.test.ts starts it through IndexerDeps.chunkWorker.
 */
import { parentPort } from "node:worker_threads";

const port = parentPort!;
const post = port.postMessage.bind(port);
let answers = 0;
port.postMessage = (msg: unknown) => {
    post(msg);
    if ((msg as { type?: string }).type === "prepared" && ++answers === 2) process.exit(3);
};
// Loaded after the patch above, so every answer of the real worker goes through it.
require("../../src/core/chunk/chunkWorker");
