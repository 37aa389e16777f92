/**
 * Decides from a file's bytes whether it is text Seek can index, and decodes it. Extensions lie (a `.ts` that is a
 * compiled blob, a `.js` that is a 5 MB one-line bundle), so these checks look at the content.
 */
import { BINARY_SNIFF_BYTES } from "./defaults";

/** Control bytes (other than tab, newlines, form feed, ESC) above this share of the sniffed bytes mean binary. */
const CONTROL_RATIO_BINARY = 0.05;
/** Replacement characters from invalid UTF-8 allowed before the file counts as another encoding. */
const REPLACEMENT_RATIO_MAX = 0.01;
/** A line this long suggests generated code ... */
const MINIFIED_LINE_CHARS = 5000;
/** ... and, with it, an average line this long makes it certain (one long data line in a normal file is fine). */
const MINIFIED_AVG_LINE_CHARS = 500;

export type DecodeResult =
    | { ok: true; text: string }
    | { ok: false; reason: "binary" | "badEncoding" | "minified"; detail: string };

/**
 * Decodes `data`: UTF-8 (BOM stripped) or UTF-16 LE/BE with a BOM. Rejects binary content, non-UTF-8 text with more
 * than 1% undecodable bytes, and minified code. Line endings are kept as they are.
 */
export function decodeText(data: Uint8Array): DecodeResult {
    const utf16 = utf16Encoding(data);
    if (utf16) {
        const text = new TextDecoder(utf16).decode(data);
        if (text.slice(0, BINARY_SNIFF_BYTES).includes("\0")) return { ok: false, reason: "binary", detail: "NUL character" };
        return checkMinified(text);
    }
    const sniff = sniffBinary(data);
    if (sniff) return { ok: false, reason: "binary", detail: sniff };
    const decoded = decodeUtf8(data);
    return decoded.ok ? checkMinified(decoded.text) : decoded;
}

function utf16Encoding(data: Uint8Array): "utf-16le" | "utf-16be" | undefined {
    if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return "utf-16le";
    if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) return "utf-16be";
    return undefined;
}

/** A reason when the first BINARY_SNIFF_BYTES look binary: a NUL byte, or many control bytes. */
function sniffBinary(data: Uint8Array): string | undefined {
    const n = Math.min(data.length, BINARY_SNIFF_BYTES);
    let control = 0;
    for (let i = 0; i < n; i++) {
        const b = data[i];
        if (b === 0) return `NUL byte at offset ${i}`;
        if (b < 0x20 ? !isTextControl(b) : b === 0x7f) control++;
    }
    if (n > 0 && control / n > CONTROL_RATIO_BINARY) return `${control} control bytes in the first ${n}`;
    return undefined;
}

/** Tab, LF, VT, FF, CR and ESC (ANSI colours in logs) occur in real text files. */
function isTextControl(b: number): boolean {
    return (b >= 0x09 && b <= 0x0d) || b === 0x1b;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");

function decodeUtf8(data: Uint8Array): DecodeResult {
    try {
        return { ok: true, text: strictUtf8.decode(data) };
    } catch {
        // Not valid UTF-8: decide below whether a few replacement characters are an acceptable price.
    }
    const text = lenientUtf8.decode(data);
    const bad = countChar(text, 0xfffd) - countEncodedReplacements(data);
    if (bad / Math.max(1, text.length) >= REPLACEMENT_RATIO_MAX) {
        return { ok: false, reason: "badEncoding", detail: `${bad} invalid UTF-8 sequences (not UTF-8 text)` };
    }
    return { ok: true, text };
}

function countChar(text: string, code: number): number {
    let n = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === code) n++;
    return n;
}

/** U+FFFD written in the file itself (EF BF BD) is content, not a decoding failure. */
function countEncodedReplacements(data: Uint8Array): number {
    let n = 0;
    for (let i = 0; i + 2 < data.length; i++) {
        if (data[i] === 0xef && data[i + 1] === 0xbf && data[i + 2] === 0xbd) n++;
    }
    return n;
}

function checkMinified(text: string): DecodeResult {
    if (text.length <= MINIFIED_LINE_CHARS) return { ok: true, text };
    let lines = 0;
    let longest = 0;
    let start = 0;
    while (start <= text.length) {
        let end = text.indexOf("\n", start);
        if (end < 0) end = text.length;
        longest = Math.max(longest, end - start);
        lines++;
        start = end + 1;
    }
    const average = text.length / lines;
    if (longest > MINIFIED_LINE_CHARS && average > MINIFIED_AVG_LINE_CHARS) {
        return { ok: false, reason: "minified", detail: `${lines} lines, longest ${longest} chars` };
    }
    return { ok: true, text };
}
