/**
 * A content-addressed store of embedding vectors that lives outside any one index: `~/.cache/seek/embeddings`,
 * shared by every folder and by every Seek process at once (the CLI and the extension's engine). It is an
 * optimisation only, so nothing here throws at the caller: a corrupt file is moved aside and started afresh, and a
 * directory that cannot be written turns the cache into a no-op with one warning.
 *
 * File per namespace (model id + dimensions): a 16-byte header (`SEEKEMB1`, u32 version, u32 dims), then fixed-size
 * records `key[16] | float32 LE[dims] | crc32(key + vector)[4]`. The file only ever grows by whole-record appends made
 * with one write(2) on an O_APPEND descriptor (the kernel serialises those, so processes never interleave records),
 * or is replaced whole by rename during compaction. A kill at any point leaves at most a torn last record.
 */
import { createHash, randomBytes } from "node:crypto";
import { endianness } from "node:os";
import { join } from "node:path";
import fs = require("node:fs");
import type { Logger } from "../types";
import { crc32, makeDir, releaseLock, removeSiblings, takeLock } from "./cacheFiles";

const MAGIC = "SEEKEMB1";
const VERSION = 1;
const HEADER_BYTES = 16;
const KEY_BYTES = 16;
const CRC_BYTES = 4;
/** Default size bound of one namespace file. */
export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
/** Bytes read per positional read while loading or compacting: large enough to amortise syscalls. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** How long a misaligned tail must stay unchanged before it counts as torn rather than an append in progress. */
const TORN_SETTLE_MS = 50;

/** A cache key: 16 bytes, or the same 16 bytes as 32 hex digits. */
export type CacheKey = Buffer | string;

/** One vector to store. */
export interface CacheEntry {
    key: CacheKey;
    vector: Float32Array;
}

export interface EmbeddingCacheOptions {
    /** Size bound of each namespace file; past it the file is compacted to half. Default 1 GiB. */
    maxBytes?: number;
    logger?: Logger;
}

export interface EmbeddingCacheStats {
    entries: number;
    /** Bytes of the namespace files as last seen. */
    bytes: number;
    hits: number;
    misses: number;
    /** Records skipped because their checksum or key did not match (bit rot, torn writes). */
    corruptRecords: number;
}

/**
 * The key of one prompted text: the first 16 bytes of sha256 over the length-prefixed instruction and text, so
 * moving characters between the two ("ab" + "c" vs "a" + "bc") changes the key. The model is not part of the key:
 * each model has its own namespace file.
 */
export function cacheKey(instruction: string, text: string): Buffer {
    const hash = createHash("sha256");
    for (const part of [instruction, text]) {
        const len = Buffer.alloc(4);
        len.writeUInt32LE(Buffer.byteLength(part, "utf8"));
        hash.update(len).update(part, "utf8");
    }
    return hash.digest().subarray(0, KEY_BYTES);
}

/** The file name of a namespace: sanitised for any file system, plus a hash so two ids never collide after sanitising. */
export function namespaceFileName(namespace: string, dims: number): string {
    const safe = namespace.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80);
    const tag = createHash("sha256").update(namespace, "utf8").digest("hex").slice(0, 8);
    return `${safe}-${tag}-${dims}d.bin`;
}

/** The root of the cache: hands out one {@link EmbeddingCacheFile} per (namespace, dims), opened on first use. */
export class EmbeddingCache {
    private readonly files = new Map<string, EmbeddingCacheFile>();
    private readonly usable: boolean;

    /** Creates `dir` if needed; when that fails the cache is a no-op and one warning is logged. */
    constructor(
        readonly dir: string,
        private readonly opts: EmbeddingCacheOptions = {},
    ) {
        this.usable = endianness() === "LE" && makeDir(dir, opts.logger);
    }

    /** The file of one namespace (memoised; never throws). */
    open(namespace: string, dims: number): EmbeddingCacheFile {
        const name = namespaceFileName(namespace, dims);
        let file = this.files.get(name);
        if (!file) {
            file = new EmbeddingCacheFile(this.usable ? join(this.dir, name) : undefined, dims, this.opts);
            this.files.set(name, file);
        }
        return file;
    }

    /** Sums over the namespaces opened by this instance. */
    stats(): EmbeddingCacheStats {
        const total: EmbeddingCacheStats = { entries: 0, bytes: 0, hits: 0, misses: 0, corruptRecords: 0 };
        for (const f of this.files.values()) {
            const s = f.stats();
            for (const k of Object.keys(total) as (keyof EmbeddingCacheStats)[]) total[k] += s[k];
        }
        return total;
    }

