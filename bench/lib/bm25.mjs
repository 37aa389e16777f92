/**
 * A plain BM25 baseline (Okapi, k1 = 1.2, b = 0.75) over fixed line windows, with code-aware tokenisation:
 * identifiers are kept whole and also split at camelCase / snake_case / digits; the file's path is added to each
 * window's text. No learned parts, no ranking tricks: the "what grep-plus-BM25 gets you" reference.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listFiles } from "./walk.mjs";

export const BM25_DEFAULTS = { k1: 1.2, b: 0.75, windowLines: 50, overlapLines: 10 };

/** Small English stop list: query words that carry no meaning in code. */
const STOP = new Set(
    "a an and are as at be by does do for from how in is it of on or that the this to what when where which with".split(" "),
);

/** Lowercased tokens: each identifier whole (if compound) plus its camelCase/snake_case parts. */
export function tokenize(text) {
    const out = [];
    const words = text.match(/[A-Za-z_][A-Za-z0-9_]*|[0-9]+/g) ?? [];
    for (const w of words) {
        const parts = w
            .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
            .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
            .split(/[_\s]+/)
            .filter(Boolean)
            .map((p) => p.toLowerCase());
        const whole = w.toLowerCase().replace(/^_+|_+$/g, "");
        if (parts.length > 1 && whole) out.push(whole);
        for (const p of parts) if (!STOP.has(p) && p.length > 1) out.push(p);
    }
    return out;
}

/** Line windows of a file: [start, end] 1-based inclusive, `windowLines` long, overlapping by `overlapLines`. */
export function windows(lineCount, windowLines, overlapLines) {
    const step = Math.max(1, windowLines - overlapLines);
    const out = [];
    for (let start = 1; start <= Math.max(1, lineCount); start += step) {
        const end = Math.min(lineCount, start + windowLines - 1);
        out.push([start, Math.max(start, end)]);
        if (end >= lineCount) break;
    }
    return out;
}

/** An in-memory BM25 index over documents given as token arrays. */
export class Bm25Index {
    constructor({ k1 = BM25_DEFAULTS.k1, b = BM25_DEFAULTS.b } = {}) {
        this.k1 = k1;
        this.b = b;
        this.docs = [];
        this.lengths = [];
        /** term -> [docIndex, tf, docIndex, tf, ...] */
        this.postings = new Map();
    }

    add(doc, tokens) {
        const id = this.docs.length;
        this.docs.push(doc);
        this.lengths.push(tokens.length);
        const tf = new Map();
        for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
        for (const [t, n] of tf) {
            let p = this.postings.get(t);
            if (!p) this.postings.set(t, (p = []));
            p.push(id, n);
        }
    }

    /** Top-k documents for a query (ties by insertion order), each as { doc, score }. */
    search(query, k = 10) {
        const n = this.docs.length;
        if (n === 0) return [];
        const avg = this.lengths.reduce((a, b) => a + b, 0) / n || 1;
        const scores = new Float64Array(n);
        for (const term of new Set(tokenize(query))) {
            const p = this.postings.get(term);
            if (!p) continue;
            const df = p.length / 2;
            const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
            for (let i = 0; i < p.length; i += 2) {
                const d = p[i];
                const tf = p[i + 1];
                scores[d] += (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * this.lengths[d]) / avg));
            }
        }
        return topK(scores, k).map((d) => ({ doc: this.docs[d], score: scores[d] }));
    }
}

function topK(scores, k) {
    const idx = [];
    for (let i = 0; i < scores.length; i++) if (scores[i] > 0) idx.push(i);
    idx.sort((a, b) => scores[b] - scores[a] || a - b);
    return idx.slice(0, k);
}

/**
 * Builds the baseline index for a folder: code files, 50-line windows with 10 lines of overlap, path text added.
 * @param {string} root folder to index; result paths are relative to it
 * @param {{ files?: string[], filter?: (rel: string) => boolean, windowLines?: number, overlapLines?: number }} [opts]
 */
export function buildFolderIndex(root, opts = {}) {
    const { windowLines, overlapLines } = { ...BM25_DEFAULTS, ...opts };
    const index = new Bm25Index(opts);
    const files = opts.files ?? listFiles(root, opts.filter ? { filter: opts.filter } : {});
    for (const rel of files) {
        let text;
        try {
            text = readFileSync(join(root, rel), "utf8");
        } catch {
            continue;
        }
        const lines = text.split(/\r?\n/);
        const pathTokens = tokenize(rel.replace(/\.[^./]+$/, ""));
        for (const [start, end] of windows(lines.length, windowLines, overlapLines)) {
            const body = lines.slice(start - 1, end).join("\n");
            index.add({ path: rel, startLine: start, endLine: end }, [...pathTokens, ...tokenize(body)]);
        }
    }
    return { index, files: files.length, chunks: index.docs.length };
}
