/**
 * Document frequencies of query terms, read from the full-text index itself, so lexical search can leave out terms
 * that cannot change its ranking (see search/commonTerms.ts).
 *
 * Terms are stemmed by FTS5's own tokenizer, through a one-column temp table with the same tokenize option as
 * chunks_fts, so the stem always matches what was indexed (a JavaScript Porter stemmer could drift from SQLite's).
 * Counts come from fts5vocab, which walks the term's doclist: cheap next to scoring (measured at 100k chunks: 4 ms
 * for four terms in 48k rows, against 146 ms for the BM25 query over them), and cached while the index size stays
 * within {@link STALE_RATIO} of the size it was counted at, since only the rough share of chunks matters.
 * Everything lives in the temp schema, so read-only connections can use it too.
 */
import type { Database } from "node-sqlite3-wasm";
import { FTS_TOKENIZE } from "./schema";

/** A cached count is reused while the number of chunks is within this factor of the number it was counted at. */
const STALE_RATIO = 1.1;
/** Cache bounds: past them the cache starts over (queries repeat their words; the set stays small in practice). */
const MAX_CACHED_TERMS = 4096;

interface CountedTerm {
    df: number;
    atChunks: number;
}

export class TermStats {
    private ready = false;
    private readonly stems = new Map<string, string[]>();
    private readonly counts = new Map<string, CountedTerm>();

    constructor(private readonly db: Database) {}

    /**
     * Chunks containing each term (by stem; a term that stems to several tokens gets its rarest one, because the
     * phrase can only be rarer than that). `totalChunks` is the current index size, used to age the cache.
     */
    documentFrequencies(terms: readonly string[], totalChunks: number): Map<string, number> {
        this.prepare();
        const out = new Map<string, number>();
        const stemsOf = this.stemAll(terms);
        for (const term of terms) {
            const stems = stemsOf.get(term) ?? [];
            out.set(term, stems.length === 0 ? 0 : Math.min(...stems.map((s) => this.countOf(s, totalChunks))));
        }
        return out;
    }

    private prepare(): void {
        if (this.ready) return;
        this.db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.seek_vocab USING fts5vocab(main, chunks_fts, row)");
        this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.seek_stem USING fts5(t, tokenize='${FTS_TOKENIZE}')`);
        this.db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.seek_stem_vocab USING fts5vocab(temp, seek_stem, instance)");
        this.ready = true;
    }

    /** Stems of the terms not seen before, in one round trip through the temp table. */
    private stemAll(terms: readonly string[]): Map<string, string[]> {
        const unknown = [...new Set(terms)].filter((t) => !this.stems.has(t));
        if (unknown.length > 0) {
            if (this.stems.size + unknown.length > MAX_CACHED_TERMS) this.stems.clear();
            // No explicit transaction: the writer's own transactions must never nest around this one.
            this.db.exec("DELETE FROM temp.seek_stem");
            unknown.forEach((t, i) => this.db.run("INSERT INTO temp.seek_stem(rowid, t) VALUES (?, ?)", [i + 1, t]));
            const found = unknown.map(() => new Set<string>());
            for (const row of this.db.all("SELECT doc, term FROM temp.seek_stem_vocab")) found[Number(row.doc) - 1]?.add(String(row.term));
            this.db.exec("DELETE FROM temp.seek_stem");
            unknown.forEach((t, i) => this.stems.set(t, [...found[i]]));
        }
        return new Map(terms.map((t) => [t, this.stems.get(t) ?? []]));
    }

    private countOf(stem: string, totalChunks: number): number {
        const cached = this.counts.get(stem);
        if (cached && totalChunks <= cached.atChunks * STALE_RATIO && cached.atChunks <= totalChunks * STALE_RATIO) return cached.df;
        if (this.counts.size >= MAX_CACHED_TERMS) this.counts.clear();
        const rows = this.db.all("SELECT doc FROM temp.seek_vocab WHERE term = ?", [stem]);
        const df = rows.length > 0 ? Number(rows[0].doc) : 0;
        this.counts.set(stem, { df, atChunks: totalChunks });
        return df;
    }
}
