/**
 * Leaves out query terms that cannot change the BM25 ranking, because scoring them is most of a search's work: every
 * chunk holding any query term is scored (store/termIndex.ts), so a word found in most chunks costs a pass over
 * nearly the whole index (under SQLite FTS5, which Seek used before, about 3.5 µs a row).
 *
 * BM25 as FTS5 defines it (and termIndex.ts computes it) gives a term the weight log((N - n + 0.5) / (n + 0.5)) for n matching rows out of N, and clamps it
 * to 1e-6 once n reaches N/2. Such a term adds about a millionth to a score, so dropping it leaves the scores of
 * every chunk that matches another term as they were (only chunks tied exactly on the rarer terms may swap, since
 * that millionth broke their tie); what goes are the chunks that matched only near-weightless terms, which sat
 * below all the others with scores near zero. When every alternative is that common, or the rarer ones match no chunk
 * at all ("how test function metadata is registered" in a folder that never says metadata or registered), the query
 * is left whole: there is nothing better to rank by, and dropping the common terms would leave no result.
 *
 * Dropping terms that merely weigh little is not exact, and was measured to cost quality (bench/RESULTS.md): at a
 * quarter of the chunks csn-code hybrid fell 0.562 -> 0.555, at a tenth semble hybrid fell 0.811 -> 0.800.
 */
import { alternativeTerms, type QueryAlternative } from "./lexical";

/** True when BM25 gives a term found in `df` of `totalChunks` rows its floor weight (see the file comment). */
export function hasFloorWeight(df: number, totalChunks: number): boolean {
    return totalChunks > 0 && df * 2 >= totalChunks;
}

/**
 * The alternatives worth scoring. `df` gives the number of chunks holding a term. An alternative is dropped when
 * every term it searches for has the floor weight, unless what is left matches no chunk.
 */
export function withoutWeightlessTerms(
    alternatives: readonly QueryAlternative[],
    df: ReadonlyMap<string, number>,
    totalChunks: number,
): QueryAlternative[] {
    const kept = alternatives.filter((a) => !alternativeTerms(a).every((t) => hasFloorWeight(df.get(t) ?? 0, totalChunks)));
    const matchesSomething = kept.some((a) => alternativeTerms(a).some((t) => (df.get(t) ?? 0) > 0));
    return matchesSomething ? kept : [...alternatives];
}
