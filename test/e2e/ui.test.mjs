// UI end-to-end tests: Seek installed from its VSIX into code-server, driven through the real workbench UI by
// Debian's headless Chromium (playwright-core). Started by test/e2e/runE2e.mjs (`npm run test:e2e`), which provides:
//   CS_URL, WORKSPACE (a writable copy of test/fixtures/workspace), SEEK_TEST_STATE_FILE (the extension writes its
//   seek._testState JSON there), SEEK_USER_SETTINGS (user settings.json; rewritten to switch themes),
//   SEEK_RESULTS_DIR (screenshots + timings), SEEK_RUN_DIR (Chromium profile).
// The tests run in order and share one workbench page, like a user session.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkIndexStatusPage, indexStatusFrame } from "./statusPage.mjs";
import {
    activeTabTitle, cursorPosition, launchBrowser, pickRow, quickInput, quickPickRows, runCommand, until, waitForWorkbench, webviewFrame,
} from "./workbench.mjs";

const env = (k) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is not set: run this through npm run test:e2e`);
    return v;
};
const CS_URL = env("CS_URL");
const WORKSPACE = env("WORKSPACE");
const STATE_FILE = env("SEEK_TEST_STATE_FILE");
const SETTINGS_FILE = env("SEEK_USER_SETTINGS");
const RESULTS = process.env.SEEK_RESULTS_DIR ?? "test-results";
const SHOTS = join(RESULTS, "screenshots");
const INDEX_TIMEOUT_MS = 240_000;
mkdirSync(SHOTS, { recursive: true });

let ctx;
let page;
const timings = {};
const consoleErrors = [];

function readState() {
    try {
        return JSON.parse(readFileSync(STATE_FILE, "utf8"));
    } catch {
        return null; // not written yet, or caught mid-write
    }
}

/** Idle, with every chunk given a vector (the semantic stage is over). */
const indexComplete = (s) => s?.summary?.phase === "idle" && s.summary.semanticCoverage === 1;

/** The sidebar's state line (media/src/banner.ts), or "" when hidden. */
async function bannerText(frame) {
    const banner = frame.locator("#banner");
    return (await banner.isHidden()) ? "" : ((await banner.textContent()) ?? "");
}

/**
 * Files per semanticStageShots: their semantic stage (~12 s on 2 cores) outlasts a search and a screenshot.
 */
const MANIFESTS = 360;

/**
 * Writes `count` near-duplicate files (unique text each, so the embedding cache cannot answer) into the workspace:
 * over the watcher's 200-path batch, so they make one full run whose semantic stage takes several seconds.
 */
function writeManifests(dir, count) {
    // Written beside the workspace and moved in at once: one new directory for the watcher, so one full run.
    const staging = join(dirname(WORKSPACE), `${dir}-staging`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (let i = 0; i < count; i++) {
        writeFileSync(join(staging, `manifest${i}.ts`), `/** Normalises shipment manifest ${i} (${dir}) for the customs export. */\n` +
            `export function normaliseManifest${i}(rows: string[]): string[] {\n` +
            `    const kept = rows.filter((r) => r.trim() !== "" && !r.startsWith("#${i}"));\n` +
            `    return kept.map((r) => r.toUpperCase() + "-${dir}-${i}");\n}\n`);
    }
    renameSync(staging, join(WORKSPACE, dir));
}

/**
 * Adds files, searches the sidebar during the semantic stage (screenshot `<name>-semantic`), then waits for the run
 * to end and for the sidebar to have re-run its rows by itself (screenshot `<name>-after`).
 */
async function semanticStageShots(dir, name) {
    const QUERY = "normalise the rows of a shipment manifest for customs";
    const filesBefore = readState()?.folders?.[0]?.files;
    await showSeekSidebar();
    writeManifests(dir, MANIFESTS);
    await until(() => readState()?.summary?.stage === "semantic", "the semantic stage (state file)", 120000, 50);
    const { frame, rows } = await searchInWebview(() => webviewIn(".part.sidebar", "the Seek sidebar webview"),
        QUERY, ".ts");
    assert.ok(rows.some((r) => r.path?.startsWith(`${dir}/`)), `the new files are found during the semantic stage: ${rows.map((r) => r.path).join(", ")}`);
    const during = await until(async () => {
        const text = await bannerText(frame);
        return /^Keyword index ready · semantic \d+%/.test(text) ? text : null;
    }, "the semantic stage in the sidebar's state line", 20000, 50);
    await shot(`${name}-semantic`);
    console.log(`# ${name} during the semantic stage: ${during}`);
    await until(() => indexComplete(readState()), "the run to finish", 120000, 250);
    // The end of the run makes the page ask once more (after a quiet second): rows computed on the whole index.
    const summary = await until(async () => {
        const last = readState()?.lastResults;
        if (last?.query !== QUERY || last.semanticCoverage !== 1) return null;
        const text = (await frame.locator("#summary").textContent()) ?? "";
        return (await bannerText(frame)) === "" && /updated as the index grew/.test(text) ? text : null;
    }, "the sidebar to re-run its rows on the whole index", 30000);
    console.log(`# ${name} after: ${summary}`);
    await shot(`${name}-after`);
    // Leave the workspace as it was: later searches must not meet these near-duplicates.
    rmSync(join(WORKSPACE, dir), { recursive: true, force: true });
    await until(() => {
        const s = readState();
        return indexComplete(s) && s.folders?.[0]?.files === filesBefore;
    }, "the index without the added files", 120000, 250);
}

