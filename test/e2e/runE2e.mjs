// `npm run test:e2e`: Seek in a real VS Code, end to end.
//   1. scripts/e2e/setup.sh (idempotent): Debian chromium/ripgrep, code-server in .e2e/
//   2. npm run package: production build, prepackage check, VSIX (verified)
//   3. the VSIX installed into an isolated code-server (own HOME, user-data, extensions; no gallery)
//   4. Playwright UI tests (test/e2e/ui.test.mjs, node:test) against it, screenshots in test-results/screenshots/
//   5. the mocha suite inside the extension host (npm run test:integration)
// Every process started here runs in a process group that is killed at the end, whatever happens.
// Options: --no-ui, --no-integration. Timings go to test-results/e2e-timings.json.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as cs from "../../scripts/e2e/codeServer.mjs";
import { packageVsix } from "../../scripts/package.mjs";
import { runIntegration } from "./runIntegration.mjs";

const args = process.argv.slice(2);
const RESULTS = join(cs.REPO, "test-results");
const timings = {};
const t0 = Date.now();

async function step(name, fn) {
    const t = Date.now();
    console.log(`\n== [${cs.since(t0)} ms] ${name}`);
    try {
        return await fn();
    } finally {
        timings[name] = Date.now() - t;
    }
}

/** Runs the node:test UI suite in its own process group (so Chromium dies with it) and resolves to its exit code. */
function runUiTests(env) {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["--test", "--test-reporter=spec", "--test-concurrency=1", join(cs.REPO, "test/e2e/ui.test.mjs")], {
            cwd: cs.REPO, env, detached: true, stdio: "inherit",
        });
        const kill = () => cs.stopGroup(child.pid, 1000);
        process.once("exit", () => {
            try {
                process.kill(-child.pid, "SIGKILL");
            } catch {
                // already gone
            }
        });
        child.on("exit", async (code, signal) => {
            await kill(); // Chromium or a renderer that outlived the runner
            resolve(code ?? (signal ? 1 : 0));
        });
    });
}

async function uiPhase() {
    const runDir = cs.makeRunDir("e2e");
    const vsix = await step("package VSIX", () => packageVsix(["--out", join(runDir, "seek.vsix")]));
    const workspace = cs.copyWorkspace(runDir);
    const userDataDir = join(runDir, "user-data");
    const extensionsDir = join(runDir, "extensions");
    const stateFile = join(runDir, "state.json");
    const settingsFile = cs.writeUserSettings(userDataDir, { "workbench.colorTheme": "Default Dark Modern" });
    // The extension host inherits code-server's environment: the extension writes its test state there.
    const env = cs.isolatedEnv(runDir, { SEEK_TEST_STATE_FILE: stateFile });
    await step("install VSIX into code-server", () => {
        console.log(cs.installExtension({ vsix, userDataDir, extensionsDir, env }));
    });
    const server = await step("start code-server", () =>
        cs.startCodeServer({ workspace, userDataDir, extensionsDir, env, logFile: join(runDir, "code-server.log") }));
    try {
        const uiEnv = {
            ...env,
            HOME: process.env.HOME, // node --test itself is not isolated; Chromium gets its own profile dir
            CS_URL: server.url, CS_PID: String(server.pid), CS_START_MS: String(server.startedAt), WORKSPACE: workspace,
            SEEK_TEST_STATE_FILE: stateFile, SEEK_USER_SETTINGS: settingsFile, SEEK_RUN_DIR: runDir, SEEK_RESULTS_DIR: RESULTS,
            SEEK_CODE_SERVER_LOG: server.logFile,
        };
        const code = await step("UI tests (Playwright)", () => runUiTests(uiEnv));
        if (code !== 0) console.log(`[e2e] UI tests failed; code-server log: ${server.logFile}\n${cs.tail(server.logFile, 25)}`);
        return code;
    } finally {
        await server.stop();
    }
}

async function main() {
    mkdirSync(RESULTS, { recursive: true });
    await step("setup", () => cs.ensureSetup());
    let rc = 0;
    if (!args.includes("--no-ui")) rc ||= await uiPhase();
    if (!args.includes("--no-integration")) {
        const code = await step("extension-host integration tests", () => runIntegration({ setup: false }));
        rc ||= code;
    }
    timings.total = cs.since(t0);
    writeFileSync(join(RESULTS, "e2e-timings.json"), JSON.stringify(timings, null, 2));
    console.log(`\n== test:e2e ${rc === 0 ? "passed" : "FAILED"} in ${timings.total} ms: ${JSON.stringify(timings)}`);
    return rc;
}

main()
    .then((rc) => process.exit(rc))
    .catch((err) => {
        console.error(`[e2e] ${err.stack ?? err}`);
        process.exit(2);
    });
