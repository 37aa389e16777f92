/**
 * A small token-class highlighter for result snippets: keywords, strings, comments, numbers, function names and
 * type-like names, by language family. Not a parser: it only has to make a ten-line snippet readable, with colours
 * from the theme (see results.css). Multi-line comments and strings carry over between lines via `ScanState`.
 */

export type TokenClass = "kw" | "str" | "com" | "num" | "fn" | "type" | "heading" | "plain";
export interface Token {
    text: string;
    cls: TokenClass;
}
export interface ScanState {
    /** Inside a block comment or a multi-line string, waiting for this closer. */
    closer?: string;
    closerClass?: TokenClass;
}

interface Family {
    line: string[];
    block: [string, string][];
    strings: string[];
    keywords: Set<string>;
}

const C_KEYWORDS =
    "abstract as async await break case catch class const continue default defer delete do else enum export extends false final finally fn for func function go if impl implements import in instanceof interface let loop match mod module mut namespace new nil null package private protected pub public readonly return self static struct super switch this throw throws trait true try type typeof undefined use var void where while yield";
const HASH_KEYWORDS =
    "and as assert async await begin break case class def del do elif else elsif end ensure except export False fi finally for from function global if import in is lambda local module next nil None nonlocal not or pass raise rescue return self then True try unless until while with yield";

const FAMILIES: Record<string, Family> = {
    c: { line: ["//"], block: [["/*", "*/"]], strings: ['"', "'", "`"], keywords: new Set(C_KEYWORDS.split(" ")) },
    hash: { line: ["#"], block: [['"""', '"""'], ["'''", "'''"]], strings: ['"', "'"], keywords: new Set(HASH_KEYWORDS.split(" ")) },
    dash: { line: ["--"], block: [], strings: ['"', "'"], keywords: new Set(["select", "from", "where", "and", "or", "not", "local", "function", "end", "if", "then", "else", "return", "insert", "update", "delete", "create", "table"]) },
};

const LANGUAGE_FAMILY: Record<string, string> = {
    python: "hash", ruby: "hash", shellscript: "hash", bash: "hash", shell: "hash", sh: "hash", perl: "hash", r: "hash",
    yaml: "hash", toml: "hash", powershell: "hash", makefile: "hash", dockerfile: "hash", ini: "hash",
    sql: "dash", lua: "dash", haskell: "dash",
};

function familyOf(language: string): Family | undefined {
    if (language === "markdown" || language === "text" || language === "plaintext" || language === "restructuredtext") return undefined;
    return FAMILIES[LANGUAGE_FAMILY[language] ?? "c"];
}

const IDENT = /^[A-Za-z_$][\w$]*/;
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)/;

/** Splits one line into classed tokens. */
export function tokenizeLine(line: string, language: string, state: ScanState): Token[] {
    if (language === "markdown") return markdownLine(line);
    const fam = familyOf(language);
    if (!fam) return [{ text: line, cls: "plain" }];
    const out: Token[] = [];
    let i = 0;
    const push = (text: string, cls: TokenClass) => {
        const last = out[out.length - 1];
        if (last && last.cls === cls) last.text += text;
        else if (text) out.push({ text, cls });
    };
    if (state.closer) i = closeOrRest(line, 0, state, push);
    while (i < line.length) {
        const rest = line.slice(i);
        const lineComment = fam.line.find((m) => rest.startsWith(m));
        if (lineComment) {
            push(rest, "com");
            break;
        }
        const block = fam.block.find(([open]) => rest.startsWith(open));
        if (block) {
            push(block[0], block[0].startsWith("/") ? "com" : "str");
            state.closer = block[1];
            state.closerClass = block[0].startsWith("/") ? "com" : "str";
            i = closeOrRest(line, i + block[0].length, state, push);
            continue;
        }
        const quote = fam.strings.find((q) => rest.startsWith(q));
        if (quote) {
            const end = stringEnd(line, i + 1, quote);
            push(line.slice(i, end), "str");
            i = end;
            continue;
        }
        const num = NUMBER.exec(rest);
        if (num && !/[\w$]/.test(line[i - 1] ?? "")) {
            push(num[0], "num");
            i += num[0].length;
            continue;
        }
        const ident = IDENT.exec(rest);
        if (ident) {
            const word = ident[0];
            const next = line.slice(i + word.length).trimStart()[0];
            push(word, fam.keywords.has(word) ? "kw" : next === "(" ? "fn" : /^[A-Z][a-z]/.test(word) ? "type" : "plain");
            i += word.length;
            continue;
        }
        push(line[i], "plain");
        i++;
    }
    return out;
}

/** Consumes up to the pending closer (or the whole line); returns the index after it. */
function closeOrRest(line: string, from: number, state: ScanState, push: (t: string, c: TokenClass) => void): number {
    const cls = state.closerClass ?? "com";
    const at = state.closer ? line.indexOf(state.closer, from) : -1;
    if (at < 0) {
        push(line.slice(from), cls);
        return line.length;
    }
    const end = at + (state.closer?.length ?? 0);
    push(line.slice(from, end), cls);
    state.closer = undefined;
    state.closerClass = undefined;
    return end;
}

function stringEnd(line: string, from: number, quote: string): number {
    for (let j = from; j < line.length; j++) {
        if (line[j] === "\\") j++;
        else if (line[j] === quote) return j + 1;
    }
    return line.length;
}

function markdownLine(line: string): Token[] {
    if (/^\s{0,3}#{1,6}\s/.test(line)) return [{ text: line, cls: "heading" }];
    const out: Token[] = [];
    const parts = line.split(/(`[^`]*`)/);
    for (const p of parts) if (p) out.push({ text: p, cls: p.startsWith("`") && p.endsWith("`") && p.length > 1 ? "str" : "plain" });
    return out;
}
