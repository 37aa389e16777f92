/** Argument parsing for the `seek` CLI: a fixed contract other tools depend on (see README). */

export const USAGE = `Usage:
  seek index   <folder> [--model <id|dir>] [--no-instructions] [--index-dir <dir>] [--json]
  seek search  <folder> "<query>" [--top N] [--mode hybrid|vector|lexical] [--task auto|code|docs] [--no-wait] [--json]
  seek search  <folder> --queries <file.jsonl> [--top N] [--mode ...] --json
  seek similar <folder> <path>:<line>[-<line>] [--top N] [--json]
  seek status  <folder> [--json]
  seek mcp     <folder>    (an MCP server on stdin/stdout for coding agents: tools search, find_similar, status)

Every command accepts --index-dir <dir>, --model <id|dir>, --threads N and --verbose.
Team index (PostgreSQL): index, search, similar and status accept --store <postgres-url> (or SEEK_STORE_URL),
  --repo <id> and --ref <name> (default: from git, else the folder's name and "main"); index also --wait
  (wait for another writer of the same repo and ref instead of failing).
Exit codes: 0 ok, 2 usage error, 1 other error.`;

export type Command = "index" | "search" | "similar" | "status" | "mcp";

export interface CliArgs {
    command: Command;
    folder: string;
    positional: string[];
    json: boolean;
    verbose: boolean;
    instructions: boolean;
    /** search: answer once the keyword stage is done, without waiting for the embeddings. */
    noWait: boolean;
    model?: string;
    indexDir?: string;
    top: number;
    mode: "hybrid" | "vector" | "lexical";
    task: "auto" | "code" | "docs";
    queries?: string;
    threads?: number;
    /** Team index URL (--store, else SEEK_STORE_URL): index publishes to it, search/similar/status read from it. */
    store?: string;
    repo?: string;
    ref?: string;
    /** index --store: wait for another writer of the namespace instead of failing. */
    wait: boolean;
}

export class UsageError extends Error {}

const VALUE_FLAGS = new Set(["--model", "--index-dir", "--top", "--mode", "--task", "--queries", "--threads", "--store", "--repo", "--ref"]);
const BOOLEAN_FLAGS = new Set(["--json", "--verbose", "--no-instructions", "--no-wait", "--wait"]);

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value)) {
        throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got '${value}')`);
    }
    return value as T;
}

function positiveInt(flag: string, value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer (got '${value}')`);
    return n;
}

/** Parses argv (without node and script). Throws UsageError with a one-line message. */
export function parseArgs(argv: string[]): CliArgs {
    const values = new Map<string, string>();
    const flags = new Set<string>();
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") {
            positional.push(...argv.slice(i + 1));
            break;
        }
        const eq = a.startsWith("--") ? a.indexOf("=") : -1;
        const name = eq > 0 ? a.slice(0, eq) : a;
        if (VALUE_FLAGS.has(name)) {
            const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
            if (value === undefined) throw new UsageError(`${name} needs a value`);
            values.set(name, value);
        } else if (BOOLEAN_FLAGS.has(name)) {
            flags.add(name);
        } else if (a.startsWith("--") && a.length > 2) {
            throw new UsageError(`unknown option ${a}`);
        } else {
            positional.push(a);
        }
    }
    const [command, folder, ...rest] = positional;
    if (!command) throw new UsageError("missing command");
    const cmd = oneOf("command", command, ["index", "search", "similar", "status", "mcp"] as const);
    if (!folder) throw new UsageError(`${cmd} needs a <folder>`);
    const args: CliArgs = {
        command: cmd,
        folder,
        positional: rest,
        json: flags.has("--json"),
        verbose: flags.has("--verbose"),
        instructions: !flags.has("--no-instructions"),
        noWait: flags.has("--no-wait"),
        model: values.get("--model"),
        indexDir: values.get("--index-dir"),
        top: values.has("--top") ? positiveInt("--top", values.get("--top")!) : 10,
        mode: oneOf("--mode", values.get("--mode") ?? "hybrid", ["hybrid", "vector", "lexical"] as const),
        task: oneOf("--task", values.get("--task") ?? "auto", ["auto", "code", "docs"] as const),
        queries: values.get("--queries"),
        threads: values.has("--threads") ? positiveInt("--threads", values.get("--threads")!) : undefined,
        // The environment names the team index of every command but mcp (which serves the folder's own index).
        store: values.get("--store") ?? ((cmd !== "mcp" && process.env.SEEK_STORE_URL) || undefined),
        repo: values.get("--repo"),
        ref: values.get("--ref"),
        wait: flags.has("--wait"),
    };
    validate(args);
    return args;
}

function validate(a: CliArgs): void {
    if (!a.store && (a.repo !== undefined || a.ref !== undefined || a.wait)) throw new UsageError("--repo, --ref and --wait need --store <url>");
    if (a.store && a.command === "mcp") throw new UsageError("mcp does not take --store");
    if (a.command === "search") {
        if (a.queries && a.positional.length > 0) throw new UsageError("give either a query or --queries, not both");
        if (!a.queries && a.positional.length !== 1) throw new UsageError('search needs exactly one "<query>" (quote it)');
        if (a.queries && !a.json) throw new UsageError("--queries needs --json");
    } else if (a.command === "similar") {
        if (a.positional.length !== 1) throw new UsageError("similar needs <path>:<line>[-<line>]");
        parseRange(a.positional[0]);
    } else if (a.positional.length > 0) {
        throw new UsageError(`unexpected argument '${a.positional[0]}'`);
    }
}

/** Parses `path:line` or `path:start-end` (1-based). */
export function parseRange(spec: string): { path: string; startLine: number; endLine?: number } {
    const m = /^(.+):(\d+)(?:-(\d+))?$/.exec(spec);
    if (!m) throw new UsageError(`expected <path>:<line>[-<line>], got '${spec}'`);
    const startLine = Number(m[2]);
    const endLine = m[3] === undefined ? undefined : Number(m[3]);
    if (startLine < 1 || (endLine !== undefined && endLine < startLine)) throw new UsageError(`bad line range in '${spec}'`);
    return { path: m[1], startLine, endLine };
}
