/**
 * Turns a webview's scope filters into core search options. Pure (no `vscode`), unit-tested.
 */
import type { FileKind, SearchOptions } from "../core/types";
import type { ScopeDto } from "./messages";

const GLOB_CHARS = /[*?{}[\]!]/;

/**
 * code/docs toggles -> kinds (both or neither = everything; `text` files count as docs); the comma-separated path
 * filter -> include globs. A plain path without glob characters ("src/upload") matches that file or folder
 * anywhere below the workspace folder, which is what people mean when they type a path fragment.
 */
export function scopeToOptions(scope: ScopeDto | undefined): Pick<SearchOptions, "kinds" | "include"> {
    const out: Pick<SearchOptions, "kinds" | "include"> = {};
    if (!scope) return out;
    if (scope.code !== scope.docs) out.kinds = scope.code ? ["code"] : (["docs", "text"] satisfies FileKind[]);
    const globs = scope.glob
        .split(",")
        .map((g) => g.trim().replace(/^\.\//, "").replace(/\/+$/, ""))
        .filter((g) => g.length > 0);
    if (globs.length > 0) out.include = globs.flatMap((g) => (GLOB_CHARS.test(g) ? [g] : [g, `${g}/**`, `**/${g}`, `**/${g}/**`]));
    return out;
}
