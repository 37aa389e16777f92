/**
 * One line, in every agent answer, saying what the index could see when the answer was made. An agent that asks
 * while the index is still being built must know that an empty or thin answer may be the index's fault, not the
 * code's, and whether asking again later can help. Pure.
 */

/** The index as one answer saw it. */
export interface IndexNote {
    /** 0..1: files through the keyword stage, of the files to index. */
    coverage: number;
    /** 0..1: indexed chunks that have a vector (what the meaning side of search sees). */
    semanticCoverage: number;
    /** The stage a run in this process (or another) is in; undefined when nothing is running. */
    running?: "keyword" | "semantic";
    /** Another process is writing the index; this answer reads what it has stored so far. */
    readOnly?: boolean;
}

const pct = (x: number) => `${Math.floor(Math.min(1, Math.max(0, x)) * 100)}%`;

/** "Index: ..." - the coverage line of an answer. */
export function describeIndex(n: IndexNote): string {
    const parts: string[] = [];
    if (n.coverage < 1) {
        parts.push(`Index: still being built; keyword stage at ${pct(n.coverage)} of files, so results cover only the files indexed so far (ask again shortly for more)`);
    } else if (n.semanticCoverage < 1) {
        const running = n.running === "semantic" || n.readOnly ? "; the semantic stage is still running" : "";
        parts.push(`Index: keyword search covers every file; meaning search covers ${pct(n.semanticCoverage)} of it${running}, so results lean on keywords for now`);
    } else {
        parts.push("Index: complete (keyword and meaning)");
    }
    if (n.readOnly) parts.push("another Seek process is updating it; this answer reads what it has stored");
    return `${parts.join("; ")}.`;
}
