/**
 * The team index in a real extension host (#12): a PostgreSQL + pgvector started by the runner (SEEK_TEST_PG_*),
 * the fixture published with the real CLI (`seek index <copy> --store <url> --repo acme/api --ref main`), the
 * machine-scoped settings written to the user settings and the password stored with "Seek: Set Team Index
 * Password". Then: searches answer from the team index; a file edited and saved locally answers from the local side
 * with its new text; unsaved editors reach the engine as local paths; the database stopped gives one warning and
 * local answers, and once restarted the team index answers again.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as vscode from "vscode";
import { activate, EXTENSION_ID, fixtureUri, search, sleep, waitFor, waitForIndex } from "./helpers";

const run = promisify(execFile);
const SHARED = "shared index acme/api@main + local changes";
/** Random per run (test/e2e/runIntegration.mjs), which then checks that no log of the run holds it. */
const PASSWORD = process.env.SEEK_TEST_TEAM_PASSWORD ?? "team-index-pw-7Qz%@!";
const EDITED = "src/upload/retry.ts";

interface TeamState {
    state: { kind: string; namespaces?: string[]; reason?: string; answeredBy?: string[] };
    namespaces: Record<string, string>;
    warnings: number;
    unsaved: Record<string, string[]>;
}

function teamState(): Promise<TeamState> {
    return vscode.commands.executeCommand("seek._teamIndexState") as Promise<TeamState>;
}

function repoRoot(): string {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    return ext.extensionPath;
}

