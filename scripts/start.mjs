// `npm start [folder]`: opens Seek in a real VS Code on `folder` (default: the sample workspace).
// Desktop VS Code with --extensionDevelopmentPath when `code` is on the PATH; otherwise code-server on 127.0.0.1
// (installed by `scripts/e2e/setup.sh --for start` into .e2e/, which says what it installs first and never installs
// Chromium, which only the tests need) with the extension loaded from this repository, and the URL printed.
// Its profile (.e2e/start/) persists, so the index survives restarts. SEEK_START_CODE_SERVER=1 forces code-server;
// PORT picks the port; --no-build skips the (incremental) build.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import * as cs from "./e2e/codeServer.mjs";
import { ensureBundle } from "./e2e/build.mjs";

const args = process.argv.slice(2);
const folder = resolve(args.find((a) => !a.startsWith("--")) ?? cs.FIXTURE_WORKSPACE);
if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    console.error(`npm start: ${folder} is not a folder`);
    process.exit(2);
}
try {
    if (!args.includes("--no-build")) ensureBundle();
} catch (err) {
    console.error(`npm start: ${err.message}`);
    process.exit(1);
}

const hasCode = spawnSync("sh", ["-c", "command -v code"], { encoding: "utf8" }).status === 0;
if (hasCode && process.env.SEEK_START_CODE_SERVER !== "1") {
    console.log(`Opening desktop VS Code: code --extensionDevelopmentPath=${cs.REPO} ${folder}`);
    const r = spawnSync("code", [`--extensionDevelopmentPath=${cs.REPO}`, folder], { stdio: "inherit" });
    process.exit(r.status ?? 1);
}

try {
    cs.ensureSetup("start");
} catch (err) {
    // setup.sh has already said what went wrong and what to do; a stack trace would only bury that.
    process.exit(err.exitCode === cs.SETUP_NEEDS_USER ? cs.SETUP_NEEDS_USER : 1);
}
const profile = join(cs.E2E_DIR, "start");
const userDataDir = join(profile, "user-data");
if (!existsSync(join(userDataDir, "User/settings.json"))) cs.writeUserSettings(userDataDir);
const server = await cs.startCodeServer({
    workspace: folder,
    userDataDir,
    extensionsDir: join(profile, "extensions"),
    env: cs.isolatedEnv(profile),
    logFile: join(profile, "code-server.log"),
    port: process.env.PORT ? +process.env.PORT : undefined,
});
const url = cs.workbenchUrl(server.url, folder, [["extensionDevelopmentPath", cs.REPO]]);
console.log(`\nSeek is running in code-server (VS Code in the browser). Open:\n\n  ${url}\n`);
console.log(`Log: ${server.logFile}. Press Ctrl+C to stop.`);
const { code, signal } = await server.done;
console.error(`code-server exited (${signal ?? code}); see ${server.logFile}`);
process.exit(1);
