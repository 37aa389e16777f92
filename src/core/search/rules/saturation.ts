/**
 * Soft per-file saturation: in rank order, a file's second candidate keeps `decay` of its score, its third
 * `decay²`, and so on, so one file fills the first page only when nothing else comes close. Code files and prose
 * files decay separately: a code file is one module, so "which file" is most of the answer and its second chunk
 * says less than another file's best; a docs file is a collection of separate sections, and a docs question's
 * answer is often the second section of one long page. Replaces a hard per-file cap, which moved a file's fourth
 * hit below every other file's worst. A chunk within `saturationTieRatio` of its file's best is left alone: it
 * is as good an answer as the best one (a function and the declarations above it), not a weaker echo.
 */
import { compareCandidates, rescored } from "../candidate";
import { fileRulesApply, type RankRule } from "./rankRule";

export const saturationRule: RankRule = {
    name: "saturation",
    appliesTo: (ctx) => ctx.mode !== "vector" && fileRulesApply(ctx) && (ctx.config.codeSaturation < 1 || ctx.config.proseSaturation < 1),
    apply(candidates, ctx) {
        const seen = new Map<string, { count: number; best: number }>();
        const tie = ctx.config.saturationTieRatio;
        return [...candidates].sort(compareCandidates).map((c) => {
            const file = seen.get(c.path);
            if (!file) {
                seen.set(c.path, { count: 1, best: c.score });
                return c;
            }
            // A chunk scoring nearly as well as its file's best is a second answer, not an echo of the first.
            if (c.score >= tie * file.best) return c;
            const decay = c.kind === "code" ? ctx.config.codeSaturation : ctx.config.proseSaturation;
            return rescored(c, c.score * decay ** file.count++);
        });
    },
};
