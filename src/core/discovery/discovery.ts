/**
 * File discovery: which files of a folder Seek indexes, and why it passes over the others.
 * Rules, lowest priority first: default excludes (defaults.ts), `.git/info/exclude`, then each directory's
 * `.gitignore` and `.seekignore` (patterns relative to that directory; deeper files win; `!negation` re-includes).
 * Secret and binary-format names are never indexed, whatever the rules say.
 */
import { resolve, sep } from "node:path";
import { realpath } from "node:fs/promises";
import { CoreError, throwIfAborted } from "../errors";
import type { FileEntry, Logger, SkippedFile } from "../types";
import { MAX_FILE_BYTES } from "./defaults";
import { errnoCode, nodeDiscoveryFs, type DiscoveryFs } from "./discoveryFs";
import { defaultLayer, globFilter } from "./ignoreRules";
import { expandDir, type WalkContext, type WalkTask } from "./walkDir";

export interface DiscoveryOptions {
    /** Files larger than this are skipped as "tooLarge" (default MAX_FILE_BYTES, 1 MiB). */
    maxFileBytes?: number;
    /** Folder-relative globs; when given, only files matching one of them are yielded. */
    include?: string[];
    /** Folder-relative globs; matching files and directories are skipped. */
    exclude?: string[];
    /** Apply `.gitignore` files and `.git/info/exclude` (default true). `.seekignore` always applies. */
    respectGitignore?: boolean;
    /** Called once for every file or directory passed over (directories end in "/"; their contents are not listed). */
    onSkip?: (s: SkippedFile) => void;
    /** Checked between directories; an abort makes the generator throw CoreError("cancelled"). */
    signal?: AbortSignal;
    logger?: Logger;
    /** File-system access (tests inject faults here). */
    fs?: Partial<DiscoveryFs>;
}

/**
 * Walks `root` and yields every file Seek should index, in ascending order of path (UTF-16 code units), as
 * folder-relative POSIX paths with size and mtime. Iterative, so depth is bounded by memory, not the call stack.
 * Symlinks are followed while they stay inside the folder; loops are detected by real path.
 * @throws CoreError("unreadable") when the folder itself cannot be resolved or listed; CoreError("cancelled").
 */
export async function* discoverFiles(root: string, opts: DiscoveryOptions = {}): AsyncGenerator<FileEntry> {
    const started = Date.now();
    const counts = { files: 0, dirs: 0 };
    const ctx = await createContext(root, opts, (s) => {
        opts.logger?.trace(`discovery skipped ${s.path}: ${s.reason}${s.detail ? ` (${s.detail})` : ""}`);
        opts.onSkip?.(s);
    });
    const stack: WalkTask[] = [
        { kind: "dir", rel: "", abs: stripTrailingSep(resolve(root)), chain: { real: ctx.rootReal }, layers: [defaultLayer()] },
    ];
    while (stack.length > 0) {
        const task = stack.pop() as WalkTask;
        if (task.kind === "file") {
            counts.files++;
            yield task.entry;
            continue;
        }
        throwIfAborted(opts.signal);
        counts.dirs++;
        const children = await expandDir(ctx, task);
        // Reversed onto the stack so the smallest path comes off first.
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    opts.logger?.debug(
        // Skips are not counted here: the reader skips more files after discovery, and the run's one summary line
        // (engine.ts) counts them all, so the log never shows two numbers for the same thing.
        `discovery: ${counts.files} files to read, ${counts.dirs} directories in ${Date.now() - started} ms`,
    );
}

async function createContext(root: string, opts: DiscoveryOptions, skip: (s: SkippedFile) => void): Promise<WalkContext> {
    throwIfAborted(opts.signal);
    let rootReal: string;
    try {
        rootReal = await (opts.fs?.realpath ?? realpath)(root);
    } catch (err) {
        throw new CoreError("unreadable", `cannot open the folder ${root}: ${errnoCode(err)}`, { cause: err });
    }
    const maxFileBytes = opts.maxFileBytes ?? MAX_FILE_BYTES;
    if (!(maxFileBytes > 0)) throw new CoreError("badInput", `maxFileBytes must be positive, got ${maxFileBytes}`);
    return {
        fs: { ...nodeDiscoveryFs, ...opts.fs },
        rootReal,
        maxFileBytes,
        respectGitignore: opts.respectGitignore ?? true,
        globs: globFilter(opts.include, opts.exclude),
        logger: opts.logger,
        skip,
        linkTargets: new Set(),
    };
}

function stripTrailingSep(p: string): string {
    return p.length > 1 && (p.endsWith(sep) || p.endsWith("/")) ? p.slice(0, -1) : p;
}
