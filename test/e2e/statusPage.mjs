// The "Seek: Show Index Status" page in the UI tests (media/src/indexStatus.ts): finding its frame, reading what it
// shows, and the checks every screenshot of it gets (layout and contrast in the current theme).
import assert from "node:assert/strict";
import { webviewFrame } from "./workbench.mjs";

/** The "Seek: Show Index Status" panel's frame, once its script has drawn a report (media/src/indexStatus.ts). */
export async function indexStatusFrame(page, what = "the index status panel") {
    return webviewFrame(page, async (f) => (await f.locator("#folders .status-folder .status-state").count()) > 0, what, 20000);
}

/**
 * In the status page: its facts (dt -> dd), table rows by caption, and the layout and contrast checks: no horizontal
 * scrollbar, no cell clipped, and every kind of text at 4.5:1 or more against the page (WCAG AA for body text).
 */
function indexStatusPage() {
    const parse = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]) => {
        const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const bg = parse(getComputedStyle(document.body).backgroundColor).slice(0, 3);
    const contrast = [".status-header h1", ".status-model", ".status-state", ".status-facts dt", ".status-facts dd", ".status-table caption",
        ".status-table th", ".status-table td", ".status-surprise td", ".status-note", ".status-refresh"].map((sel) => {
        const el = document.querySelector(sel);
        if (!el) return { sel, ratio: null };
        const own = parse(getComputedStyle(el).backgroundColor);
        const back = own.length === 3 || (own.length === 4 && own[3] === 1) ? own.slice(0, 3) : bg;
        const c = parse(getComputedStyle(el).color);
        const a = c.length > 3 ? c[3] : 1;
        const fg = [0, 1, 2].map((i) => c[i] * a + back[i] * (1 - a));
        const [l1, l2] = [lum(fg), lum(back)].sort((x, y) => y - x);
        return { sel, ratio: Math.round(((l1 + 0.05) / (l2 + 0.05)) * 100) / 100, fg: getComputedStyle(el).color, bg: `rgb(${back.join(",")})` };
    });
    const facts = {};
    for (const dt of document.querySelectorAll(".status-facts dt")) facts[dt.textContent] = dt.nextElementSibling?.textContent ?? "";
    const tables = {};
    for (const t of document.querySelectorAll("table.status-table")) {
        tables[t.caption?.textContent ?? ""] = [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent));
    }
    const clipped = [...document.querySelectorAll("td, th, dd, dt, p, h1, button")].filter((e) => e.scrollWidth > e.clientWidth + 1).length;
    const hScroll = document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;
    const notes = [...document.querySelectorAll(".status-note")].map((e) => e.textContent);
    return { state: document.querySelector(".status-state")?.textContent ?? "", facts, tables, notes, contrast, clipped, hScroll };
}

/** Reads the open status page and asserts its layout and contrast; returns what it shows. */
export async function checkIndexStatusPage(frame, where) {
    const p = await frame.evaluate(indexStatusPage);
    console.log(`# ${where} index status: ${p.state} | ${JSON.stringify(p.facts)} | contrast ${p.contrast.map((c) => `${c.sel} ${c.ratio}`).join(", ")}`);
    assert.equal(p.hScroll, false, `${where}: the status page scrolls sideways`);
    assert.equal(p.clipped, 0, `${where}: ${p.clipped} clipped cells or lines`);
    for (const c of p.contrast) if (c.ratio !== null) assert.ok(c.ratio >= 4.5, `${where}: ${c.sel} ${c.fg} on ${c.bg} is ${c.ratio}:1`);
    return p;
}
