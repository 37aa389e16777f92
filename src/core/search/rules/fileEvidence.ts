/**
 * Adds to each candidate `fileEvidenceWeight` times the scores of its file's next-best candidates. A file that many
 * candidates point at is more likely what an architecture question ("how does X work") is about than a file with
 * one lucky chunk. Needs scores on a common scale, so it applies to fused (hybrid) scores only.
 */
import { compareCandidates, rescored } from "../candidate";
import type { RankRule } from "./rankRule";

/** A file's evidence is its best few candidates: a long tail of weak matches in a big file must not add up. */
const FILE_EVIDENCE_CHUNKS = 3;

export const fileEvidenceRule: RankRule = {
    name: "fileEvidence",
    appliesTo: (ctx) => ctx.mode === "hybrid" && ctx.config.fileEvidenceWeight > 0,
    apply(candidates, ctx) {
        const byFile = new Map<string, number[]>();
        for (const c of [...candidates].sort(compareCandidates)) {
            const scores = byFile.get(c.path) ?? [];
            if (scores.length < FILE_EVIDENCE_CHUNKS) scores.push(c.score);
            byFile.set(c.path, scores);
        }
        // Every chunk of a file gets the same bonus: the evidence beyond the file's best chunk.
        const weight = ctx.config.fileEvidenceWeight;
        const bonus = new Map([...byFile].map(([path, best]) => [path, weight * best.slice(1).reduce((a, b) => a + b, 0)]));
        return candidates.map((c) => rescored(c, c.score + (bonus.get(c.path) ?? 0)));
    },
};
