/**
 * One step of the discovery walk: list a directory, load its rule files, classify every entry, and return the
 * children in path order. The walk itself (discovery.ts) keeps an explicit stack, so depth never touches the JS stack.
 */
import type { Dirent, Stats } from "node:fs";
import { sep } from "node:path";
import { CoreError } from "../errors";
import type { FileEntry, Logger, SkippedFile } from "../types";
import { BINARY_BY_NAME, VCS_DIRS } from "./defaults";
import { errnoCode, type DiscoveryFs } from "./discoveryFs";
import {
    isBinaryName,
    isSecretDir,
    isSecretName,
    layersInside,
    matchLayers,
    parseRuleFile,
    type GlobFilter,
    type RuleLayer,
    type RuleMatch,
} from "./ignoreRules";

/** Parallel stats per directory: enough to hide syscall latency, few enough not to flood libuv's 4 threads. */
const STAT_CONCURRENCY = 32;

/** Real path of a directory on the walk, linked to its parent's, for symlink loop checks. */
export interface RealChain {
    readonly real: string;
    readonly parent?: RealChain;
}

export interface DirTask {
    kind: "dir";
    /** Folder-relative POSIX path ("" for the root). */
    rel: string;
    abs: string;
    chain: RealChain;
    layers: readonly RuleLayer[];
}

export interface FileTask {
    kind: "file";
    entry: FileEntry;
}

export type WalkTask = DirTask | FileTask;

/** Settings and state shared by every step of one walk. */
export interface WalkContext {
    fs: DiscoveryFs;
    rootReal: string;
    maxFileBytes: number;
    respectGitignore: boolean;
    globs: GlobFilter;
    logger?: Logger;
    skip(s: SkippedFile): void;
    /** Real paths of directories entered through a symlink: a second link to one is a duplicate, not followed. */
    linkTargets: Set<string>;
}

/** An entry whose type (after following a symlink) is known. */
interface Candidate {
    name: string;
    rel: string;
    abs: string;
    isDir: boolean;
    /** Set for a symlinked directory: its real path. */
    linkReal?: string;
}

/** Lists `dir` and returns its children (files with their stats, directories to walk) in path order. */
export async function expandDir(ctx: WalkContext, dir: DirTask): Promise<WalkTask[]> {
    let dirents: Dirent[];
    try {
        dirents = await ctx.fs.readdir(dir.abs);
    } catch (err) {
        const code = errnoCode(err);
        if (dir.rel === "") throw new CoreError("unreadable", `cannot list the folder ${dir.abs}: ${code}`, { cause: err });
        ctx.skip({ path: dir.rel + "/", reason: code === "ENOENT" ? "vanished" : "unreadable", detail: code });
        return [];
    }
    const layers = await loadRuleFiles(ctx, dir, dirents);
    const candidates: Candidate[] = [];
    for (const d of dirents) {
        if (VCS_DIRS.has(d.name)) continue;
        const rel = dir.rel === "" ? d.name : `${dir.rel}/${d.name}`;
        const abs = dir.abs + sep + d.name;
        // Only symlinks need I/O to learn their type. FIFOs, sockets and devices pass as files; fileEntry reports
        // them once stat says what they are.
        const c = d.isSymbolicLink()
            ? await resolveLink(ctx, dir, layers, d.name, rel, abs)
            : { name: d.name, rel, abs, isDir: d.isDirectory() };
        if (c) candidates.push(c);
    }
    // A directory sorts as "name/" so that pre-order over sorted siblings is exactly the order of the full paths.
    const key = (c: Candidate) => (c.isDir ? c.name + "/" : c.name);
    candidates.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

    const verdicts = candidates.map((c) => verdictFor(ctx, c, layers));
    const kept = candidates.filter((c, i) => !c.isDir && verdicts[i] === undefined);
    const stats = await statAll(ctx, kept);
    const out: WalkTask[] = [];
    candidates.forEach((c, i) => {
        const verdict = verdicts[i];
        if (verdict) ctx.skip({ path: c.rel + (c.isDir ? "/" : ""), ...verdict });
        else if (c.isDir) {
            if (c.linkReal !== undefined && !claimLinkTarget(ctx, c)) return;
            out.push(childDir(dir, c, layers));
        } else {
            const entry = fileEntry(ctx, c, stats.get(c));
            if (entry) out.push({ kind: "file", entry });
        }
    });
    return out;
}