    close(): void {
        for (const f of this.files.values()) f.close();
        this.files.clear();
    }
}

/** The vectors of one namespace. Keeps only key -> offset in memory and reads vectors with positional reads. */
export class EmbeddingCacheFile {
    private readonly recordBytes: number;
    private readonly maxBytes: number;
    private readonly logger: Logger | undefined;
    private fd: number | undefined;
    private ino = 0;
    /** Key (16 bytes as a latin1 string) -> record offset. */
    private offsets = new Map<string, number>();
    /** End of the whole records read so far. */
    private readPos = HEADER_BYTES;
    private size = 0;
    /** Keys hit or put by this process, least recent first: compaction moves them to the end. */
    private readonly used = new Map<string, true>();
    private hits = 0;
    private misses = 0;
    private corrupt = 0;

    /** `path` undefined gives a no-op cache. Prefer {@link EmbeddingCache.open}. */
    constructor(
        readonly path: string | undefined,
        readonly dims: number,
        opts: EmbeddingCacheOptions = {},
    ) {
        this.recordBytes = KEY_BYTES + dims * 4 + CRC_BYTES;
        this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
        this.logger = opts.logger;
        if (path && dims > 0) this.guard("open", () => this.openFile(path));
    }

    /** Vectors of `keys` in order (fresh arrays), undefined for misses. Reads other processes' appends before a miss. */
    get(keys: readonly CacheKey[]): (Float32Array | undefined)[] {
        const ks = keys.map(keyString);
        const out = ks.map((k) => this.read(k));
        if (out.some((v) => v === undefined) && this.guard("refresh", () => this.sync())) {
            for (let i = 0; i < ks.length; i++) out[i] ??= this.read(ks[i]);
        }
        for (let i = 0; i < ks.length; i++) {
            if (out[i]) {
                this.hits++;
                this.touch(ks[i]);
            } else this.misses++;
        }
        return out;
    }

    /** Appends the entries not stored yet, all with one write; compacts when the file passes maxBytes. */
    put(entries: readonly CacheEntry[]): void {
        if (this.fd === undefined || entries.length === 0) return;
        this.guard("write", () => {
            if (!this.sync() || !this.alignTail()) return;
            const fresh = new Map<string, Float32Array>();
            for (const e of entries) {
                const k = keyString(e.key);
                this.touch(k);
                if (e.vector.length === this.dims && !this.offsets.has(k)) fresh.set(k, e.vector);
            }
            if (fresh.size === 0) return;
            const buf = Buffer.allocUnsafe(fresh.size * this.recordBytes);
            let at = 0;
            for (const [k, v] of fresh) at = this.encode(buf, at, k, v);
            const before = this.size;
            const written = fs.writeSync(this.fd!, buf);
            if (written !== buf.length) throw new Error(`short write (${written} of ${buf.length} bytes)`);
            this.size = fs.fstatSync(this.fd!).size;
            // O_APPEND gives no offset back; if nobody else appended in between, ours sit right after `before`.
            if (this.size === before + buf.length) {
                let offset = before;
                for (const k of fresh.keys()) this.offsets.set(k, (offset += this.recordBytes) - this.recordBytes);
                this.readPos = this.size;
            }
            if (this.size > this.maxBytes) this.compact();
        });
    }

    stats(): EmbeddingCacheStats {
        return { entries: this.offsets.size, bytes: this.size, hits: this.hits, misses: this.misses, corruptRecords: this.corrupt };
    }

    /** Safe to call twice; later calls act as a no-op cache. */
    close(): void {
        if (this.fd !== undefined) fs.closeSync(this.fd);
        this.fd = undefined;
    }

    /** Runs an I/O step; on failure turns this cache into a no-op with one warning rather than failing the caller. */
    private guard(what: string, step: () => unknown): boolean {
        if (this.fd === undefined && what !== "open") return false;
        try {
            step();
            return true;
        } catch (err) {
            this.logger?.warn(`seek: embedding cache ${this.path} disabled (${what} failed): ${String(err)}`);
            this.close();
            this.offsets.clear();
            return false;
        }
    }

