/**
 * The tokens of the lexical index, shared by indexing (what a chunk holds) and querying (what is asked), so both
 * sides always agree: runs of letters and digits (`_`, `$`, punctuation and spaces separate, as in SQLite's
 * unicode61 tokenizer), lowercased, diacritics removed, then Porter-stemmed. Identifier splitting happens before,
 * in lexical.ts: these are the words that come out of it.
 */
import { porterStem } from "./porterStem";

const TOKEN_RE = /[\p{L}\p{N}\p{M}]+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}/gu;

/** Stems of words seen before: a code base repeats its words, so most tokens are a lookup. Bounded. */
const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/** The index tokens of a text, in order, appended to `out`. */
export function searchTokens(text: string, out: string[] = []): string[] {
    for (const raw of text.match(TOKEN_RE) ?? []) {
        const token = normalizedToken(raw);
        if (token.length > 0) out.push(token);
    }
    return out;
}

function normalizedToken(raw: string): string {
    const cached = stemCache.get(raw);
    if (cached !== undefined) return cached;
    let word = raw.toLowerCase();
    if (NON_ASCII.test(word)) word = word.normalize("NFD").replace(MARKS, "");
    const stem = porterStem(word);
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    stemCache.set(raw, stem);
    return stem;
}
