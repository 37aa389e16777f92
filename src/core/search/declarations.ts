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
    // Only files with several chunks named alike are judged, and only whole files (so that a file's marks never
    // depend on which of its chunks happened to fit under MAX_TEXTS).
    const judged: { key: string; same: DefinedMeta[] }[] = [];
    const ids = new Set<number>();
    for (const [key, metas] of defined) {
        for (const same of byPath(metas).values()) {
            if (same.length < 2 || ids.size + same.length > MAX_TEXTS) continue;
            judged.push({ key, same });
            for (const m of same) ids.add(m.id);
        }
    }
    if (judged.length === 0) return defined;
    const texts = new Map((await source.chunks([...ids])).map((c) => [c.id, c.text]));
    // By key: a chunk listing two names may declare one and merely continue the other.
    const continuations = new Map<string, Set<number>>();
    for (const { key, same } of judged) {
        const declaring = same.filter((m) => declaresName(texts.get(m.id) ?? "", key));
        if (declaring.length === 0) continue;
        const marked = continuations.get(key) ?? new Set<number>();
        for (const m of same) if (!declaring.includes(m)) marked.add(m.id);
        continuations.set(key, marked);
    }
    return new Map(
        [...defined].map(([key, metas]) => [key, metas.map((m) => (continuations.get(key)?.has(m.id) ? { ...m, continuation: true } : m))]),
    );
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
