/**
 * One writer per index: `<dir>/index.lock`, created with O_EXCL, holding the owner's pid, host and start time.
 * A second writer gets CoreError("storeLocked") (it may open read-only instead). A lock whose owner process is gone
 * (same host, pid not alive) is stale and taken over.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import fs = require("node:fs");
import { randomBytes } from "node:crypto";
import { CoreError } from "../errors";
import type { Logger } from "../types";

export const LOCK_FILE = "index.lock";
/**
 * A lock file that cannot be parsed (its owner died between creating and writing it) is stale once it is this old;
 * younger, its owner may still be writing it.
 */
const UNREADABLE_LOCK_STALE_MS = 5000;

export interface LockOwner {
    pid: number;
    hostname: string;
    startedAt: number;
    /** Random token, so a lock is only ever released by the instance that made it. */
    token: string;
}

/** The exclusive writer lock of one index directory. */
export class StoreLock {
    private released = false;

    private constructor(
        readonly path: string,
        readonly owner: LockOwner,
    ) {}

    /** Takes the lock, taking over a stale one; throws CoreError("storeLocked") when a live process holds it. */
    static acquire(dir: string, logger: Logger): StoreLock {
        const path = join(dir, LOCK_FILE);
        const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: Date.now(), token: randomBytes(8).toString("hex") };
        // Two rounds: the second follows a stale-lock takeover.
        for (let attempt = 0; attempt < 2; attempt++) {
            if (tryCreate(path, owner)) return new StoreLock(path, owner);
            const holder = readOwner(path);
            if (holder === "missing") continue;
            if (!isStale(path, holder)) {
                const who = holder === "unreadable" ? "another process" : `process ${holder.pid} on ${holder.hostname}`;
                throw new CoreError("storeLocked", `The index in ${dir} is in use by ${who}; open it read-only or close the other Seek.`);
            }
            takeOver(path, holder, logger);
        }
        throw new CoreError("storeLocked", `Could not take the index lock ${path}: another process keeps taking it.`);
    }

    /** Removes the lock file if it is still ours. Safe to call twice. */
    release(logger: Logger): void {
        if (this.released) return;
        this.released = true;
        const holder = readOwner(this.path);
        if (typeof holder === "object" && holder.token === this.owner.token) {
            try {
                fs.unlinkSync(this.path);
            } catch (err) {
                logger.debug(`seek: could not remove ${this.path}: ${String(err)}`);
            }
        } else {
            logger.warn(`seek: the index lock ${this.path} was taken over by another process before release`);
        }
    }
}

function tryCreate(path: string, owner: LockOwner): boolean {
    let fd: number;
    try {
        fd = fs.openSync(path, "wx");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw new CoreError("storeLocked", `Cannot create the index lock ${path}`, { cause: err });
    }
    try {
        fs.writeSync(fd, JSON.stringify(owner));
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    return true;
}

function readOwner(path: string): LockOwner | "missing" | "unreadable" {
    let text: string;
    try {
        text = fs.readFileSync(path, "utf8");
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "unreadable";
    }
    try {
        const parsed = JSON.parse(text) as Partial<LockOwner>;
        if (typeof parsed.pid === "number" && typeof parsed.hostname === "string" && typeof parsed.token === "string") {
            return { pid: parsed.pid, hostname: parsed.hostname, startedAt: Number(parsed.startedAt ?? 0), token: parsed.token };
        }
    } catch {
        // Falls through: a half-written lock file is judged by its age below.
    }
    return "unreadable";
}

function isStale(path: string, holder: LockOwner | "unreadable"): boolean {
    if (holder === "unreadable") {
        try {
            return Date.now() - fs.statSync(path).mtimeMs > UNREADABLE_LOCK_STALE_MS;
        } catch {
            return true;
        }
    }
    // Another host's pid means nothing here: never steal it (shared network folders).
    if (holder.hostname !== hostname()) return false;
    return !processAlive(holder.pid);
}

/** True when a live process (or one on another host, which cannot be checked) holds the writer lock of `dir`. */
export function writerActive(dir: string): boolean {
    const path = join(dir, LOCK_FILE);
    const holder = readOwner(path);
    return holder !== "missing" && !isStale(path, holder);
}

/** kill(pid, 0) probes without signalling; EPERM means it exists but belongs to someone else. */
export function processAlive(pid: number): boolean {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/**
 * Moves the stale lock aside with an atomic rename, then checks it moved the lock it judged: if another process
 * took over first and already wrote its own lock, that one is put back and the caller's next create fails.
 */
function takeOver(path: string, stale: LockOwner | "unreadable", logger: Logger): void {
    const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
        fs.renameSync(path, aside);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
        throw new CoreError("storeLocked", `Cannot take over the stale index lock ${path}`, { cause: err });
    }
    const moved = readOwner(aside);
    const same = stale === "unreadable" ? moved === "unreadable" : typeof moved === "object" && moved.token === stale.token;
    if (!same) {
        // Put the live lock back without clobbering a newer one (link fails if the path exists).
        try {
            fs.linkSync(aside, path);
        } catch (err) {
            logger.debug(`seek: lock takeover race: ${String(err)}`);
        }
        fs.rmSync(aside, { force: true });
        return;
    }
    fs.rmSync(aside, { force: true });
    const who = stale === "unreadable" ? "an unreadable lock" : `the lock of process ${stale.pid}, which is no longer running`;
    logger.info(`seek: took over ${who} (${path})`);
}
