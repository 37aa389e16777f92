// Playwright helpers for driving the VS Code web workbench (code-server) with Debian's Chromium.
// Used by the UI tests (ui.test.mjs) and the extension-host test launcher (runIntegration.mjs).
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Polls `fn` until it returns a truthy value; throws "timeout waiting for <what>" after `timeout` ms. */
export async function until(fn, what, timeout = 30000, step = 200) {
    const end = Date.now() + timeout;
    for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timeout (${timeout} ms) waiting for ${what}`);
        await new Promise((r) => setTimeout(r, step));
    }
}

/**
 * Headless Chromium with a fresh profile. Never `npx playwright install`: it downloads browsers, which fails offline.
 * The flags keep Chromium off the network (no component updates, sync, QUIC) and working in containers.
 */
export async function launchBrowser(profileDir, viewport = { width: 1400, height: 900 }) {
    return chromium.launchPersistentContext(profileDir, {
        executablePath: CHROMIUM,
        headless: true,
        viewport,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    });
}

/** Waits until the workbench shows the workspace's files in the Explorer (remote file system connected). */
export async function waitForWorkbench(page, fileInRoot, timeout = 60000) {
    await page.locator(".monaco-workbench").waitFor({ timeout });
    await page.locator(".explorer-folders-view .monaco-list-row", { hasText: fileInRoot }).first().waitFor({ timeout });
}

/**
 * Opens the quick input with `key` (F1, Control+P) and types `text`. Waits for any earlier quick input to close
 * first, and checks the text landed in the input: a key pressed while an editor is still taking focus (after a
 * QuickPick opened a file) can close the new quick input again, and the typing would go into the editor.
 */
export async function openQuickInput(page, key, text, timeout = 15000) {
    const widget = page.locator(".quick-input-widget");
    const input = widget.locator(".quick-input-box input");
    for (let attempt = 1; ; attempt++) {
        if (await widget.isVisible()) await widget.waitFor({ state: "hidden", timeout: 2000 }).catch(() => page.keyboard.press("Escape"));
        await page.keyboard.press(key);
        const shown = await input.waitFor({ state: "visible", timeout: attempt === 3 ? timeout : 4000 }).then(() => true, () => false);
        if (shown) {
            await input.fill(text);
            if ((await widget.isVisible()) && (await input.inputValue()) === text) return input;
        }
        if (attempt === 3) throw new Error(`could not type "${text}" into the quick input opened with ${key}`);
    }
}

/**
 * Opens the quick input with `key`, types `text`, waits for a row containing `rowText` and accepts the row whose
 * label is exactly `rowText` (clicked), or else the top row (Enter). The top row is not always the wanted one:
 * ">Preferences: Color Theme" lists "Preferences: Browse Color Themes in Marketplace" first.
 */
export async function quickInput(page, key, text, rowText, timeout = 15000) {
    await openQuickInput(page, key, text, timeout);
    await pickRow(page, rowText, timeout);
}

/** In the open quick input: accepts the row labelled exactly `rowText`, or else the top row containing it. */
export async function pickRow(page, rowText, timeout = 15000) {
    const rows = page.locator(".quick-input-widget .monaco-list-row");
    await rows.filter({ hasText: rowText }).first().waitFor({ state: "visible", timeout });
    const exact = new RegExp(`^\\s*${rowText.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
    const row = rows.filter({ has: page.locator(".label-name", { hasText: exact }) }).first();
    if (await row.count()) await row.click();
    else await page.keyboard.press("Enter");
}

/** Runs a command from the palette by its title (exact row text). */
export const runCommand = (page, title) => quickInput(page, "F1", `>${title}`, title);

/** aria-labels of the visible QuickPick rows, top to bottom. */
export async function quickPickRows(page) {
    return page.locator(".quick-input-widget .monaco-list-row").evaluateAll((rows) =>
        rows
            .map((r) => ({ top: parseFloat(r.style.top || "0"), label: r.getAttribute("aria-label") ?? "" }))
            .sort((a, b) => a.top - b.top)
            .map((r) => r.label),
    );
}

/**
 * A webview's content frame. Webviews are <iframe class="webview"> hosting an inner <iframe src=".../fake.html">
 * with the extension's HTML; `predicate(frame)` picks the right one (by its content).
 */
export async function webviewFrame(page, predicate, what, timeout = 20000) {
    return until(async () => {
        for (const f of page.frames()) {
            if (!/\/webview\/browser\/pre\/fake\.html/.test(f.url())) continue;
            try {
                if (await predicate(f)) return f;
            } catch {
                // frame detached or not ready yet
            }
        }
        return null;
    }, what, timeout);
}

/** The cursor position from the status bar ("Ln 15, Col 1"). */
export async function cursorPosition(page) {
    const text = await page.locator(".statusbar-item[id='status.editor.selection'] .statusbar-item-label, .statusbar-item[id='status.editor.selection']")
        .first().textContent({ timeout: 5000 });
    const m = /Ln (\d+), Col (\d+)/.exec(text ?? "");
    return m ? { line: +m[1], col: +m[2] } : null;
}

/** Title of the active tab of the active editor group (each group has an active tab). */
export async function activeTabTitle(page) {
    const tab = page.locator(".editor-group-container.active .tabs-container .tab.active .label-name").first();
    return (await tab.textContent({ timeout: 5000 }))?.trim();
}
