/**
 * VS Code side of bench/speed/firstResult.mjs: a cold code-server (fresh HOME/XDG dirs, user-data, extensions and
 * Chromium profile, so no index and no embedding cache), Seek loaded from a build folder through the workbench URL's
 * extensionDevelopmentPath payload (scripts/e2e/codeServer.mjs, test/e2e/workbench.mjs; the same way
 * `npm run test:integration` loads it), driven through the Seek sidebar like a user.
 *
 * Time points, all from the moment the browser is sent to the folder's workbench URL (t = 0):
 *  - workbenchMs: the Explorer lists the folder;
 *  - keywordDoneMs: the extension's state (seek._testState, written to SEEK_TEST_STATE_FILE) first says the keyword
 *    stage covers every file (coverage 1, stage semantic or idle);
 *  - firstResultMs: the sidebar shows ranked rows whose answer covered the whole folder (the host's last answer for
 *    the query had coverage 1, the summary shows "N results", rows rendered). The query is typed as soon as the
 *    sidebar has rendered, and sent again (Enter) whenever its answer covered less than the whole folder;
 *  - fullIndexMs (optional): phase idle with semantic coverage 1.
 * The state file is written at most every 200 ms (WRITE_THROTTLE_MS) and polled every 50 ms, so keywordDoneMs is
 * late by up to ~250 ms; firstResultMs is read off the page itself.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import * as cs from "../../scripts/e2e/codeServer.mjs";
import { launchBrowser, until, webviewFrame } from "../../test/e2e/workbench.mjs";

const readJson = (file) => {
    try {
        return JSON.parse(readFileSync(file, "utf8"));
    } catch {
        return null; // not written yet, or caught mid-rename
    }
};

/** VmHWM (peak RSS, MiB) of a live process, from /proc. */
export function peakRssMiB(pid) {
    try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) / 1024 : undefined;
    } catch {
        return undefined;
    }
}

/** Bytes under a directory (the embedding cache's size on disk). */
export function duBytes(dir) {
    if (!existsSync(dir)) return 0;
    let n = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        n += e.isDirectory() ? duBytes(p) : statSync(p).size;
    }
    return n;
}

/** Milestones of Seek's own log (Output > Seek), in ms since `t0Epoch`: activation, engine start, keyword stage. */
function seekLogTimeline(userDataDir, t0Epoch) {
    const logs = [];
    const visit = (d) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
            if (e.isDirectory()) visit(join(d, e.name));
            else if (e.name === "Seek.log") logs.push(join(d, e.name));
        }
    };
    try {
        visit(join(userDataDir, "logs"));
    } catch {
        return [];
    }
    const wanted = /activating|engine process started|starting inference worker|keyword stage done|index run done|startup run finished/;
    return logs.flatMap((f) => readFileSync(f, "utf8").split("\n").filter((l) => wanted.test(l)).map((l) => {
        const at = new Date(l.slice(0, 23).replace(" ", "T")).getTime() - t0Epoch;
        return `${at} ms ${l.slice(24, 200)}`;
    }));
}

/** A query with no answer after this long is sent again (the host answers in well under this once it is open). */
const RESEND_AFTER_MS = 5000;

const keywordDone = (s) => {
    const x = s?.summary;
    return x && x.filesTotal > 0 && x.coverage === 1 && (x.stage === "semantic" || x.phase === "idle");
};
const fullyIndexed = (s) => s?.summary?.phase === "idle" && s.summary.semanticCoverage === 1;

/** The sidebar's webview frame once results.js has rendered (query box plus welcome text, rows or banner). */
function sidebarFrame(page) {
    return webviewFrame(page, async (f) => (await f.locator("#query").count()) === 1 &&
        (await f.locator("#empty:not([hidden]), #results > li, #banner:not([hidden])").count()) > 0, "the Seek sidebar webview", 120000);
}

/** Shows the Seek view container (its activity-bar icon). */
async function showSeekSidebar(page) {
    const item = page.locator(".activitybar .action-item", { has: page.locator("a[aria-label^='Seek']") }).first();
    await item.waitFor({ timeout: 60000 });
    if (!(await item.evaluate((e) => e.classList.contains("checked")))) await item.locator("a").click();
}

/**
 * Types `query` into the sidebar and waits until it shows rows answered over the whole folder; re-sends the query
 * when an answer covered less. Calls `tick` on every poll (the keyword-stage watch). Returns what was shown.
 */
