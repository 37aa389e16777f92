// Starts and stops an isolated code-server (a real VS Code: server + web workbench) for `npm start`,
// `npm run test:integration` and `npm run test:e2e`.
// Isolation: every run gets its own HOME/XDG dirs, user-data and extensions dirs, no extension gallery, and runs in
// its own process group, which is killed as a whole (extension hosts, the engine process and watchers outlive a
// closed page otherwise).
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const E2E_DIR = process.env.SEEK_E2E_DIR ?? join(REPO, ".e2e");
export const CODE_SERVER = join(E2E_DIR, "code-server/node_modules/.bin/code-server");
export const FIXTURE_WORKSPACE = join(REPO, "test/fixtures/workspace");

/** User settings for a quiet, offline workbench: no trust dialog, welcome page, walkthroughs, telemetry or updates. */
export const BASE_SETTINGS = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "workbench.welcomePage.walkthroughs.openOnInstall": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoUpdate": false,
    "extensions.autoCheckUpdates": false,
    "extensions.ignoreRecommendations": true,
    "git.enabled": false,
    "editor.minimap.enabled": false,
    "files.hotExit": "off",
    "window.restoreWindows": "none",
    "chat.commandCenter.enabled": false,
};

/** Milliseconds since `t0`, for step timings. */
export const since = (t0) => Date.now() - t0;

/** Exit status of scripts/e2e/setup.sh when the user has to act (it has printed what to do). */
export const SETUP_NEEDS_USER = 3;

/**
 * Runs scripts/e2e/setup.sh (idempotent: about half a second when everything is installed). `purpose` "start" sets up
 * only what `npm start` needs (code-server); "test" adds Chromium for the Playwright-driven tests.
 */
export function ensureSetup(purpose = "test") {
    const r = spawnSync("bash", [join(REPO, "scripts/e2e/setup.sh"), "--for", purpose], { stdio: "inherit" });
    if (r.status !== 0) {
        const err = new Error(`scripts/e2e/setup.sh failed (exit ${r.status})`);
        err.exitCode = r.status ?? 1;
        throw err;
    }
}

/**
 * Creates a fresh run directory under .e2e/runs/ and deletes older ones beyond `keep`,
 * so repeated runs neither share state nor fill the disk.
 */
