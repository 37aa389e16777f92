/**
 * Priors on what a search is usually after, applied as multipliers on candidates' scores before hits are built.
 * Production code search ranks the same way (tests and docs below implementation unless asked for): a question
 * typed into an editor is mostly about the code that does the work. They demote, never remove: a test or a docs
 * section that matches clearly better than any implementation still comes first.
 */
import type { IndexStore } from "../store/indexStore";
import type { ScoredId } from "./vector";

export interface RankPriors {
    /** Multiplier for chunks of prose files (docs, text); 1 = none. */
    proseWeight: number;
    /** Multiplier for chunks of test files (isTestPath); 1 = none. */
    testWeight: number;
}

/** Test files by the conventions of the languages Seek chunks: folders, then file-name patterns. */
const TEST_DIR = /(^|\/)(tests?|__tests__|spec|specs|testing|test_suite)\//i;
const TEST_FILE =
    /(^|\/)(test_[^/]*\.py|[^/]*_test\.(py|go|rb|exs?|rs|cc|cpp|c)|[^/]*\.(test|spec)\.[cm]?[jt]sx?|[^/]*(Test|Tests|Spec)\.(java|kt|scala|cs|swift|php)|[^/]*_spec\.rb)$/;

export function isTestPath(path: string): boolean {
    return TEST_DIR.test(path) || TEST_FILE.test(path);
}

/** Candidates with the priors applied, re-sorted (ties by id). Unchanged when every weight is 1. */
export function applyPriors(store: IndexStore, candidates: ScoredId[], priors: RankPriors): ScoredId[] {
    if (priors.proseWeight === 1 && priors.testWeight === 1) return candidates;
    const table = store.vectors;
    const testByPath = new Map<string, boolean>();
    return candidates
        .map((c) => {
            const slot = table.slotOf(c.id);
            if (slot === undefined) return c;
            let factor = table.kindAt(slot) === "code" ? 1 : priors.proseWeight;
            const path = table.pathAt(slot);
            let test = testByPath.get(path);
            if (test === undefined) testByPath.set(path, (test = isTestPath(path)));
            if (test) factor *= priors.testWeight;
            return factor === 1 ? c : { id: c.id, score: c.score * factor };
        })
        .sort((a, b) => b.score - a.score || a.id - b.id);
}