/** Fingerprint of the per-folder index status (files, chunks, lastIndexedAt...): changes when a re-index lands. */
const statusKey = (s) => JSON.stringify(s?.status ?? null);

async function shot(name) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Switches the color theme the way a user does: Preferences: Color Theme, pick it by its label ("Light Modern"). */
async function setTheme(label, bodyClass) {
    await runCommand(page, "Preferences: Color Theme");
    const input = page.locator(".quick-input-widget .quick-input-box input");
    await until(async () => /theme/i.test((await input.getAttribute("placeholder")) ?? ""), "the color theme picker", 10000);
    await input.fill(label);
    await pickRow(page, label);
    await page.locator(`.monaco-workbench.${bodyClass}`).waitFor({ timeout: 20000 });
}

/**
 * The webview frame shown inside a workbench part (`.part.sidebar`, `.part.editor`). Webviews are overlays, not
 * DOM children of the part that shows them, so the match is by position: the outer <iframe>'s box inside the part's.
 */
async function webviewIn(partSelector, what, timeout = 20000) {
    return webviewFrame(page, async (f) => {
        const outer = await f.parentFrame()?.frameElement();
        const box = await outer?.boundingBox();
        const part = await page.locator(partSelector).first().boundingBox();
        if (!box || !part || box.width < 10 || box.height < 10) return false;
        const inside = box.x >= part.x - 1 && box.y >= part.y - 1 && box.x + box.width <= part.x + part.width + 1 &&
            box.y + box.height <= part.y + part.height + 1;
        // The static HTML has #query before media/dist/results.js has run; that script's first render fills the
        // query box from the saved state (wiping anything typed earlier) and shows results, the welcome text, or
        // (a folder with nothing to search) only the state banner.
        return inside && (await f.locator("#query").count()) === 1 &&
            (await f.locator("#empty:not([hidden]), #results > li, #banner:not([hidden])").count()) > 0;
    }, what, timeout);
}

/** Shows the Seek view container; clicking its activity-bar icon when it is already shown would hide it. */
async function showSeekSidebar() {
    const item = page.locator(".activitybar .action-item", { has: page.locator("a[aria-label^='Seek']") }).first();
    await item.waitFor({ timeout: 10000 });
    const shown = await item.evaluate((e) => e.classList.contains("checked"));
    const sidebarVisible = await page.locator(".part.sidebar").first().isVisible();
    if (!shown || !sidebarVisible) await item.locator("a").click();
}

/** The rendered result rows of a results webview (media/src/render.ts): path, first line, strength, aria-label. */
async function resultRows(frame) {
    const rows = await frame.locator("#results > li.hit").evaluateAll((lis) => lis.map((li) => ({
        path: li.dataset.path,
        lines: li.querySelector(".hit-lines")?.textContent ?? "",
        strength: li.querySelector(".strength-label")?.textContent ?? "",
        text: li.getAttribute("aria-label") ?? "",
    })));
    return rows.map((r) => ({ ...r, line: +(/^:(\d+)/.exec(r.lines)?.[1] ?? NaN) }));
}

/** Last line of a result row (".hit-lines" is ":11–28" or ":11"). */
const lineEnd = (r) => +(/(\d+)\s*$/.exec(r.lines)?.[1] ?? r.line);

