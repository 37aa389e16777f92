/**
 * The shape of one ranking rule: a small, pure step over the candidate list (candidate.ts). Rules run in the order
 * of rules/index.ts, each only for the modes and queries it was measured on; every one can be switched off through
 * RankConfig.disabledRules, which is how bench/rankSweep.mjs measures what each is worth.
 */
import type { SearchMode } from "../../types";
import type { Candidate, CandidateMeta } from "../candidate";
import type { QueryIntent } from "../intent";
import type { RankConfig, RankRuleName } from "../rankConfig";

/** Lookups a rule may need beyond the candidates themselves (chunks no retriever returned). */
export interface RankIndex {
    /** Chunks that pass the search's filters and whose symbol is exactly `key` (a lexical.ts symbolKey). */
    definitions(key: string): (CandidateMeta & { id: number; symbol?: string; continuation?: boolean })[];
}

/** What every rule may read about the search being ranked. */
export interface RankContext {
    /** The query text as typed (trimmed); "" for Find Similar. */
    readonly query: string;
    readonly mode: SearchMode;
    /** The query is one identifier (`parseConfig`, `Foo.bar`): lexical.ts looksLikeIdentifier. */
    readonly identifier: boolean;
    /** What kind of question the query is (intent.ts); "topic" for Find Similar. */
    readonly intent: QueryIntent;
    readonly config: RankConfig;
    /** Find Similar: the folder-relative path of the code being compared. */
    readonly similarTo?: string;
    readonly index: RankIndex;
}

export interface RankRule {
    /** Stable name, used in RankConfig.disabledRules and in the ablation tables of bench/RESULTS.md. */
    readonly name: RankRuleName;
    /** Whether the rule has anything to do for this search (mode, query shape, configuration). */
    appliesTo(ctx: RankContext): boolean;
    /** The candidates re-scored (a new list; may add candidates, never changes the given ones in place). */
    apply(candidates: readonly Candidate[], ctx: RankContext): Candidate[];
}

export type { RankRuleName };

/** True when the rules that reason about whole files apply to this query's kind (RankConfig.fileRulesFor). */
export function fileRulesApply(ctx: RankContext): boolean {
    return ctx.config.fileRulesFor.includes(ctx.intent);
}
