/**
 * Whether an inference worker is inside an onnxruntime call, in memory shared by the worker and the thread that
 * owns it. Terminating a worker while such a call is in flight aborts the whole process: when the call completes,
 * onnxruntime-node throws a Napi::Error into the torn-down environment and C++ terminates (reproduced here: a
 * worker terminated on timeout in the middle of a 64-input session.run took its process down with exit 134 when
 * the run ended). So the owner terminates a worker only after closing its gate, and a closed gate lets no new call
 * start; while a call is in flight the gate cannot close, and the owner waits for the call to return.
 */
import { CoreError } from "../errors";

const IDLE = 0;
const IN_CALL = 1;
const CLOSED = 2;

export class NativeGate {
    private readonly state: Int32Array;

    /** Pass the owner's `buffer` to the worker (workerData) and build the worker's gate on it. */
    constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) {
        this.state = new Int32Array(buffer);
    }

    /** Worker side: runs one onnxruntime call; CoreError("cancelled") instead once the owner has closed the gate. */
    async call<T>(start: () => Promise<T>): Promise<T> {
        if (Atomics.compareExchange(this.state, 0, IDLE, IN_CALL) !== IDLE) {
            throw new CoreError("cancelled", "The inference worker is being stopped.");
        }
        try {
            return await start();
        } finally {
            Atomics.compareExchange(this.state, 0, IN_CALL, IDLE);
        }
    }

    /** Owner side: closes the gate unless a call is in flight. True means the worker can be terminated safely. */
    tryClose(): boolean {
        return Atomics.compareExchange(this.state, 0, IDLE, CLOSED) !== IN_CALL;
    }
}
