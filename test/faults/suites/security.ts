/**
 * Security and privacy: Seek works without a network (in a network namespace with no interfaces), never tries to
 * open a socket (every socket API made to throw and record), leaves no onnxruntime telemetry in $HOME, and keeps
 * secrets (.env*, keys, certificates) out of the index, the logs and the database file.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crashSigns, describe, parseHits, parseSkips, seek } from "../lib/cli";
import { marker, write, writeGood } from "../lib/corpus";
import { defaultModelId, libDir, modelsDir, removeDir, repoRoot, tempDir, type Scale } from "../lib/env";
import { indexedPaths, readSnapshot } from "../lib/indexDb";
import type { Tally } from "../lib/tally";

const TELEMETRY_DIR = join(".cache", "Microsoft", "DeveloperTools", ".onnxruntime");

function fixtureCopy(work: string): string {
    const root = join(work, "ws");
    cpSync(join(repoRoot, "test", "fixtures", "workspace"), root, { recursive: true });
    return root;
}

function filesUnder(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? "", e.name));
}

/** Environment without the telemetry switch, so the test proves Seek sets it itself. */
function envWithHome(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, ".cache"), ...extra };
    delete env.ORT_DISABLE_TELEMETRY;
    // onnxruntime also stays quiet when it sees a CI environment (checked: CI=true -> no file), which would make the
    // control write nothing and the check vacuous under CI; run as a user's machine would.
    for (const v of ["CI", "CONTINUOUS_INTEGRATION", "GITHUB_ACTIONS", "BUILD_NUMBER", "TF_BUILD", "RUN_ID"]) delete env[v];
    return env;
}

