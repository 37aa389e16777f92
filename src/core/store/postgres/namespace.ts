/**
 * A namespace of the team index: one (repository, ref) pair, e.g. ("acme/api", "main"), holding the files of that
 * ref as indexed with one index identity (model, dimensions, instructions, chunker). Several repositories and refs
 * share a database; a reader whose identity differs from the namespace's gets a clear error instead of vectors
 * from another model.
 */
import type pg from "pg";
import { CoreError } from "../../errors";
import type { IndexIdentity } from "../indexStore";

/** Which (repository, ref) a writer publishes to or a reader searches. */
export interface NamespaceKey {
    repo: string;
    ref: string;
}

/** A namespace row: its id, key and totals. */
export interface NamespaceRow extends NamespaceKey {
    id: number;
    identity: IndexIdentity;
    chunks: number;
    tokens: number;
    embedded: number;
    files: number;
    generation: number;
    /** When the last publish transaction committed. */
    updatedAt: Date;
}

type Queryable = Pick<pg.ClientBase, "query">;

/** Longest repository id or ref accepted (git refs are shorter in practice; this only bounds garbage). */
const MAX_KEY_CHARS = 512;

/** Checks a namespace key given on a command line or in settings. Any characters are fine: they are bound values. */
export function checkedKey(key: NamespaceKey): NamespaceKey {
    for (const [what, v] of [["repository id", key.repo], ["ref", key.ref]] as const) {
        if (v.length === 0 || v.length > MAX_KEY_CHARS || v.includes("\0")) throw new CoreError("badInput", `Invalid ${what} '${v.slice(0, 80)}'`);
    }
    return key;
}

/** "acme/api@main", for messages and the status bar. */
export function namespaceLabel(key: NamespaceKey): string {
    return `${key.repo}@${key.ref}`;
}

export function identityKey(identity: IndexIdentity): string {
    return `${identity.modelId}/${identity.dimensions}d/${identity.instructionSet}/chunker-${identity.chunkerVersion}`;
}

export function sameIdentity(a: IndexIdentity, b: IndexIdentity): boolean {
    return identityKey(a) === identityKey(b);
}

const SELECT_NAMESPACE = `SELECT n.id, n.repo, n.ref, n.model_id, n.dimensions, n.instruction_set, n.chunker_version,
        n.file_count, n.chunk_count, n.token_count, n.embedded_count, n.generation, n.updated_at
    FROM seek_namespaces n WHERE n.repo = $1 AND n.ref = $2`;

/** The namespace's row, or undefined when nothing was ever published there. */
export async function findNamespace(db: Queryable, key: NamespaceKey): Promise<NamespaceRow | undefined> {
    const res = await db.query(SELECT_NAMESPACE, [key.repo, key.ref]);
    const r = res.rows[0];
    if (!r) return undefined;
    return {
        id: r.id,
        repo: r.repo,
        ref: r.ref,
        identity: { modelId: r.model_id, dimensions: r.dimensions, instructionSet: r.instruction_set, chunkerVersion: r.chunker_version },
        chunks: Number(r.chunk_count),
        tokens: Number(r.token_count),
        embedded: Number(r.embedded_count),
        files: Number(r.file_count),
        generation: Number(r.generation),
        updatedAt: r.updated_at,
    };
}

/** Readers: the namespace, checked against the reader's identity. */
export async function readableNamespace(db: Queryable, key: NamespaceKey, identity: IndexIdentity): Promise<NamespaceRow> {
    const ns = await findNamespace(db, key);
    if (!ns) throw new CoreError("indexMismatch", `The team index has nothing for ${namespaceLabel(key)} (publish it with 'seek index <folder> --store <url>')`);
    if (!sameIdentity(ns.identity, identity)) {
        throw new CoreError(
            "indexMismatch",
            `The team index for ${namespaceLabel(key)} was built with ${identityKey(ns.identity)}; this Seek searches with ${identityKey(identity)} (use the same model and instruction settings)`,
        );
    }
    return ns;
}

/** Writers: the namespace's id, creating it with `identity` if new. */
export async function createNamespace(db: Queryable, key: NamespaceKey, identity: IndexIdentity): Promise<number> {
    await db.query(
        `INSERT INTO seek_namespaces (repo, ref, model_id, dimensions, instruction_set, chunker_version)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (repo, ref) DO NOTHING`,
        [key.repo, key.ref, identity.modelId, identity.dimensions, identity.instructionSet, identity.chunkerVersion],
    );
    const ns = await findNamespace(db, key);
    if (!ns) throw new CoreError("storeCorrupt", `The namespace ${namespaceLabel(key)} vanished while it was created`);
    return ns.id;
}

/**
 * Writers whose identity differs from the namespace's (a new model, new instructions, a new chunker): every row of
 * the namespace goes, in one transaction, and the namespace takes the new identity (a full republish follows).
 */
export async function resetNamespace(db: Queryable, id: number, identity: IndexIdentity): Promise<void> {
    await db.query("BEGIN");
    try {
        for (const table of ["seek_chunks", "seek_files", "seek_terms"]) {
            // Table names are constants of this module, never input.
            await db.query(`DELETE FROM ${table} WHERE ns = $1`, [id]);
        }
        await db.query(
            `UPDATE seek_namespaces SET model_id = $2, dimensions = $3, instruction_set = $4, chunker_version = $5,
                file_count = 0, chunk_count = 0, token_count = 0, embedded_count = 0, generation = generation + 1, updated_at = now() WHERE id = $1`,
            [id, identity.modelId, identity.dimensions, identity.instructionSet, identity.chunkerVersion],
        );
        await db.query("COMMIT");
    } catch (err) {
        await db.query("ROLLBACK").catch(() => undefined);
        throw err;
    }
}
