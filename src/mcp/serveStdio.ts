/**
 * `seek mcp <folder>`: the MCP server on stdin/stdout. stdout carries only protocol messages (logs go to stderr);
 * the server lives until the client closes stdin or sends SIGINT/SIGTERM, then stops indexing and closes the index
 * cleanly (what was stored stays, the lock is released).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { SeekEngine } from "../core/engine";
import type { Logger } from "../core/types";
import { IndexSession } from "./indexSession";
import { createSeekMcpServer } from "./seekMcpServer";

export interface ServeOptions {
    /** Absolute path of the folder to serve. */
    folder: string;
    open: (readOnly: boolean) => Promise<SeekEngine>;
    logger: Logger;
}

/** Serves until the client goes away; resolves with the exit code. */
export async function serveMcpOverStdio(opts: ServeOptions): Promise<number> {
    keepStdoutForProtocol();
    const session = new IndexSession({ open: opts.open, logger: opts.logger });
    const server = createSeekMcpServer({ folder: opts.folder, session, logger: opts.logger, version: packageVersion() });
    const transport = new StdioServerTransport();
    const closed = new Promise<string>((resolve) => {
        process.stdin.once("end", () => resolve("the client closed stdin"));
        process.stdin.once("close", () => resolve("the client closed stdin"));
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
        transport.onclose = () => resolve("the transport closed");
    });
    await server.connect(transport);
    // Connected first: the client's initialize must not wait for the model and the index to open.
    session.start();
    opts.logger.info(`seek mcp: serving ${opts.folder}`);
    const why = await closed;
    opts.logger.info(`seek mcp: stopping (${why})`);
    await session.close();
    await server.close().catch(() => undefined);
    return 0;
}

/**
 * A stray console.log anywhere in the process would corrupt the JSON-RPC stream; send console output to stderr.
 * (The SDK's transport writes with process.stdout.write, which this leaves alone.)
 */
function keepStdoutForProtocol(): void {
    const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(" ")}\n`);
    console.log = toStderr;
    console.info = toStderr;
    console.debug = toStderr;
}

/** The version in package.json beside the bundle (dist/cli.js -> package.json); informational only. */
function packageVersion(): string {
    try {
        return String((JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version?: unknown }).version ?? "0.0.0");
    } catch {
        return "0.0.0";
    }
}
