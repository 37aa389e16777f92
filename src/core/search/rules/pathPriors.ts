/**
 * Priors on what a search is usually after, applied as multipliers on fused scores. Production code search ranks
 * the same way: a question typed into an editor is mostly about the code that does the work, so tests, examples,
 * vendored or compatibility copies, re-export stubs and type declarations come after implementation unless they
 * match clearly better. They demote, never remove. Vector mode (and Find Similar, which must find look-alike tests
 * too) keeps the retriever's raw order. Each weight is measured on its own in bench/RESULTS.md.
 */
import type { FileKind } from "../../types";
import { rescored } from "../candidate";
import type { RankConfig } from "../rankConfig";
import { fileRulesApply, type RankRule } from "./rankRule";

/** Test files by the conventions of the languages Seek chunks: folders, then file-name patterns. */
const TEST_DIR = /(^|\/)(tests?|__tests__|spec|specs|testing|test_suite)\//i;
const TEST_FILE =
    /(^|\/)(test_[^/]*\.py|[^/]*_test\.(py|go|rb|exs?|rs|cc|cpp|c)|[^/]*\.(test|spec)\.[cm]?[jt]sx?|[^/]*(Test|Tests|Spec)\.(java|kt|scala|cs|swift|php)|[^/]*_spec\.rb)$/;
/** Code that shows or keeps a copy of the real thing: examples, benchmarks, vendored and legacy/compat layers. */
const AUXILIARY_DIR = /(^|\/)(examples?|samples?|demos?|benchmarks?|vendor|third_party|compat|legacy|deprecated|docs_src)\//i;
/**
 * Files that mostly re-export what is defined elsewhere. Not Rust's `mod.rs` or JS's `index.js`: those often hold
 * the module's real code (serde's `de/mod.rs` defines `Visitor`).
 */
const STUB_FILE = /(^|\/)(__init__\.py|package-info\.java)$/;
/** Type declarations: the signature, not the code. */
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

export function isTestPath(path: string): boolean {
    return TEST_DIR.test(path) || TEST_FILE.test(path);
}

/**
 * The product of every prior that applies to a chunk of this path and kind (1 = none). The prose prior only where
 * the query is of a kind that looks for code files (`withProsePrior`): a description may well be of a docs section.
 */
export function priorOf(path: string, kind: FileKind, config: RankConfig, withProsePrior = true): number {
    let factor = kind === "code" || !withProsePrior ? 1 : config.proseWeight;
    if (isTestPath(path)) factor *= config.testWeight;
    if (AUXILIARY_DIR.test(path)) factor *= config.auxiliaryWeight;
    if (STUB_FILE.test(path)) factor *= config.stubWeight;
    if (DECLARATION_FILE.test(path)) factor *= config.declarationWeight;
    return factor;
}

export const pathPriorsRule: RankRule = {
    name: "pathPriors",
    appliesTo: (ctx) => ctx.mode !== "vector",
    apply(candidates, ctx) {
        const byPath = new Map<string, number>();
        const prose = fileRulesApply(ctx);
        return candidates.map((c) => {
            const key = `${c.kind}:${c.path}`;
            let factor = byPath.get(key);
            if (factor === undefined) byPath.set(key, (factor = priorOf(c.path, c.kind, ctx.config, prose)));
            return rescored(c, c.score * factor);
        });
    },
};
