/**
 * Skipped files in words: which skips are expected (the file's name or the rules say Seek never indexes it) and which
 * are surprises a user may want to fix (a file that could not be read, is not text, or is too big). Expected skips are
 * logged at info (ignored ones at debug: there can be thousands), surprises as warnings, and one tally counts them
 * all, so every count a user sees (CLI summary, log summary, status view) is the same number.
 */
import { BINARY_BY_NAME } from "./discovery/defaults";
import type { SkippedFile, SkipReason } from "./types";

/** Each reason as a user reads it: "2 binary, 1 too large". */
export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
    ignored: "ignored",
    tooLarge: "too large",
    binary: "binary",
    unreadable: "unreadable",
    symlinkLoop: "symlink loop",
    secret: "secret",
    minified: "minified or generated",
    vanished: "deleted while indexing",
    badEncoding: "not UTF-8 or UTF-16 text",
    embedFailed: "the model failed on it",
};

/** Reasons that are by design whatever the detail: rules, secrets, generated files, files deleted mid-run. */
const EXPECTED: ReadonlySet<SkipReason> = new Set(["ignored", "secret", "minified", "vanished"]);

/** True when Seek skipped the file on purpose; false for a surprise (binary content in a text file counts as one). */
export function isExpectedSkip(s: SkippedFile): boolean {
    return EXPECTED.has(s.reason) || (s.reason === "binary" && s.detail === BINARY_BY_NAME);
}

/** The log level a skip is reported at. */
export function skipLogLevel(s: SkippedFile): "debug" | "info" | "warn" {
    if (s.reason === "ignored") return "debug";
    return isExpectedSkip(s) ? "info" : "warn";
}

/** One log line for a skip: "skipped shot.png: binary (by extension)". */
export function skipLine(s: SkippedFile): string {
    return `skipped ${s.path}: ${SKIP_REASON_TEXT[s.reason]}${s.detail ? ` (${s.detail})` : ""}`;
}

/** Counts of one run's skips by reason. Ignored files are left out: they were never meant to be indexed. */
export class SkipTally {
    private readonly counts = new Map<SkipReason, number>();
    private surprises = 0;

    add(s: SkippedFile): void {
        if (s.reason === "ignored") return;
        this.counts.set(s.reason, (this.counts.get(s.reason) ?? 0) + 1);
        if (!isExpectedSkip(s)) this.surprises++;
    }

    clear(): void {
        this.counts.clear();
        this.surprises = 0;
    }

    get total(): number {
        let n = 0;
        for (const c of this.counts.values()) n += c;
        return n;
    }

    /** Skips that were logged as warnings. */
    get unexpected(): number {
        return this.surprises;
    }

    /** Count per reason, most frequent first. */
    byReason(): { reason: SkipReason; count: number }[] {
        return [...this.counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    }

    /** "3 binary, 1 too large" (empty when nothing was skipped). */
    text(): string {
        return this.byReason().map((r) => `${r.count} ${SKIP_REASON_TEXT[r.reason]}`).join(", ");
    }
}
