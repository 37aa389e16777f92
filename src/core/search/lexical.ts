/**
 * Lexical side of search: identifier splitting shared by indexing and querying, and the translation of a free-form
 * query into alternatives of plain words (letters and digits only): no query syntax exists, so no user input can
 * change what a search means beyond the words it holds. The BM25 index itself is store/termIndex.ts.
 */

/** Longest query text considered; the rest is ignored so a pasted file cannot build a giant MATCH expression. */
export const MAX_QUERY_CHARS = 2000;
/** Most distinct terms OR-ed into one MATCH expression; more terms cost time and rarely change the top hits. */
export const MAX_QUERY_TERMS = 32;

/**
 * Grammar words dropped from prose queries ("how do we parse the config" -> parse, config). Identifier queries keep
 * every part (`getById` must still match `by`). Deliberately short: content words such as "error" or "file" stay.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
    (
        "a an and are as at be been being but by can could did do does doing for from had has have how i if in into is it its " +
        "me my of on or our should so than that the their them then there these they this those to was we were what when " +
        "where which who whom why will with would you your"
    ).split(" "),
);

/** Runs of letters, digits, `_` and `$`: the words of code and prose alike (`-`, `.`, `/` and the rest separate). */
const WORD_RE = /[\p{L}\p{N}\p{M}_$]+/gu;
/** Identifier separators inside a word. */
const SNAKE_RE = /[_$]+/;
/** lower->Upper (`getUser`) and acronym->Word (`HTTPServer`) boundaries. */
const CAMEL_RE = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;
/** A query that is one identifier, possibly qualified (`a.b`, `A::b`, `a#b`, `a->b`) or called (`f()`). */
const IDENTIFIER_QUERY_RE = /^[\p{L}_$][\p{L}\p{N}_$]*(?:(?:\.|::|#|->)[\p{L}_$][\p{L}\p{N}_$]*)*(?:\(\))?$/u;

/** The parts of one word: `getHTTPResponse_v2` -> get, http, response, v2 (lowercase, empty parts dropped). */
export function splitIdentifier(word: string): string[] {
    const parts: string[] = [];
    for (const piece of word.split(SNAKE_RE)) {
        if (piece.length === 0) continue;
        for (const part of piece.split(CAMEL_RE)) {
            if (part.length > 0) parts.push(part.toLowerCase());
        }
    }
    return parts;
}

/**
 * Lowercase search tokens of a text, shared by the store (what is indexed) and the query side (what is asked).
 * A compound identifier yields its joined form first (`getUserById` and `get_user_by_id` both -> `getuserbyid`, so
 * an exact identifier matches across naming conventions), then its parts. A plain word yields itself.
 * With `compoundOnly`, plain words are left out: the store uses that for the identifier column, because plain
 * words are already in the text column.
 */
export function identifierTokens(text: string, options: { compoundOnly?: boolean } = {}): string[] {
    const tokens: string[] = [];
    for (const word of text.match(WORD_RE) ?? []) {
        const parts = splitIdentifier(word);
        if (parts.length === 0) continue;
        if (parts.length === 1) {
            if (!options.compoundOnly) tokens.push(parts[0]);
            continue;
        }
        tokens.push(parts.join(""), ...parts);
    }
    return tokens;
}

/** True for a query that is a single identifier (`parseConfig`, `user_id`, `Foo.bar`, `fmt::println`, `run()`). */
export function looksLikeIdentifier(query: string): boolean {
    const q = query.trim();
    return q.length > 0 && q.length <= MAX_QUERY_CHARS && IDENTIFIER_QUERY_RE.test(q);
}

/** The last segment of a qualified name (`a.b`, `A::b`, `a#b`, `a->b`, a heading path's `A > B`), without `()`. */
export function lastNameSegment(name: string): string {
    const segments = name.trim().replace(/\(\)$/, "").split(/\.|::|#|->|\s>\s/);
    return segments[segments.length - 1] ?? "";
}

/**
 * The identifier a symbol (or an identifier query) names, normalised for comparison: the last qualified segment,
 * lowercase, separators removed (`Auth.loginUser()` -> `loginuser`, `Guide > Install steps` -> `installsteps`).
 * Undefined when there is no word at all. Callers decide whether the query is an identifier (looksLikeIdentifier).
 */
export function symbolKey(nameOrQuery: string): string | undefined {
    const last = lastNameSegment(nameOrQuery);
    const parts = (last.match(WORD_RE) ?? []).flatMap(splitIdentifier);
    return parts.length > 0 ? parts.join("") : undefined;
}

/**
 * Distinct query terms in order of appearance: identifier tokens, minus stop words for prose queries (unless that
 * would leave nothing), capped at {@link MAX_QUERY_TERMS}.
 */
export function queryTerms(query: string): string[] {
    const text = query.length > MAX_QUERY_CHARS ? query.slice(0, MAX_QUERY_CHARS) : query;
    const all = [...new Set(identifierTokens(text))];
    const prose = !looksLikeIdentifier(text);
    const content = prose ? all.filter((t) => !STOP_WORDS.has(t)) : all;
    return (content.length > 0 ? content : all).slice(0, MAX_QUERY_TERMS);
}

/**
 * One OR-ed alternative of a lexical query: a word (`parts` empty), or a compound identifier matched as its joined
 * form or as all of its parts.
 */
export interface QueryAlternative {
    joined: string;
    parts: string[];
}

/**
 * The alternatives of a query, in order, or an empty list when it has no searchable term (empty, pure punctuation).
 * Each word is one alternative; a compound identifier becomes `joined OR (part1 AND part2 ...)`: the exact
 * identifier in any naming convention, or a chunk holding all of its parts. Not OR-ing the parts one by one keeps
 * `getUserById` from matching every chunk that says "get" (it was also measured faster: fewer matches to score).
 * Terms are capped at {@link MAX_QUERY_TERMS}.
 */
export function queryAlternatives(query: string): QueryAlternative[] {
    const text = query.length > MAX_QUERY_CHARS ? query.slice(0, MAX_QUERY_CHARS) : query;
    const prose = !looksLikeIdentifier(text);
    const alternatives: QueryAlternative[] = [];
    const seen = new Set<string>();
    let budget = MAX_QUERY_TERMS;
    for (const word of text.match(WORD_RE) ?? []) {
        const parts = splitIdentifier(word);
        const joined = parts.join("");
        if (parts.length === 0 || seen.has(joined) || budget <= 0) continue;
        if (parts.length === 1 && prose && STOP_WORDS.has(joined)) continue;
        seen.add(joined);
        const kept = prose ? parts.filter((p) => !STOP_WORDS.has(p)) : parts;
        if (parts.length === 1 || kept.length === 0 || budget < 1 + kept.length) {
            alternatives.push({ joined, parts: [] });
            budget -= 1;
        } else {
            alternatives.push({ joined, parts: kept });
            budget -= 1 + kept.length;
        }
    }
    if (alternatives.length === 0) {
        // A query made only of stop words ("the of and") still searches for them.
        return queryTerms(text).map((t) => ({ joined: t, parts: [] }));
    }
    return alternatives;
}

/** Every term an alternative searches for. */
export function alternativeTerms(alternative: QueryAlternative): string[] {
    return [alternative.joined, ...alternative.parts];
}

/**
 * The keys (symbolKey) of a chunk's symbol field, which may list several names (`A, A.Value`), joined by spaces:
 * the form VectorTable keeps for exact-definition lookups. Empty when there is no symbol.
 */
export function symbolKeysOf(symbol: string | undefined): string {
    if (!symbol) return "";
    const keys = symbol.split(/,\s*/).map(symbolKey).filter((k): k is string => k !== undefined);
    return [...new Set(keys)].join(" ");
}
