/**
 * Workarounds for the file-system layer (VFS) of node-sqlite3-wasm, found by testing it:
 *
 * 1. Locking is a directory `<db>.lock` made with mkdir, for every lock level (readers and writers exclude each
 *    other). A process killed while it holds a lock leaves the directory behind and every later open fails with
 *    "database is locked" forever. {@link clearVfsLock} waits for it and removes it when it is stale.
 * 2. Its xCheckReservedLock reports "someone holds a write lock" whenever that directory exists, including the
 *    caller's own shared lock. So SQLite never sees a hot journal as hot and never rolls back a transaction that
 *    was interrupted by a crash: the database stays half-written (reproduced in test/unit/storeCrash.test.ts).
 *    {@link recoverHotJournal} performs that rollback, through SQLite itself, before the store opens.
 */
import fs = require("node:fs");
import { Database } from "node-sqlite3-wasm";
import type { Logger } from "../types";

/** How often lock waits look again. */
const POLL_MS = 25;
/**
 * A VFS lock directory unchanged for this long is stale. Every statement the store runs holds it for well under a
 * second (vector loading and deletes are batched for that reason), and each new statement re-creates it, which
 * changes its inode/ctime, so "unchanged for 3 s" means its owner died.
 */
export const VFS_LOCK_STALE_MS = 3000;
/** Longest wait for another process's lock before reporting the store as locked. */
export const BUSY_TIMEOUT_MS = 10_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread; only used while waiting for another process's file lock (SQLite's API here is sync). */
export function sleepSync(ms: number): void {
    Atomics.wait(sleeper, 0, 0, ms);
}

export function journalPath(dbPath: string): string {
    return `${dbPath}-journal`;
}

export function vfsLockPath(dbPath: string): string {
    return `${dbPath}.lock`;
}

/** Identity of the lock directory instance: a re-created directory has a new inode or ctime. */
function lockStamp(dbPath: string): string | undefined {
    try {
        const st = fs.statSync(vfsLockPath(dbPath), { bigint: true });
        return `${st.ino}:${st.ctimeNs}`;
    } catch {
        return undefined;
    }
}

/**
 * Waits until no connection holds the VFS lock. A lock that stays the same directory for
 * {@link VFS_LOCK_STALE_MS} belonged to a dead process and is removed. Returns false when a live holder kept
 * taking it for longer than `timeoutMs`.
 */
export function clearVfsLock(dbPath: string, logger: Logger, timeoutMs = BUSY_TIMEOUT_MS): boolean {
    const started = Date.now();
    let stamp = lockStamp(dbPath);
    let stampSince = started;
    while (stamp !== undefined) {
        const now = Date.now();
        if (now - stampSince >= VFS_LOCK_STALE_MS) {
            try {
                fs.rmdirSync(vfsLockPath(dbPath));
                logger.warn(`seek: removed a stale SQLite lock left by a process that ended (${vfsLockPath(dbPath)})`);
            } catch (err) {
                logger.debug(`seek: stale lock removal raced with its owner: ${String(err)}`);
            }
        } else if (now - started >= timeoutMs) {
            return false;
        } else {
            sleepSync(POLL_MS);
        }
        const next = lockStamp(dbPath);
        if (next !== stamp) stampSince = Date.now();
        stamp = next;
    }
    return true;
}

/** True when another connection holds the VFS lock right now (used to tell contention from real errors). */
export function vfsLockHeld(dbPath: string): boolean {
    return lockStamp(dbPath) !== undefined;
}

/** True when a rollback journal with content exists: a write transaction was in flight and never finished. */
export function hasHotJournal(dbPath: string): boolean {
    try {
        return fs.statSync(journalPath(dbPath)).size > 0;
    } catch {
        return false;
    }
}

/**
 * Rolls back an interrupted transaction. The caller must be the only writer (it holds the index lock) and must
 * have cleared the VFS lock. For the length of one open-and-read, xCheckReservedLock is made to see "no other
 * writer" (true: there is none), which is all SQLite needs to roll the hot journal back by itself. Throws when the
 * journal could not be applied; the caller then treats the store as corrupt.
 */
export function recoverHotJournal(dbPath: string, logger: Logger): void {
    const lockDir = vfsLockPath(dbPath);
    const realAccessSync = fs.accessSync;
    const patched = function (this: unknown, path: fs.PathLike, mode?: number): void {
        if (path === lockDir) throw Object.assign(new Error(`ENOENT: ${lockDir}`), { code: "ENOENT" });
        realAccessSync.call(fs, path, mode);
    };
    let db: Database | undefined;
    try {
        fs.accessSync = patched;
        db = new Database(dbPath, { fileMustExist: true });
        db.all("SELECT count(*) AS n FROM sqlite_master");
    } finally {
        fs.accessSync = realAccessSync;
        db?.close();
    }
    if (hasHotJournal(dbPath)) throw new Error(`the rollback journal ${journalPath(dbPath)} could not be applied`);
    logger.warn("seek: the index was interrupted in the middle of a write; rolled back to the last complete state");
}
