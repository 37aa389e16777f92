/**
 * Porter's stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), the algorithm SQLite's FTS5 `porter`
 * tokenizer applies, so "parsing", "parsed" and "parses" all become "pars". Only lowercase ASCII words of three
 * letters or more are stemmed (as FTS5 does); anything else comes back unchanged.
 */

const STEMMABLE = /^[a-z]{3,64}$/;

/** The stem of one lowercase token. */
export function porterStem(word: string): string {
    if (!STEMMABLE.test(word)) return word;
    let w = step1a(word);
    w = step1b(w);
    w = step1c(w);
    w = replaceFirst(w, STEP2, 0);
    w = replaceFirst(w, STEP3, 0);
    w = step4(w);
    return step5(w);
}

/** True when w[i] is a consonant; `y` is one at the start or after a vowel. */
function isConsonant(w: string, i: number): boolean {
    const c = w.charCodeAt(i);
    // a e i o u
    if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return false;
    if (c === 121) return i === 0 || !isConsonant(w, i - 1);
    return true;
}

/** m in [C](VC)^m[V] of `stem`: how many vowel-consonant sequences it has. */
function measure(stem: string): number {
    let m = 0;
    let i = 0;
    const n = stem.length;
    while (i < n && isConsonant(stem, i)) i++;
    while (i < n) {
        while (i < n && !isConsonant(stem, i)) i++;
        if (i >= n) break;
        while (i < n && isConsonant(stem, i)) i++;
        m++;
    }
    return m;
}

function hasVowel(stem: string): boolean {
    for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
    return false;
}

/** *d: ends with a double consonant. */
function endsDoubleConsonant(w: string): boolean {
    const n = w.length;
    return n >= 2 && w[n - 1] === w[n - 2] && isConsonant(w, n - 1);
}

/** *o: ends consonant-vowel-consonant, the last not w, x or y. */
function endsCvc(w: string): boolean {
    const n = w.length;
    if (n < 3 || !isConsonant(w, n - 1) || isConsonant(w, n - 2) || !isConsonant(w, n - 3)) return false;
    const last = w[n - 1];
    return last !== "w" && last !== "x" && last !== "y";
}

function step1a(w: string): string {
    if (w.endsWith("sses")) return w.slice(0, -2);
    if (w.endsWith("ies")) return w.slice(0, -2);
    if (w.endsWith("ss")) return w;
    if (w.endsWith("s")) return w.slice(0, -1);
    return w;
}

function step1b(w: string): string {
    if (w.endsWith("eed")) return measure(w.slice(0, -3)) > 0 ? w.slice(0, -1) : w;
    let stem: string | undefined;
    if (w.endsWith("ed") && hasVowel(w.slice(0, -2))) stem = w.slice(0, -2);
    else if (w.endsWith("ing") && hasVowel(w.slice(0, -3))) stem = w.slice(0, -3);
    if (stem === undefined) return w;
    if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) return stem + "e";
    if (endsDoubleConsonant(stem) && !/[lsz]$/.test(stem)) return stem.slice(0, -1);
    if (measure(stem) === 1 && endsCvc(stem)) return stem + "e";
    return stem;
}

function step1c(w: string): string {
    return w.endsWith("y") && hasVowel(w.slice(0, -1)) ? w.slice(0, -1) + "i" : w;
}

type SuffixRule = readonly [suffix: string, replacement: string];

const STEP2: readonly SuffixRule[] = [
    ["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["izer", "ize"], ["bli", "ble"],
    ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"], ["ization", "ize"], ["ation", "ate"],
    ["ator", "ate"], ["alism", "al"], ["iveness", "ive"], ["fulness", "ful"], ["ousness", "ous"], ["aliti", "al"],
    ["iviti", "ive"], ["biliti", "ble"], ["logi", "log"],
];

const STEP3: readonly SuffixRule[] = [
    ["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"], ["ical", "ic"], ["ful", ""], ["ness", ""],
];

const STEP4 = [
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
    "ous", "ive", "ize",
];

/** Applies the rule of the longest matching suffix when the stem before it has measure > `minMeasure`. */
function replaceFirst(w: string, rules: readonly SuffixRule[], minMeasure: number): string {
    let best: SuffixRule | undefined;
    for (const rule of rules) if (w.endsWith(rule[0]) && (!best || rule[0].length > best[0].length)) best = rule;
    if (!best) return w;
    const stem = w.slice(0, w.length - best[0].length);
    return measure(stem) > minMeasure ? stem + best[1] : w;
}

function step4(w: string): string {
    let suffix: string | undefined;
    for (const s of STEP4) if (w.endsWith(s) && (!suffix || s.length > suffix.length)) suffix = s;
    if (!suffix) return w;
    const stem = w.slice(0, w.length - suffix.length);
    if (measure(stem) <= 1) return w;
    if (suffix === "ion" && !/[st]$/.test(stem)) return w;
    return stem;
}

function step5(w: string): string {
    if (w.endsWith("e")) {
        const stem = w.slice(0, -1);
        const m = measure(stem);
        if (m > 1 || (m === 1 && !endsCvc(stem))) w = stem;
    }
    if (w.endsWith("ll") && measure(w) > 1) w = w.slice(0, -1);
    return w;
}
