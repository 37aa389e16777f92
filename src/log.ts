/**
 * The one "Seek" LogOutputChannel, shaped as the core's Logger. Errors are written with their stack and cause.
 * The channel is only revealed by "Show Log" actions and the command, never automatically.
 */
import * as vscode from "vscode";
import type { Logger } from "./core/types";
import type { WireLogLevel } from "./engineHost/ipc";

export class Log implements Logger, vscode.Disposable {
    readonly channel: vscode.LogOutputChannel;

    constructor(name = "Seek") {
        this.channel = vscode.window.createOutputChannel(name, { log: true });
    }

    trace(message: string, ...args: unknown[]): void {
        this.channel.trace(message, ...args.map(stringify));
    }
    debug(message: string, ...args: unknown[]): void {
        this.channel.debug(message, ...args.map(stringify));
    }
    info(message: string, ...args: unknown[]): void {
        this.channel.info(message, ...args.map(stringify));
    }
    warn(message: string, ...args: unknown[]): void {
        this.channel.warn(message, ...args.map(stringify));
    }
    error(message: string | Error, ...args: unknown[]): void {
        this.channel.error(stringify(message), ...args.map(stringify));
    }

    show(): void {
        this.channel.show(true);
    }

    /** The least severe level the channel shows, in the engine protocol's terms (Off counts as error). */
    wireLevel(): WireLogLevel {
        switch (this.channel.logLevel) {
            case vscode.LogLevel.Trace:
                return "trace";
            case vscode.LogLevel.Debug:
                return "debug";
            case vscode.LogLevel.Info:
                return "info";
            case vscode.LogLevel.Warning:
                return "warn";
            default:
                return "error";
        }
    }

    dispose(): void {
        this.channel.dispose();
    }
}

/** Errors with stack and the whole cause chain; other values as JSON or text. */
export function stringify(value: unknown): string {
    if (value instanceof Error) {
        const parts = [value.stack ?? `${value.name}: ${value.message}`];
        let cause = value.cause;
        for (let depth = 0; cause !== undefined && depth < 5; depth++) {
            parts.push(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
            cause = cause instanceof Error ? cause.cause : undefined;
        }
        return parts.join("\n");
    }
    if (typeof value === "string") return value;
    try {
        return JSON.stringify(value);
    } catch {
        return String(value);
    }
}
