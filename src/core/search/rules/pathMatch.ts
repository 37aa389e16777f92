/**
 * Prose queries: a file whose name or folder says what the query asks about ("how are routes matched" ->
 * `routing/matcher.go`) gains, in proportion to the share of the query's content words its stem and parent folder
 * match (pathWords.ts). Code is organised by topic, so the path is the shortest summary of a file there is; BM25
 * sees path words only as one more column among the body's hundreds of tokens. From semble's ranking stack.
 */
import { rescored } from "../candidate";
import { looseMatch, pathWords, queryWords } from "./pathWords";
import { fileRulesApply, type RankRule } from "./rankRule";

export const pathMatchRule: RankRule = {
    name: "pathMatch",
    appliesTo: (ctx) => ctx.mode !== "vector" && !ctx.identifier && fileRulesApply(ctx) && ctx.config.pathMatchWeight > 0,
    apply(candidates, ctx) {
        const words = queryWords(ctx.query);
        if (words.length === 0 || candidates.length === 0) return [...candidates];
        const top = Math.max(...candidates.map((c) => c.score));
        const { pathMatchWeight, pathMatchMinRatio } = ctx.config;
        const bonusByPath = new Map<string, number>();
        return candidates.map((c) => {
            let bonus = bonusByPath.get(c.path);
            if (bonus === undefined) {
                const ratio = matchRatio(words, c.path);
                bonus = ratio >= pathMatchMinRatio ? pathMatchWeight * top * ratio : 0;
                bonusByPath.set(c.path, bonus);
            }
            return rescored(c, c.score + bonus);
        });
    },
};

/** Share of the query words that the path's stem or parent folder matches. */
export function matchRatio(words: readonly string[], path: string): number {
    const { stem, folder } = pathWords(path);
    const pathParts = [...stem, ...folder];
    const matched = words.filter((w) => pathParts.some((p) => looseMatch(w, p))).length;
    return words.length === 0 ? 0 : matched / words.length;
}
