/**
 * A cheap, conservative estimate of how many BERT WordPiece tokens a text becomes, so chunks can be cut to the
 * model's budget without running the real tokenizer on every candidate range.
 *
 * Model (mirrors BERT's pre-tokenizer): whitespace costs nothing; every ASCII punctuation character (including `_`)
 * is its own token; every non-ASCII code point counts one token (CJK characters are split one by one, accented
 * letters are over-counted, which is the safe side); alphanumeric runs are cut at camelCase and letter/digit
 * boundaries (where WordPiece usually splits an identifier too) and each piece costs ceil(length / 4).
 * The sum is multiplied by {@link TOKEN_SAFETY_FACTOR}.
 *
 * Calibration (bge-small-en-v1.5 tokenizer.json via @huggingface/tokenizers, `add_special_tokens: false`), on
 * 9,557 windows of 5-60 lines from real repositories: TypeScript lib + @types/node, axios and express (JS), flask,
 * click and httpx (Python), gin and chi (Go), gson (Java), anyhow (Rust), sinatra (Ruby), Slim (PHP),
 * Newtonsoft.Json (C#), nlohmann/json (C++), and httpx/axios/gin Markdown and flask RST docs.
 * Share of windows where real tokens <= estimate, with the 1.05 factor:
 *   ts 97.3%, js 97.0%, py 98.7%, go 96.2%, java 99.9%, rs 97.6%, rb 100%, php 100%, cs 99.5%, cpp 97.6%,
 *   md 98.1%, rst 99.5%.
 * Median real/estimate is 0.80-0.90, so a 400-token budget holds about 340 real tokens on average. Without the
 * camelCase split the same 95% coverage costs a median of 0.78 (more, smaller chunks). Go and C++ are the tightest
 * (short abbreviations such as `fmt` or `ptr` become two word pieces).
 */

/** Multiplier that lifts the raw estimate to an upper bound for >= 95% of code windows in every language. */
export const TOKEN_SAFETY_FACTOR = 1.05;

/** Characters of one alphanumeric piece that one word piece covers, in the raw estimate. */
const CHARS_PER_PIECE = 4;

const enum Cls {
    Other = 0,
    Lower = 1,
    Upper = 2,
    Digit = 3,
}

/**
 * The raw (unscaled) estimate of the characters `text[from, to)`. It is additive over lines (a newline is
 * whitespace, so no token spans one), which lets callers sum per-line values instead of re-scanning ranges.
 */
export function rawTokenUnits(text: string, from = 0, to = text.length): number {
    let units = 0;
    let run = 0;
    let prev = Cls.Other;
    for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        const cls =
            c >= 97 && c <= 122
                ? Cls.Lower
                : c >= 65 && c <= 90
                  ? Cls.Upper
                  : c >= 48 && c <= 57
                    ? Cls.Digit
                    : Cls.Other;
        if (cls !== Cls.Other) {
            // camelCase hump or a letter/digit change starts a new piece.
            if (
                run > 0 &&
                ((prev === Cls.Lower && cls === Cls.Upper) ||
                    (prev === Cls.Digit) !== (cls === Cls.Digit))
            ) {
                units += Math.ceil(run / CHARS_PER_PIECE);
                run = 0;
            }
            run++;
            prev = cls;
            continue;
        }
        if (run > 0) {
            units += Math.ceil(run / CHARS_PER_PIECE);
            run = 0;
        }
        prev = Cls.Other;
        if (c <= 32) continue;
        if (c < 127) units++;
        else if (c >= 0xdc00 && c <= 0xdfff)
            continue; // low surrogate: counted with its high half
        else if (c !== 0xa0 && c !== 0xfeff && c !== 0x3000 && !(c >= 0x2000 && c <= 0x200b))
            units++;
    }
    if (run > 0) units += Math.ceil(run / CHARS_PER_PIECE);
    return units;
}

/** Scales raw units (see {@link rawTokenUnits}) to the token estimate. */
export function unitsToTokens(units: number): number {
    return Math.ceil(units * TOKEN_SAFETY_FACTOR);
}

/**
 * Conservative estimate of the BERT WordPiece tokens of `text` (without [CLS]/[SEP]); an upper bound for about
 * 95% of code chunks (see the calibration note at the top of this file). Linear time, no allocation.
 */
export function estimateTokens(text: string): number {
    return unitsToTokens(rawTokenUnits(text));
}
