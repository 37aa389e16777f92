/**
 * The ranking stack: every rule in the order it runs. Order matters where rules add (exactSymbol's boost is in
 * fused-score units, so it comes before the multiplicative priors, which then also demote a test's definition).
 */
import type { Candidate } from "../candidate";
import { exactSymbolRule } from "./exactSymbol";
import { fileEvidenceRule } from "./fileEvidence";
import { pathPriorsRule } from "./pathPriors";
import type { RankContext, RankRule } from "./rankRule";
import { sameFileRule } from "./sameFile";

export type { RankContext, RankIndex, RankRule, RankRuleName } from "./rankRule";

export const RANK_RULES: readonly RankRule[] = [exactSymbolRule, pathPriorsRule, fileEvidenceRule, sameFileRule];

/** Runs every rule that applies and is not disabled (RankConfig.disabledRules), in order. */
export function applyRules(candidates: Candidate[], ctx: RankContext, rules: readonly RankRule[] = RANK_RULES): Candidate[] {
    const disabled = new Set(ctx.config.disabledRules ?? []);
    let out = candidates;
    for (const rule of rules) {
        if (!disabled.has(rule.name) && rule.appliesTo(ctx)) out = rule.apply(out, ctx);
    }
    return out;
}
