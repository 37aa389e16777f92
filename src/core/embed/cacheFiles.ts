/**
 * File-system helpers of the embedding cache (embeddingCache.ts): the compaction lock that several processes share,
 * the record checksum, and small directory chores.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import zlib = require("node:zlib");
import fs = require("node:fs");
import type { Logger } from "../types";

/** A compaction lock untouched this long belongs to a dead process (compacting 512 MB takes seconds, not minutes). */
const LOCK_STALE_MS = 60_000;

/** Removes `<file><infix>*` (old corrupt copies; copies left by a killed compaction). */
export function removeSiblings(file: string, infix: string): void {
    const prefix = basename(file) + infix;
    for (const name of fs.readdirSync(dirname(file))) if (name.startsWith(prefix)) fs.rmSync(join(dirname(file), name), { force: true });
}

export function makeDir(dir: string, logger: Logger | undefined): boolean {
    try {
        fs.mkdirSync(dir, { recursive: true });
        return true;
    } catch (err) {
        logger?.warn(`seek: embedding cache disabled: cannot create ${dir}: ${String(err)}`);
        return false;
    }
}

export interface HeldLock {
    path: string;
    token: string;
}

/**
 * Takes `path` with O_EXCL, holding `host:pid:random`. A lock whose holder is gone (same host, pid not alive) or that
 * is older than LOCK_STALE_MS is taken over; undefined when a live process holds it.
 */
export function takeLock(path: string, logger: Logger | undefined): HeldLock | undefined {
    const token = `${hostname()}:${process.pid}:${randomBytes(6).toString("hex")}`;
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            fs.writeFileSync(path, token, { flag: "wx" });
            return { path, token };
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        if (!lockStale(path)) return undefined;
        // Two takers racing here may both compact; each result is a whole file put in place by rename.
        logger?.debug(`seek: embedding cache: taking over the stale lock ${path}`);
        fs.rmSync(path, { force: true });
    }
    return undefined;
}

function lockStale(path: string): boolean {
    try {
        if (Date.now() - fs.statSync(path).mtimeMs >= LOCK_STALE_MS) return true;
        const [host, pid] = fs.readFileSync(path, "utf8").split(":");
        if (host !== hostname() || !(Number(pid) > 0)) return false;
        process.kill(Number(pid), 0);
        return false;
    } catch (err) {
        // ESRCH: the holder is gone. ENOENT: released meanwhile (the next try takes it). EPERM: alive, not ours.
        return (err as NodeJS.ErrnoException).code !== "EPERM";
    }
}

export function releaseLock(lock: HeldLock, logger: Logger | undefined): void {
    try {
        if (fs.readFileSync(lock.path, "utf8") === lock.token) fs.unlinkSync(lock.path);
    } catch (err) {
        logger?.debug(`seek: embedding cache lock ${lock.path} already gone: ${String(err)}`);
    }
}

/** zlib.crc32 arrived in Node 20.15; the CLI supports any Node 20, so older ones get the table version. */
const nativeCrc = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
let crcTable: Int32Array | undefined;

export function crc32(data: Uint8Array): number {
    if (nativeCrc) return nativeCrc(data);
    if (!crcTable) {
        crcTable = new Int32Array(256);
        for (let n = 0; n < 256; n++) {
            let c = n;
            for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
            crcTable[n] = c;
        }
    }
    let crc = -1;
    for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ -1) >>> 0;
}
