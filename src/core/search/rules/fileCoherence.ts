/**
 * A file with several good candidates is a better answer than a file with one lucky chunk: each file's best
 * candidate gains `coherenceWeight × top score × (the file's summed candidate score / the largest such sum)`.
 * Only the best chunk gains, so a long file's tail never climbs on its own; and the sum is relative to the best
 * file's, so the bonus stays on the scale of the scores. From semble's ranking stack (weight 0.2 there).
 */
import { compareCandidates, rescored } from "../candidate";
import { fileRulesApply, type RankRule } from "./rankRule";

export const fileCoherenceRule: RankRule = {
    name: "fileCoherence",
    appliesTo: (ctx) => ctx.mode !== "vector" && fileRulesApply(ctx) && ctx.config.coherenceWeight > 0,
    apply(candidates, ctx) {
        if (candidates.length < 2) return [...candidates];
        const sums = new Map<string, number>();
        const bestOfFile = new Map<string, number>();
        for (const c of [...candidates].sort(compareCandidates)) {
            sums.set(c.path, (sums.get(c.path) ?? 0) + c.score);
            if (!bestOfFile.has(c.path)) bestOfFile.set(c.path, c.id);
        }
        const top = Math.max(...candidates.map((c) => c.score));
        const largest = Math.max(...sums.values());
        if (!(largest > 0)) return [...candidates];
        const weight = ctx.config.coherenceWeight;
        return candidates.map((c) => (bestOfFile.get(c.path) === c.id ? rescored(c, c.score + (weight * top * (sums.get(c.path) ?? 0)) / largest) : c));
    },
};
