/**
 * Token <-> id for the lexical index, mirrored in the `terms` table. A writer assigns ids to new tokens inside its
 * transaction and publishes them only once it committed (a rolled-back transaction leaves no id behind in memory);
 * readers load the rows above the highest id they know. Ids only grow and are never reused.
 */
import type { Database } from "node-sqlite3-wasm";

export class TermDictionary {
    private readonly ids = new Map<string, number>();
    private maxId = 0;
    private readonly pending = new Map<string, number>();

    get size(): number {
        return this.ids.size;
    }

    get highestId(): number {
        return this.maxId;
    }

    /** The id of a known token (committed, or new in the open transaction). */
    idOf(token: string): number | undefined {
        return this.ids.get(token) ?? this.pending.get(token);
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

    private add(token: string, id: number): void {
        this.ids.set(token, id);
        if (id > this.maxId) this.maxId = id;
    }
}
