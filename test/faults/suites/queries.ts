/**
 * Hostile queries through the CLI, in every mode: empty, 10,000 characters, pure punctuation, FTS5 syntax, control
 * characters, lone surrogates. Each must give exit 0 and well-formed JSON (a usage error, exit 2, is accepted only
 * for the empty query), never a crash or an SQLite error.
 */
import assert from "node:assert/strict";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crashSigns, describe, seek } from "../lib/cli";
import { rng } from "../lib/corpus";
import { removeDir, repoRoot, tempDir, type Scale } from "../lib/env";
import type { Tally } from "../lib/tally";

function longProse(chars: number): string {
    const words = ["retry", "upload", "when", "the", "network", "fails", "and", "log", "errors", "to", "the", "console"];
    const r = rng(42);
    let s = "";
    while (s.length < chars) s += `${words[Math.floor(r() * words.length)]} `;
    return s.slice(0, chars);
}

/** The hostile queries, by name. */
export function hostileQueries(): [string, string][] {
    return [
        ["empty", ""],
        ["spaces", "   \t  "],
        ["10k prose", longProse(10_000)],
        ["10k one token", "a".repeat(10_000)],
        ["10k punctuation", "!?.,;:".repeat(1667).slice(0, 10_000)],
        ["punctuation", "!@#$%^&*()_+-=[]{};':\",./<>?\\|`~"],
        ["dots", "..."],
        ["fts quote", '"unbalanced'],
        ["fts operators", "AND OR NOT"],
        ["fts near", "NEAR(retry upload, 2)"],
        ["fts column", "text:retry path:src"],
        ["fts star", "*"],
        ["fts caret minus", "^retry -upload +x"],
        ["sql", "'; DROP TABLE chunks; --"],
        ["emoji", "🚀🔥 retry"],
        ["cjk", "アップロードを再試行する"],
        ["rtl", "مرحبا بالعالم"],
        ["combining", "z̴̢̛a̸l̵g̶o̷"],
        ["control chars", "retry\u0001\u0002\u001b[31m upload"],
        ["nul", "retry\u0000upload"],
        ["lone surrogate", "retry \ud800 upload"],
        ["newlines", "retry\nupload\r\nfails"],
    ];
}

export function defineQuerySuite(scale: Scale, tally: Tally): void {
    tally.test(`hostile queries (${scale.name}): every mode answers with exit 0 and valid JSON`, async () => {
        const work = tempDir("queries");
        try {
            const root = join(work, "ws");
            cpSync(join(repoRoot, "test", "fixtures", "workspace"), root, { recursive: true });
            const indexDir = join(work, "index");
            const built = await seek(["index", root, "--json", "--index-dir", indexDir]);
            assert.equal(built.code, 0, describe(built));
            const queries = hostileQueries();
            const file = join(work, "q.jsonl");
            writeFileSync(file, queries.map(([id, query]) => JSON.stringify({ id, query })).join("\n"));
            for (const mode of ["hybrid", "vector", "lexical"]) {
                const r = await seek(["search", root, "--queries", file, "--json", "--mode", mode, "--top", "5", "--index-dir", indexDir]);
                tally.input(queries.length);
                assert.equal(r.code, 0, `${mode}: ${describe(r)}`);
                assert.deepEqual(crashSigns(r.stderr), [], mode);
                const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; results: unknown[] });
                assert.deepEqual(rows.map((x) => x.id), queries.map(([id]) => id), `${mode}: one line per query`);
                for (const row of rows) assert.ok(Array.isArray(row.results) && row.results.length <= 5, `${mode} ${row.id}`);
            }
            // Through argv as well (no NUL possible there).
            for (const [id, query] of queries.filter(([id]) => (scale.name === "full" ? ["empty", "10k prose", "punctuation", "fts quote", "lone surrogate"] : ["empty", "10k prose"]).includes(id))) {
                const r = await seek(["search", root, query, "--json", "--index-dir", indexDir]);
                tally.input();
                const ok = r.code === 0 || (id === "empty" && r.code === 2 && r.stderr.trim().length > 0);
                assert.ok(ok, `argv ${id}: ${describe(r)}`);
                if (r.code === 0) assert.ok(Array.isArray(JSON.parse(r.stdout).results), `argv ${id}`);
                assert.deepEqual(crashSigns(r.stderr), [], `argv ${id}`);
            }
        } finally {
            removeDir(work);
        }
    });
}
