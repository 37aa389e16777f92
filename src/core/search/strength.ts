/**
 * Match strength: how well one hit answers its query, on one 0-100 scale that every surface shows (QuickPick, panel,
 * sidebar, Find Similar, the CLI). The ranking scores cannot serve: a fused score (0.016-0.033) says where a hit came
 * in two lists, not how good it is, and the same number means a close match for one query and noise for another.
 * Strength is computed from absolute evidence instead, which means the same for every query:
 * - meaning: the raw cosine of the query and chunk vectors, mapped through the model's own cosine scale
 *   ({@link COSINE_SCALES}: measured per model on annotated queries, see bench/strength.mjs), because each model
 *   spreads its cosines differently (bge-small puts unrelated text near 0.5, MiniLM near 0.1);
 * - words: the share of the query's words that the hit contains.
 * Strength never changes the order of results; it is computed after ranking.
 */
import { identifierTokens, splitIdentifier, STOP_WORDS } from "./lexical";

/** Three bands a person can read at a glance; the number gives the detail. */
export type StrengthBand = "strong" | "good" | "weak";

/** At or above: "strong". */
export const STRONG_AT = 70;
/** At or above (and below {@link STRONG_AT}): "good"; below: "weak". */
export const GOOD_AT = 40;

/** How strongly one hit matches, with the evidence it was computed from (for tooltips and tests). */
export interface MatchStrength {
    /** 0..100, integer. */
    value: number;
    band: StrengthBand;
    /** Raw query-chunk cosine; absent without a query vector (keyword mode) or a chunk vector (not embedded yet). */
    cosine?: number;
    /** The cosine on the model's scale, 0..1 (see {@link meaningShare}); absent with `cosine`. */
    meaning?: number;
    /** Query words found in the hit (a compound word's parts count in part), of `wordsTotal`. */
    wordsMatched: number;
    /** Content words of the query (stop words left out); 0 for Find Similar, which has no words. */
    wordsTotal: number;
}

/**
 * A model's cosine scale for one kind of comparison: `unrelated` is a cosine that unrelated text commonly reaches
 * (meaning 0 at or below it), `close` one that a clearly relevant chunk commonly reaches (meaning 1 at or above it).
 */
export interface CosineScale {
    unrelated: number;
    close: number;
}

/** What is compared: a query with chunks (search), or code with code (Find Similar, a tighter distribution). */
export type Comparison = "query" | "similar";

/**
 * Per model and comparison, measured with bench/strength.mjs on semble-annotated repos (bge: 10 repos, 201
 * queries; e5 and MiniLM: 7 repos, 139 queries; 15 off-topic queries per repo, 10 Find Similar targets per repo):
 * - query `unrelated`: about the 90th percentile of the top cosine off-topic queries reach (bge 0.589, e5 0.823,
 *   MiniLM 0.221); `close`: about the 80th percentile of annotated relevant chunks' cosines (bge p75 0.791 /
 *   p90 0.823, e5 0.884 / 0.893, MiniLM 0.578 / 0.637; their medians are 0.753, 0.871, 0.502);
 * - similar `unrelated`: about the 90th percentile of the cosine at the 25% point of all chunks, i.e. typical
 *   unrelated code (bge 0.724, e5 0.836, MiniLM 0.441); `close`: about the 80th percentile of the top look-alike's
 *   cosine (bge median 0.885 / p90 0.923, e5 0.884 / 0.898, MiniLM 0.715 / 0.797).
 */
export const COSINE_SCALES: Readonly<Record<string, Readonly<Record<Comparison, CosineScale>>>> = {
    "bge-small-en-v1.5-q": { query: { unrelated: 0.6, close: 0.8 }, similar: { unrelated: 0.72, close: 0.92 } },
    "e5-small-v2-q": { query: { unrelated: 0.825, close: 0.89 }, similar: { unrelated: 0.835, close: 0.9 } },
    "all-minilm-l6-v2-q": { query: { unrelated: 0.22, close: 0.6 }, similar: { unrelated: 0.44, close: 0.8 } },
};

/**
 * For a model without measurements (a bring-your-own folder): a wide scale, so strength leans on the words and a
 * cosine must be high to count as close. Better to call a good match "good" than a poor one "strong".
 */
const UNKNOWN_MODEL_SCALE: Readonly<Record<Comparison, CosineScale>> = {
    query: { unrelated: 0.5, close: 0.85 },
    similar: { unrelated: 0.6, close: 0.95 },
};

export function cosineScale(modelId: string, comparison: Comparison): CosineScale {
    return (COSINE_SCALES[modelId] ?? UNKNOWN_MODEL_SCALE)[comparison];
}

/** Words this short only match exactly; longer ones also match a word sharing most of their start ("fail" ~ "failed"). */
const MIN_STEM = 4;
/** Letters at a word's end that may differ and still match (uploads ~ upload, failed ~ failure, parse ~ parser). */
const STEM_SLACK = 2;

/** The query's content words, each as its identifier parts (`retryUpload` -> [retryupload, retry, upload]). */
export function queryWords(query: string): string[][] {
    const words: string[][] = [];
    for (const word of query.match(/[\p{L}\p{N}\p{M}_$]+/gu) ?? []) {
        const parts = splitIdentifier(word);
        if (parts.length === 0 || (parts.length === 1 && STOP_WORDS.has(parts[0]))) continue;
        words.push(parts.length === 1 ? parts : [parts.join(""), ...parts.filter((p) => !STOP_WORDS.has(p))]);
    }
    return words;
}

