/**
 * Identifier queries: a chunk that defines exactly the name asked for (`parseConfig` -> `function parseConfig`)
 * gains a fixed boost, and is added when neither retriever returned it. Exact where a full-text match on the word
 * would also return every `FieldVisitor` for `Visitor` (bench/RESULTS.md: exact-definition lookup).
 */
import { symbolKey } from "../lexical";
import type { RankContext, RankRule } from "./rankRule";

export const exactSymbolRule: RankRule = {
    name: "exactSymbol",
    appliesTo: (ctx) => ctx.mode === "hybrid" && ctx.identifier,
    apply(candidates, ctx) {
        const key = symbolKey(ctx.query);
        if (key === undefined) return [...candidates];
        const boost = exactSymbolBoost(ctx);
        const byId = new Map(candidates.map((c) => [c.id, c]));
        for (const def of ctx.index.definitions(key)) {
            const found = byId.get(def.id);
            byId.set(def.id, found ? { ...found, score: found.score + boost } : { ...def, score: boost });
        }
        return [...byId.values()];
    },
};

/** In units of "rank 1 in one list" of reciprocal-rank fusion (RankConfig.symbolExactBoostRanks). */
function exactSymbolBoost(ctx: RankContext): number {
    return ctx.config.symbolExactBoostRanks / (ctx.config.rrfK + 1);
}
