/**
 * Bad input through the real CLI: every case of lib/badInputs.ts in one mixed folder (and, in the full suite, each
 * case alone). The index must complete (exit 0) without a crash, every bad file must be skipped with a clear
 * reason in `--verbose` and counted in `--json`, and the good files next to it must stay searchable.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BAD_INPUTS, type BadInput, type CaseExpect } from "../lib/badInputs";
import { crashSigns, describe, parseIndexJson, parseSkips, seek, type CliResult, type JsonHit, type SkipLine } from "../lib/cli";
import { removeDir, tempDir, type Scale } from "../lib/env";
import { indexedPaths, readSnapshot, type IndexSnapshot } from "../lib/indexDb";
import type { Tally } from "../lib/tally";

/** The mixed corpus holds 50 MB + 5 MB files and up to 100,000 tiny ones (one chunk each, real model). */
const INDEX_TIMEOUT_MS = 90 * 60_000;

interface Built {
    id: string;
    /** Folder-relative prefix of the case ("" when the case is the whole folder). */
    prefix: string;
    expect: CaseExpect;
}

function build(root: string, cases: BadInput[], scale: Scale, mixed: boolean): Built[] {
    return cases.map((c) => {
        const prefix = mixed ? `c-${c.id}/` : "";
        const dir = join(root, prefix);
        mkdirSync(dir, { recursive: true });
        return { id: c.id, prefix, expect: c.build(dir, scale) };
    });
}

/** Runs every marker through one `seek search --queries` (lexical) call; returns hits per marker. */
async function searchMarkers(folder: string, indexDir: string, work: string, markers: string[]): Promise<Map<string, JsonHit[]>> {
    const file = join(work, `markers-${Date.now()}.jsonl`);
    writeFileSync(file, markers.map((m) => JSON.stringify({ id: m, query: m })).join("\n"));
    const r = await seek(["search", folder, "--queries", file, "--json", "--mode", "lexical", "--top", "10", "--index-dir", indexDir], { timeoutMs: INDEX_TIMEOUT_MS });
    assert.equal(r.code, 0, `marker search failed: ${describe(r)}`);
    const out = new Map<string, JsonHit[]>();
    for (const line of r.stdout.trim().split("\n")) {
        if (!line) continue;
        const row = JSON.parse(line) as { id: string; results: JsonHit[] };
        out.set(row.id, row.results);
    }
    return out;
}

/** Checks one case against the index run; returns a list of problems (empty when it behaved). */
function checkCase(b: Built, skips: SkipLine[], hits: Map<string, JsonHit[]>, snap: IndexSnapshot): string[] {
    const problems: string[] = [];
    const indexed = indexedPaths(snap);
    const full = (p: string) => b.prefix + p;
    const skipOf = (p: string) => skips.find((s) => s.path === full(p) || s.path === `${full(p)}/`);
    const found = (p: string, mark: string, line?: number) =>
        (hits.get(mark) ?? []).some((h) => h.path === full(p) && (line === undefined || (h.startLine <= line && line <= h.endLine)));
    for (const s of b.expect.skipped) {
        const k = skipOf(s.path);
        if (!k) problems.push(`${full(s.path)} was not logged as skipped (expected ${s.reasons.join("|")})`);
        else if (!s.reasons.includes(k.reason)) problems.push(`${full(s.path)} skipped as ${k.reason}, expected ${s.reasons.join("|")}`);
        if (indexed.has(full(s.path))) problems.push(`${full(s.path)} is in the index although it must be skipped`);
    }
    for (const s of b.expect.searchable) {
        if (!found(s.path, s.marker, s.line)) {
            const got = (hits.get(s.marker) ?? []).map((h) => `${h.path}:${h.startLine}-${h.endLine}`).join(", ");
            const k = skipOf(s.path);
            problems.push(`${JSON.stringify(full(s.path))} not found by ${s.marker}${s.line ? ` at line ${s.line}` : ""} (hits: ${got || "none"}${k ? `; skipped as ${k.reason} ${k.detail ?? ""}` : ""})`);
        }
    }
    for (const e of b.expect.either) {
        const k = skipOf(e.path);
        if (k) {
            if (!e.reasons.includes(k.reason)) problems.push(`${full(e.path)} skipped as ${k.reason}, expected indexed or ${e.reasons.join("|")}`);
        } else if (!found(e.path, e.marker, e.line)) {
            problems.push(`${JSON.stringify(full(e.path))} neither skipped with a reason nor found by ${e.marker}${e.line ? ` at line ${e.line}` : ""}`);
        }
    }
    for (const n of b.expect.notIndexed) {
        if (indexed.has(full(n.path))) problems.push(`${full(n.path)} must not be indexed`);
        const k = skipOf(n.path);
        if (k && !n.reasons.includes(k.reason)) problems.push(`${full(n.path)} skipped as ${k.reason}, expected ${n.reasons.join("|")}`);
    }
    for (const reason of b.expect.requireReasons) {
        if (!skips.some((s) => s.path.startsWith(b.prefix) && s.reason === reason)) problems.push(`no file of ${b.id} was skipped as ${reason}`);
    }
    for (const prefix of b.expect.absentPrefixes) {
        const bad = [...indexed].filter((p) => p.startsWith(full(prefix)));
        if (bad.length > 0) problems.push(`symlinks unrolled into the index: ${bad.slice(0, 3).join(", ")}`);
    }
    for (const p of b.expect.noChunks) {
        if (indexed.has(full(p))) problems.push(`empty file ${full(p)} has chunks`);
    }
    return problems;
}

