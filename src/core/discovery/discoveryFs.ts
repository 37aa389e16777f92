/**
 * The file-system calls discovery and the reader make, behind small interfaces so tests can inject faults that a
 * root-run test process cannot produce for real (EACCES on a chmod 000 file is not raised for root).
 */
import type { Dirent, Stats } from "node:fs";
import { constants } from "node:fs";
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";

/** What discovery needs from the file system. */
export interface DiscoveryFs {
    readdir(absPath: string): Promise<Dirent[]>;
    /** Follows symlinks (size and mtime of the target). */
    stat(absPath: string): Promise<Stats>;
    realpath(absPath: string): Promise<string>;
    /** Reads a rules file (`.gitignore`, `.seekignore`) as UTF-8. */
    readText(absPath: string): Promise<string>;
}

export const nodeDiscoveryFs: DiscoveryFs = {
    readdir: (p) => readdir(p, { withFileTypes: true }),
    stat: (p) => stat(p),
    realpath: (p) => realpath(p),
    readText: (p) => readFile(p, "utf8"),
};

/** Bytes read from one file, with the size the file had when it was opened. */
export interface CappedRead {
    /** Size reported by fstat after opening. */
    size: number;
    /** At most `limit` bytes from the start of the file; empty when `size` is already `limit` or more. */
    data: Buffer;
    /** False for FIFOs, devices and directories, which are never read. */
    isFile: boolean;
}

/** What the reader needs from the file system. */
export interface ReaderFs {
    /** Opens, fstats and reads at most `limit` bytes; rejects with the errno error (ENOENT, EACCES, ...). */
    readCapped(absPath: string, limit: number): Promise<CappedRead>;
}

/** O_NONBLOCK keeps a FIFO from blocking the open until some writer appears. Windows has no such flag. */
const OPEN_FLAGS = constants.O_RDONLY | (process.platform === "win32" ? 0 : constants.O_NONBLOCK);

/** Read size once the bytes fstat promised are in: only a file that grew since the fstat has more. */
const GROWTH_READ_BYTES = 64 * 1024;

export const nodeReaderFs: ReaderFs = {
    async readCapped(absPath, limit) {
        const handle = await open(absPath, OPEN_FLAGS);
        try {
            const st = await handle.stat();
            if (!st.isFile()) return { size: st.size, data: Buffer.alloc(0), isFile: false };
            if (st.size >= limit) return { size: st.size, data: Buffer.alloc(0), isFile: true };
            // Read until EOF or limit, not just st.size: the file may be growing while we read it.
            const chunks: Buffer[] = [];
            let total = 0;
            let want = Math.min(limit, st.size + 1);
            while (want > 0) {
                const buf = Buffer.allocUnsafe(want);
                const { bytesRead } = await handle.read(buf, 0, want, total);
                if (bytesRead === 0) break;
                chunks.push(bytesRead === want ? buf : buf.subarray(0, bytesRead));
                total += bytesRead;
                want = Math.min(limit - total, GROWTH_READ_BYTES);
            }
            return { size: st.size, data: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total), isFile: true };
        } finally {
            await handle.close();
        }
    },
};

/** The errno code of a Node file-system error ("EACCES"), or "EUNKNOWN". Never parses the message. */
export function errnoCode(err: unknown): string {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    return typeof code === "string" ? code : "EUNKNOWN";
}
