/**
 * Pulls query/target pairs out of source and markdown, CodeSearchNet-style:
 * - code: a JSDoc block (`/** ... *\/`) directly before a declaration or statement gives the query (its first
 *   sentence) and the target (that declaration's lines);
 * - docs: a markdown section gives the query (the first sentence of its first prose paragraph) and the target
 *   (the section's lines, heading included).
 * `blank` removes the query text from the copy that gets indexed while keeping every line number.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve("@vscode/tree-sitter-wasm"));
const { Parser, Language } = require("@vscode/tree-sitter-wasm");

let parsers;

async function loadParsers() {
    if (!parsers) {
        await Parser.init({ locateFile: (f) => join(wasmDir, f) });
        const make = async (name) => {
            const p = new Parser();
            p.setLanguage(await Language.load(join(wasmDir, `tree-sitter-${name}.wasm`)));
            return p;
        };
        parsers = { javascript: await make("javascript"), typescript: await make("typescript") };
    }
    return parsers;
}

/** Longest target we keep: a doc on a 500-line class says little about any one place in it. */
const MAX_TARGET_LINES = 200;

/** First sentence of a block of prose (up to ". ", "? ", "! " or the paragraph's end), whitespace collapsed. */
export function firstSentence(text) {
    const para = text.split(/\n\s*\n/)[0].replace(/\s+/g, " ").trim();
    const m = /^(.+?[.!?])(?:\s|$)/.exec(para);
    return (m ? m[1] : para).trim();
}

/** The description part of a JSDoc block: text before the first @tag, comment markers removed. */
export function jsdocDescription(comment) {
    const body = comment
        .replace(/^\/\*\*+/, "")
        .replace(/\*+\/$/, "")
        .split("\n")
        .map((l) => l.replace(/^\s*\*? ?/, ""));
    const until = body.findIndex((l) => /^\s*@/.test(l));
    return (until >= 0 ? body.slice(0, until) : body).join("\n")
        .replace(/\[([^\]]*)\]\{@link[^}]*\}/g, "$1")
        .replace(/\{@link(?:code|plain)?\s+[^}|\s]+\s*\|\s*([^}]*)\}/g, "$1")
        .replace(/\{@link(?:code|plain)?\s+([^}|\s]+)[^}]*\}/g, "$1")
        .replace(/`/g, "")
        .trim();
}

/** A usable query: a real sentence, not a tag, licence, lint directive or code. */
export function usableQuery(q) {
    const words = q.split(/\s+/).filter(Boolean);
    if (words.length < 3 || words.length > 60) return false;
    if (/^(eslint|istanbul|@|copyright|license|todo|fixme|deprecated|internal|private)\b/i.test(q)) return false;
    if (/[{};]|=>|```/.test(q)) return false;
    return /[a-z]/.test(q);
}

function lineOf(text, offset) {
    let n = 1;
    for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
    return n;
}

/**
 * JSDoc'd declarations of a JS/TS file.
 * @returns {Promise<Array<{ query:string, startLine:number, endLine:number, docStart:number, docEnd:number, kind:string }>>}
 */
export async function extractJsdoc(text, language) {
    const p = (await loadParsers())[language];
    const tree = p.parse(text);
    const out = [];
    const visit = (node) => {
        for (let i = 0; i < node.namedChildCount; i++) {
            const c = node.namedChild(i);
            if (c.type === "comment" && c.text.startsWith("/**") && i + 1 < node.namedChildCount) {
                const next = node.namedChild(i + 1);
                const last = overloadEnd(node, i + 1);
                const gapLines = next.startPosition.row - c.endPosition.row;
                const query = firstSentence(jsdocDescription(c.text));
                const lines = last.endPosition.row - next.startPosition.row + 1;
                if (next.type !== "comment" && gapLines <= 2 && lines <= MAX_TARGET_LINES && usableQuery(query)) {
                    out.push({
                        query,
                        startLine: next.startPosition.row + 1,
                        endLine: last.endPosition.row + 1,
                        docStart: c.startIndex,
                        docEnd: c.endIndex,
                        kind: next.type,
                    });
                }
            }
            if (c.namedChildCount) visit(c);
        }
    };
    visit(tree.rootNode);
    tree.delete();
    return out;
}

