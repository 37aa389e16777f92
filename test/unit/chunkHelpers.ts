/** Shared helpers for the chunker tests: fixtures, lookups and the invariants every chunking must satisfy. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { estimateTokens } from "../../src/core/chunk/index";
import type { Chunk } from "../../src/core/types";

export const fixtureDir = resolve(__dirname, "..", "..", "..", "test", "fixtures", "chunk");
export const workspaceDir = resolve(__dirname, "..", "..", "..", "test", "fixtures", "workspace");

export function fixture(name: string): string {
    return readFileSync(join(fixtureDir, name), "utf8");
}

/** The chunk whose symbol is exactly `symbol` (or lists it among merged symbols); fails when there is none. */
export function bySymbol(chunks: Chunk[], symbol: string): Chunk {
    const exact = chunks.find((c) => c.symbol === symbol);
    const listed = chunks.find((c) => c.symbol?.split(", ").includes(symbol));
    const found = exact ?? listed;
    assert.ok(
        found,
        `no chunk for ${symbol}; got ${chunks.map((c) => `${c.startLine}-${c.endLine} ${c.symbol}`).join(" | ")}`,
    );
    return found;
}

/** [startLine, endLine, symbolKind] of the chunk for a symbol. */
export function rangeOf(chunks: Chunk[], symbol: string): [number, number, string | undefined] {
    const c = bySymbol(chunks, symbol);
    return [c.startLine, c.endLine, c.symbolKind];
}

/**
 * Invariants of any chunking: chunks in line order, each within the budget (estimated), text equal to its lines
 * (or a slice of its single line when that line was cut by characters), and every non-blank line covered.
 */
export function assertWellFormed(text: string, chunks: Chunk[], maxTokens: number): void {
    const lines = text.split(/\r?\n/);
    const covered = new Set<number>();
    let prevStart = 0;
    for (const c of chunks) {
        assert.ok(
            c.startLine >= 1 && c.endLine >= c.startLine && c.endLine <= lines.length,
            `bad range ${c.startLine}-${c.endLine}`,
        );
        assert.ok(c.startLine >= prevStart, `out of order at ${c.startLine}`);
        prevStart = c.startLine;
        const expected = lines.slice(c.startLine - 1, c.endLine).join("\n");
        if (c.text !== expected) {
            assert.equal(
                c.startLine,
                c.endLine,
                `text of ${c.startLine}-${c.endLine} differs from its lines`,
            );
            assert.ok(
                expected.includes(c.text),
                `piece of line ${c.startLine} is not a slice of it`,
            );
        }
        assert.ok(
            estimateTokens(c.text) <= maxTokens,
            `chunk ${c.startLine}-${c.endLine} has ${estimateTokens(c.text)} > ${maxTokens} tokens`,
        );
        assert.ok(c.text.trim() !== "", `blank chunk at ${c.startLine}`);
        for (let l = c.startLine; l <= c.endLine; l++) covered.add(l);
    }
    lines.forEach((l, i) => {
        if (l.trim() !== "")
            assert.ok(
                covered.has(i + 1),
                `line ${i + 1} is in no chunk: ${JSON.stringify(l.slice(0, 60))}`,
            );
    });
}
