// `npm run test:integration [-- <suite.js>]`: runs the extension's mocha suite (a module exporting the standard
// `run()`) INSIDE a real VS Code extension host: code-server's, with the extension loaded from this repository.
//
// The workbench URL's `payload` carries extensionDevelopmentPath + extensionTestsPath (code-server refuses them on
// its command line), and the web workbench reports the suite's output and result through window.codeAutomationLog /
// window.codeAutomationExit, which Playwright exposes: the same hooks @vscode/test-web uses. The exit code is the
// suite's result. On desktop VS Code the same suite runs with @vscode/test-cli (test/vscode-test.mjs).
//
// Options: --no-setup (scripts/e2e/setup.sh already ran), --no-build. Env: SEEK_INTEGRATION_SUITE (suite module),
// SEEK_INTEGRATION_WORKSPACE (folder to copy and open; default test/fixtures/workspace),
// SEEK_EXTHOST_TIMEOUT_MS (default 600000).
// A throwaway PostgreSQL + pgvector (scripts/pgserver.mjs) runs beside code-server for the team index suite
// (test/integration/teamIndex.test.ts): its URL, data folder and port reach the extension host as SEEK_TEST_PG_URL,
// SEEK_TEST_PG_DIR and SEEK_TEST_PG_PORT (the suite stops and restarts it), or SEEK_TEST_PG_ERROR when it could not
// start; it is destroyed with the run. The suite's team index password (SEEK_TEST_TEAM_PASSWORD, random per run)
// must appear in no log of the run: the runner checks every file under the user-data logs and code-server's log.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as cs from "../../scripts/e2e/codeServer.mjs";
import { ensureBundle, ensureCompiledTests } from "../../scripts/e2e/build.mjs";
import { startPgServer } from "../../scripts/pgserver.mjs";
import { launchBrowser } from "./workbench.mjs";

const SUITE_CANDIDATES = ["out/test/integration/index.js", "dist/test/integration/index.js", "out/test/integration/suite/index.js"];
const RESULTS = join(cs.REPO, "test-results");
/** The workbench's own start-up chatter, which the automation log also receives; everything else is printed. */
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin|\[Service Worker\]|ChatSessionStore|Updating additional builtin)/;

function suitePath(args) {
    const explicit = args.find((a) => !a.startsWith("--")) ?? process.env.SEEK_INTEGRATION_SUITE;
    if (explicit) return resolve(explicit);
    // Before the first build the output does not exist yet: pick the candidate whose source exists.
    for (const c of SUITE_CANDIDATES) {
        if (existsSync(join(cs.REPO, c))) return join(cs.REPO, c);
        const src = c.replace(/^(out|dist)\//, "").replace(/\.js$/, ".ts");
        if (c.startsWith("out/") && existsSync(join(cs.REPO, src))) return join(cs.REPO, c);
    }
    throw new Error(`no integration suite found (looked for ${SUITE_CANDIDATES.join(", ")} and their .ts sources)`);
}

/** The newest extension-host log under the user-data dir, for failure reports. */
function exthostLog(userDataDir) {
    const found = [];
    const visit = (d) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
            const p = join(d, e.name);
            if (e.isDirectory()) visit(p);
            else if (/exthost.*\.log$|remoteexthost.*\.log$/i.test(e.name)) found.push(p);
        }
    };
    try {
        visit(join(userDataDir, "logs"));
    } catch {
        return undefined;
    }
    return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/**
 * Runs the suite once; resolves to the suite's exit code (0 = all passed).
 * @param {{ args?: string[], setup?: boolean, build?: boolean }} opts
 */
