/**
 * What kind of question a query is, from its form alone (no model): the ranking rules that reason about files
 * need it, because the same rule helps one kind and hurts the other (bench/RESULTS.md, ranking ablations).
 * - identifier: one name (`parseConfig`, `Foo.bar`): the definition is the answer.
 * - topic: a short phrase or a how/where question ("session management", "how are routes registered"): the answer
 *   is a file or a few; one file's second chunk says less than another file's best.
 * - description: a sentence describing one behaviour ("Returns true if this DateTime is in a leap year."), the way
 *   a doc comment or a docs paragraph reads: the answer is one unit (a function, a section), often the second or
 *   third of a long file, so file-level rules only get in its way.
 */
import { looksLikeIdentifier, STOP_WORDS } from "./lexical";

export type QueryIntent = "identifier" | "topic" | "description";

/** A question about where or how something is done asks for the place (files), however long it is. */
const PLACE_QUESTION = /^(how|where|which|what|why|when)\b/i;
/** Fewer words than this are a topic, not a description. */
const MIN_DESCRIPTION_WORDS = 4;
/** A longer phrase with this many grammar words reads as a sentence even without a capital or a full stop. */
const SENTENCE_WORDS = 6;
const SENTENCE_STOP_WORDS = 2;

export function queryIntent(query: string): QueryIntent {
    const q = query.trim();
    if (looksLikeIdentifier(q)) return "identifier";
    if (PLACE_QUESTION.test(q)) return "topic";
    const words = q.split(/\s+/);
    if (words.length < MIN_DESCRIPTION_WORDS) return "topic";
    // A sentence as a writer ends or starts it: a full stop, or a capitalised first word that is not an acronym
    // or a CamelCase name ("HTTP router", "JsonObject for ..." are topics).
    const sentenceCased = /^[A-Z][a-z]+$/.test(words[0].replace(/[,:;]$/, "")) || /[.!]$/.test(q);
    const stops = words.filter((w) => STOP_WORDS.has(w.toLowerCase().replace(/[^\p{L}]/gu, ""))).length;
    const longSentence = words.length >= SENTENCE_WORDS && stops >= SENTENCE_STOP_WORDS;
    return sentenceCased || longSentence ? "description" : "topic";
}
