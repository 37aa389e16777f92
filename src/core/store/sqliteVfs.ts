/**
 * Workarounds for the file-system layer (VFS) of node-sqlite3-wasm, found by testing it:
 *
 * 1. Locking is a directory `<db>.lock` made with mkdir, for every lock level (readers and writers exclude each
 *    other). A process killed while it holds a lock leaves the directory behind and every later open fails with
 *    "database is locked" forever. {@link clearVfsLock} waits for it and removes it when it is stale. The wait
 *    has no busy handler to lean on (the VFS has no xSleep), so contention is retried here, in JS.
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
 * A VFS lock directory untouched for this long is stale. Statements hold it briefly: writes are batched (64
 * files, 256 removals), a BM25 query at 100k chunks takes ~0.2 s; a reader's snapshot load is longer but
 * refreshes the directory's ctime between batches ({@link touchVfsLock}). The one long silent holder is a writer's
 * full integrity check after an unclean close, which only reads, so a reader breaking in on it does no harm. Each
 * statement re-creates the directory, so its ctime is the age of the current hold.
 */
export const VFS_LOCK_STALE_MS = 2000;
/** Longest wait for another process's lock before reporting the store as locked. */
export const BUSY_TIMEOUT_MS = 10_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread; only used while waiting for another process's file lock (SQLite's API here is sync). */
export function sleepSync(ms: number): void {
    Atomics.wait(sleeper, 0, 0, ms);
}

/** SQLite's rollback journal beside the database (exists only while a transaction writes, in DELETE mode). */
export function journalPath(dbPath: string): string {
    return `${dbPath}-journal`;
}

/** The directory node-sqlite3-wasm's VFS creates as its file lock. */
export function vfsLockPath(dbPath: string): string {
    return `${dbPath}.lock`;
}

/** The lock directory instance (a re-created directory has a new inode or ctime) and when it was made. */
function lockStamp(dbPath: string): { key: string; createdMs: number } | undefined {
    try {
        const st = fs.statSync(vfsLockPath(dbPath), { bigint: true });
        return { key: `${st.ino}:${st.ctimeNs}`, createdMs: Number(st.ctimeNs / 1_000_000n) };
    } catch {
        return undefined;
    }
}

/**
 * Waits until no connection holds the VFS lock. A lock directory older than {@link VFS_LOCK_STALE_MS} belonged
 * to a dead process and is removed. Returns false when live holders kept taking it for longer than `timeoutMs`.
 */
export function clearVfsLock(dbPath: string, logger: Logger, timeoutMs = BUSY_TIMEOUT_MS): boolean {
    const started = Date.now();
    let stamp = lockStamp(dbPath);
    while (stamp !== undefined) {
        const now = Date.now();
        if (now - stamp.createdMs >= VFS_LOCK_STALE_MS) {
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
        stamp = lockStamp(dbPath);
    }
    return true;
}

/**
 * Heartbeat for a long read transaction: refreshes the lock directory's ctime so that other processes do not take
 * it for stale (it is only called while this connection holds the lock).
 */
export function touchVfsLock(dbPath: string): void {
    const now = new Date();
    try {
        fs.utimesSync(vfsLockPath(dbPath), now, now);
    } catch {
        // No lock directory (nothing to keep alive): nothing to do.
    }
}

/** True when another connection holds the VFS lock right now (used to tell contention from real errors). */
export function vfsLockHeld(dbPath: string): boolean {
    return lockStamp(dbPath) !== undefined;
}

/**
 * True when a hot rollback journal exists: a transaction had started writing the database file and never finished.
 * Same rule as SQLite's own hasHotJournal(): with synchronous=FULL the journal's header stays zeroed until just
 * before the first write to the database file, so a journal whose first byte is 0 guarded nothing yet and is
 * ignored (SQLite overwrites it with the next transaction).
 */
export function hasHotJournal(dbPath: string): boolean {
    let fd: number | undefined;
    try {
        fd = fs.openSync(journalPath(dbPath), "r");
        const first = Buffer.alloc(1);
        return fs.readSync(fd, first, 0, 1, 0) === 1 && first[0] !== 0;
    } catch {
        return false;
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
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
    const before = fs.statSync(dbPath, { bigint: true });
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
    const after = fs.statSync(dbPath, { bigint: true });
    if (after.mtimeNs !== before.mtimeNs || after.size !== before.size) {
        logger.warn("seek: the index was interrupted in the middle of a write; rolled back to the last complete state");
    } else {
        // A journal SQLite found nothing valid in (e.g. not a journal at all): it was discarded, the index untouched.
        logger.info(`seek: discarded a leftover rollback journal that held nothing to undo (${journalPath(dbPath)})`);
    }
}
