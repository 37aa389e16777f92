/**
 * sha256 verification of fetched model files, cached by size + mtime in a small JSON file next to them: hashing a
 * 34 MB model takes a noticeable fraction of a second, which every CLI start and every engine open would pay.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Logger } from "../types";

/** Cache file name inside a model folder (the folder is gitignored with the weights). */
export const CHECKSUM_CACHE_FILE = ".seek-checksums.json";

interface CacheEntry {
    size: number;
    mtimeMs: number;
    sha256: string;
}

type CacheFile = Record<string, CacheEntry>;

/** Streams the file through sha256 so a large model never needs one big buffer. */
export function sha256File(path: string): string {
    const hash = createHash("sha256");
    const buf = Buffer.allocUnsafe(1 << 20);
    const fd = openSync(path, "r");
    try {
        for (;;) {
            const n = readSync(fd, buf, 0, buf.length, null);
            if (n === 0) break;
            hash.update(n === buf.length ? buf : buf.subarray(0, n));
        }
    } finally {
        closeSync(fd);
    }
    return hash.digest("hex");
}

function readCache(dir: string, logger?: Logger): CacheFile {
    try {
        const parsed: unknown = JSON.parse(readFileSync(join(dir, CHECKSUM_CACHE_FILE), "utf8"));
        return typeof parsed === "object" && parsed !== null ? (parsed as CacheFile) : {};
    } catch (err) {
        // First run, or a damaged cache: hashing again is the safe fallback.
        logger?.debug(`seek: no usable checksum cache in ${dir}: ${String(err)}`);
        return {};
    }
}

/**
 * The file's sha256, from the cache when size and mtime still match, else computed (and cached when the folder is
 * writable; an installed extension's folder may not be, which only costs the hash on the next start).
 */
export function cachedSha256(path: string, logger?: Logger): string {
    const dir = dirname(path);
    const name = basename(path);
    const st = statSync(path);
    const cache = readCache(dir, logger);
    const hit = cache[name];
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs && typeof hit.sha256 === "string") {
        return hit.sha256;
    }
    const sha256 = sha256File(path);
    cache[name] = { size: st.size, mtimeMs: st.mtimeMs, sha256 };
    try {
        writeFileSync(join(dir, CHECKSUM_CACHE_FILE), JSON.stringify(cache, null, 1));
    } catch (err) {
        logger?.debug(`seek: cannot write checksum cache in ${dir}: ${String(err)}`);
    }
    return sha256;
}