/**
 * Two symlinks to one directory (or links that point at each other's parents) would multiply the walk; only the
 * first link followed to a target is walked.
 */
function claimLinkTarget(ctx: WalkContext, c: Candidate): boolean {
    const real = c.linkReal as string;
    if (ctx.linkTargets.has(real)) {
        ctx.skip({ path: c.rel + "/", reason: "ignored", detail: "another symlink to the same directory was followed" });
        return false;
    }
    ctx.linkTargets.add(real);
    return true;
}

function childDir(parent: DirTask, c: Candidate, layers: readonly RuleLayer[]): DirTask {
    const real = c.linkReal ?? parent.chain.real + sep + c.name;
    return { kind: "dir", rel: c.rel, abs: c.abs, chain: { real, parent: parent.chain }, layers: layersInside(layers, c.rel) };
}

/** The skip verdict from names and rules alone (no I/O), or undefined to keep the entry. */
function verdictFor(ctx: WalkContext, c: Candidate, layers: readonly RuleLayer[]): RuleMatch | undefined {
    if (c.isDir) {
        if (isSecretDir(c.name)) return { reason: "secret", detail: "credentials directory" };
        return matchLayers(layers, c.rel, true) ?? ctx.globs.excludesDir(c.rel);
    }
    // Secrets first: even a gitignored key file is reported as a secret, so status can say none was indexed.
    if (isSecretName(c.name)) return { reason: "secret", detail: "may hold credentials" };
    return (
        matchLayers(layers, c.rel, false) ??
        ctx.globs.fileVerdict(c.rel) ??
        (isBinaryName(c.name) ? { reason: "binary", detail: BINARY_BY_NAME } : undefined)
    );
}

function fileEntry(ctx: WalkContext, c: Candidate, st: Stats | string | undefined): FileEntry | undefined {
    if (st === undefined || typeof st === "string") {
        const code = st ?? "EUNKNOWN";
        ctx.skip({ path: c.rel, reason: code === "ENOENT" ? "vanished" : "unreadable", detail: code });
        return undefined;
    }
    if (!st.isFile()) {
        ctx.skip({ path: c.rel, reason: "ignored", detail: "not a regular file" });
        return undefined;
    }
    if (st.size > ctx.maxFileBytes) {
        ctx.skip({ path: c.rel, reason: "tooLarge", detail: `${st.size} bytes > ${ctx.maxFileBytes}` });
        return undefined;
    }
    return { path: c.rel, size: st.size, mtimeMs: st.mtimeMs };
}

/** Stats files with bounded concurrency; a failure is kept as its errno code. */
async function statAll(ctx: WalkContext, files: Candidate[]): Promise<Map<Candidate, Stats | string>> {
    const out = new Map<Candidate, Stats | string>();
    let next = 0;
    const worker = async () => {
        while (next < files.length) {
            const c = files[next++];
            try {
                out.set(c, await ctx.fs.stat(c.abs));
            } catch (err) {
                out.set(c, errnoCode(err));
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, files.length) }, worker));
    return out;
}

