#!/usr/bin/env node
// Runs every compiled unit test (out/test/unit/**/*.test.js) with node's test runner.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith(".test.js") ? [join(dir, e.name)] : [],
    );
}
const filter = process.argv.slice(2);
const files = find("out/test/unit").filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
if (files.length === 0) {
    console.error("no unit tests found under out/test/unit");
    process.exit(1);
}
const res = spawnSync(process.execPath, ["--test", "--test-concurrency=1", ...files], {
    stdio: "inherit",
    env: { ...process.env, ORT_DISABLE_TELEMETRY: "1" },
});
process.exit(res.status ?? 1);
