/**
 * Path rules for discovery: layered gitignore-syntax rules (defaults, `.git/info/exclude`, every `.gitignore` and
 * `.seekignore`), the hard secret/binary checks, and the user's include/exclude globs.
 */
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import type { SkipReason } from "../types";
import {
    BINARY_EXTENSIONS,
    BINARY_FILE_NAMES,
    DEFAULT_EXCLUDES,
    SECRET_DIRS,
    SECRET_FILE_GLOBS,
} from "./defaults";

/** Git compares paths case-sensitively where the file system is (core.ignorecase follows the platform). */
const IGNORE_CASE = process.platform === "win32" || process.platform === "darwin";

/** Mark carried by default rules; user rule files carry their folder-relative path instead. */
const DEFAULT_MARK_PREFIX = "default:";

/** One rules file (or the defaults), applying to paths under `base`. */
export interface RuleLayer {
    /** Folder-relative POSIX directory the patterns are relative to ("" for the folder root). */
    readonly base: string;
    readonly ig: Ignore;
}

/** The verdict for one path: undefined when it is kept. */
export interface RuleMatch {
    reason: SkipReason;
    detail: string;
}

/** Builds the lowest-priority layer from DEFAULT_EXCLUDES. */
export function defaultLayer(): RuleLayer {
    const ig = ignore({ ignorecase: IGNORE_CASE });
    ig.add(DEFAULT_EXCLUDES.map((d) => ({ pattern: d.pattern, mark: `${DEFAULT_MARK_PREFIX}${d.kind}:${d.why}` })));
    return { base: "", ig };
}

/**
 * Parses one rules file. `source` is its folder-relative path (named in skip details); `base` is the directory its
 * patterns are relative to.
 */
export function parseRuleFile(base: string, source: string, content: string): RuleLayer {
    const ig = ignore({ ignorecase: IGNORE_CASE });
    // ignore() splits on newlines itself, but a mark needs one pattern per entry.
    const patterns = content
        .replace(/^\uFEFF/, "")
        .split(/\r?\n/)
        .filter((line) => line.trim() !== "" && !line.startsWith("#"))
        .map((pattern) => ({ pattern, mark: source }));
    ig.add(patterns);
    return { base, ig };
}

/**
 * Applies the layers in priority order (lowest first): the last layer with an opinion wins, as in git, where a
 * deeper `.gitignore` overrides a higher one. `rel` is folder-relative; directories are tested with a trailing
 * slash so dir-only patterns (`build/`) match them.
 */
export function matchLayers(layers: readonly RuleLayer[], rel: string, isDir: boolean): RuleMatch | undefined {
    return evaluate(layers, rel, isDir).match;
}

/**
 * The layers that apply inside directory `rel`, which the walk is about to enter. If an earlier layer excluded the
 * directory and a later one re-included it (`!build/` in `.seekignore` over the default `build/`), the earlier
 * layer gets an explicit re-include of it: the `ignore` package would otherwise exclude every file below through
 * the parent, while git tests files in a re-included directory by their own names.
 */
export function layersInside(layers: readonly RuleLayer[], rel: string): readonly RuleLayer[] {
    const { overridden } = evaluate(layers, rel, true);
    if (overridden.length === 0) return layers;
    return layers.map((layer, i) => {
        if (!overridden.includes(i)) return layer;
        const sub = layer.base === "" ? rel : rel.slice(layer.base.length + 1);
        const ig = ignore({ ignorecase: IGNORE_CASE }).add(layer.ig).add(`!/${escapePattern(sub)}/`);
        return { base: layer.base, ig };
    });
}

function evaluate(layers: readonly RuleLayer[], rel: string, isDir: boolean) {
    let match: RuleMatch | undefined;
    let ignoredBy: number[] = [];
    const overridden: number[] = [];
    layers.forEach((layer, i) => {
        let sub = rel;
        if (layer.base !== "") {
            if (!rel.startsWith(layer.base + "/")) return;
            sub = rel.slice(layer.base.length + 1);
        }
        const result = layer.ig.test(isDir ? sub + "/" : sub);
        if (result.ignored && result.rule) {
            match = describeRule(result.rule.mark ?? "", result.rule.pattern);
            ignoredBy.push(i);
        } else if (result.unignored) {
            match = undefined;
            overridden.push(...ignoredBy);
            ignoredBy = [];
        }
    });
    return { match, overridden: match ? [] : overridden };
}

/** Makes a path literal in gitignore syntax. */
function escapePattern(path: string): string {
    return path.replace(/[\\*?[]/g, "\\$&").replace(/ +$/, (spaces) => spaces.replace(/ /g, "\\ "));
}

function describeRule(mark: string, pattern: string): RuleMatch {
    if (mark.startsWith(DEFAULT_MARK_PREFIX)) {
        const [kind, why] = mark.slice(DEFAULT_MARK_PREFIX.length).split(":", 2);
        return { reason: kind === "minified" ? "minified" : "ignored", detail: `default exclude (${why}): ${pattern}` };
    }
    return { reason: "ignored", detail: `${mark}: ${pattern}` };
}

const secretMatcher = picomatch(SECRET_FILE_GLOBS as string[], { dot: true, nocase: true });

/** True for file names that may hold credentials (never indexed, never read). */
export function isSecretName(name: string): boolean {
    return secretMatcher(name);
}

/** True for directory names that hold credentials by convention. */
export function isSecretDir(name: string): boolean {
    return SECRET_DIRS.has(name.toLowerCase());
}

/** True when the name says the format is binary (extension or well-known name). */
export function isBinaryName(name: string): boolean {
    const lower = name.toLowerCase();
    if (BINARY_FILE_NAMES.has(lower)) return true;
    const dot = lower.lastIndexOf(".");
    return dot > 0 && BINARY_EXTENSIONS.has(lower.slice(dot + 1));
}

/** Compiled include/exclude globs from settings or the command line. */
export interface GlobFilter {
    /** A skip verdict for a file excluded, or not included, by the globs; undefined when it is kept. */
    fileVerdict(rel: string): RuleMatch | undefined;
    /** A skip verdict for a directory matched by an exclude glob. */
    excludesDir(rel: string): RuleMatch | undefined;
}

/**
 * Globs are folder-relative (picomatch, dotfiles included). A glob without a slash matches in every folder
 * (`*.ts` finds `src/a.ts`), the way users write them in settings.
 */
export function globFilter(include: readonly string[] | undefined, exclude: readonly string[] | undefined): GlobFilter {
    const compile = (globs: readonly string[]) =>
        picomatch(
            globs.map((g) => (g.includes("/") ? g.replace(/^\.\//, "") : `**/${g}`)),
            { dot: true },
        );
    const inc = include && include.length > 0 ? compile(include) : undefined;
    const exc = exclude && exclude.length > 0 ? compile(exclude) : undefined;
    return {
        fileVerdict(rel) {
            if (exc?.(rel)) return { reason: "ignored", detail: "excluded by setting" };
            if (inc && !inc(rel)) return { reason: "ignored", detail: "not matched by include" };
            return undefined;
        },
        excludesDir(rel) {
            return exc && (exc(rel) || exc(rel + "/")) ? { reason: "ignored", detail: "excluded by setting" } : undefined;
        },
    };
}
