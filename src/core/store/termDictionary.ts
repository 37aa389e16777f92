/**
 * Token <-> id for the lexical index, mirrored in the `terms` table. A writer assigns ids to new tokens inside its
 * transaction and publishes them only once it committed (a rolled-back transaction leaves no id behind in memory);
 * readers load the rows above the highest id they know. Ids only grow and are never reused.
 *
 * Memory: a large folder has hundreds of thousands of distinct tokens (321k for a 201k-chunk folder), so the
 * committed tokens are not a Map of strings (a string and a hash entry each, about 75 bytes, and a token cut from a
 * chunk's text may keep that text alive): their UTF-16 code units sit back to back in one arena, with an offset and
 * a length per id, found through an open-addressing hash table of ids (linear probing, at most half full). About
 * 2 bytes a character plus 16 bytes a token.
 */
import type { Database } from "node-sqlite3-wasm";

export class TermDictionary {
    /** UTF-16 code units of every committed token, back to back. */
    private chars = new Uint16Array(1 << 16);
    private charsUsed = 0;
    /** Per id: offset of its first code unit in `chars`, and its length. */
    private offsets = new Uint32Array(1024);
    private lengths = new Uint32Array(1024);
    /** Open addressing: token ids (0 = empty), size a power of two. */
    private slots = new Uint32Array(1 << 12);
    private count = 0;
    private maxId = 0;
    private readonly pending = new Map<string, number>();

    get size(): number {
        return this.count;
    }

    get highestId(): number {
        return this.maxId;
    }

    /** The id of a known token (committed, or new in the open transaction). */
    idOf(token: string): number | undefined {
        const id = this.lookup(token);
        return id !== 0 ? id : this.pending.get(token);
    }

    /** The id of a token, assigning a new one (pending until {@link commit}) when it is unknown. */
    assign(token: string): number {
        const known = this.idOf(token);
        if (known !== undefined) return known;
        const id = this.maxId + this.pending.size + 1;
        this.pending.set(token, id);
        return id;
    }

    /** Tokens assigned since the last commit or rollback, to insert in the same transaction. */
    pendingRows(): [token: string, id: number][] {
        return [...this.pending];
    }

    commit(): void {
        for (const [token, id] of this.pending) this.add(token, id);
        this.pending.clear();
    }

    rollback(): void {
        this.pending.clear();
    }

    /** Loads the rows with id above the highest known; returns how many. */
    load(db: Database): number {
        const rows = db.all("SELECT id, term FROM terms WHERE id > ? ORDER BY id", [this.maxId]);
        for (const r of rows) this.add(String(r.term), Number(r.id));
        return rows.length;
    }

    /** Bytes held (for benchmarks). */
    get byteLength(): number {
        return this.chars.byteLength + this.offsets.byteLength + this.lengths.byteLength + this.slots.byteLength;
    }

    /** The committed id of a token, or 0. */
    private lookup(token: string): number {
        const mask = this.slots.length - 1;
        for (let i = hashOf(token) & mask; ; i = (i + 1) & mask) {
            const id = this.slots[i];
            if (id === 0 || this.holds(id, token)) return id;
        }
    }

    private holds(id: number, token: string): boolean {
        const n = this.lengths[id];
        if (n !== token.length) return false;
        const at = this.offsets[id];
        for (let k = 0; k < n; k++) if (this.chars[at + k] !== token.charCodeAt(k)) return false;
        return true;
    }

    private add(token: string, id: number): void {
        if (this.lookup(token) !== 0) return;
        if (id >= this.offsets.length) {
            const cap = Math.max(id + 1, this.offsets.length * 2);
            this.offsets = grown(this.offsets, new Uint32Array(cap));
            this.lengths = grown(this.lengths, new Uint32Array(cap));
        }
        if (this.charsUsed + token.length > this.chars.length) {
            this.chars = grown(this.chars, new Uint16Array(Math.max(this.charsUsed + token.length, this.chars.length * 2)));
        }
        const at = this.charsUsed;
        for (let k = 0; k < token.length; k++) this.chars[at + k] = token.charCodeAt(k);
        this.charsUsed += token.length;
        this.offsets[id] = at;
        this.lengths[id] = token.length;
        if ((this.count + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
        this.place(id, token);
        this.count++;
        if (id > this.maxId) this.maxId = id;
    }

    private place(id: number, token: string): void {
        const mask = this.slots.length - 1;
        let i = hashOf(token) & mask;
        while (this.slots[i] !== 0) i = (i + 1) & mask;
        this.slots[i] = id;
    }

    private rehash(size: number): void {
        const old = this.slots;
        this.slots = new Uint32Array(size);
        const mask = size - 1;
        for (const id of old) {
            if (id === 0) continue;
            let h = FNV_OFFSET;
            const at = this.offsets[id];
            for (let k = 0; k < this.lengths[id]; k++) h = Math.imul(h ^ this.chars[at + k], FNV_PRIME);
            let i = (h >>> 0) & mask;
            while (this.slots[i] !== 0) i = (i + 1) & mask;
            this.slots[i] = id;
        }
    }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units. */
function hashOf(s: string): number {
    let h = FNV_OFFSET;
    for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), FNV_PRIME);
    return h >>> 0;
}

function grown<T extends Uint32Array | Uint16Array>(from: T, to: T): T {
    to.set(from);
    return to;
}