    private openFile(path: string): void {
        this.close();
        this.offsets = new Map();
        this.readPos = HEADER_BYTES;
        this.size = 0;
        for (let attempt = 0; attempt < 3; attempt++) {
            createIfMissing(path, this.dims);
            // No O_CREAT: if the file vanished since (moved aside by another process), go round and create it whole.
            let fd: number;
            try {
                fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_APPEND);
            } catch (err) {
                if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
                throw err;
            }
            const st = fs.fstatSync(fd);
            const header = Buffer.alloc(HEADER_BYTES);
            const got = fs.readSync(fd, header, 0, HEADER_BYTES, 0);
            const problem = got < HEADER_BYTES ? "short header" : headerProblem(header, this.dims);
            if (!problem) {
                [this.fd, this.ino, this.size] = [fd, st.ino, st.size];
                this.sync();
                return;
            }
            fs.closeSync(fd);
            if (problem.startsWith("version")) throw new Error(`${problem}; left alone for the newer Seek that wrote it`);
            this.moveAside(path, st.ino, problem);
        }
        throw new Error("the file keeps being replaced by a corrupt one");
    }

    private moveAside(path: string, ino: number, problem: string): void {
        // Only move the file we judged: another process may already have replaced it with a fresh one.
        if (fs.statSync(path, { throwIfNoEntry: false })?.ino !== ino) return;
        removeSiblings(path, ".corrupt-");
        const aside = `${path}.corrupt-${Date.now()}`;
        fs.renameSync(path, aside);
        this.logger?.warn(`seek: embedding cache ${path} was corrupt (${problem}); moved it to ${aside} and started afresh`);
    }

    /**
     * Catches up with the file on disk: reopens when another process replaced it (compaction) or cut it below what
     * we read, and indexes records appended since. Returns false when the cache was disabled on the way.
     */
    private sync(): boolean {
        if (this.fd === undefined || !this.path) return false;
        const onDisk = fs.statSync(this.path, { throwIfNoEntry: false });
        if (!onDisk || onDisk.ino !== this.ino || onDisk.size < this.readPos) {
            this.openFile(this.path);
            return this.fd !== undefined;
        }
        this.size = onDisk.size;
        const end = this.readPos + Math.floor((this.size - this.readPos) / this.recordBytes) * this.recordBytes;
        const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / this.recordBytes));
        const buf = Buffer.allocUnsafe(Math.min(perChunk * this.recordBytes, end - this.readPos));
        while (this.readPos < end) {
            const want = Math.min(buf.length, end - this.readPos);
            const got = fs.readSync(this.fd, buf, 0, want, this.readPos);
            const whole = got - (got % this.recordBytes);
            for (let at = 0; at < whole; at += this.recordBytes) {
                if (this.valid(buf, at)) this.offsets.set(buf.toString("latin1", at, at + KEY_BYTES), this.readPos + at);
                else this.corrupt++;
            }
            this.readPos += whole;
            if (whole < want) break;
        }
        return true;
    }

    /**
     * Before appending, the file must end on a record boundary. A partial record left by a killed process is cut away;
     * one that is still growing is another process's append in progress, so we wait for it briefly. Returns false to
     * skip this write (the tail stayed unsettled, or another process is compacting).
     */
    private alignTail(): boolean {
        for (let round = 0; this.size !== this.readPos; round++) {
            if (round === 4) return false;
            const seen = this.size;
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, TORN_SETTLE_MS);
            if (!this.sync()) return false;
            if (this.size !== seen) continue;
            const lock = takeLock(`${this.path}.lock`, this.logger);
            if (!lock) return false;
            try {
                // Truncating to a record boundary can only drop records (never misalign), even if we raced an append.
                if (fs.fstatSync(this.fd!).size === seen) fs.ftruncateSync(this.fd!, this.readPos);
                this.logger?.debug(`seek: embedding cache ${this.path}: cut a torn record of ${seen - this.readPos} bytes`);
            } finally {
                releaseLock(lock, this.logger);
            }
            if (!this.sync()) return false;
        }
        return true;
    }

    /**
     * Rewrites the file to half of maxBytes: the newest records in file order, then the ones this process used since
     * open (recently used). Runs under `<file>.lock`; skipped when another process holds it. Appends other processes
     * make while we copy are lost, which only costs re-embedding them.
     */
    private compact(): void {
        const lock = takeLock(`${this.path}.lock`, this.logger);
        if (!lock) return;
        const tmp = `${this.path}.tmp-${process.pid}`;
        try {
            if (!this.sync() || this.size <= this.maxBytes) return;
            // Holding the lock, any other copy is one a killed compaction left behind.
            removeSiblings(this.path!, ".tmp-");
            const budget = Math.max(0, Math.floor((this.maxBytes / 2 - HEADER_BYTES) / this.recordBytes));
            const used = [...this.used.keys()].filter((k) => this.offsets.has(k)).slice(-budget);
            const usedSet = new Set(used);
            const rest = [...this.offsets].filter(([k]) => !usedSet.has(k)).map(([, offset]) => offset);
            const newest = rest.sort((a, b) => a - b).slice(Math.max(0, rest.length - (budget - used.length)));
            const order = [...newest, ...used.map((k) => this.offsets.get(k)!)];
            this.writeCopy(tmp, order);
            fs.renameSync(tmp, this.path!);
            this.logger?.debug(`seek: embedding cache ${this.path} compacted to ${order.length} records`);
            this.openFile(this.path!);
        } finally {
            fs.rmSync(tmp, { force: true });
            releaseLock(lock, this.logger);
        }
    }

    private writeCopy(tmp: string, order: number[]): void {
        const out = fs.openSync(tmp, "w");
        try {
            fs.writeSync(out, headerBytes(this.dims));
            const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / this.recordBytes));
            const buf = Buffer.allocUnsafe(perChunk * this.recordBytes);
            let at = 0;
            for (const offset of order) {
                const got = fs.readSync(this.fd!, buf, at, this.recordBytes, offset);
                if (got === this.recordBytes && this.valid(buf, at)) at += this.recordBytes;
                if (at === buf.length) {
                    fs.writeSync(out, buf, 0, at);
                    at = 0;
                }
            }
            if (at > 0) fs.writeSync(out, buf, 0, at);
            fs.fsyncSync(out);
        } finally {
            fs.closeSync(out);
        }
    }

    /** The vector of one key, checked against its record's key and checksum (offsets may be stale after a truncate). */
    private read(k: string): Float32Array | undefined {
        const offset = this.offsets.get(k);
        if (offset === undefined || this.fd === undefined) return undefined;
        const buf = Buffer.allocUnsafe(this.recordBytes);
        let got = 0;
        this.guard("read", () => (got = fs.readSync(this.fd!, buf, 0, this.recordBytes, offset)));
        if (got !== this.recordBytes || buf.toString("latin1", 0, KEY_BYTES) !== k || !this.valid(buf, 0)) {
            if (got === this.recordBytes) this.corrupt++;
            this.offsets.delete(k);
            return undefined;
        }
        const v = new Float32Array(this.dims);
        buf.copy(new Uint8Array(v.buffer), 0, KEY_BYTES, KEY_BYTES + this.dims * 4);
        return v;
    }

    private encode(buf: Buffer, at: number, k: string, v: Float32Array): number {
        buf.write(k, at, KEY_BYTES, "latin1");
        Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(buf, at + KEY_BYTES);
        const end = at + this.recordBytes - CRC_BYTES;
        buf.writeUInt32LE(crc32(buf.subarray(at, end)), end);
        return end + CRC_BYTES;
    }

    private valid(buf: Buffer, at: number): boolean {
        const end = at + this.recordBytes - CRC_BYTES;
        return crc32(buf.subarray(at, end)) === buf.readUInt32LE(end);
    }

    private touch(k: string): void {
        this.used.delete(k);
        this.used.set(k, true);
    }
}

