/** Every failure the core reports on purpose; the UI layer maps each reason to one sentence and an action. */
export type CoreErrorReason =
    | "modelMissing"
    | "modelCorrupt"
    | "unknownModel"
    | "storeCorrupt"
    | "storeLocked"
    | "storeUnreachable"
    | "indexMismatch"
    | "cancelled"
    | "workerCrashed"
    | "workerTimeout"
    | "badInput"
    | "fileTooLarge"
    | "unreadable"
    | "pathOutsideWorkspace";

export class CoreError extends Error {
    constructor(
        readonly reason: CoreErrorReason,
        message: string,
        options?: { cause?: unknown },
    ) {
        super(message, options);
        this.name = "CoreError";
    }
}

export function isCoreError(err: unknown, reason?: CoreErrorReason): err is CoreError {
    return err instanceof CoreError && (reason === undefined || err.reason === reason);
}

/** Throws CoreError("cancelled") when the signal has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new CoreError("cancelled", "cancelled");
}
