/**
 * Find Similar: neighbours in the query's own file share its imports, names and comments, so they look alike
 * without being the look-alike code elsewhere that Find Similar is for; they are demoted (cosine minus
 * RankConfig.sameFilePenalty), not dropped.
 */
import { rescored } from "../candidate";
import type { RankRule } from "./rankRule";

export const sameFileRule: RankRule = {
    name: "sameFile",
    appliesTo: (ctx) => ctx.similarTo !== undefined && ctx.config.sameFilePenalty > 0,
    apply: (candidates, ctx) => candidates.map((c) => (c.path === ctx.similarTo ? rescored(c, c.score - ctx.config.sameFilePenalty) : c)),
};