function keyString(key: CacheKey): string {
    const bytes = typeof key === "string" ? Buffer.from(key, "hex") : key;
    if (bytes.length !== KEY_BYTES) throw new Error(`a cache key has ${KEY_BYTES} bytes, got ${bytes.length}`);
    return bytes.toString("latin1");
}

function headerBytes(dims: number): Buffer {
    const h = Buffer.alloc(HEADER_BYTES);
    h.write(MAGIC, 0, "latin1");
    h.writeUInt32LE(VERSION, 8);
    h.writeUInt32LE(dims, 12);
    return h;
}

function headerProblem(h: Buffer, dims: number): string | undefined {
    if (h.toString("latin1", 0, 8) !== MAGIC) return "bad magic";
    const version = h.readUInt32LE(8);
    if (version > VERSION) return `version ${version} is newer than ${VERSION}`;
    if (version !== VERSION) return `bad version ${version}`;
    if (h.readUInt32LE(12) !== dims) return `header says ${h.readUInt32LE(12)} dims, expected ${dims}`;
    return undefined;
}

/** Creates the file with its whole header atomically (link fails if it exists), so nobody ever sees a bare file. */
function createIfMissing(path: string, dims: number): void {
    if (fs.existsSync(path)) return;
    const tmp = `${path}.new-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
        fs.writeFileSync(tmp, headerBytes(dims));
        fs.linkSync(tmp, path);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    } finally {
        fs.rmSync(tmp, { force: true });
    }
}
