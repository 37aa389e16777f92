/**
 * Any failure of a tool call -> one sentence for the agent. Input mistakes say what to change; index and model
 * problems say whether retrying can help. Never a stack trace: the stack goes to the log. Pure.
 */
import { isCoreError } from "../core/errors";
import { ToolInputError } from "./toolInput";

/** A call that is well formed but cannot be answered yet or here; its message is the whole answer. */
export class ToolRefusal extends Error {
    override readonly name = "ToolRefusal";
}

export function agentErrorText(err: unknown): string {
    if (err instanceof ToolInputError) return `Invalid arguments: ${err.message}.`;
    if (err instanceof ToolRefusal) return err.message;
    const message = err instanceof Error ? err.message : String(err);
    if (!isCoreError(err)) return `Seek failed: ${message}`;
    switch (err.reason) {
        case "cancelled":
            return "The call was cancelled.";
        case "storeLocked":
            return message;
        case "modelMissing":
        case "modelCorrupt":
        case "unknownModel":
            return `Seek cannot load its embedding model (${message}); retrying will not help until the model is installed.`;
        case "storeCorrupt":
        case "indexMismatch":
            return `Seek's index of this folder cannot be read (${message}); it is rebuilt the next time Seek indexes the folder.`;
        case "pathOutsideWorkspace":
            return `${message}; give a path inside the folder.`;
        case "unreadable":
        case "fileTooLarge":
            return `${message}.`;
        default:
            return `Seek failed: ${message}`;
    }
}

export const NO_VECTORS_YET =
    "find_similar compares meaning, and the index has no embedded code yet (its semantic stage is still starting); try again shortly. search works already.";
