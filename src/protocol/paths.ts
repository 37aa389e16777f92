/**
 * Containment check for paths that arrive from a webview: the host opens only files inside the workspace folder the
 * message names. Pure Node (no `vscode`), so unit tests cover it directly.
 */
import * as path from "node:path";

/** Why a webview-supplied path was refused (logged; the user sees one generic sentence). */
export type PathRefusal = "empty" | "scheme" | "absolute" | "parentSegment" | "badCharacter" | "outside";

export type ResolvedPath = { ok: true; absolute: string } | { ok: false; reason: PathRefusal };

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const WINDOWS_DRIVE = /^[a-zA-Z]:/;

/**
 * Resolves a folder-relative POSIX path against an absolute folder path and checks that the result stays inside.
 * Refuses other schemes (`file:`, `command:`, `http:`), absolute paths, `..` segments, backslashes and NUL,
 * before resolving, and then checks containment of the resolved path as a second line of defence.
 */
export function resolveInsideFolder(folderPath: string, relPath: string, p: path.PlatformPath = path): ResolvedPath {
    if (relPath.length === 0) return { ok: false, reason: "empty" };
    if (relPath.includes("\0") || relPath.includes("\\")) return { ok: false, reason: "badCharacter" };
    if (relPath.startsWith("/") || WINDOWS_DRIVE.test(relPath) || p.isAbsolute(relPath)) return { ok: false, reason: "absolute" };
    if (SCHEME.test(relPath)) return { ok: false, reason: "scheme" };
    if (relPath.split("/").some((seg) => seg === "..")) return { ok: false, reason: "parentSegment" };
    const root = p.resolve(folderPath);
    const absolute = p.resolve(root, ...relPath.split("/"));
    const rel = p.relative(root, absolute);
    if (rel === "" || rel === ".." || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel)) return { ok: false, reason: "outside" };
    return { ok: true, absolute };
}