/** How many of the query's words `text` contains: 1 per word found whole, a share for a compound's parts. */
export function wordsMatched(words: string[][], text: string): number {
    if (words.length === 0) return 0;
    const tokens = new Set(identifierTokens(text));
    let matched = 0;
    for (const [whole, ...parts] of words) {
        if (hasWord(tokens, whole)) matched += 1;
        else if (parts.length > 0) matched += parts.filter((p) => hasWord(tokens, p)).length / parts.length;
    }
    return matched;
}

function hasWord(tokens: Set<string>, word: string): boolean {
    if (tokens.has(word)) return true;
    if (word.length < MIN_STEM) return false;
    for (const t of tokens) if (sameStem(t, word)) return true;
    return false;
}

function sameStem(a: string, b: string): boolean {
    if (a.length < MIN_STEM) return false;
    const need = Math.max(MIN_STEM, Math.min(a.length, b.length) - STEM_SLACK);
    if (Math.abs(a.length - b.length) > STEM_SLACK + 1) return false;
    for (let i = 0; i < need; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
    return true;
}

export function strengthBand(value: number): StrengthBand {
    return value >= STRONG_AT ? "strong" : value >= GOOD_AT ? "good" : "weak";
}

/** Where a cosine lies on the model's scale: 0 at or below `unrelated`, 1 at or above `close`. */
export function meaningShare(cosine: number, scale: CosineScale): number {
    return clamp01((cosine - scale.unrelated) / (scale.close - scale.unrelated));
}

/**
 * Strength from the two kinds of evidence (each 0..1). The better one leads (a chunk that says exactly the query's
 * words is a strong match even if its vector is far; one that means the same in other words is strong too), and the
 * other adds a little of itself when they agree, so a hit close in meaning *and* in words rates above one close in
 * only one.
 */
export function combineEvidence(meaning: number | undefined, words: number | undefined): number {
    const m = meaning ?? 0;
    const w = WORDS_WEIGHT * (words ?? 0);
    const lead = Math.max(m, w);
    const support = Math.min(m, w);
    return Math.round(100 * clamp01(lead + AGREEMENT_BONUS * support * (1 - lead)));
}

/**
 * What having every query word is worth on its own: strong, but short of 100. A chunk that repeats the question's
 * words is not necessarily its answer (imports, a comment); 100 takes the meaning to agree as well.
 */
const WORDS_WEIGHT = 0.85;

/** How much the weaker kind of evidence adds, as a share of what the stronger one leaves to 1. */
const AGREEMENT_BONUS = 0.5;

/** The strength of one hit: its cosine to the query (if known) and the query words its text contains. */
export function matchStrength(evidence: { cosine?: number; words: string[][]; text: string }, scale: CosineScale): MatchStrength {
    const wordsTotal = evidence.words.length;
    const matched = wordsMatched(evidence.words, evidence.text);
    const meaning = evidence.cosine === undefined ? undefined : meaningShare(evidence.cosine, scale);
    const value = combineEvidence(meaning, wordsTotal === 0 ? undefined : matched / wordsTotal);
    const out: MatchStrength = { value, band: strengthBand(value), wordsMatched: Math.round(matched * 10) / 10, wordsTotal };
    if (evidence.cosine !== undefined && meaning !== undefined) {
        out.cosine = evidence.cosine;
        out.meaning = meaning;
    }
    return out;
}

/** True when a list has hits and none of them is better than weak: the surfaces then say so above the results. */
export function allWeak(strengths: readonly (number | undefined)[]): boolean {
    return strengths.length > 0 && strengths.every((s) => s === undefined || s < GOOD_AT);
}

/** The one text every surface shows for a strength: "strong 87", "good 52", "weak 12". */
export function strengthText(value: number): string {
    return `${strengthBand(value)} ${value}`;
}

/** Why a hit has its strength, in words (tooltips, screen readers): "strong 82: close in meaning; has 2 of 3 query words". */
export function strengthReason(s: MatchStrength): string {
    const parts: string[] = [];
    if (s.meaning !== undefined) parts.push(s.meaning >= 0.7 ? "close in meaning" : s.meaning >= 0.35 ? "related in meaning" : "distant in meaning");
    if (s.wordsTotal > 0) {
        const n = s.wordsMatched;
        parts.push(n === 0 ? "none of the query's words" : `${Number.isInteger(n) ? n : n.toFixed(1)} of ${s.wordsTotal} query word${s.wordsTotal === 1 ? "" : "s"}`);
    }
    return `${strengthText(s.value)} of 100${parts.length > 0 ? `: ${parts.join("; ")}` : ""}`;
}

/**
 * The sentence shown above a list whose matches are all weak: for a search, the query; for Find Similar, a
 * description of the compared code ("retry.ts:12").
 */
export function weakMatchesNotice(query: string | undefined, source: "search" | "similar" = "search"): string {
    const q = query === undefined ? undefined : query.length > 60 ? `${query.slice(0, 59)}…` : query;
    if (source === "similar") return `No close look-alikes${q ? ` of ${q}` : ""}: these are the nearest, and none is much like it.`;
    return `Only weak matches${q ? ` for “${q}”` : ""}: nothing here is close in meaning or uses the query's words. Try other words.`;
}

function clamp01(x: number): number {
    return x < 0 ? 0 : x > 1 ? 1 : x;
}
