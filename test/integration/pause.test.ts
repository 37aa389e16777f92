/**
 * Pause stops the work in flight within a second, a full run or a watcher refresh: measured as the engine
 * process's CPU time (it holds the inference worker), not as the UI's state, which flips as soon as the host stops
 * waiting. Resume then finishes the work.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as vscode from "vscode";
import { fixtureUri, indexedSuite, search, sleep, testState, waitFor, waitForIndex } from "./helpers";

const DIR = "generated-pause";
/** Over the watcher's large-batch threshold (200 paths), so the change becomes a full run, as a checkout would. */
const FULL_RUN_FILES = 240;
/** Under it: one watcher refresh of these paths. */
const REFRESH_FILES = 150;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at state; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
}

function source(i: number): string {
    const steps = Array.from({ length: 10 }, (_, l) => `    const step${l} = normalizeEntry(entry, ${l}, "ledger-${i}-${l}");`).join("\n");
    return `/** Reconciles ledger batch ${i} against the bank statement; zqpause${i}mark. */\nexport function reconcileLedger${i}(entry: unknown): number {\n${steps}\n    return ${i};\n}\n`;
}

/** CPU seconds the engine used over `ms` from now. */
async function cpuOver(pid: number, ms: number): Promise<number> {
    const before = cpuSeconds(pid);
    await sleep(ms);
    return cpuSeconds(pid) - before;
}

/** Pauses, then asserts the engine goes idle within 1 s (at most one batch finishes), then resumes and waits. */
async function pauseStopsEngine(pid: number, what: string, lastFile: string, marker: string): Promise<void> {
    const before = cpuSeconds(pid);
    await vscode.commands.executeCommand("seek.pauseIndexing");
    const pausedAt = Date.now();
    await waitFor("the paused state", async () => (await testState()).paused, 10_000);
    // The work stops at its next batch (one input of at most 512 tokens); from then on the process must be idle.
    await sleep(Math.max(0, pausedAt + 1000 - Date.now()));
    const firstSecond = cpuSeconds(pid) - before;
    const idle = await cpuOver(pid, 2000);
    console.log(`pause (${what}): engine CPU ${firstSecond.toFixed(2)} s in the first second, ${idle.toFixed(2)} s over the next 2 s`);
    assert.ok(idle < 0.2, `${what}: the engine used ${idle.toFixed(2)} CPU seconds in the 2 s after pausing + 1 s: it did not stop`);

    await vscode.commands.executeCommand("seek.resumeIndexing");
    await waitForIndex(180_000);
    const found = await search(marker, { mode: "lexical" });
    assert.ok(found.hits.some((h) => h.path === lastFile), `${what}: ${lastFile} was indexed after resume`);
}

suite("pause", () => {
    indexedSuite(DIR);

    test("the menus offer Pause or Resume, never both: the seek.indexPaused context key follows the state", async () => {
        const keys = async () => (await testState()).contextKeys;
        assert.equal((await keys())["seek.indexPaused"], false);
        await vscode.commands.executeCommand("seek.pauseIndexing");
        await waitFor("seek.indexPaused = true", async () => (await keys())["seek.indexPaused"] === true, 10_000);
        await vscode.commands.executeCommand("seek.resumeIndexing");
        await waitFor("seek.indexPaused = false", async () => (await keys())["seek.indexPaused"] === false, 10_000);
        // package.json shows each command under the key's matching value, in the sidebar's menu and the palette.
        const menus = vscode.extensions.getExtension("seek-dev.seek")!.packageJSON.contributes.menus as Record<string, { command: string; when?: string }[]>;
        const when = (menu: string, command: string) => menus[menu].find((m) => m.command === command)?.when;
        assert.equal(when("view/title", "seek.pauseIndexing"), "view == seek.resultsView && !seek.indexPaused");
        assert.equal(when("view/title", "seek.resumeIndexing"), "view == seek.resultsView && seek.indexPaused");
        assert.equal(when("commandPalette", "seek.pauseIndexing"), "!seek.indexPaused");
        assert.equal(when("commandPalette", "seek.resumeIndexing"), "seek.indexPaused");
    });

    test("Pause Indexing stops a full run within 1 s (engine CPU); Resume finishes it", async () => {
        for (let i = 0; i < FULL_RUN_FILES; i++) await vscode.workspace.fs.writeFile(fixtureUri(`${DIR}/ledger${i}.ts`), Buffer.from(source(i)));
        const running = await waitFor(
            "a run embedding the new files",
            async () => {
                const s = await testState();
                const f = s.folders[0];
                return f.phase === "indexing" && f.total >= f.done + 50 && f.done > 0 ? s : undefined;
            },
            120_000,
        );
        assert.ok(running.enginePid, "the engine process id is known");
        const last = FULL_RUN_FILES - 1;
        await pauseStopsEngine(running.enginePid, "full run", `${DIR}/ledger${last}.ts`, `zqpause${last}mark`);
    });

    test("Pause Indexing stops a watcher refresh within 1 s (engine CPU); Resume finishes it", async () => {
        // Under the large-batch threshold: the watcher sends these paths as one refresh, not a full run.
        const first = FULL_RUN_FILES;
        for (let i = first; i < first + REFRESH_FILES; i++) await vscode.workspace.fs.writeFile(fixtureUri(`${DIR}/ledger${i}.ts`), Buffer.from(source(i)));
        const pid = (await testState()).enginePid;
        assert.ok(pid, "the engine process id is known");
        await waitFor("the engine embedding the refresh", async () => (await cpuOver(pid, 500)) > 0.25, 60_000);
        const last = first + REFRESH_FILES - 1;
        await pauseStopsEngine(pid, "refresh", `${DIR}/ledger${last}.ts`, `zqpause${last}mark`);
    });
});