/** Follows a symlink that stays inside the folder; skips (and reports) loops, broken links and links out. */
async function resolveLink(
    ctx: WalkContext,
    dir: DirTask,
    layers: readonly RuleLayer[],
    name: string,
    rel: string,
    abs: string,
): Promise<Candidate | undefined> {
    let real: string;
    let st: Stats;
    try {
        real = await ctx.fs.realpath(abs);
        st = await ctx.fs.stat(abs);
    } catch (err) {
        const code = errnoCode(err);
        if (code === "ELOOP") ctx.skip({ path: rel, reason: "symlinkLoop", detail: "symlink resolves to itself" });
        else ctx.skip({ path: rel, reason: "unreadable", detail: `${code} (broken symlink)` });
        return undefined;
    }
    if (!isInside(ctx.rootReal, real)) {
        ctx.skip({ path: st.isDirectory() ? rel + "/" : rel, reason: "ignored", detail: "outside workspace" });
        return undefined;
    }
    const isDir = st.isDirectory();
    if (isDir) {
        for (let c: RealChain | undefined = dir.chain; c; c = c.parent) {
            if (isInside(real, c.real)) {
                ctx.skip({ path: rel + "/", reason: "symlinkLoop", detail: "links to a directory that contains it" });
                return undefined;
            }
        }
    }
    const target = indexedElsewhere(ctx, layers, real, isDir);
    if (target !== undefined) {
        ctx.skip({ path: isDir ? rel + "/" : rel, reason: "ignored", detail: `duplicate: links to ${target}, indexed there` });
        return undefined;
    }
    return isDir ? { name, rel, abs, isDir, linkReal: real } : { name, rel, abs, isDir };
}

/**
 * The folder-relative path of a link's target when the walk reaches that target by its own path, so following
 * the link would only index the same files twice (serde's `serde/src/core -> ../../serde_core/src`): every hit
 * would come back under two paths. Judged by the folder-level rules (defaults, root ignore files, globs) on the
 * target and its parent directories; a target excluded there is still reached through the link.
 */
function indexedElsewhere(ctx: WalkContext, layers: readonly RuleLayer[], real: string, isDir: boolean): string | undefined {
    if (real === ctx.rootReal) return undefined;
    const targetRel = real.slice(ctx.rootReal.length + (ctx.rootReal.endsWith(sep) ? 0 : 1)).split(sep).join("/");
    const rootLayers = layers.filter((l) => l.base === "");
    const parts = targetRel.split("/");
    for (let i = 1; i <= parts.length; i++) {
        const prefix = parts.slice(0, i).join("/");
        const asDir = i < parts.length || isDir;
        if (VCS_DIRS.has(parts[i - 1])) return undefined;
        const excluded = asDir
            ? isSecretDir(parts[i - 1]) || matchLayers(rootLayers, prefix, true) || ctx.globs.excludesDir(prefix)
            : matchLayers(rootLayers, prefix, false) || ctx.globs.fileVerdict(prefix);
        if (excluded) return undefined;
    }
    return targetRel;
}

/** True when `p` is `dir` or below it (both real, native separators). */
function isInside(dir: string, p: string): boolean {
    if (p === dir) return true;
    return p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * Adds this directory's rule files to the inherited layers: `.git/info/exclude` (root only), then `.gitignore`,
 * then `.seekignore`, lowest priority first. A rules file that cannot be read is logged and ignored.
 */
async function loadRuleFiles(ctx: WalkContext, dir: DirTask, dirents: Dirent[]): Promise<readonly RuleLayer[]> {
    const names: string[] = [];
    if (dir.rel === "" && ctx.respectGitignore && dirents.some((d) => d.name === ".git" && d.isDirectory())) {
        names.push(".git/info/exclude");
    }
    if (ctx.respectGitignore && dirents.some((d) => d.name === ".gitignore")) names.push(".gitignore");
    if (dirents.some((d) => d.name === ".seekignore")) names.push(".seekignore");
    if (names.length === 0) return dir.layers;
    const layers = [...dir.layers];
    for (const name of names) {
        const source = dir.rel === "" ? name : `${dir.rel}/${name}`;
        try {
            const text = await ctx.fs.readText(dir.abs + sep + name.split("/").join(sep));
            layers.push(parseRuleFile(dir.rel, source, text));
        } catch (err) {
            const code = errnoCode(err);
            // A repository without info/exclude is normal; anything else means rules we could not honour.
            if (code !== "ENOENT") ctx.logger?.warn(`cannot read ${source} (${code}); its rules are not applied`);
        }
    }
    return layers;
}