/**
 * Types a query in a results webview and waits for its answer: the host has answered this query (state file), the
 * summary shows a result count (not "Searching…" or an earlier Find Similar), and a row mentions `expectPath`.
 * `getFrame` is called again when the query vanished from the box (a safety net: webviewIn already waits for the
 * page script's first render, which resets the box).
 */
async function searchInWebview(getFrame, query, expectPath) {
    let frame;
    for (let attempt = 1; ; attempt++) {
        frame = await getFrame();
        const input = frame.locator("#query");
        await input.fill(query);
        await input.press("Enter");
        const rows = await until(async () => {
            if (readState()?.lastResults?.query !== query) return null;
            if (!/^\d+ results?\b/.test(((await frame.locator("#summary").textContent()) ?? "").trim())) return null;
            const r = await resultRows(frame);
            return r.some((x) => x.path?.endsWith(expectPath)) ? r : null;
        }, `"${expectPath}" in the results for "${query}"`, attempt === 3 ? 30000 : 10000).catch((err) => err);
        if (!(rows instanceof Error)) return { frame, rows };
        const typed = await input.inputValue().catch(() => "(page gone)");
        if (attempt === 3 || typed === query) throw rows;
        console.log(`# the query box says ${JSON.stringify(typed)} after typing (frame detached: ${frame.isDetached()}, ` +
            `webview frames: ${page.frames().filter((f) => /fake\.html/.test(f.url())).length}); typing again`);
    }
}

/** Runs the palette search and returns the QuickPick rows once one mentions `expectPath`. */
async function paletteSearch(query, expectPath) {
    await runCommand(page, "Seek: Search by Meaning");
    await openQuickInputText(query);
    return until(async () => {
        const rows = await quickPickRows(page);
        return rows.some((r) => r.includes(expectPath)) ? rows : null;
    }, `"${expectPath}" among the QuickPick rows for "${query}"`, 30000);
}

/** Types into the QuickPick the last command opened (it is open already: no key to press). */
async function openQuickInputText(text) {
    const input = page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor({ state: "visible" });
    await until(async () => (await input.getAttribute("placeholder"))?.includes("Describe what you are looking for"), "the Seek QuickPick", 10000);
    await input.fill(text);
}

/**
 * Moves to the first QuickPick row mentioning `expectPath` (and `symbol`, when given), presses Enter, waits for the
 * QuickPick to close, and returns the line the row's label shows.
 */
async function acceptRow(rows, expectPath, symbol) {
    let index = rows.findIndex((r) => r.includes(expectPath) && (!symbol || r.includes(symbol)));
    if (index < 0) index = rows.findIndex((r) => r.includes(expectPath));
    for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
    const line = +(new RegExp(`${expectPath.replace(/[.]/g, "\\.")}:(\\d+)`).exec(rows[index])?.[1] ?? NaN);
    await page.keyboard.press("Enter");
    await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
    return { line, row: rows[index], rank: index + 1 };
}

async function expectEditorAt(fileName, line) {
    await until(async () => (await activeTabTitle(page).catch(() => "")) === fileName, `editor tab "${fileName}"`, 15000);
    const pos = await until(async () => {
        const p = await cursorPosition(page).catch(() => null);
        return p && p.line === line ? p : null;
    }, `cursor at Ln ${line} in ${fileName}`, 10000).catch(async (e) => {
        throw new Error(`${e.message}; status bar says ${JSON.stringify(await cursorPosition(page).catch(() => null))}`);
    });
    return pos;
}

const NONSENSE = "qwzx plorf blenk xyzzy";
/** Colour themes for the screenshots: label in the picker, the workbench's class for it, file name part. */
const THEMES = [["Light+", "vs", "light"], ["Dark Modern", "vs-dark", "dark"], ["Dark High Contrast", "hc-black", "hc-dark"], ["Light High Contrast", "hc-light", "hc-light"]];

/** "strong 87" from a QuickPick row's aria-label. */
const strengthIn = (row) => /\b((?:strong|good|weak) \d+)\b/.exec(row)?.[1];

/** The CLI's human output for a query over the same workspace (its own index; the embedding cache is shared). */
function cliSearch(query) {
    const cli = join(dirname(fileURLToPath(import.meta.url)), "../../dist/cli.js");
    const res = spawnSync(process.execPath, [cli, "search", WORKSPACE, query, "--index-dir", join(dirname(WORKSPACE), "cli-index")], {
        encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ORT_DISABLE_TELEMETRY: "1" }, timeout: 120000,
    });
    assert.equal(res.status, 0, `seek search failed: ${res.stderr}`);
    return res.stdout;
}

