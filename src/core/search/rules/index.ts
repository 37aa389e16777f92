/**
 * The ranking stack: every rule in the order it runs (semble's order, RANKING-NOTES.md). Additive rules come first
 * (coherence and the path bonus are relative to the fused top score, the definition boost is in fused-score
 * units); the multiplicative priors then demote a test's or an example's bonus with it; saturation runs last over
 * the final scores, since it depends on rank order within each file.
 */
import type { Candidate } from "../candidate";
import { exactSymbolRule } from "./exactSymbol";
import { fileCoherenceRule } from "./fileCoherence";
import { pathMatchRule } from "./pathMatch";
import { pathPriorsRule } from "./pathPriors";
import type { RankContext, RankRule } from "./rankRule";
import { sameFileRule } from "./sameFile";
import { saturationRule } from "./saturation";

export type { RankContext, RankIndex, RankRule, RankRuleName } from "./rankRule";

export const RANK_RULES: readonly RankRule[] = [
    fileCoherenceRule,
    exactSymbolRule,
    pathMatchRule,
    pathPriorsRule,
    saturationRule,
    sameFileRule,
];

/** Runs every rule that applies and is not disabled (RankConfig.disabledRules), in order. */
export function applyRules(candidates: Candidate[], ctx: RankContext, rules: readonly RankRule[] = RANK_RULES): Candidate[] {
    const disabled = new Set(ctx.config.disabledRules ?? []);
    let out = candidates;
    for (const rule of rules) {
        if (!disabled.has(rule.name) && rule.appliesTo(ctx)) out = rule.apply(out, ctx);
    }
    return out;
}
