/**
 * A worker_threads entry that wraps the real inference worker (out/src/core/embed/worker.js) and misbehaves on
 * purpose when an embed request contains a trigger word, for WorkerEmbedder's `workerPath` option:
 *   SEEKCRASHALWAYS  the thread exits (code 71) as a native crash would, every time;
 *   SEEKCRASHONCE    exits once, then works (a flag file named by SEEK_CRASH_FLAG remembers it across restarts);
 *   SEEKHANG         the thread spins forever and never answers.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parentPort } from "node:worker_threads";

interface Msg {
    type?: string;
    texts?: { text: string }[];
}

const port = parentPort;
if (!port) throw new Error("faultyWorker must run as a worker thread");

function has(msg: Msg, word: string): boolean {
    return msg.type === "embed" && Array.isArray(msg.texts) && msg.texts.some((t) => t.text.includes(word));
}

const realOn = port.on.bind(port);
port.on = ((event: string, listener: (msg: unknown) => void) =>
    realOn(event, event !== "message" ? listener : (msg: unknown) => {
        const m = msg as Msg;
        if (has(m, "SEEKCRASHALWAYS")) process.exit(71);
        if (has(m, "SEEKCRASHONCE")) {
            const flag = process.env.SEEK_CRASH_FLAG ?? "";
            if (flag && !existsSync(flag)) {
                writeFileSync(flag, "crashed");
                process.exit(71);
            }
        }
        if (has(m, "SEEKHANG")) {
            for (;;) {
                // Spin: never answer (terminate() can still stop a thread running JavaScript).
            }
        }
        listener(msg);
    })) as typeof port.on;

require(join(__dirname, "..", "..", "..", "src", "core", "embed", "worker.js"));