/** Types the nonsense query into the sidebar and waits for its weak-match notice. */
async function weakInSidebar() {
    await showSeekSidebar();
    const frame = await webviewIn(".part.sidebar", "the Seek sidebar webview");
    await frame.locator("#query").fill(NONSENSE);
    await frame.locator("#query").press("Enter");
    await until(async () => readState()?.lastResults?.query === NONSENSE && (await frame.locator("#notice").isVisible()), "the weak-match notice in the sidebar", 30000);
    return frame;
}

/** In the page: horizontal scrollers, rows fully inside the viewport, the height of a row without its snippet. */
function sidebarLayout() {
    const rows = [...document.querySelectorAll("#results > li.hit")];
    const scrollers = [document.documentElement, ...document.querySelectorAll("#results *")].filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "hidden" && (e === document.documentElement || getComputedStyle(e).overflowX !== "visible")).length;
    const rowsInView = rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length;
    const collapsed = rows.find((r) => r.getAttribute("aria-expanded") === "false");
    return { scrollers, rowsInView, collapsedRowHeight: collapsed ? Math.round(collapsed.getBoundingClientRect().height) : 0, width: window.innerWidth };
}

/**
 * The selected row's text against its own background: title, folder, line numbers and strength all at a contrast
 * of at least 3:1 (WCAG's minimum for large or UI text; the Light+ bug had link blue on selection blue, 1.3:1).
 */
