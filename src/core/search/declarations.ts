/**
 * Which of a file's chunks declares a name. A long class is chunked into pieces that all carry its name as their
 * symbol (the declaration with its doc comment, then banner comments, fields, nested statements: jackson's
 * ObjectMapper.java has 39), and the exact-definition boost would lift them alike, so a query for `ObjectMapper`
 * could show three banner comments of the file instead of `public class ObjectMapper`. A chunk declares a name when
 * a declaration keyword stands right before it (`class`, `def`, `fn`, `func (r *T)`, `type`, `const`, ...): the
 * shape semble looks for. Names declared without a keyword (Java and C methods) are never told apart this way, and
 * their chunks keep the whole boost (markContinuations).
 */
import type { DefinedMeta, SearchSource } from "../store/searchSource";
import { symbolKey } from "./lexical";

/** `<keyword> [receiver] Name`: the keywords of the languages the chunker parses. */
const DECLARATION_RE =
    /\b(?:class|interface|enum|record|struct|union|trait|object|protocol|type|typealias|newtype|data|module|namespace|defmodule|defprotocol|def|defp|defmacro|fn|func|function|fun|sub|macro|const|let|var|val)\s+(?:\([^)]*\)\s*)?([\p{L}_$][\p{L}\p{N}_$]*)/gu;
/** Chunk texts read per search at most: files with many pieces named alike are few. */
const MAX_TEXTS = 120;

/** True when `text` declares a name whose symbolKey is `key`. */
export function declaresName(text: string, key: string): boolean {
    for (const m of text.matchAll(DECLARATION_RE)) {
        if (symbolKey(m[1]) === key) return true;
    }
    return false;
}

/** A definition found by symbol; `continuation` when another chunk of its file declares the name and it does not. */
export type FoundDefinition = DefinedMeta & { continuation?: boolean };

/**
 * The definitions found for each key, where a file holds several chunks named alike and some of them declare the
 * name: the others marked as continuations. Files with one such chunk, or where none can be told to declare it,
 * are left as they are.
 */
export async function markContinuations(source: SearchSource, defined: Map<string, DefinedMeta[]>): Promise<Map<string, FoundDefinition[]>> {
    const ids = new Set<number>();
    for (const metas of defined.values()) {
        for (const same of byPath(metas).values()) {
            if (same.length > 1) for (const m of same) if (ids.size < MAX_TEXTS) ids.add(m.id);
        }
    }
    if (ids.size === 0) return defined;
    const texts = new Map((await source.chunks([...ids])).map((c) => [c.id, c.text]));
    const out = new Map<string, FoundDefinition[]>();
    for (const [key, metas] of defined) {
        const marked: FoundDefinition[] = [];
        for (const same of byPath(metas).values()) {
            const declaring = new Set(same.length > 1 ? same.filter((m) => declaresName(texts.get(m.id) ?? "", key)).map((m) => m.id) : []);
            marked.push(...same.map((m) => (declaring.size > 0 && !declaring.has(m.id) ? { ...m, continuation: true } : m)));
        }
        out.set(key, marked);
    }
    return out;
}

function byPath(metas: readonly DefinedMeta[]): Map<string, DefinedMeta[]> {
    const groups = new Map<string, DefinedMeta[]>();
    for (const m of metas) {
        const group = groups.get(m.path);
        if (group) group.push(m);
        else groups.set(m.path, [m]);
    }
    return groups;
}