export async function runIntegration({ args = [], setup = true, build = true } = {}) {
    const t0 = Date.now();
    if (setup) cs.ensureSetup();
    const suite = suitePath(args);
    if (build) {
        ensureBundle();
        if (suite.startsWith(join(cs.REPO, "out") + "/")) ensureCompiledTests(suite);
    }
    if (!existsSync(suite)) throw new Error(`integration suite ${suite} does not exist`);
    const runDir = cs.makeRunDir("integration");
    const workspace = cs.copyWorkspace(runDir, process.env.SEEK_INTEGRATION_WORKSPACE ?? cs.FIXTURE_WORKSPACE);
    const userDataDir = join(runDir, "user-data");
    cs.writeUserSettings(userDataDir);
    const pg = await startTestPg();
    const env = cs.isolatedEnv(runDir, { SEEK_TEST_STATE_FILE: join(runDir, "state.json"), ...pg.env });
    const server = await cs.startCodeServer({
        workspace, userDataDir, extensionsDir: join(runDir, "extensions"), env, logFile: join(runDir, "code-server.log"),
    }).catch(async (err) => {
        await pg.server?.destroy();
        throw err;
    });
    console.log(`[integration] code-server ${server.url} up after ${cs.since(t0)} ms; suite ${suite}; run dir ${runDir}`);
    let ctx;
    try {
        ctx = await launchBrowser(join(runDir, "chromium"));
        const page = ctx.pages()[0] ?? (await ctx.newPage());
        let resolveExit;
        const exited = new Promise((r) => (resolveExit = r));
        await page.exposeFunction("codeAutomationLog", (_type, logArgs = []) => {
            if (!WORKBENCH_NOISE.test(String(logArgs[0] ?? ""))) console.log(...logArgs);
        });
        await page.exposeFunction("codeAutomationExit", (code) => resolveExit(code));
        const payload = [["extensionDevelopmentPath", cs.REPO], ["extensionTestsPath", suite], ["skipWelcome", "true"]];
        await page.goto(cs.workbenchUrl(server.url, workspace, payload));
        const timeoutMs = +(process.env.SEEK_EXTHOST_TIMEOUT_MS ?? 600000);
        const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), timeoutMs))]);
        console.log(`[integration] extension-host suite exit code: ${code} (${cs.since(t0)} ms)`);
        const leaks = filesHolding([join(userDataDir, "logs"), server.logFile], [pg.password, encodeURIComponent(pg.password)]);
        if (leaks.length > 0) {
            console.log(`[integration] the team index password appears in: ${leaks.join(", ")}`);
            return 1;
        }
        if (code !== 0) {
            mkdirSync(RESULTS, { recursive: true });
            await page.screenshot({ path: join(RESULTS, "integration-failure.png") }).catch(() => {});
            console.log(`[integration] screenshot: test-results/integration-failure.png; code-server log ${server.logFile}; ` +
                `extension host log ${exthostLog(userDataDir) ?? "(none)"}\n--- code-server log tail ---\n${cs.tail(server.logFile, 30)}`);
        }
        return code === 0 ? 0 : 1;
    } finally {
        await ctx?.close().catch(() => {});
        await server.stop();
        await pg.server?.destroy().catch((err) => console.log(`[integration] stopping PostgreSQL: ${err.message}`));
    }
}

/** The team index suite's database; a failure to start is passed on to that suite rather than failing every suite. */
async function startTestPg() {
    const t0 = Date.now();
    const password = `pw-${randomBytes(9).toString("base64url")}%@!`;
    try {
        // In the system temp folder, not the run folder: as root the server runs as `nobody`, who must reach it.
        const server = await startPgServer();
        console.log(`[integration] PostgreSQL ${server.url} up after ${cs.since(t0)} ms`);
        return { server, password, env: { SEEK_TEST_TEAM_PASSWORD: password, SEEK_TEST_PG_URL: server.url, SEEK_TEST_PG_DIR: dirname(server.dataDir), SEEK_TEST_PG_PORT: String(server.port) } };
    } catch (err) {
        console.log(`[integration] PostgreSQL did not start: ${err.message}`);
        return { server: undefined, password, env: { SEEK_TEST_PG_ERROR: String(err.message).slice(0, 500) } };
    }
}

/** Files under `paths` (files or folders) whose text contains any of `needles`. */
function filesHolding(paths, needles) {
    const found = [];
    const visit = (p) => {
        let st;
        try {
            st = statSync(p);
        } catch {
            return;
        }
        if (st.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
        else if (needles.some((n) => readFileSync(p, "latin1").includes(n))) found.push(p);
    };
    for (const p of paths) visit(p);
    return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const args = process.argv.slice(2);
    runIntegration({ args, setup: !args.includes("--no-setup"), build: !args.includes("--no-build") })
        .then((code) => process.exit(code))
        .catch((err) => {
            console.error(`[integration] ${err.stack ?? err}`);
            process.exit(2);
        });
}
