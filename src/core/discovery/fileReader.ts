/**
 * Safe reading of one discovered file: capped, never blocking on FIFOs, content-checked (binary, encoding,
 * minified), hashed. Every failure is a ReadResult with a SkipReason, never a throw, so one odd file cannot stop a run.
 */
import { createHash } from "node:crypto";
import type { SkipReason } from "../types";
import { MAX_FILE_BYTES } from "./defaults";
import { errnoCode, nodeReaderFs, type CappedRead, type ReaderFs } from "./discoveryFs";
import { decodeText } from "./textDecode";

export type ReadResult =
    | {
          ok: true;
          /** Decoded text: BOM removed, line endings as in the file. */
          text: string;
          /** Content hash: sha256 hex of the raw bytes (before decoding). */
          hash: string;
          /** Raw byte length. */
          bytes: number;
      }
    | { ok: false; reason: SkipReason; detail: string };

export interface ReadOptions {
    /** Files larger than this are "tooLarge" (default MAX_FILE_BYTES, 1 MiB), even if they grew after discovery. */
    maxFileBytes?: number;
    /** File-system access (tests inject EACCES and other faults here). */
    fs?: ReaderFs;
}

/**
 * Reads a text file for indexing. Outcomes: ok; "vanished" (deleted since discovery); "unreadable" (detail: errno
 * code); "tooLarge"; "binary" (NUL or control bytes); "badEncoding" (not UTF-8 or UTF-16 with BOM); "minified";
 * "symlinkLoop".
 */
export async function readTextFile(absPath: string, opts: ReadOptions = {}): Promise<ReadResult> {
    const cap = opts.maxFileBytes ?? MAX_FILE_BYTES;
    let read: CappedRead;
    try {
        // One byte over the cap tells "exactly at the cap" from "grew past it".
        read = await (opts.fs ?? nodeReaderFs).readCapped(absPath, cap + 1);
    } catch (err) {
        return failure(errnoCode(err));
    }
    if (!read.isFile) return { ok: false, reason: "unreadable", detail: "not a regular file" };
    if (read.size > cap || read.data.length > cap) {
        return { ok: false, reason: "tooLarge", detail: `${Math.max(read.size, read.data.length)} bytes > ${cap}` };
    }
    const decoded = decodeText(read.data);
    if (!decoded.ok) return decoded;
    return { ok: true, text: decoded.text, hash: hashBytes(read.data), bytes: read.data.length };
}

function failure(code: string): ReadResult {
    switch (code) {
        case "ENOENT":
        case "ENOTDIR":
            return { ok: false, reason: "vanished", detail: code };
        case "ELOOP":
            return { ok: false, reason: "symlinkLoop", detail: code };
        default:
            return { ok: false, reason: "unreadable", detail: code };
    }
}

/** sha256 hex of raw bytes: the content hash the catalog compares. */
export function hashBytes(data: Uint8Array): string {
    return createHash("sha256").update(data).digest("hex");
}

/** sha256 hex of a string's UTF-8 bytes (equals the file hash for a BOM-less UTF-8 file with this text). */
export function hashText(text: string): string {
    return createHash("sha256").update(text, "utf8").digest("hex");
}
