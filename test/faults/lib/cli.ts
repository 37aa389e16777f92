/** Runs the built `seek` CLI (dist/cli.js) as a child process and parses what it prints. */
import { spawn, type ChildProcess } from "node:child_process";
import { SKIP_REASON_TEXT } from "../../../src/core/skips";
import { cliPath } from "./env";

export interface CliResult {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    /** Wall time from spawn to exit. */
    ms: number;
    timedOut: boolean;
}

export interface CliOptions {
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    /** Prefix the node command (e.g. ["unshare", "-n"] or ["setpriv", "--reuid=nobody", ...]). */
    wrapper?: string[];
    /** Extra node flags (e.g. --require a preload). */
    nodeArgs?: string[];
}

/** A running CLI process: `done` resolves when it exits. */
export interface RunningCli {
    child: ChildProcess;
    done: Promise<CliResult>;
    /** Resolves when stderr (accumulated) first matches. */
    waitForStderr(re: RegExp, timeoutMs: number): Promise<boolean>;
    stderrSoFar(): string;
}

/** Starts `node dist/cli.js <args>`. */
export function startSeek(args: string[], opts: CliOptions = {}): RunningCli {
    const started = performance.now();
    const [cmd, ...pre] = opts.wrapper && opts.wrapper.length > 0 ? [...opts.wrapper, process.execPath] : [process.execPath];
    const child = spawn(cmd, [...pre, ...(opts.nodeArgs ?? []), cliPath, ...args], {
        env: opts.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const waiters: { re: RegExp; resolve: (ok: boolean) => void }[] = [];
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
        stderr += d;
        for (const w of [...waiters]) {
            if (w.re.test(stderr)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(true);
            }
        }
    });
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
    }, opts.timeoutMs ?? 300_000);
    const done = new Promise<CliResult>((resolve) => {
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            for (const w of waiters.splice(0)) w.resolve(false);
            resolve({ code, signal, stdout, stderr, ms: performance.now() - started, timedOut });
        });
    });
    return {
        child,
        done,
        stderrSoFar: () => stderr,
        waitForStderr(re, timeoutMs) {
            if (re.test(stderr)) return Promise.resolve(true);
            return new Promise<boolean>((resolve) => {
                const w = { re, resolve };
                waiters.push(w);
                setTimeout(() => {
                    const i = waiters.indexOf(w);
                    if (i >= 0) {
                        waiters.splice(i, 1);
                        resolve(false);
                    }
                }, timeoutMs);
            });
        },
    };
}

/** Runs `node dist/cli.js <args>` to completion. */
export function seek(args: string[], opts: CliOptions = {}): Promise<CliResult> {
    return startSeek(args, opts).done;
}

/** One-line description of a result for assertion messages. */
export function describe(r: CliResult): string {
    const tail = (s: string) => (s.length > 3000 ? `...${s.slice(-3000)}` : s);
    return `exit ${r.code}${r.signal ? ` (${r.signal})` : ""}${r.timedOut ? " TIMED OUT" : ""} after ${Math.round(r.ms)} ms\n--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`;
}

/** `seek index --json` output. */
export interface IndexJson {
    files: number;
    chunks: number;
    skipped: number;
    embeddedChunks: number;
    modelId: string;
    bytesOnDisk: number;
}

export function parseIndexJson(r: CliResult): IndexJson {
    const line = r.stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(line) as IndexJson;
}

export interface JsonHit {
    path: string;
    startLine: number;
    endLine: number;
    score: number;
    symbol?: string;
    snippet?: string;
}

export function parseHits(r: CliResult): JsonHit[] {
    return (JSON.parse(r.stdout.trim()) as { results: JsonHit[] }).results;
}

/** One "skipped <path>: <reason>" line of `--verbose` stderr. */
export interface SkipLine {
    path: string;
    reason: string;
    detail?: string;
}

/** The reason codes by the words the log uses for them ("too large" -> tooLarge). */
const REASON_BY_TEXT = new Map(Object.entries(SKIP_REASON_TEXT).map(([code, text]) => [text, code]));
const escaped = [...REASON_BY_TEXT.keys()].map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
const SKIP_LINE = new RegExp(`skipped (.+): (${escaped.join("|")})(?: \\((.*)\\))?$`);

/** Parses the skip log lines (`seek warn: skipped <path>: <reason in words> (<detail>)`), reasons as codes. */
export function parseSkips(stderr: string): SkipLine[] {
    const out: SkipLine[] = [];
    for (const line of stderr.split("\n")) {
        const m = SKIP_LINE.exec(line);
        if (m) out.push({ path: m[1], reason: REASON_BY_TEXT.get(m[2]) ?? m[2], detail: m[3] });
    }
    return out;
}

/** Lines that look like an uncaught crash rather than a handled error. */
export function crashSigns(stderr: string): string[] {
    return stderr
        .split("\n")
        .filter((l) => /^\s+at .+\(.+:\d+:\d+\)$|Uncaught|UnhandledPromiseRejection|FATAL ERROR|Segmentation fault|core dumped|RangeError: Maximum call stack/.test(l));
}