function inputsOf(b: Built): number {
    const e = b.expect;
    return e.skipped.length + e.either.length + e.notIndexed.length + e.noChunks.length + (e.requireReasons.length > 0 ? 1 : 0);
}

/** Indexes `root` with the CLI and checks every case; returns the index run for further checks. */
async function indexAndCheck(root: string, work: string, built: Built[], tally: Tally): Promise<CliResult> {
    const indexDir = join(work, "index");
    const r = await seek(["index", root, "--json", "--verbose", "--index-dir", indexDir], { timeoutMs: INDEX_TIMEOUT_MS });
    assert.equal(r.code, 0, `index failed: ${describe(r)}`);
    assert.deepEqual(crashSigns(r.stderr), [], `crash output: ${describe(r)}`);
    const json = parseIndexJson(r);
    const skips = parseSkips(r.stderr);
    const counted = skips.filter((s) => s.reason !== "ignored").length;
    assert.equal(json.skipped, counted, `--json skipped ${json.skipped} but --verbose logged ${counted} non-ignored skips`);
    const snap = readSnapshot(indexDir);
    assert.deepEqual(snap.problems, [], "store invariants");
    const markers = built.flatMap((b) => [...b.expect.searchable, ...b.expect.either].map((s) => s.marker));
    const hits = await searchMarkers(root, indexDir, work, [...new Set(markers)]);
    const problems = built.flatMap((b) => checkCase(b, skips, hits, snap).map((p) => `[${b.id}] ${p}`));
    for (const b of built) tally.input(inputsOf(b));
    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join("\n")}`);
    return r;
}

export function defineBadInputSuite(scale: Scale, tally: Tally): void {
    tally.test(`bad input (${scale.name}): mixed folder of ${BAD_INPUTS.length} cases indexes, skips with reasons, keeps good files searchable`, async () => {
        const work = tempDir("badinput");
        try {
            const root = join(work, "ws");
            const built = build(root, BAD_INPUTS, scale, true);
            const r = await indexAndCheck(root, work, built, tally);
            tally.note(`mixed bad-input corpus indexed in ${(r.ms / 1000).toFixed(1)} s (${scale.tinyFiles} tiny files included)`);
            const hybrid = await seek(["search", root, "normalize a user supplied name before comparing", "--json", "--index-dir", join(work, "index")]);
            assert.equal(hybrid.code, 0, describe(hybrid));
            assert.ok(JSON.parse(hybrid.stdout).results.length > 0, "hybrid search over the mixed corpus returned nothing");
        } finally {
            removeDir(work);
        }
        // The full corpus embeds 100,000 files with the real model: tens of minutes on 2 cores, not the default 10.
    }, { timeout: INDEX_TIMEOUT_MS + 10 * 60_000 });

    if (scale.isolatedInputs) {
        // The tiny-files case is not a bad file; its 100,000 files are indexed once, in the mixed folder.
        for (const c of BAD_INPUTS.filter((x) => x.id !== "tiny-files")) {
            tally.test(`bad input (${scale.name}, alone): ${c.id}`, async () => {
                const work = tempDir(`bad-${c.id}`);
                try {
                    const root = join(work, "ws");
                    await indexAndCheck(root, work, build(root, [c], scale, false), tally);
                } finally {
                    removeDir(work);
                }
            });
        }
    }
}
