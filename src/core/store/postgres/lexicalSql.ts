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
import type { FieldWeights } from "../termIndex";
import { SqlParams } from "./filterSql";

// The constants of termIndex.ts (not exported there); the equality test against the local index guards them.
const K1 = 1.2;
const B = 0.75;
const IDF_FLOOR = 1e-6;

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

/**
 * The scoring part of the statement: a lateral subquery giving `score` for chunk `c` (NULL when it holds no group
 * whole), and the condition that picks candidate rows through the GIN index. Appends its values to `params`.
 */
export function bm25Sql(groups: readonly string[][], stats: TermStats, weights: FieldWeights, params: SqlParams): { lateral: string; candidates: string } {
    const g: number[] = [];
    const t: string[] = [];
    const w: number[] = [];
    groups.forEach((group, i) => {
        for (const token of group) {
            g.push(i);
            t.push(token);
            w.push(idf(stats.df.get(token) ?? 0, stats.chunks) * (K1 + 1));
        }
    });
    const avgdl = stats.tokens / stats.chunks || 1;
    const base = params.add(K1 * (1 - B));
    const slope = params.add((K1 * B) / avgdl);
    const [w0, w1, w2, w3] = FIELDS.map((f) => params.add(weights[f]));
    const q = `unnest(${params.add(g)}::int[], ${params.add(t)}::text[], ${params.add(w)}::float8[]) AS q(g, t, w)`;
    // p: the token's packed counts in this chunk (NULL when absent); the bytes are read with arithmetic shifts and
    // masks, so the int4 sign of a symbol count >= 128 does not matter.
    const f = `(${w0}::float8 * (y.p & 255) + ${w1}::float8 * ((y.p >> 8) & 255) + ${w2}::float8 * ((y.p >> 16) & 255) + ${w3}::float8 * ((y.p >> 24) & 255))`;
    const lateral = `CROSS JOIN LATERAL (
        SELECT sum(part) AS score FROM (
            SELECT sum(q.w * x.f / (x.f + ${base}::float8 + ${slope}::float8 * c.length)) AS part, count(x.f) = count(*) AS whole
            FROM ${q}
            CROSS JOIN LATERAL (SELECT c.counts[array_position(c.tokens, q.t)] AS p) y
            CROSS JOIN LATERAL (SELECT ${f} AS f) x
            GROUP BY q.g
        ) per_group WHERE whole
    ) s`;
    return { lateral, candidates: `c.tokens && ${params.add([...new Set(t)])}::text[]` };
}

/** ln((N - n + 0.5) / (n + 0.5)) for a token in n of N chunks, floored (FTS5 clamps common terms). */
function idf(n: number, total: number): number {
    const v = Math.log((total - n + 0.5) / (n + 0.5));
    return v > 0 ? v : IDF_FLOOR;
}
