/** A chunking worker that takes requests and never answers (chunkWorker.test.ts: a cancel must not wait for it). */
import { parentPort } from "node:worker_threads";

parentPort!.on("message", () => undefined);
