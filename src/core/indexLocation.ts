/**
 * Where a folder's index lives, for every front end (the CLI, the MCP server, the VS Code extension), so that an
 * index one of them built is the index the others search:
 *
 *     <seek cache root>/indexes/<folder name>-<sha256(real path)[:16]>/<model id>-<instruction set id>
 *
 * One directory per (folder, model, instruction set): a store of another identity wipes itself on open
 * (storeOpen.ts), so a CLI run with another `--model` or `--no-instructions` must land in a directory of its own
 * instead of destroying the one the extension keeps. The chunker version and the schema are left out of the key on
 * purpose: a newer Seek rebuilds an older index in place rather than leaving the old one behind forever.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { seekCacheRoot } from "./cacheRoot";
import { instructionSetId } from "./embed/instructions";
import { resolveModel } from "./embed/modelRegistry";
import { DB_FILE } from "./store/schema";
import { LOCK_FILE, writerActive } from "./store/storeLock";
import type { InstructionOverrides, Logger } from "./types";

export interface IndexLocationOptions {
    /** As EngineOptions.model: a manifest id or a model directory (default: the manifest's default). */
    model?: string;
    /** As EngineOptions.modelsDir. */
    modelsDir?: string;
    /** As EngineOptions.instructions (default true). */
    instructions?: boolean;
    instructionOverrides?: InstructionOverrides;
    /** Parent of every folder's indexes (default `<seek cache root>/indexes`; tests give their own). */
    root?: string;
}

/** The default parent of all indexes. */
export function indexesRoot(): string {
    return join(seekCacheRoot(), "indexes");
}

/**
 * The folder's canonical path: symlinks resolved, so the CLI given a link and VS Code given its target agree.
 * A folder that does not exist (yet) keys by its absolute path.
 */
export function canonicalFolder(folder: string): string {
    const abs = resolve(folder);
    try {
        return realpathSync.native(abs);
    } catch {
        return abs;
    }
}

/** The directory holding every index of one folder (one sub-directory per identity). */
export function folderIndexesDir(folder: string, root: string = indexesRoot()): string {
    const path = canonicalFolder(folder);
    // Windows paths compare without case; a drive letter typed in either case is the same folder.
    const keyed = process.platform === "win32" ? path.toLowerCase() : path;
    const key = createHash("sha256").update(keyed).digest("hex").slice(0, 16);
    return join(root, `${safeName(basename(path)) || "root"}-${key}`);
}

/**
 * The index directory of `folder` for the model and instructions given: what the engine's IndexIdentity is made of
 * (modelId, instructionSet), computed the same way (engine.ts `SeekEngine.open`). A model that cannot be resolved
 * still gets a directory (keyed by the name given): opening the engine then reports the real error.
 */
export function indexLocation(folder: string, opts: IndexLocationOptions = {}): string {
    return join(folderIndexesDir(folder, opts.root), identitySegment(opts));
}

function identitySegment(opts: IndexLocationOptions): string {
    try {
        // The engine verifies the checksums when it loads the model; the location needs the id and templates only.
        const model = resolveModel(opts.model, opts.modelsDir, { skipChecksum: true });
        const instructionSet = instructionSetId(model, { enabled: opts.instructions !== false, overrides: opts.instructionOverrides });
        // A model directory's id need not be unique: two folders claiming one id still get two directories.
        const fromDir = opts.model !== undefined && opts.model !== model.id;
        const id = fromDir ? `${model.id}-${shortHash(resolve(opts.model as string))}` : model.id;
        return `${safeName(id)}-${instructionSet}`;
    } catch {
        return `${safeName(opts.model ?? "default")}-unresolved-${shortHash(JSON.stringify([opts.model, opts.instructions !== false, opts.instructionOverrides ?? null]))}`;
    }
}

function shortHash(s: string): string {
    return createHash("sha256").update(s).digest("hex").slice(0, 8);
}

function safeName(s: string): string {
    return s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 40);
}

/**
 * Deletes an index left at a location older Seek versions used (the CLI's `<cache root>/<name>-<hash>`, the
 * extension's workspace storage), once its folder has an index at the shared location: nothing reads the old one
 * again, and on a large folder it holds hundreds of MB. Only a directory holding nothing but index files, with no
 * live writer, is removed; anything else is left alone. Returns whether it removed something.
 */
export function removeLegacyIndex(dir: string, logger?: Logger): boolean {
    try {
        if (!existsSync(join(dir, DB_FILE)) || writerActive(dir)) return false;
        const known = new Set([DB_FILE, `${DB_FILE}-journal`, LOCK_FILE]);
        if (!readdirSync(dir).every((name) => known.has(name) || name.startsWith("corrupt-"))) return false;
        rmSync(dir, { recursive: true, force: true });
        logger?.info(`seek: removed the index an older Seek kept at ${dir} (indexes now live in ${indexesRoot()})`);
        return true;
    } catch (err) {
        logger?.debug(`seek: could not remove the old index at ${dir}: ${String(err)}`);
        return false;
    }
}