/** node <repo>/<script> args…, with the extension host's environment (its isolated HOME and cache). */
async function node(script: string, ...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, [join(repoRoot(), script), ...args], { timeout: 240_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" } });
    return stdout;
}

const pgDir = () => process.env.SEEK_TEST_PG_DIR ?? "";
const stopDb = () => node("scripts/pgserver.mjs", "stop", "--dir", pgDir());
const startDb = () => node("scripts/pgserver.mjs", "start", "--dir", pgDir(), "--port", process.env.SEEK_TEST_PG_PORT ?? "");

async function setTeamSettings(values: Record<string, string | undefined>): Promise<void> {
    const config = vscode.workspace.getConfiguration("seek");
    for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}

suite("Team index (PostgreSQL)", () => {
    let published: string | undefined;
    let original: Uint8Array | undefined;
    let dbStopped = false;

    suiteSetup(async function () {
        this.timeout(300_000);
        assert.ok(!process.env.SEEK_TEST_PG_ERROR, `the test PostgreSQL did not start: ${process.env.SEEK_TEST_PG_ERROR}`);
        const url = process.env.SEEK_TEST_PG_URL;
        assert.ok(url, "SEEK_TEST_PG_URL is set by test/e2e/runIntegration.mjs");
        await activate();
        await waitForIndex(180_000);
        // What CI would publish: the fixture as committed, with the real CLI and the same model and instructions.
        published = mkdtempSync(join(tmpdir(), "seek-team-published-"));
        cpSync(join(repoRoot(), "test", "fixtures", "workspace"), join(published, "workspace"), { recursive: true });
        const out = await node("dist/cli.js", "index", join(published, "workspace"), "--store", url, "--repo", "acme/api", "--ref", "main");
        assert.match(out, /Published acme\/api@main/);
        original = await vscode.workspace.fs.readFile(fixtureUri(EDITED));
        await vscode.commands.executeCommand("seek.setTeamIndexPassword", PASSWORD);
        await setTeamSettings({ "teamIndex.url": url, "teamIndex.repository": "acme/api", "teamIndex.ref": "main" });
        await waitFor("the team index to be configured", async () => {
            const s = await teamState();
            return s.state.kind === "configured" && s.state.namespaces?.includes("acme/api@main");
        });
    });

    suiteTeardown(async function () {
        this.timeout(180_000);
        if (dbStopped) await startDb();
        await setTeamSettings({ "teamIndex.url": undefined, "teamIndex.repository": undefined, "teamIndex.ref": undefined });
        await vscode.commands.executeCommand("seek.clearTeamIndexPassword", true);
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
        if (original) await vscode.workspace.fs.writeFile(fixtureUri(EDITED), original);
        if (published) rmSync(published, { recursive: true, force: true });
        await waitForIndex(120_000);
    });

    test("the settings are machine-scoped and read from the user settings", () => {
        const inspect = vscode.workspace.getConfiguration("seek").inspect<string>("teamIndex.url");
        assert.equal(inspect?.globalValue, process.env.SEEK_TEST_PG_URL);
        assert.equal(inspect?.workspaceValue, undefined);
    });

    test("a search answers from the team index and the status bar says so", async () => {
        const outcome = (await search("retry failed uploads with exponential backoff")) as Awaited<ReturnType<typeof search>> & { answeredBy: string[]; sharedUnavailable?: string };
        assert.deepEqual(outcome.answeredBy, [SHARED]);
        assert.equal(outcome.sharedUnavailable, undefined);
        assert.equal(outcome.hits[0]?.path, EDITED);
        const s = await teamState();
        assert.equal(s.state.kind, "answered");
        assert.deepEqual(s.state.answeredBy, [SHARED]);
        assert.equal(s.warnings, 0);
    });

    test("a file edited and saved locally answers from the local side, with its new text", async () => {
        const doc = await vscode.workspace.openTextDocument(fixtureUri(EDITED));
        const editor = await vscode.window.showTextDocument(doc);
        const end = doc.lineAt(doc.lineCount - 1).range.end;
        await editor.edit((e) => e.insert(end, "\n/** Quokkaflux jitter: the pause added between upload retries. */\nexport const QUOKKAFLUX_JITTER_MS = 17;\n"));
        // Unsaved: the engine is told the file is answered by the local side.
        await waitFor("the unsaved path to reach the engine", async () => Object.values((await teamState()).unsaved).some((p) => p.includes(EDITED)));
        // save() can report false on a loaded machine while the write still lands: wait for the file itself.
        await doc.save();
        await waitFor("the edit to be on disk", async () => {
            if (doc.isDirty) await doc.save();
            return new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(EDITED))).includes("QUOKKAFLUX_JITTER_MS");
        });
        await waitFor("the unsaved path to clear after saving", async () => !Object.values((await teamState()).unsaved).some((p) => p.includes(EDITED)));
        const hit = await waitFor("the saved text to be searchable", async () => {
            const o = (await search("quokkaflux jitter", { mode: "lexical" })) as Awaited<ReturnType<typeof search>> & { answeredBy: string[] };
            assert.deepEqual(o.answeredBy, [SHARED]);
            return o.hits.find((h) => h.path === EDITED && h.text.includes("QUOKKAFLUX_JITTER_MS"));
        });
        assert.ok(hit);
    });

    test("the database stopped: one warning, local answers; restarted: the team index answers again", async function () {
        this.timeout(120_000);
        await stopDb();
        dbStopped = true;
        type Out = Awaited<ReturnType<typeof search>> & { answeredBy: string[]; sharedUnavailable?: string };
        const down = (await search("retry failed uploads with exponential backoff")) as Out;
        assert.deepEqual(down.answeredBy, ["local index"]);
        assert.match(down.sharedUnavailable ?? "", /cannot be reached/);
        assert.ok(!down.sharedUnavailable?.includes(PASSWORD), "no password in the reason");
        assert.ok(down.hits.length > 0, "the local index answers");
        // More searches while it is down: still one warning, not one per search.
        await search("upload client");
        await search("parse config");
        let s = await teamState();
        assert.equal(s.state.kind, "unavailable");
        assert.match(s.state.reason ?? "", /cannot be reached/);
        assert.equal(s.warnings, 1);

        await startDb();
        dbStopped = false;
        // The team index is tried again 5 s after it failed (core/teamIndex.ts).
        const back = await waitFor(
            "the team index to answer again",
            async () => {
                const o = (await search("retry failed uploads with exponential backoff")) as Out;
                if (o.answeredBy.includes(SHARED)) return o;
                await sleep(1000);
                return undefined;
            },
            60_000,
        );
        assert.equal(back.sharedUnavailable, undefined);
        s = await teamState();
        assert.equal(s.state.kind, "answered");
        assert.equal(s.warnings, 1);
    });

    test("without repository and ref settings the namespace comes from git, as the CLI derives it; a branch switch follows", async function () {
        this.timeout(120_000);
        type Out = Awaited<ReturnType<typeof search>> & { answeredBy: string[]; sharedUnavailable?: string };
        const enc = (t: string) => new TextEncoder().encode(t);
        try {
            // The fixture copy becomes a checkout of acme/api on main (what CI published above).
            await vscode.workspace.fs.writeFile(fixtureUri(".git/config"), enc('[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:acme/api.git\n'));
            await vscode.workspace.fs.writeFile(fixtureUri(".git/HEAD"), enc("ref: refs/heads/main\n"));
            await setTeamSettings({ "teamIndex.repository": undefined, "teamIndex.ref": undefined });
            await waitFor("the namespace from git", async () => Object.values((await teamState()).namespaces).includes("acme/api@main"));
            await waitFor("the team index to answer", async () => ((await search("retry failed uploads")) as Out).answeredBy.includes(SHARED));
            // git checkout feature/x: nothing is published for it, so the local index answers and says why.
            // Written again while waiting: the .git/HEAD watcher was created a moment ago (a real branch switch comes
            // long after) and on a loaded machine may not be listening yet.
            await waitFor("the namespace to follow the branch", async () => {
                if (Object.values((await teamState()).namespaces).includes("acme/api@feature/x")) return true;
                await vscode.workspace.fs.writeFile(fixtureUri(".git/HEAD"), enc("ref: refs/heads/feature/x\n"));
                await sleep(1000);
                return false;
            });
            const o = await waitFor("the local index to answer", async () => {
                const r = (await search("retry failed uploads")) as Out;
                return r.sharedUnavailable ? r : undefined;
            });
            assert.deepEqual(o.answeredBy, ["local index"]);
            assert.match(o.sharedUnavailable ?? "", /nothing for acme\/api@feature\/x/);
        } finally {
            await vscode.workspace.fs.delete(fixtureUri(".git"), { recursive: true, useTrash: false }).then(undefined, () => undefined);
        }
    });

    test("the team index setting cleared: the local index answers alone", async () => {
        await setTeamSettings({ "teamIndex.url": undefined });
        await waitFor("the team index to be off", async () => (await teamState()).state.kind === "off");
        // The engine process hears of it just after the status bar: poll.
        await waitFor("the local index to answer alone", async () => {
            const o = (await search("retry failed uploads")) as Awaited<ReturnType<typeof search>> & { answeredBy: string[] };
            return o.answeredBy.length === 1 && o.answeredBy[0] === "local index";
        });
    });
});