export function defineSecuritySuite(scale: Scale, tally: Tally): void {
    tally.test(`no network: \`seek index\` + \`seek search\`${scale.name === "full" ? " + `seek similar`" : ""} work inside \`unshare -n\` (no interfaces)`, async () => {
        assert.equal(process.getuid?.(), 0, "unshare -n needs root here; this test must not pass without running");
        const probe = spawnSync("unshare", ["-n", "cat", "/proc/net/dev"], { encoding: "utf8" });
        assert.equal(probe.status, 0, `unshare -n unavailable: ${probe.stderr}`);
        assert.ok(!/eth|ens|wlan/.test(probe.stdout), "the namespace still has network interfaces");
        const work = tempDir("nonet");
        try {
            const root = fixtureCopy(work);
            const indexDir = join(work, "index");
            const wrapper = ["unshare", "-n"];
            const idx = await seek(["index", root, "--json", "--index-dir", indexDir], { wrapper });
            assert.equal(idx.code, 0, describe(idx));
            const s = await seek(["search", root, "where do we retry failed uploads?", "--json", "--index-dir", indexDir], { wrapper });
            assert.equal(s.code, 0, describe(s));
            assert.ok(parseHits(s).some((h) => h.path === "src/upload/retry.ts"), s.stdout);
            tally.trial(2);
            if (scale.name === "full") {
                const sim = await seek(["similar", root, "src/upload/retry.ts:15", "--json", "--index-dir", indexDir], { wrapper });
                assert.equal(sim.code, 0, describe(sim));
                tally.trial();
            }
        } finally {
            removeDir(work);
        }
    });

    tally.test("no socket is ever opened: every socket API throws and records (preload in NODE_OPTIONS, workers included)", async () => {
        const work = tempDir("nosocket");
        try {
            const preload = join(libDir, "noNetwork.js");
            const log = join(work, "net.log");
            const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(), SEEK_NET_LOG: log };
            // Control: the preload must catch a real attempt, or this test proves nothing.
            const control = spawnSync(
                process.execPath,
                ["-e", "try { require('net').connect(9, '127.0.0.1') } catch {} ; try { fetch('http://127.0.0.1:9') } catch {} ; new (require('worker_threads').Worker)(\"try { require('https').get('https://example.com') } catch {}\", { eval: true })"],
                { env, encoding: "utf8" },
            );
            assert.equal(control.status, 0, control.stderr);
            const caught = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
            assert.ok(caught.length >= 3, `the preload missed attempts in the control run: ${caught.length}`);
            writeFileSync(log, "");
            const root = fixtureCopy(work);
            const indexDir = join(work, "index");
            const runs = [
                ["index", root, "--json", "--verbose"],
                ["search", root, "retry failed uploads", "--json"],
                ["similar", root, "src/upload/retry.ts:15", "--json"],
            ];
            if (scale.name === "full") runs.push(["search", root, "proxy settings", "--json", "--mode", "vector", "--task", "docs"], ["status", root, "--json"]);
            for (const args of runs) {
                const r = await seek([...args, "--index-dir", indexDir], { env });
                tally.trial();
                assert.equal(r.code, 0, `${args[0]}: ${describe(r)}`);
            }
            const attempts = readFileSync(log, "utf8").trim();
            assert.equal(attempts, "", `socket attempts recorded:\n${attempts}`);
        } finally {
            removeDir(work);
        }
    });

    tally.test("onnxruntime telemetry: nothing under $HOME/.cache/Microsoft/DeveloperTools/.onnxruntime after indexing (CLI and core API)", async () => {
        const work = tempDir("telemetry");
        try {
            // Control: raw onnxruntime without the switch writes there, so an empty dir below means Seek prevented it.
            const controlHome = join(work, "home-control");
            mkdirSync(controlHome);
            const ortScript = `require(${JSON.stringify(join(repoRoot, "node_modules", "onnxruntime-node"))}).InferenceSession.create(${JSON.stringify(join(modelsDir, defaultModelId, "model.onnx"))}).then(() => console.log("ok"))`;
            const control = spawnSync(process.execPath, ["-e", ortScript], { env: envWithHome(controlHome), encoding: "utf8" });
            assert.equal(control.status, 0, control.stderr);
            const controlFiles = filesUnder(join(controlHome, TELEMETRY_DIR));
            tally.note(`telemetry control (raw onnxruntime, no ORT_DISABLE_TELEMETRY): ${controlFiles.length} files written`);
            const root = fixtureCopy(work);
            const home = join(work, "home-cli");
            mkdirSync(home);
            const r = await seek(["index", root, "--json", "--index-dir", join(work, "index-cli")], { env: envWithHome(home) });
            assert.equal(r.code, 0, describe(r));
            assert.deepEqual(filesUnder(join(home, TELEMETRY_DIR)), [], "the CLI left onnxruntime telemetry in $HOME");
            // The extension's engine process uses the core API directly, not the CLI entry.
            const apiHome = join(work, "home-api");
            mkdirSync(apiHome);
            const child = spawnSync(process.execPath, [join(libDir, "engineChild.js"), "index", root, join(work, "index-api")], {
                env: envWithHome(apiHome),
                encoding: "utf8",
                timeout: 300_000,
            });
            assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
            assert.deepEqual(filesUnder(join(apiHome, TELEMETRY_DIR)), [], "SeekEngine (core API) left onnxruntime telemetry in $HOME");
            assert.ok(controlFiles.length > 0, "control wrote no telemetry: this onnxruntime build may not record it, so the check above cannot fail");
            tally.trial(2);
        } finally {
            removeDir(work);
        }
    });

    tally.test("secrets (.env*, keys, certificates, credentials) are never indexed and never appear in logs or the database file", async () => {
        const work = tempDir("secrets");
        try {
            const root = join(work, "ws");
            const secret = (n: string) => `${marker(`secret${n}`)}s3cr3tvalue`;
            const files: Record<string, string> = {
                ".env": `API_TOKEN=${secret("a")}\n`,
                ".env.local": `DB_PASSWORD=${secret("b")}\n`,
                ".env.production": `STRIPE_KEY=${secret("c")}\n`,
                "config/server.pem": `-----BEGIN CERTIFICATE-----\n${secret("d")}\n-----END CERTIFICATE-----\n`,
                "config/private.key": `-----BEGIN PRIVATE KEY-----\n${secret("e")}\n-----END PRIVATE KEY-----\n`,
                "deploy/id_rsa": `-----BEGIN OPENSSH PRIVATE KEY-----\n${secret("f")}\n-----END OPENSSH PRIVATE KEY-----\n`,
                "deploy/id_ed25519": `-----BEGIN OPENSSH PRIVATE KEY-----\n${secret("g")}\n`,
                ".ssh/config": `Host prod\n  IdentityFile ${secret("h")}\n`,
                ".npmrc": `//registry.npmjs.org/:_authToken=${secret("i")}\n`,
                "credentials.json": `{"client_secret": "${secret("j")}"}\n`,
                "sub/.env": `NESTED=${secret("k")}\n`,
            };
            for (const [rel, content] of Object.entries(files)) write(root, rel, content);
            // A .gitignore that tries to re-include secrets must not win.
            write(root, ".gitignore", "!.env\n!*.pem\n!*.key\n");
            const good = writeGood(root, "src/app.ts", "secretsgood");
            const indexDir = join(work, "index");
            const r = await seek(["index", root, "--json", "--verbose", "--index-dir", indexDir]);
            assert.equal(r.code, 0, describe(r));
            assert.deepEqual(crashSigns(r.stderr), []);
            tally.input(Object.keys(files).length);
            const values = Object.keys(files).map((_, i) => secret("abcdefghijk"[i]));
            for (const v of values) {
                assert.ok(!r.stderr.includes(v) && !r.stdout.includes(v), `secret ${v} printed in the --verbose log`);
            }
            const snap = readSnapshot(indexDir);
            const indexed = indexedPaths(snap);
            for (const rel of Object.keys(files)) assert.ok(!indexed.has(rel), `${rel} was indexed`);
            const skips = parseSkips(r.stderr);
            for (const rel of Object.keys(files).filter((p) => !p.startsWith(".ssh/"))) {
                const k = skips.find((s) => s.path === rel);
                assert.equal(k?.reason, "secret", `${rel}: expected a secret skip, got ${JSON.stringify(k)}`);
            }
            assert.equal(skips.find((s) => s.path === ".ssh/" || s.path === ".ssh")?.reason, "secret", "the .ssh directory was not skipped as secret");
            // The raw database bytes (including the full-text index, which stores lower-cased tokens).
            for (const name of readdirSync(indexDir)) {
                const p = join(indexDir, name);
                if (!statSync(p).isFile()) continue;
                const bytes = readFileSync(p).toString("latin1").toLowerCase();
                for (const v of values) assert.ok(!bytes.includes(v.slice(0, 14)), `secret ${v} found in ${name}`);
            }
            for (const v of values.slice(0, scale.name === "full" ? 3 : 1)) {
                const s = await seek(["search", root, v, "--json", "--mode", "lexical", "--verbose", "--index-dir", indexDir]);
                assert.equal(s.code, 0, describe(s));
                assert.deepEqual(parseHits(s), [], `lexical search for ${v} found something`);
            }
            const g = await seek(["search", root, good.marker, "--json", "--mode", "lexical", "--index-dir", indexDir]);
            assert.ok(parseHits(g).some((h) => h.path === good.path), "the good file next to the secrets is not searchable");
            tally.trial();
        } finally {
            removeDir(work);
        }
    });
}
