#!/usr/bin/env node
// `npm run test:faults`: builds, compiles, runs the full fault, fuzz, security and load suites (test/faults) and
// prints the summed counts (inputs tried, faults injected, trials, failures) with the measured numbers.
// Usage: node scripts/test-faults.mjs [name-filter...]   e.g. `npm run test:faults -- faults`
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function step(cmd, args, { mustPass }) {
    const res = spawnSync(cmd, args, { stdio: "inherit" });
    if (res.status !== 0) {
        console.error(`test:faults: ${cmd} ${args.join(" ")} failed`);
        if (mustPass) process.exit(res.status ?? 1);
    }
}

step(process.execPath, ["esbuild.mjs"], { mustPass: true });
// tsc emits even with type errors; the suites run on what it emitted (type errors are reported above).
step(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { mustPass: false });

const dir = "out/test/faults";
const filter = process.argv.slice(2);
const files = readdirSync(dir)
    .filter((f) => f.endsWith(".test.js"))
    .filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)))
    .map((f) => join(dir, f));
if (files.length === 0) {
    console.error(`no fault suites under ${dir}${filter.length ? ` matching ${filter.join(", ")}` : ""}`);
    process.exit(1);
}
const tallyDir = mkdtempSync(join(tmpdir(), "seek-tally-"));
const tallyFile = join(tallyDir, "tally.jsonl");
const started = Date.now();
const res = spawnSync(process.execPath, ["--test", "--test-concurrency=1", "--test-timeout=7200000", ...files], {
    stdio: "inherit",
    // ORT_DISABLE_TELEMETRY is deliberately not set here: the security suite checks that Seek sets it itself.
    env: { ...process.env, SEEK_FAULT_TALLY: tallyFile },
});
const rows = existsSync(tallyFile) ? readFileSync(tallyFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
rmSync(tallyDir, { recursive: true, force: true });
const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
console.log("\n=== Seek fault, fuzz and security suites ===");
for (const r of rows) {
    console.log(`${r.suite}: inputs tried ${r.inputs}, faults injected ${r.faults}, trials ${r.trials}, failures ${r.failures}`);
    for (const n of r.notes) console.log(`    ${n}`);
}
console.log(
    `TOTAL: inputs tried ${sum("inputs")}, faults injected ${sum("faults")}, trials ${sum("trials")}, failures ${sum("failures")}` +
        ` (${((Date.now() - started) / 60000).toFixed(1)} min; node --test exit ${res.status})`,
);
process.exit(res.status ?? 1);