async function assertReadable(frame, where) {
    const pairs = await frame.evaluate(() => {
        const parse = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const row = document.querySelector("#results > li.hit[aria-selected='true']");
        if (!row) return null;
        // What the eye sees behind the row: its background over its parents' (themes use translucent selections).
        const layers = [];
        for (let e = row; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            layers.push(c.length === 3 ? [...c, 1] : c);
        }
        let bg = [255, 255, 255];
        for (const [r, g, b, a] of layers.reverse()) bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
        const lum = ([r, g, b]) => {
            const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        return [".hit-title", ".hit-file", ".hit-dir", ".hit-lines", ".strength-label"].map((sel) => {
            const el = row.querySelector(sel);
            if (!el) return { sel, ratio: null };
            const c = parse(getComputedStyle(el).color);
            const a = c.length > 3 ? c[3] : 1;
            const fg = [0, 1, 2].map((i) => c[i] * a + bg[i] * (1 - a)); // a translucent colour over the background
            const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
            return { sel, ratio: Math.round(((l1 + 0.05) / (l2 + 0.05)) * 100) / 100, fg: getComputedStyle(el).color, bg: `rgb(${bg.map(Math.round).join(",")})` };
        });
    });
    assert.ok(pairs, `${where}: a selected row`);
    console.log(`# ${where} selected-row contrast: ${pairs.map((p) => `${p.sel} ${p.ratio}`).join(", ")}`);
    for (const p of pairs) if (p.ratio !== null) assert.ok(p.ratio >= 3, `${where}: ${p.sel} ${p.fg} on ${p.bg} is ${p.ratio}:1`);
}

/** `it` that saves a screenshot of the workbench when the test fails (test-results/screenshots/failed-<n>.png). */
let failures = 0;
function test(name, fn) {
    it(name, async () => {
        try {
            await fn();
        } catch (err) {
            const file = `failed-${++failures}`;
            await shot(file).catch(() => {});
            err.message += `\n(screenshot: ${join(SHOTS, `${file}.png`)})`;
            throw err;
        }
    });
}

describe("Seek in a real VS Code (code-server + Chromium)", { timeout: 600_000 }, () => {
    before(async () => {
        const t0 = Date.now();
        ctx = await launchBrowser(join(process.env.SEEK_RUN_DIR ?? RESULTS, "chromium-profile"));
        page = ctx.pages()[0] ?? (await ctx.newPage());
        page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text().slice(0, 300)));
        await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WORKSPACE)}`);
        await waitForWorkbench(page, "docs");
        timings.workbenchReadyMs = Date.now() - t0;
        await until(() => readState()?.indexReady === true, "the index (state file indexReady)", INDEX_TIMEOUT_MS, 250);
        timings.indexReadyMs = Date.now() - t0;
        // Searchable by keyword from the first keyword-stage batch; the ranking checks below need every vector.
        await until(() => indexComplete(readState()), "the semantic stage to finish", INDEX_TIMEOUT_MS, 250);
        timings.semanticReadyMs = Date.now() - t0;
    });

    after(async () => {
        const state = readState();
        timings.eventLoopLagP99Ms = state?.eventLoopLagP99Ms;
        try {
            await shot("final");
        } catch {
            // page already gone
        }
        await ctx?.close();
        writeFileSync(join(RESULTS, "ui-timings.json"), JSON.stringify({ timings, consoleErrors: consoleErrors.slice(0, 50), state }, null, 2));
        console.log(`# timings ${JSON.stringify(timings)}`);
    });

    test("palette: Seek: Search by Meaning lists the file for a question; Enter opens it at the line", async () => {
        const t = Date.now();
        const rows = await paletteSearch("where do we retry failed uploads?", "src/upload/retry.ts");
        timings.paletteFirstResultsMs = Date.now() - t;
        console.log(`# palette rows:\n#   ${rows.slice(0, 5).join("\n#   ")}`);
        const rank = rows.findIndex((r) => r.includes("src/upload/retry.ts"));
        assert.ok(rank >= 0 && rank < 3, `retry.ts should rank in the top 3, got rank ${rank + 1}`);
        await shot("palette-search");
        const { line, row } = await acceptRow(rows, "src/upload/retry.ts", "retryUpload");
        await expectEditorAt("retry.ts", line);
        // retryUpload's doc comment starts at line 11, the function at 15, its body ends at 28.
        assert.match(row, /retryUpload/, `the retryUpload function is among the rows: ${row}`);
        assert.ok(line >= 11 && line <= 15, `the retryUpload row should start at lines 11-15, label says ${line}`);
    });

    test("panel: Seek: Open Search Panel shows ranked results; clicking one opens the editor there", async () => {
        await runCommand(page, "Seek: Open Search Panel");
        const { frame, rows } = await searchInWebview(() => webviewIn(".part.editor", "the Seek panel webview"),
            "how is the access token refreshed when it expires", "src/auth/session.py");
        console.log(`# panel rows:\n#   ${rows.slice(0, 4).map((r) => r.text).join("\n#   ")}`);
        assert.ok(rows[0].path?.endsWith("src/auth/session.py"), `session.py should rank first, got ${rows[0].path}`);
        assert.ok(rows.length >= 2 && rows.every((r) => /^(strong|good|weak) \d+$/.test(r.strength)), `every row shows a strength: ${rows.map((r) => r.strength)}`);
        assert.match(rows[0].strength, /^strong /, "a clear answer's top row is strong");
        await shot("panel-dark");
        await frame.locator("#results > li.hit .hit-where").first().click();
        await expectEditorAt("session.py", rows[0].line);
    });

    test("sidebar: the Seek view in the activity bar searches", async () => {
        await showSeekSidebar();
        const { rows } = await searchInWebview(() => webviewIn(".part.sidebar", "the Seek sidebar webview"),
            "read page and per_page query parameters", "server/main.go");
        assert.ok(rows.findIndex((r) => r.path?.endsWith("server/main.go")) < 3, "main.go in the top 3");
        await shot("sidebar-dark");
    });

    test("sidebar: the state line names the semantic stage, and rows re-run by themselves as it completes", async () => {
        await semanticStageShots("generated-stages-dark", "sidebar-stages-dark");
    });

    test("Find Similar from the editor context menu lists the near-duplicate in the sidebar", async () => {
        // The panel's webview is an overlay above the editor area: close it so the right-click reaches the editor.
        await runCommand(page, "View: Close All Editors");
        const typed = await (await webviewIn(".part.sidebar", "the Seek sidebar webview")).locator("#query").inputValue();
        assert.notEqual(typed, "", "the sidebar's query box holds the previous search");
        await quickInput(page, "Control+P", "fetchWithRetry.ts", "fetchWithRetry.ts");
        const line = page.locator(".editor-instance .monaco-editor .view-line", { hasText: "const response = await fetch(url)" }).first();
        await line.waitFor();
        // Near the line's start: a .view-line is as wide as the longest line, its centre can lie under the panel.
        await line.click({ position: { x: 40, y: 5 } });
        await line.click({ button: "right", position: { x: 40, y: 5 } });
        const item = page.locator(".monaco-menu .action-item", { hasText: "Find Similar" }).first();
        await item.waitFor({ state: "visible" });
        await shot("context-menu");
        await item.click();
        const frame = await webviewIn(".part.sidebar", "the Seek sidebar webview");
        // The view may still show the previous search: wait for the Find Similar answer ("Similar to <file>:<line>").
        await until(async () => /Similar to fetchWithRetry\.ts/.test((await frame.locator("#summary").textContent()) ?? ""),
            "the sidebar to show Find Similar results", 30000);
        const rows = await resultRows(frame);
        console.log(`# similar rows:\n#   ${rows.slice(0, 4).map((r) => r.text).join("\n#   ")}`);
        const rank = rows.findIndex((r) => r.path?.endsWith("src/upload/retry.ts") && /retryUpload/.test(r.text));
        assert.ok(rank >= 0 && rank < 3, `the near-duplicate retryUpload should rank in the top 3, got rank ${rank + 1}`);
        const clicked = 11; // the line right-clicked above, inside fetchWithRetry (lines 3-20)
        const self = rows.find((r) => r.path?.endsWith("src/net/fetchWithRetry.ts") && r.line <= clicked && lineEnd(r) >= clicked);
        assert.equal(self, undefined, `the query range itself is listed: ${self?.text}`);
        // The box no longer shows the old query above results that do not answer it; it says what they are.
        assert.equal(await frame.locator("#query").inputValue(), "", `the query box still says ${JSON.stringify(typed)}`);
        assert.match((await frame.locator("#query").getAttribute("placeholder")) ?? "", /^Similar to fetchWithRetry\.ts:\d+/);
        await shot("find-similar-sidebar");
    });

    test("an edit to a file on disk is indexed and found by a new search", async () => {
        const before = statusKey(readState());
        const file = join(WORKSPACE, "src/utils/strings.ts");
        const lineOf = readFileSync(file, "utf8").split("\n").length + 1; // the appended text starts after a blank line
        appendFileSync(file, [
            "",
            "/** Counts the edits (insertions, deletions, substitutions) needed to turn one word into another: Levenshtein distance. */",
            "export function editDistance(a: string, b: string): number {",
            "    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);",
            "    for (let j = 1; j <= b.length; j++) d[0][j] = j;",
            "    for (let i = 1; i <= a.length; i++)",
            "        for (let j = 1; j <= b.length; j++)",
            "            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));",
            "    return d[a.length][b.length];",
            "}",
            "",
        ].join("\n"));
        const t = Date.now();
        await until(() => {
            const s = readState();
            return s?.indexReady && statusKey(s) !== before;
        }, "the state file to show the re-indexed file", 60000, 250);
        timings.editToReindexedMs = Date.now() - t;
        const rows = await paletteSearch("how many character edits turn one word into another", "src/utils/strings.ts");
        const { line, row } = await acceptRow(rows, "src/utils/strings.ts", "editDistance");
        await expectEditorAt("strings.ts", line);
        assert.match(row, /editDistance/, `the new function is the strings.ts hit: ${row}`);
        assert.ok(line >= lineOf - 1 && line <= lineOf + 1, `hit starts at the new function (line ${lineOf}), label says ${line}`);
    });

    test("screenshots: panel and sidebar in the light theme", async () => {
        await setTheme("Light Modern", "vs");
        await runCommand(page, "Seek: Open Search Panel");
        await searchInWebview(() => webviewIn(".part.editor", "the Seek panel webview"),
            "how is the access token refreshed when it expires", "src/auth/session.py");
        await shot("panel-light");
        await showSeekSidebar();
        await searchInWebview(() => webviewIn(".part.sidebar", "the Seek sidebar webview"),
            "read page and per_page query parameters", "server/main.go");
        await shot("sidebar-light");
        await semanticStageShots("generated-stages-light", "sidebar-stages-light");
        await setTheme("Dark Modern", "vs-dark");
    });

    test("strength: the same query's top result shows the same strength in the QuickPick, the sidebar and the CLI", async () => {
        const query = "where do we retry failed uploads?";
        const rows = await paletteSearch(query, "src/upload/retry.ts");
        const palette = strengthIn(rows[0]);
        await page.keyboard.press("Escape");
        await showSeekSidebar();
        const { rows: sidebarRows } = await searchInWebview(() => webviewIn(".part.sidebar", "the Seek sidebar webview"), query, "src/upload/retry.ts");
        const cli = cliSearch(query);
        const cliTop = /^\s*1\. (\S+):\d+-\d+.*\s((?:strong|good|weak) \d+)\s*$/m.exec(cli);
        console.log(`# top strength: QuickPick ${JSON.stringify(rows[0])}; sidebar ${sidebarRows[0].path} ${sidebarRows[0].strength}; CLI ${cliTop?.[0]}`);
        assert.ok(palette, `the QuickPick row shows a strength: ${rows[0]}`);
        assert.ok(cliTop, `the CLI's first line shows a strength:\n${cli}`);
        assert.ok(rows[0].includes(sidebarRows[0].path) && cliTop[1] === sidebarRows[0].path, "the same top result everywhere");
        assert.equal(sidebarRows[0].strength, palette);
        assert.equal(cliTop[2], palette);
        assert.match(palette, /^strong /, "a clear answer is strong");
    });

    test("weak matches: a nonsense query says so in the QuickPick, the sidebar and the CLI", async () => {
        await runCommand(page, "Seek: Search by Meaning");
        await openQuickInputText(NONSENSE);
        const title = page.locator(".quick-input-widget .quick-input-title");
        await until(async () => /weak matches/i.test((await title.textContent()) ?? ""), "the QuickPick title to say the matches are weak", 30000);
        const rows = await quickPickRows(page);
        assert.ok(rows.length > 0 && rows.every((r) => /\bweak \d+/.test(r)), `every row is weak: ${rows.slice(0, 3).join(" | ")}`);
        await shot("weak-quickpick-dark");
        await page.keyboard.press("Escape");
        const frame = await weakInSidebar();
        assert.match((await frame.locator("#notice").textContent()) ?? "", /Only weak matches for “qwzx plorf blenk xyzzy”/);
        const sidebarRows = await resultRows(frame);
        assert.ok(sidebarRows.length > 0 && sidebarRows.every((r) => /^weak \d+$/.test(r.strength)), sidebarRows.map((r) => r.strength).join(", "));
        assert.match(cliSearch(NONSENSE), /^Only weak matches/m);
        // A real question gets no such notice.
        await searchInWebview(() => webviewIn(".part.sidebar", "the Seek sidebar webview"), "read page and per_page query parameters", "server/main.go");
        assert.ok(await frame.locator("#notice").isHidden(), "no weak notice for a good query");
    });

    test("screenshots and colour pairs: compact sidebar, selected panel row, weak matches in light, dark and high contrast", async () => {
        for (const [label, bodyClass, name] of THEMES) {
            await setTheme(label, bodyClass);
            await showSeekSidebar();
            const { frame } = await searchInWebview(() => webviewIn(".part.sidebar", "the Seek sidebar webview"), "read page and per_page query parameters", "server/main.go");
            await frame.locator("#query").press("ArrowDown"); // selects and focuses the first row
            await page.keyboard.press("ArrowDown");
            await page.keyboard.press("ArrowRight"); // shows the second row's snippet
            await until(async () => (await frame.locator("#results > li.hit[aria-selected='true'] .snippet").count()) === 1, "the selected row's snippet", 5000);
            const layout = await frame.evaluate(sidebarLayout);
            console.log(`# ${name} sidebar: ${JSON.stringify(layout)}`);
            assert.equal(layout.scrollers, 0, "no horizontal scrollbar in the page or any row");
            assert.ok(layout.rowsInView >= 8, `at least 8 rows fit in the sidebar, got ${layout.rowsInView}`);
            assert.ok(layout.collapsedRowHeight <= 48, `a row without its snippet is two lines, got ${layout.collapsedRowHeight}px`);
            await assertReadable(frame, `${name} sidebar`);
            await shot(`sidebar-compact-${name}`);
            await runCommand(page, "Seek: Open Search Panel");
            const { frame: panel } = await searchInWebview(() => webviewIn(".part.editor", "the Seek panel webview"),
                "how is the access token refreshed when it expires", "src/auth/session.py");
            await panel.locator("#query").press("ArrowDown");
            await page.keyboard.press("ArrowDown");
            await assertReadable(panel, `${name} panel`);
            await shot(`panel-selected-${name}`);
            await runCommand(page, "View: Close All Editors");
            await weakInSidebar();
            await shot(`weak-${name}`);
        }
        await setTheme("Dark Modern", "vs-dark");
    });

    test("index status: files, chunks, languages and the skipped .env with its reason, in light, dark and high contrast", async () => {
        const folder = readState()?.folders?.[0];
        assert.ok(folder && folder.files >= 10, `the state file knows the folder: ${JSON.stringify(folder)}`);
        const n = (x) => x.toLocaleString("en-US");
        for (const [label, bodyClass, name] of THEMES) {
            await setTheme(label, bodyClass);
            await runCommand(page, "Seek: Show Index Status");
            const frame = await indexStatusFrame(page);
            const p = await checkIndexStatusPage(frame, name);
            assert.equal(p.state, "Up to date");
            assert.equal(p.facts.Files, n(folder.files));
            assert.equal(p.facts.Chunks, n(folder.chunks));
            assert.match(p.facts["Semantic coverage"], new RegExp(`^ ?100% \\(${n(folder.chunks)} of ${n(folder.chunks)} chunks have a vector\\)$`));
            const languages = p.tables.Languages ?? [];
            assert.ok(languages.some((r) => r[0] === "typescript") && languages.some((r) => r[0] === "markdown"), JSON.stringify(languages));
            assert.equal(languages.reduce((sum, r) => sum + Number(r[2].replace(/,/g, "")), 0), folder.chunks, "the language rows add up to the chunks");
            assert.deepEqual((p.tables["Skipped files"] ?? []).map((r) => `${r[0]}: ${r[1]}`), [".env: secret"]);
            assert.ok(p.notes.includes("1 file skipped (1 secret). Seek never indexes these, by design."), JSON.stringify(p.notes));
            await shot(`index-status-${name}`);
            await runCommand(page, "View: Close All Editors");
        }
        await setTheme("Dark Modern", "vs-dark");
    });

    test("a folder with nothing to index: the sidebar says so, and its button opens the status with the skipped files", async () => {
        const empty = join(dirname(WORKSPACE), "nothing-to-index");
        mkdirSync(empty, { recursive: true });
        writeFileSync(join(empty, "data.bin"), Buffer.from([0, 1, 2, 3, 0, 255, 254, 0]));
        writeFileSync(join(empty, "screenshot.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
        await page.goto(`${CS_URL}/?folder=${encodeURIComponent(empty)}`);
        await waitForWorkbench(page, "data.bin");
        const NOTHING = "Nothing to search: this folder has no code, docs or other text files Seek indexes. 2 files were skipped (Seek: Show Index Status says why).";
        for (const [label, bodyClass, name] of THEMES) {
            await setTheme(label, bodyClass);
            await showSeekSidebar();
            const frame = await webviewIn(".part.sidebar", "the Seek sidebar webview");
            // The folder's first run ends with the summary sentence; until then the banner shows the run.
            const words = async () => ((await bannerText(frame)) === "" ? "" : ((await frame.locator("#banner .banner-text").textContent()) ?? ""));
            const text = await until(async () => ((await words()) === NOTHING ? NOTHING : null), `the banner to say "${NOTHING}"`, 60000)
                .catch(async (e) => {
                    throw new Error(`${e.message}; it says ${JSON.stringify(await bannerText(frame))}`);
                });
            console.log(`# empty folder (${name}): ${text}`);
            assert.ok(await frame.locator("#empty").isHidden(), "no welcome text (\"Describe what the code does\") under the banner");
            const button = frame.locator("#banner button.banner-action");
            assert.deepEqual(await button.allTextContents(), ["Show Index Status"]);
            const layout = await frame.evaluate(() => {
                const b = document.querySelector("#banner").getBoundingClientRect();
                const btn = document.querySelector("#banner button").getBoundingClientRect();
                return { hScroll: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1, inside: btn.right <= b.right + 1 && btn.left >= b.left - 1 };
            });
            assert.deepEqual(layout, { hScroll: false, inside: true }, "the banner fits the sidebar");
            await shot(`empty-folder-${name}`);
            // The button runs Seek: Show Index Status (a runAction message the host validates).
            await button.click();
            const status = await indexStatusFrame(page, "the index status panel opened by the banner's button");
            const p = await checkIndexStatusPage(status, `empty folder ${name}`);
            // A short heading here (the sidebar's sentence sends the user to this page), and no "100% of 0 chunks".
            assert.equal(p.state, "Nothing to search");
            assert.equal(p.facts.Files, "0");
            assert.equal(p.facts.Chunks, "0");
            assert.equal(p.facts["Semantic coverage"], "nothing to embed (no chunks)");
            assert.ok(p.notes.includes("2 files skipped (2 binary). Seek never indexes these, by design."), JSON.stringify(p.notes));
            assert.deepEqual((p.tables["Skipped files"] ?? []).map((r) => `${r[0]}: ${r[1]}`).sort(), ["data.bin: binary", "screenshot.png: binary"]);
            await shot(`empty-folder-status-${name}`);
            await runCommand(page, "View: Close All Editors");
        }
    });
});