async function searchUntilWholeFolder(page, stateFile, query, tick, timeoutMs, mark) {
    const frame = await sidebarFrame(page);
    mark("sidebar rendered");
    const input = frame.locator("#query");
    let sentSeq = -1;
    let sends = 0;
    let seenSeq = -1;
    let sentAt = 0;
    const send = async () => {
        sentSeq = readJson(stateFile)?.lastResults?.seq ?? 0;
        sentAt = Date.now();
        sends++;
        await input.fill(query);
        await input.press("Enter");
        mark(`query sent (#${sends})`);
    };
    await send();
    return until(async () => {
        tick();
        const last = readJson(stateFile)?.lastResults;
        if (last && last.seq !== seenSeq) {
            seenSeq = last.seq;
            mark(`answer seq ${last.seq}: ${last.hits.length} hits, coverage ${last.coverage}, semantic ${last.semanticCoverage?.toFixed(3)}, host ${last.elapsedMs} ms, query ${last.query === query ? "ours" : JSON.stringify(last.query)}`);
        }
        if (last?.query !== query || last.seq <= sentSeq) {
            // Not answered yet. A key pressed before results.js listened would be lost: press Enter again, as a user would.
            if (Date.now() - sentAt > RESEND_AFTER_MS) await send();
            return null;
        }
        if (last.coverage < 1) {
            if (keywordDone(readJson(stateFile))) await send(); // the index now covers more than that answer did
            return null;
        }
        if (!last.hits.length) return null;
        const summary = ((await frame.locator("#summary").textContent()) ?? "").trim();
        const rows = await frame.locator("#results > li.hit").count();
        if (!/^\d+ results?\b/.test(summary) || rows === 0) return null;
        return { summary, rows, sends, top: last.hits.slice(0, 3).map((h) => `${h.path}:${h.startLine}`), semanticCoverage: last.semanticCoverage, hostElapsedMs: last.elapsedMs };
    }, `rows over the whole folder for "${query}"`, timeoutMs, 50);
}

/**
 * One cold VS Code measurement of `folder`. With `fullIndexTimeoutMs`, also waits for the semantic stage to finish
 * and leaves code-server running for `afterFullIndex(runInfo)` (the shared-cache CLI check), then stops it.
 * @param {{ folder:string, query:string, build:string, runRoot:string, firstResultTimeoutMs?:number, fullIndexTimeoutMs?:number, afterFullIndex?:(info:object)=>Promise<object> }} o
 */
export async function vscodeCold(o) {
    const runDir = join(o.runRoot, `vscode-${Date.now()}`);
    mkdirSync(runDir, { recursive: true });
    const userDataDir = join(runDir, "user-data");
    const stateFile = join(runDir, "state.json");
    cs.writeUserSettings(userDataDir);
    const env = cs.isolatedEnv(runDir, { SEEK_TEST_STATE_FILE: stateFile });
    const out = { folder: o.folder, query: o.query, runDir, embeddingCacheDir: join(env.XDG_CACHE_HOME, "seek", "embeddings") };
    const tServer = Date.now();
    const server = await cs.startCodeServer({ workspace: o.folder, userDataDir, extensionsDir: join(runDir, "extensions"), env, logFile: join(runDir, "code-server.log") });
    out.codeServerUpMs = Date.now() - tServer;
    let ctx;
    try {
        ctx = await launchBrowser(join(runDir, "chromium"));
        const page = ctx.pages()[0] ?? (await ctx.newPage());
        const url = cs.workbenchUrl(server.url, o.folder, [["extensionDevelopmentPath", o.build], ["skipWelcome", "true"]]);
        const t0 = performance.now();
        const at = () => Math.round(performance.now() - t0);
        out.timeline = [];
        const mark = (what) => out.timeline.push(`${at()} ms ${what}`);
        let phase = "";
        const tick = () => {
            const s = readJson(stateFile);
            const p = s?.summary ? `${s.summary.phase}/${s.summary.stage ?? "-"} files ${s.summary.filesDone}/${s.summary.filesTotal}` : "";
            if (p && p.replace(/files \d+/, "") !== phase.replace(/files \d+/, "")) mark(`state ${p}`);
            if (p) phase = p;
            if (out.keywordDoneMs === undefined && keywordDone(s)) out.keywordDoneMs = at();
        };
        const ticker = setInterval(tick, 50).unref();
        out.gotoEpochMs = Date.now();
        await page.goto(url);
        await page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: 120000 });
        out.workbenchMs = at();
        mark("workbench (Explorer lists the folder)");
        await showSeekSidebar(page);
        mark("Seek sidebar clicked");
        out.shown = await searchUntilWholeFolder(page, stateFile, o.query, tick, o.firstResultTimeoutMs ?? 600000, mark);
        out.firstResultMs = at();
        out.loadAtFirstResult = loadavg().map((x) => x.toFixed(2)).join(" ");
        tick();
        const s = readJson(stateFile);
        Object.assign(out, { files: s?.summary?.filesTotal, chunks: s?.summary?.chunksTotal, enginePid: s?.enginePid });
        out.enginePeakRssAtFirstResultMiB = peakRssMiB(s?.enginePid);
        if (o.fullIndexTimeoutMs) {
            await until(async () => (tick(), fullyIndexed(readJson(stateFile))), "the semantic stage to finish", o.fullIndexTimeoutMs, 500);
            out.fullIndexMs = at();
            const done = readJson(stateFile);
            out.chunks = done?.summary?.chunksTotal;
            out.enginePeakRssMiB = peakRssMiB(done?.enginePid);
            out.embeddingCacheBytes = duBytes(out.embeddingCacheDir);
            if (o.afterFullIndex) out.sharedCache = await o.afterFullIndex({ ...out, env });
        }
        clearInterval(ticker);
        out.extensionLog = seekLogTimeline(userDataDir, out.gotoEpochMs);
        return out;
    } finally {
        await ctx?.close().catch(() => {});
        await server.stop();
    }
}
