/**
 * BM25 over the team index in SQL, the same numbers as the local index (store/termIndex.ts, which follows SQLite
 * FTS5): the same query parsing (search/lexical.ts queryAlternatives), tokens (searchTokens.ts), groups (an OR of
 * AND groups: an alternative's joined form, and all of its parts), weightless-term rule (commonTerms.ts), idf
 * floor, field weights and length normalisation. Every chunk holding a query token is scored, so the top-k is
 * exact; the database does the scoring and sends back only the best `limit`.
 *
 * Per chunk D and group g it holds whole: sum over tokens t of g of
 *   idf(t) * (k1 + 1) * f / (f + k1 * (1 - b + b * |D| / avgdl)),   f = sum over fields of weight * count,
 * where the counts come from the chunk's packed counts (chunkTerms.ts layout: one byte per field).
 */
import { withoutWeightlessTerms } from "../../search/commonTerms";
import { alternativeTerms, queryAlternatives, type QueryAlternative } from "../../search/lexical";
import { searchTokens } from "../../search/searchTokens";
import { FIELDS } from "../chunkTerms";
import { BM25_B as B, BM25_IDF_FLOOR as IDF_FLOOR, BM25_K1 as K1, type FieldWeights } from "../termIndex";
import { SqlParams } from "./filterSql";

/** Namespace totals and the document frequencies of the query's tokens, read in the search's snapshot. */
export interface TermStats {
    chunks: number;
    tokens: number;
    df: ReadonlyMap<string, number>;
}

/** Every token the query could search for (before the weightless rule): what {@link TermStats} must cover. */
export function queryTokens(query: string): string[] {
    return [...new Set(queryAlternatives(query).flatMap(alternativeTerms).flatMap((t) => searchTokens(t)))];
}

/** The alternatives to score: all of them, or without the weightless ones (commonTerms.ts), as the local index does. */
export function searchableAlternatives(query: string, dropWeightless: boolean, stats: TermStats): QueryAlternative[] {
    const alternatives = queryAlternatives(query);
    if (!dropWeightless || alternatives.length <= 1) return alternatives;
    // A phrase of several tokens is no more common than its rarest token; a term with no token is in no chunk.
    const df = new Map(
        alternatives.flatMap(alternativeTerms).map((term) => {
            const dfs = searchTokens(term).map((t) => stats.df.get(t) ?? 0);
            return [term, dfs.length === 0 ? 0 : Math.min(...dfs)] as const;
        }),
    );
    return withoutWeightlessTerms(alternatives, df, stats.chunks);
}

/** The AND groups of the alternatives as token lists (indexStore.ts lexicalSearch), minus groups no chunk can match. */
export function tokenGroups(alternatives: readonly QueryAlternative[], stats: TermStats): string[][] {
    const groups = alternatives.flatMap((a) => {
        const joined = searchTokens(a.joined);
        return a.parts.length === 0 ? [joined] : [joined, a.parts.flatMap((p) => searchTokens(p))];
    });
    return groups.filter((g) => g.length > 0 && g.every((t) => (stats.df.get(t) ?? 0) > 0));
}

/** The pieces of a BM25 statement (see {@link bm25Sql}). */
export interface Bm25Sql {
    /** Select-list columns `p<i>` for the inner query over seek_chunks `c`: token i's packed counts, NULL when absent. */
    tokenColumns: string;
    /** The GIN-indexed condition that picks the inner query's rows. */
    candidates: string;
    /** The outer score over the inner query's row `x` (its `p<i>` and `length`). */
    score: string;
    /** True when row `x` holds at least one group whole (a BM25 match, even with zero weights). */
    matched: string;
}

/**
 * The scoring parts of the statement (postgresSource.ts puts them together): an inner query reads each query
 * token's packed counts once per row (`array_position`, a scan of the chunk's few dozen tokens in C), kept as
 * columns by `OFFSET 0`, and the outer query sums the BM25 parts per group in one expression. Appends its values
 * to `params`; the statement's shape follows the query (one column per distinct token, one term per group
 * member), every value is bound. Measured at 100k chunks on a word in 3-6k chunks: this 10-19 ms, the same sums in
 * chained lateral subqueries 22-40 ms, an unnest-and-group formulation several times slower still.
 */
export function bm25Sql(groups: readonly string[][], stats: TermStats, weights: FieldWeights, params: SqlParams): Bm25Sql {
    const tokens = [...new Set(groups.flat())];
    const column = new Map(tokens.map((t, i) => [t, i]));
    const avgdl = stats.tokens / stats.chunks || 1;
    const base = params.add(K1 * (1 - B));
    const slope = params.add((K1 * B) / avgdl);
    const [w0, w1, w2, w3] = FIELDS.map((f) => params.add(weights[f]));
    const tokenColumns = tokens.map((t, i) => `c.counts[array_position(c.tokens, ${params.add(t)}::text)] AS p${i}`).join(", ");
    // f(i): token i's weighted count; the bytes are read with arithmetic shifts and masks, so the int4 sign of a
    // symbol count >= 128 does not matter. part(i): its BM25 part, idf(t) * (k1 + 1) bound as one value.
    const f = (i: number) => `(${w0}::float8 * (x.p${i} & 255) + ${w1}::float8 * ((x.p${i} >> 8) & 255) + ${w2}::float8 * ((x.p${i} >> 16) & 255) + ${w3}::float8 * ((x.p${i} >> 24) & 255))`;
    const idfs = tokens.map((t) => params.add(idf(stats.df.get(t) ?? 0, stats.chunks) * (K1 + 1)));
    const part = (i: number) => `${idfs[i]}::float8 * ${f(i)} / (${f(i)} + ${base}::float8 + ${slope}::float8 * x.length)`;
    // A group adds its tokens' parts only when the chunk holds all of them (a token listed twice counts twice).
    const whole = groups.map((g) => `(${g.map((tok) => `x.p${column.get(tok)} IS NOT NULL`).join(" AND ")})`);
    const score = groups.map((g, i) => `CASE WHEN ${whole[i]} THEN ${g.map((tok) => part(column.get(tok)!)).join(" + ")} ELSE 0 END`).join(" + ");
    return { tokenColumns, candidates: `c.tokens && ${params.add(tokens)}::text[]`, score, matched: `(${whole.join(" OR ")})` };
}

/** ln((N - n + 0.5) / (n + 0.5)) for a token in n of N chunks, floored (FTS5 clamps common terms). */
function idf(n: number, total: number): number {
    const v = Math.log((total - n + 0.5) / (n + 0.5));
    return v > 0 ? v : IDF_FLOOR;
}