/** The declared function's name, looking through `export`. */
function declName(n) {
    const d = n.type === "export_statement" ? (n.childForFieldName("declaration") ?? n.namedChild(0)) : n;
    if (!d || !/function/.test(d.type)) return undefined;
    return d.childForFieldName("name")?.text;
}

/**
 * TypeScript overloads: a doc before `function f(a): X;` documents f, whose body comes after the other
 * signatures. The target then runs from the first signature to the implementation.
 */
function overloadEnd(parent, index) {
    const name = declName(parent.namedChild(index));
    let last = parent.namedChild(index);
    if (!name) return last;
    for (let j = index + 1; j < parent.namedChildCount; j++) {
        const sib = parent.namedChild(j);
        if (sib.type === "comment") continue;
        if (declName(sib) !== name) break;
        last = sib;
    }
    return last;
}

/**
 * Markdown sections: heading line to the line before the next heading (fenced code ignored).
 * @returns {Array<{ query:string, startLine:number, endLine:number, blankFrom:number, blankTo:number, heading:string }>}
 *   blankFrom/blankTo: 1-based lines of the paragraph the query came from
 */
export function extractSections(text) {
    const lines = text.split("\n");
    const heads = [];
    let fenced = false;
    lines.forEach((l, i) => {
        if (/^\s*(```|~~~)/.test(l)) fenced = !fenced;
        else if (!fenced && /^#{1,6}\s+\S/.test(l)) heads.push(i);
    });
    const out = [];
    heads.forEach((h, k) => {
        const end = (k + 1 < heads.length ? heads[k + 1] : lines.length) - 1;
        const para = firstParagraph(lines, h + 1, end);
        if (!para) return;
        const query = firstSentence(para.text.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*_]/g, ""));
        if (end - h + 1 < 3 || !usableQuery(query)) return;
        out.push({ query, startLine: h + 1, endLine: end + 1, blankFrom: para.from + 1, blankTo: para.to + 1, heading: lines[h].replace(/^#+\s*/, "") });
    });
    return out;
}

/** First prose paragraph in lines[from..to] (0-based inclusive): not code, list, table, quote, html or image. */
function firstParagraph(lines, from, to) {
    let fenced = false;
    for (let i = from; i <= to; i++) {
        const l = lines[i];
        if (/^\s*(```|~~~)/.test(l)) {
            fenced = !fenced;
            continue;
        }
        // Prose starts at column 0; indented lines continue list items or are code.
        if (fenced || !l.trim() || /^\s/.test(l) || /^([-*+|>]|\d+\.|<|!\[|\[!)/.test(l)) continue;
        let j = i;
        while (j + 1 <= to && lines[j + 1].trim() && !/^\s*(```|~~~|#|[-*+>|]\s|\d+\.\s)/.test(lines[j + 1])) j++;
        return { from: i, to: j, text: lines.slice(i, j + 1).join("\n") };
    }
    return undefined;
}

/**
 * Blanks character ranges, keeping line numbers: a line left with only whitespace becomes empty,
 * other affected lines get spaces where the text was.
 * @param {string} text
 * @param {Array<[number, number]>} ranges [start, end) character offsets
 */
export function blankRanges(text, ranges) {
    const chars = text.split("");
    const touched = new Set();
    for (const [s, e] of ranges) {
        for (let i = s; i < e; i++) {
            if (chars[i] !== "\n") chars[i] = " ";
        }
        for (let l = lineOf(text, s); l <= lineOf(text, e); l++) touched.add(l);
    }
    return chars
        .join("")
        .split("\n")
        .map((l, i) => (touched.has(i + 1) && !l.trim() ? "" : l))
        .join("\n");
}

/** Blanks whole lines (1-based inclusive ranges). */
export function blankLines(text, ranges) {
    const lines = text.split("\n");
    for (const [a, b] of ranges) for (let i = a; i <= b; i++) lines[i - 1] = "";
    return lines.join("\n");
}
