/**
 * Definitions of the names a query asks for. An identifier query (`parseConfig`, `Foo.bar`): a chunk that defines
 * exactly that name gains a fixed boost, more when its file is named after it too (`Router` in `router.go`), and is
 * added when neither retriever returned it. A prose query that mentions identifiers ("when does useSelector
 * re-render"): their definitions gain part of that boost. Exact where a full-text match on the word would also
 * return every `FieldVisitor` for `Visitor` (bench/RESULTS.md: exact-definition lookup).
 */
import { lastNameSegment, looksLikeIdentifier, splitIdentifier, symbolKey } from "../lexical";
import { pathWords } from "./pathWords";
import { fileRulesApply, type RankContext, type RankRule } from "./rankRule";

export const exactSymbolRule: RankRule = {
    name: "exactSymbol",
    appliesTo: (ctx) => ctx.mode !== "vector" && ctx.config.symbolExactBoostRanks > 0,
    apply(candidates, ctx) {
        const asked = askedNames(ctx);
        if (asked.length === 0) return [...candidates];
        const byId = new Map(candidates.map((c) => [c.id, c]));
        for (const { key, name, boost } of asked) {
            for (const def of ctx.index.definitions(key)) {
                const spelled = spelledAsAsked(def.symbol, name) ? 1 : ctx.config.symbolCaseMismatchFactor;
                const declared = def.continuation ? ctx.config.continuationFactor : 1;
                const gain = (namedAfter(pathWords(def.path).stemKey, key) ? boost * ctx.config.symbolStemFactor : boost) * spelled * declared;
                const found = byId.get(def.id);
                byId.set(def.id, found ? { ...found, score: found.score + gain } : { ...def, score: gain });
            }
        }
        return [...byId.values()];
    },
};

/**
 * The symbol keys whose definitions this search looks up ({@link RankIndex.definitions}): fetched before the rules
 * run, since a source answers lookups asynchronously and rules are synchronous. Empty when the rule is off.
 */
export function definitionKeys(ctx: RankContext): string[] {
    if (ctx.config.disabledRules?.includes(exactSymbolRule.name) || !exactSymbolRule.appliesTo(ctx)) return [];
    return askedNames(ctx).map((n) => n.key);
}

/**
 * True when one of a definition's names ends in exactly the asked name, case included (`Deserialize` the trait, not
 * a `deserialize` method; `getUser`, not `get_user`); sigils around a name do not count (`$ZodError` is spelled as
 * `ZodError`, `_private` as `private`). A definition whose symbol the source did not give counts as spelled as asked.
 */
function spelledAsAsked(symbol: string | undefined, name: string): boolean {
    if (symbol === undefined) return true;
    return symbol.split(/,\s*/).some((full) => lastSegment(full) === name);
}

/** A name's last segment (lexical.ts lastNameSegment) without the `_`/`$` sigils some languages put around names. */
function lastSegment(name: string): string {
    return lastNameSegment(name).trim().replace(/^[_$]+|[_$]+$/g, "");
}

/** A file stem naming a symbol: equal, or its plural (`fields.py` holds `Field`, `errors.ts` holds `ZodError`'s kin). */
function namedAfter(stemKey: string, key: string): boolean {
    return stemKey === key || stemKey === `${key}s` || stemKey === `${key}es`;
}

/** The names whose definitions gain, each with its boost in fused-score units. */
function askedNames(ctx: RankContext): { key: string; name: string; boost: number }[] {
    // In units of "rank 1 in one list" of reciprocal-rank fusion (RankConfig.symbolExactBoostRanks).
    const full = ctx.config.symbolExactBoostRanks / (ctx.config.rrfK + 1);
    if (ctx.identifier) {
        const key = symbolKey(ctx.query);
        return key === undefined ? [] : [{ key, name: lastSegment(ctx.query), boost: full }];
    }
    const boost = full * ctx.config.proseSymbolFactor;
    if (boost <= 0 || !fileRulesApply(ctx)) return [];
    const names = new Map<string, string>();
    for (const word of ctx.query.split(/\s+/)) {
        const trimmed = word.replace(/^[^\p{L}_$]+|[^\p{L}\p{N}_$)]+$/gu, "");
        if (looksLikeCompoundIdentifier(trimmed)) {
            const key = symbolKey(trimmed);
            if (key !== undefined && key.length >= 3 && !names.has(key)) names.set(key, lastSegment(trimmed));
        }
    }
    return [...names].map(([key, name]) => ({ key, name, boost }));
}

/**
 * A word of prose that is surely code: camelCase, snake_case, qualified (`a.b`) or called (`f()`). Plain words
 * ("session") are left to BM25: every prose word would otherwise boost whatever is named like it.
 */
function looksLikeCompoundIdentifier(word: string): boolean {
    if (!looksLikeIdentifier(word)) return false;
    return /[._$]|::|->|#|\(\)/.test(word) || splitIdentifier(word).length > 1;
}
