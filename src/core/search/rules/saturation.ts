/**
 * Soft per-file saturation: in rank order, a file's second candidate keeps `decay` of its score, its third
 * `decay²`, and so on, so one file fills the first page only when nothing else comes close. Code files and prose
 * files decay separately: a code file is one module, so "which file" is most of the answer and its second chunk
 * says less than another file's best; a docs file is a collection of separate sections, and a docs question's
 * answer is often the second section of one long page. Replaces a hard per-file cap, which moved a file's fourth
 * hit below every other file's worst.
 */
import { compareCandidates, rescored } from "../candidate";
import { fileRulesApply, type RankRule } from "./rankRule";

export const saturationRule: RankRule = {
    name: "saturation",
    appliesTo: (ctx) => ctx.mode !== "vector" && fileRulesApply(ctx) && (ctx.config.codeSaturation < 1 || ctx.config.proseSaturation < 1),
    apply(candidates, ctx) {
        const seen = new Map<string, number>();
        return [...candidates].sort(compareCandidates).map((c) => {
            const before = seen.get(c.path) ?? 0;
            seen.set(c.path, before + 1);
            const decay = c.kind === "code" ? ctx.config.codeSaturation : ctx.config.proseSaturation;
            return before === 0 ? c : rescored(c, c.score * decay ** before);
        });
    },
};
