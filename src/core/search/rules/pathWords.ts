/**
 * The words of a path that say what a file is about: the file's stem and its parent folder's name, split into
 * identifier parts (`src/routing/route_table.py` -> stem route, table, routetable; folder routing), and the loose
 * match of a query word against them that the path rules use.
 */
import { splitIdentifier, STOP_WORDS } from "../lexical";

/** Words this short say little about a file ("a", "io", "db" still count when the query has them exactly). */
const MIN_MATCH_CHARS = 3;

export interface PathWords {
    /** The file name without its extensions, as identifier parts plus the joined form. */
    stem: string[];
    /** The joined stem (`route_table` -> routetable), for comparing with a symbol key. */
    stemKey: string;
    /** The parent folder's name, as parts plus the joined form. */
    folder: string[];
}

/** The stem and parent-folder words of a folder-relative POSIX path. */
export function pathWords(path: string): PathWords {
    const segments = path.split("/");
    const file = segments[segments.length - 1] ?? "";
    const dot = file.indexOf(".", 1);
    const stemParts = splitIdentifier(dot > 0 ? file.slice(0, dot) : file);
    const folderParts = segments.length > 1 ? splitIdentifier(segments[segments.length - 2]) : [];
    return { stem: withJoined(stemParts), stemKey: stemParts.join(""), folder: withJoined(folderParts) };
}

/**
 * The content words of a prose query, for matching against paths: identifier parts of at least
 * {@link MIN_MATCH_CHARS} characters, stop words left out, each once.
 */
export function queryWords(query: string): string[] {
    const words = (query.match(/[\p{L}\p{N}_$]+/gu) ?? []).flatMap(splitIdentifier);
    return [...new Set(words.filter((w) => w.length >= MIN_MATCH_CHARS && !STOP_WORDS.has(w)))];
}

/**
 * True when a query word and a path word name the same thing loosely: equal; the shorter (three characters or more)
 * a prefix of the longer (app ~ application, request ~ requests); or sharing a prefix of at least four characters
 * that covers all but the last two characters of the shorter (route ~ routing, handler ~ handling; not parse ~ part).
 */
export function looseMatch(queryWord: string, pathWord: string): boolean {
    if (queryWord === pathWord) return true;
    const shorter = Math.min(queryWord.length, pathWord.length);
    if (shorter < MIN_MATCH_CHARS) return false;
    let common = 0;
    while (common < shorter && queryWord.charCodeAt(common) === pathWord.charCodeAt(common)) common++;
    return common === shorter || common >= Math.max(MIN_MATCH_CHARS + 1, shorter - 2);
}

function withJoined(parts: string[]): string[] {
    return parts.length > 1 ? [...parts, parts.join("")] : parts;
}
