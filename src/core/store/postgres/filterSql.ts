/**
 * A {@link SearchFilter} as SQL conditions on seek_chunks (alias `c`), every value a bound parameter. Globs are not
 * translated to SQL regexes (picomatch's dialect and PostgreSQL's differ in corners): filters.ts matches them
 * against the namespace's catalog in JavaScript, exactly as the local index does, and the paths that pass (or the
 * fewer that fail) go to SQL as an array.
 */
import { compileFilter } from "../../search/filters";
import type { SlotColumns } from "../chunkTable";
import type { SearchFilter } from "../searchSource";

/** Positional parameters of one statement: `add` returns the placeholder of the value it appends. */
export class SqlParams {
    readonly values: unknown[] = [];

    add(value: unknown): string {
        this.values.push(value);
        return `$${this.values.length}`;
    }
}

/** Which catalog paths a filter's globs allow: all but `rejected`, or only `allowed` (whichever list is shorter). */
export type GlobPaths = { allowed: string[] } | { rejected: string[] } | undefined;

/** True when the filter has globs, which need the catalog ({@link globPaths}). */
export function hasGlobs(filter: SearchFilter): boolean {
    return (filter.include?.length ?? 0) > 0 || (filter.exclude?.length ?? 0) > 0;
}

/** Runs the filter's include/exclude globs (filters.ts semantics) over the catalog's paths. */
export function globPaths(filter: SearchFilter, paths: readonly string[]): GlobPaths {
    const accept = compileFilter({ include: filter.include, exclude: filter.exclude })?.(pathColumns(paths));
    if (!accept) return undefined;
    const allowed: string[] = [];
    const rejected: string[] = [];
    paths.forEach((p, slot) => (accept(slot) ? allowed : rejected).push(p));
    return allowed.length <= rejected.length ? { allowed } : { rejected };
}

/** The filter's conditions, ANDed (an empty list when nothing filters). `globs` is {@link globPaths}' answer. */
export function filterConditions(filter: SearchFilter, globs: GlobPaths, params: SqlParams): string[] {
    const out: string[] = [];
    if (filter.kinds && filter.kinds.length > 0) out.push(`c.kind = ANY(${params.add([...filter.kinds])}::text[])`);
    if (filter.languages && filter.languages.length > 0) {
        out.push(`lower(c.language) = ANY(${params.add(filter.languages.map((l) => l.toLowerCase()))}::text[])`);
    }
    if (filter.onlyPaths) out.push(`c.path = ANY(${params.add([...filter.onlyPaths])}::text[])`);
    if (filter.skipPaths && filter.skipPaths.size > 0) out.push(`c.path <> ALL(${params.add([...filter.skipPaths])}::text[])`);
    if (globs && "allowed" in globs) out.push(`c.path = ANY(${params.add(globs.allowed)}::text[])`);
    if (globs && "rejected" in globs && globs.rejected.length > 0) out.push(`c.path <> ALL(${params.add(globs.rejected)}::text[])`);
    const range = filter.excludeRange;
    if (range) {
        out.push(`NOT (c.path = ${params.add(range.path)} AND c.start_line <= ${params.add(range.endLine)} AND c.end_line >= ${params.add(range.startLine)})`);
    }
    return out;
}

/** True when the filter lets nothing through (no path passes the globs, or an empty onlyPaths). */
export function excludesEverything(filter: SearchFilter, globs: GlobPaths): boolean {
    return (filter.onlyPaths !== undefined && filter.onlyPaths.size === 0) || (globs !== undefined && "allowed" in globs && globs.allowed.length === 0);
}

/**
 * The catalog's paths as the slot table filters.ts runs over. Only paths matter: no kinds, languages or range are
 * given, so the other columns are never consulted (line numbers are read but ignored without a range).
 */
function pathColumns(paths: readonly string[]): SlotColumns {
    const unused = (): never => {
        throw new Error("filterSql: only paths are filtered here");
    };
    return {
        count: paths.length,
        idAt: (slot) => slot,
        slotOf: (id) => id,
        pathAt: (slot) => paths[slot],
        kindAt: unused,
        languageAt: unused,
        startLineAt: () => 0,
        endLineAt: () => 0,
    };
}
