/**
 * Names declared in code the chunker has no grammar for (Swift, Kotlin, Scala, Elixir, Haskell, Lua, Zig, shell and
 * others): one regular expression per language over declaration lines. Their line windows carry these names as
 * their symbol, so a search for `Application` finds `final class Application` in Application.swift by its symbol
 * field and its exact definition (search/rules/exactSymbol.ts), as it does for the languages tree-sitter parses.
 * A name is a declaration's own name; extensions and implementations of a type declared elsewhere (`extension
 * Application`, `instance Show T`) are left out, so the definition lookup points at the type's own file.
 */
import type { Piece } from "./piece";
import type { SourceLines } from "./lines";

/** Most names one window lists; a window of many one-line declarations keeps its first ones. */
const MAX_NAMES = 8;

/** Group 1 of each pattern is the declared name. Patterns are tried on each line in order. */
// prettier-ignore
const PATTERNS: Record<string, RegExp[]> = {
    swift: [
        /^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|package|open|final|static|class|override|mutating|nonmutating|convenience|required|indirect|nonisolated|dynamic)\s+)*(?:class|struct|enum|protocol|actor|func|typealias|macro)\s+([A-Za-z_]\w*)/,
    ],
    kotlin: [
        /^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:public|private|protected|internal|open|abstract|final|sealed|data|inline|value|enum|annotation|inner|override|suspend|operator|infix|tailrec|external|expect|actual|fun)\s+)*(?:class|interface|object|typealias)\s+([A-Za-z_]\w*)/,
        /^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:public|private|protected|internal|open|abstract|final|override|suspend|operator|infix|inline|tailrec|external|expect|actual)\s+)*fun\s+(?:<[^>]*>\s*)?(?:[\w.<>?, *]+\.)?([A-Za-z_]\w*)\s*\(/,
    ],
    scala: [
        /^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:private|protected|final|sealed|abstract|implicit|lazy|override|case|inline|opaque|transparent|open|infix)(?:\[[^\]]*\])?\s+)*(?:class|trait|object|def|type|enum|given)\s+([A-Za-z_]\w*)/,
    ],
    elixir: [
        /^\s*(?:defmodule|defprotocol)\s+([A-Z][\w.]*)/,
        /^\s*(?:def|defp|defmacro|defmacrop|defguard|defguardp|defdelegate)\s+([a-z_]\w*[?!]?)/,
    ],
    haskell: [
        /^(?:data|newtype|type(?!\s+(?:family|instance)\b)|class)\s+(?:\([^)]*\)\s*=>\s*|[\w\s]*=>\s*)?([A-Z]\w*)/,
        /^(?:type\s+family|data\s+family)\s+([A-Z]\w*)/,
        /^([a-z_][\w']*)\s*::/,
    ],
    lua: [
        /^\s*(?:local\s+)?function\s+([\w.:]+)\s*\(/,
        /^\s*(?:local\s+)?([\w.]+)\s*=\s*function\b/,
    ],
    zig: [
        /^\s*(?:pub\s+)?(?:(?:export|extern|inline|noinline)\s+)*fn\s+([A-Za-z_]\w*)/,
        /^\s*(?:pub\s+)?const\s+([A-Za-z_]\w*)\s*=\s*(?:(?:extern|packed)\s+)?(?:struct|enum|union|opaque)\b/,
    ],
    shellscript: [
        /^\s*function\s+([\w:.-]+)/,
        /^\s*([A-Za-z_][\w:.-]*)\s*\(\)\s*(?:\{|$)/,
    ],
    dart: [
        /^\s*(?:abstract\s+|sealed\s+|base\s+|final\s+|interface\s+)*(?:class|mixin|enum|typedef)\s+([A-Za-z_]\w*)/,
    ],
    "objective-c": [/^\s*@(?:interface|implementation|protocol)\s+([A-Za-z_]\w*)/],
    erlang: [/^([a-z]\w*)\s*\(.*\)\s*(?:when\b.*)?->/],
    ocaml: [/^\s*(?:let|and)\s+(?:rec\s+)?([a-z_][\w']*)/, /^\s*(?:type|module|class)\s+(?:rec\s+|type\s+)?([A-Za-z_][\w']*)/],
    fsharp: [/^\s*(?:let|and|member)\s+(?:rec\s+|inline\s+|private\s+)*(?:\w+\.)?([a-z_A-Z][\w']*)/, /^\s*(?:type|module)\s+(?:private\s+)?([A-Za-z_][\w']*)/],
    r: [/^\s*([\w.]+)\s*(?:<-|=)\s*function\b/],
    perl: [/^\s*sub\s+(\w+)/, /^\s*package\s+([\w:]+)/],
    julia: [/^\s*(?:function|macro)\s+([\w.!]+)/, /^\s*(?:mutable\s+struct|struct|abstract\s+type|primitive\s+type|module)\s+([A-Za-z_]\w*)/],
    clojure: [/^\s*\((?:defn-?|defmacro|defmulti|defprotocol|defrecord|deftype|definterface|def|ns)\s+(?:\^\S+\s+)?([\w.*+!?<>=/-]+)/],
    groovy: [/^\s*(?:(?:public|private|protected|static|abstract|final)\s+)*(?:class|interface|trait|enum)\s+([A-Za-z_]\w*)/],
    powershell: [/^\s*function\s+([\w-]+)/i],
    elm: [/^(?:type\s+alias|type)\s+([A-Z]\w*)/, /^([a-z]\w*)\s*:/],
    nim: [/^\s*(?:proc|func|method|iterator|template|macro)\s+`?([A-Za-z_]\w*)/, /^\s*([A-Z]\w*)\*?\s*=\s*(?:ref\s+|ptr\s+)?(?:object|enum|tuple|concept)\b/],
    crystal: [/^\s*(?:(?:private|protected|abstract)\s+)*(?:class|struct|module|def|macro|enum|lib)\s+([A-Za-z_][\w?!]*)/],
    v: [/^\s*(?:pub\s+)?(?:fn|struct|enum|interface|type)\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/],
    solidity: [/^\s*(?:abstract\s+)?(?:contract|interface|library|function|modifier|event|struct|enum)\s+([A-Za-z_]\w*)/],
};

/** Whether the chunker knows declaration lines of a language. */
export function hasDeclarationPatterns(language: string): boolean {
    return Object.hasOwn(PATTERNS, language);
}

/** The name declared on one line, if any. */
export function declaredName(language: string, line: string): string | undefined {
    const patterns = Object.hasOwn(PATTERNS, language) ? PATTERNS[language] : undefined;
    if (!patterns || line.length > 400) return undefined;
    for (const re of patterns) {
        const m = re.exec(line);
        if (m?.[1]) return m[1];
    }
    return undefined;
}

/**
 * Gives each piece without a symbol the names declared in its lines, in order, as its symbol (`A, A.b` style, as
 * syntax units list theirs). Pieces of a language without patterns are left as they are.
 */
export function nameDeclarations(src: SourceLines, pieces: Piece[], language: string): Piece[] {
    if (!hasDeclarationPatterns(language)) return pieces;
    return pieces.map((p) => {
        if (p.symbol !== undefined || p.text !== undefined) return p;
        const names: string[] = [];
        for (let i = p.start; i <= p.end && names.length < MAX_NAMES; i++) {
            const name = declaredName(language, src.lines[i]);
            if (name && !names.includes(name)) names.push(name);
        }
        return names.length > 0 ? { ...p, symbol: names.join(", ") } : p;
    });
}
