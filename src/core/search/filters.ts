/**
 * Search filters (globs, kinds, languages, an excluded range) compiled once per query into a predicate over the
 * slots of a metadata table (the chunk table, or the vector table's rows). Glob results are cached per path: many
 * slots share a path.
 */
import picomatch from "picomatch";
import type { SlotColumns } from "../store/chunkTable";
import type { FileKind, SearchOptions } from "../types";

/** A range that must never be returned (the source range of a "find similar"). Lines 1-based inclusive. */
export interface ExcludedRange {
    path: string;
    startLine: number;
    endLine: number;
}

export type FilterOptions = Pick<SearchOptions, "include" | "exclude" | "kinds" | "languages"> & {
    excludeRange?: ExcludedRange;
    /** Only these paths (a layered index's local side: the files that differ from the shared index). */
    onlyPaths?: ReadonlySet<string>;
    /** Never these paths (a layered index's shared side: the files answered locally instead). */
    skipPaths?: ReadonlySet<string>;
};

/**
 * Globs are folder-relative; a pattern without a slash matches the file name anywhere (`*.md`), as in
 * .gitignore, and dotfiles are matched like any other file. picomatch's `basename` option would also apply to
 * patterns with slashes (and break `src/**`), so the two kinds are compiled separately.
 */
function globMatcher(patterns: string[]): (path: string) => boolean {
    const anywhere = patterns.filter((p) => !p.includes("/"));
    const rooted = patterns.filter((p) => p.includes("/"));
    const byName = anywhere.length > 0 ? picomatch(anywhere, { dot: true, basename: true }) : undefined;
    const byPath = rooted.length > 0 ? picomatch(rooted.map((p) => p.replace(/^\.?\//, "")), { dot: true }) : undefined;
    return (path) => (byName?.(path) ?? false) || (byPath?.(path) ?? false);
}

/**
 * The filters compiled once (globs are the costly part), ready to run over the slots of any metadata table: the
 * search applies the same filter to the vector table's rows and to the chunk table's. Undefined when nothing
 * filters (callers then skip per-row checks).
 */
export function compileFilter(opts: FilterOptions): ((table: SlotColumns) => (slot: number) => boolean) | undefined {
    const pathOk = pathFilter(opts.include, opts.exclude);
    const kinds = opts.kinds && opts.kinds.length > 0 ? new Set<FileKind>(opts.kinds) : undefined;
    const languages = opts.languages && opts.languages.length > 0 ? new Set(opts.languages.map((l) => l.toLowerCase())) : undefined;
    const range = opts.excludeRange;
    const { onlyPaths, skipPaths } = opts;
    if (!pathOk && !kinds && !languages && !range && !onlyPaths && !skipPaths) return undefined;
    return (table) => (slot) => {
        if (kinds && !kinds.has(table.kindAt(slot))) return false;
        if (languages && !languages.has(table.languageAt(slot).toLowerCase())) return false;
        const path = table.pathAt(slot);
        if (onlyPaths && !onlyPaths.has(path)) return false;
        if (skipPaths?.has(path)) return false;
        if (overlapsRange(range, path, table.startLineAt(slot), table.endLineAt(slot))) return false;
        return !pathOk || pathOk(path);
    };
}

/** True when [startLine, endLine] of `path` overlaps the excluded range. */
export function overlapsRange(range: ExcludedRange | undefined, path: string, startLine: number, endLine: number): boolean {
    return range !== undefined && path === range.path && startLine <= range.endLine && endLine >= range.startLine;
}

function pathFilter(include: string[] | undefined, exclude: string[] | undefined): ((path: string) => boolean) | undefined {
    const inc = include && include.length > 0 ? globMatcher(include) : undefined;
    const exc = exclude && exclude.length > 0 ? globMatcher(exclude) : undefined;
    if (!inc && !exc) return undefined;
    const cache = new Map<string, boolean>();
    return (path) => {
        let ok = cache.get(path);
        if (ok === undefined) {
            ok = (!inc || inc(path)) && !(exc && exc(path));
            cache.set(path, ok);
        }
        return ok;
    };
}
