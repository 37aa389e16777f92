/**
 * Priors on what a search is usually after, applied as multipliers on fused scores. Production code search ranks
 * the same way (tests and docs below implementation unless asked for): a question typed into an editor is mostly
 * about the code that does the work. They demote, never remove: a test or a docs section that matches clearly
 * better than any implementation still comes first. Vector and lexical modes (and Find Similar, which must find
 * look-alike tests too) keep their retrievers' raw order.
 */
import { rescored } from "../candidate";
import type { RankRule } from "./rankRule";

/** Test files by the conventions of the languages Seek chunks: folders, then file-name patterns. */
const TEST_DIR = /(^|\/)(tests?|__tests__|spec|specs|testing|test_suite)\//i;
const TEST_FILE =
    /(^|\/)(test_[^/]*\.py|[^/]*_test\.(py|go|rb|exs?|rs|cc|cpp|c)|[^/]*\.(test|spec)\.[cm]?[jt]sx?|[^/]*(Test|Tests|Spec)\.(java|kt|scala|cs|swift|php)|[^/]*_spec\.rb)$/;

export function isTestPath(path: string): boolean {
    return TEST_DIR.test(path) || TEST_FILE.test(path);
}

export const pathPriorsRule: RankRule = {
    name: "pathPriors",
    appliesTo: (ctx) => ctx.mode === "hybrid" && (ctx.config.proseWeight !== 1 || ctx.config.testWeight !== 1),
    apply(candidates, ctx) {
        const { proseWeight, testWeight } = ctx.config;
        const testByPath = new Map<string, boolean>();
        return candidates.map((c) => {
            let test = testByPath.get(c.path);
            if (test === undefined) testByPath.set(c.path, (test = isTestPath(c.path)));
            const factor = (c.kind === "code" ? 1 : proseWeight) * (test ? testWeight : 1);
            return rescored(c, c.score * factor);
        });
    },
};
