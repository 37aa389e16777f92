/** The lines of a hit that share the most terms with the query, for highlighting (Hit.bestLines). */
import { identifierTokens, STOP_WORDS } from "./lexical";

/** Terms this short only count on an exact match; longer ones also match as a prefix ("pars" ~ "parsing"). */
const MIN_PREFIX_TERM = 4;

/** Query terms worth highlighting: identifier tokens without stop words. */
export function highlightTerms(query: string): Set<string> {
    return new Set(identifierTokens(query).filter((t) => !STOP_WORDS.has(t)));
}

/**
 * Up to `max` 1-based line numbers within [startLine, ...] whose tokens overlap `terms` most (ties: earlier line),
 * returned in ascending order; undefined when no line shares a term.
 */
export function bestLines(text: string, startLine: number, terms: Set<string>, max: number): number[] | undefined {
    if (terms.size === 0 || max <= 0) return undefined;
    const scored: { line: number; overlap: number }[] = [];
    text.split("\n").forEach((line, i) => {
        const tokens = new Set(identifierTokens(line));
        let overlap = 0;
        for (const term of terms) if (matches(term, tokens)) overlap++;
        if (overlap > 0) scored.push({ line: startLine + i, overlap });
    });
    if (scored.length === 0) return undefined;
    scored.sort((a, b) => b.overlap - a.overlap || a.line - b.line);
    return scored
        .slice(0, max)
        .map((s) => s.line)
        .sort((a, b) => a - b);
}

function matches(term: string, tokens: Set<string>): boolean {
    if (tokens.has(term)) return true;
    if (term.length < MIN_PREFIX_TERM) return false;
    for (const t of tokens) {
        if (t.length >= MIN_PREFIX_TERM && (t.startsWith(term) || term.startsWith(t))) return true;
    }
    return false;
}