export function makeRunDir(kind, keep = 3) {
    const runs = join(E2E_DIR, "runs");
    mkdirSync(runs, { recursive: true });
    const old = readdirSync(runs).filter((d) => d.startsWith(`${kind}-`)).sort();
    for (const d of old.slice(0, Math.max(0, old.length - keep + 1))) rmSync(join(runs, d), { recursive: true, force: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
    const dir = join(runs, `${kind}-${stamp}-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    return dir;
}

/** A writable copy of the sample workspace (tests edit files in it). */
export function copyWorkspace(runDir, from = FIXTURE_WORKSPACE) {
    const to = join(runDir, "workspace");
    cpSync(from, to, { recursive: true });
    return to;
}

/**
 * Environment for code-server and everything it starts (extension hosts inherit it): a private HOME and XDG dirs
 * (code-server and Chromium write there), no onnxruntime telemetry, no extension gallery.
 */
export function isolatedEnv(runDir, extra = {}) {
    const home = join(runDir, "home");
    for (const d of [".config", ".local/share", ".cache"]) mkdirSync(join(home, d), { recursive: true });
    return {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, ".config"),
        XDG_DATA_HOME: join(home, ".local/share"),
        XDG_CACHE_HOME: join(home, ".cache"),
        ORT_DISABLE_TELEMETRY: "1",
        EXTENSIONS_GALLERY: "{}",
        ...extra,
    };
}

/** Writes (or rewrites: the running workbench picks the change up) the user settings. */
export function writeUserSettings(userDataDir, overrides = {}) {
    const file = join(userDataDir, "User/settings.json");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...BASE_SETTINGS, ...overrides }, null, 2));
    return file;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
    return new Promise((res, rej) => {
        const s = createServer();
        s.once("error", rej);
        s.listen(0, "127.0.0.1", () => {
            const { port } = s.address();
            s.close(() => res(port));
        });
    });
}

/** `code-server --install-extension <vsix>` into the given (isolated) dirs; returns `--list-extensions` output. */
export function installExtension({ vsix, userDataDir, extensionsDir, env }) {
    const dirs = ["--user-data-dir", userDataDir, "--extensions-dir", extensionsDir];
    const r = spawnSync(CODE_SERVER, [...dirs, "--install-extension", vsix, "--force"], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`code-server --install-extension failed:\n${r.stdout}\n${r.stderr}`);
    const list = spawnSync(CODE_SERVER, [...dirs, "--list-extensions", "--show-versions"], { env, encoding: "utf8" });
    return list.stdout.trim();
}

const live = new Set();
let exitHookInstalled = false;

/** Kills every code-server process group still alive when this process exits, however it exits. */
function installExitHook() {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on("exit", () => {
        for (const pgid of live) killGroup(pgid, "SIGKILL");
    });
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
        process.once(sig, () => {
            for (const pgid of live) killGroup(pgid, "SIGKILL");
            process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1));
        });
    }
}

function killGroup(pgid, signal) {
    try {
        process.kill(-pgid, signal);
        return true;
    } catch {
        return false;
    }
}

function groupAlive(pgid) {
    try {
        process.kill(-pgid, 0);
        return true;
    } catch {
        return false;
    }
}

/** Stops a process group: SIGTERM, up to `graceMs` to exit, then SIGKILL. */
export async function stopGroup(pgid, graceMs = 3000) {
    if (!killGroup(pgid, "SIGTERM")) {
        live.delete(pgid);
        return;
    }
    const end = Date.now() + graceMs;
    while (groupAlive(pgid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    killGroup(pgid, "SIGKILL");
    live.delete(pgid);
}

/**
 * Starts code-server in its own process group on 127.0.0.1 and waits for /healthz.
 * @returns {{ url, port, pid, logFile, startedAt, stop(): Promise<void>, done: Promise<{code, signal}> }}
 */
export async function startCodeServer({ workspace, userDataDir, extensionsDir, env, logFile, port }) {
    if (!existsSync(CODE_SERVER)) throw new Error(`code-server is not installed at ${CODE_SERVER}: run bash scripts/e2e/setup.sh`);
    installExitHook();
    port ??= await freePort();
    mkdirSync(extensionsDir, { recursive: true });
    const out = openSync(logFile, "a");
    const args = [
        "--auth", "none", "--bind-addr", `127.0.0.1:${port}`,
        "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir,
        "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override",
        workspace,
    ];
    const startedAt = Date.now();
    // detached: a new session and process group (setsid), so stop() reaches every descendant by the group id.
    const child = spawn(CODE_SERVER, args, { env, detached: true, stdio: ["ignore", out, out] });
    const pid = child.pid;
    live.add(pid);
    let exited = null;
    const done = new Promise((res) => child.on("exit", (code, signal) => res((exited = { code, signal }))));
    const url = `http://127.0.0.1:${port}`;
    const stop = () => stopGroup(pid);
    for (const end = Date.now() + 30000; ; ) {
        if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${tail(logFile)}`);
        try {
            const r = await fetch(`${url}/healthz`);
            if (r.ok) break;
        } catch {
            // not listening yet
        }
        if (Date.now() > end) {
            await stop();
            throw new Error(`code-server did not answer /healthz within 30 s:\n${tail(logFile)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    return { url, port, pid, logFile, startedAt, stop, done };
}

/** The workbench URL for a folder, with optional `payload` entries (extensionDevelopmentPath, extensionTestsPath). */
export function workbenchUrl(url, folder, payload = []) {
    const host = new URL(url).host;
    const entries = payload.map(([k, v]) => [k, /Path$/.test(k) ? `vscode-remote://${host}${v}` : v]);
    const q = `folder=${encodeURIComponent(folder)}`;
    return entries.length ? `${url}/?${q}&payload=${encodeURIComponent(JSON.stringify(entries))}` : `${url}/?${q}`;
}

/** Last lines of a log file, for error messages. */
export function tail(file, lines = 40) {
    try {
        return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}
