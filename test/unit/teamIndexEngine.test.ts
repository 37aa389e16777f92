/**
 * The extension's engine process with a team index (#12), on a real PostgreSQL: the fixture published with the real
 * CLI (`seek index --store`), a second copy opened through EngineClient as the extension opens it, the team index
 * sent with the `teamIndex` request (password included, as SecretStorage gives it). Searches answer from the team
 * index; a file edited on disk answers from the local side; the database stopped gives the local index with the
 * reason, and the team index again once it is back; a database that never answers holds a search at most ~2 s; no
 * log line or error message holds the password.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import type { SearchResult } from "../../src/core/engine";
import type { Logger } from "../../src/core/types";
import { EngineClient } from "../../src/engineHost/engineClient";
import type { WireTeamIndex } from "../../src/engineHost/teamIndexConfig";
import { startPgServer, type PgServer } from "../support/pgserver";

const repoRoot = resolve(__dirname, "..", "..", "..");
const cli = join(repoRoot, "dist", "cli.js");
const engineScript = join(repoRoot, "dist", "engineProcess.js");
const fixture = join(repoRoot, "test", "fixtures", "workspace");
/** Trust auth accepts any password: enough to see where it travels. */
const PASSWORD = "pw-Zq7!x@secret:/%";
const SHARED = "shared index acme/api@main + local changes";

let server: PgServer;
let work: string;
let cache: string;
let ws: string;
let client: EngineClient;
const lines: string[] = [];

function recordingLogger(): Logger {
    const rec = (m: string | Error, ...args: unknown[]) => void lines.push([m, ...args].map(String).join(" "));
    return { trace: rec, debug: rec, info: rec, warn: rec, error: rec };
}

function team(over: Partial<WireTeamIndex> = {}): WireTeamIndex {
    return { url: server.url, password: PASSWORD, repository: "acme/api", ref: "main", ...over };
}

function search(query: string, mode: "hybrid" | "lexical" = "hybrid"): Promise<SearchResult> {
    return client.request("search", { key: "ws", query, options: { mode, top: 10 } });
}

function assertNoPassword(texts: string[]): void {
    for (const t of texts) {
        assert.ok(!t.includes(PASSWORD) && !t.includes(encodeURIComponent(PASSWORD)), `the password leaked into: ${t}`);
    }
}

before(async () => {
    server = await startPgServer();
    work = mkdtempSync(join(tmpdir(), "seek-team-engine-"));
    cache = join(work, "cache");
    const published = join(work, "published");
    ws = join(work, "ws");
    cpSync(fixture, published, { recursive: true });
    cpSync(fixture, ws, { recursive: true });
    const res = spawnSync(process.execPath, [cli, "index", published, "--store", server.url, "--repo", "acme/api", "--ref", "main"], {
        encoding: "utf8",
        timeout: 240_000,
        env: { ...process.env, XDG_CACHE_HOME: cache },
    });
    assert.equal(res.status, 0, `seek index --store failed:\n${res.stdout}\n${res.stderr}`);
    client = new EngineClient({ scriptPath: engineScript, logger: recordingLogger(), env: { XDG_CACHE_HOME: cache } });
    client.setLogLevel("trace");
    const base = { folder: ws, indexDir: join(cache, "ws-index"), modelsDir: join(repoRoot, "models"), instructions: true, threads: 1 };
    await client.request("open", { key: "ws", options: base });
    await client.request("run", { key: "ws", priorityPaths: [] });
});

after(async () => {
    await client?.dispose();
    await server?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
});

test("without a team index the local index answers", async () => {
    const r = await search("retry failed uploads");
    assert.equal(r.answeredBy, "local index");
    assert.ok(r.hits.length > 0);
});

test("with the team index sent, searches answer from it with the local changes on top", async () => {
    await client.request("teamIndex", { key: "ws", team: team() });
    const r = await search("retry failed uploads");
    assert.equal(r.answeredBy, SHARED);
    assert.equal(r.sharedUnavailable, undefined);
    assert.equal(r.hits[0]?.path, "src/upload/retry.ts");
});

test("a file edited and saved locally answers from the local side, with its new text", async () => {
    const file = join(ws, "src", "upload", "retry.ts");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n/** Quokkaflux: the jitter added between retries. */\nexport const QUOKKAFLUX_JITTER_MS = 17;\n`);
    await client.request("refreshPaths", { key: "ws", paths: ["src/upload/retry.ts"] });
    const r = await search("quokkaflux jitter", "lexical");
    assert.equal(r.answeredBy, SHARED);
    const hit = r.hits.find((h) => h.path === "src/upload/retry.ts");
    assert.ok(hit && /QUOKKAFLUX_JITTER_MS/.test(hit.text), JSON.stringify(r.hits.map((h) => [h.path, h.text.slice(0, 60)])));
});

test("the database stopped: the local index answers with the reason; back once it is restarted", async () => {
    await server.stop();
    const down = await search("retry failed uploads");
    assert.equal(down.answeredBy, "local index");
    assert.match(down.sharedUnavailable ?? "", /cannot be reached/);
    assert.ok(down.hits.length > 0);
    await server.start();
    // The team index is tried again 5 s after it failed (core/teamIndex.ts TEAM_RETRY_MS).
    await new Promise((r) => setTimeout(r, 5_500));
    const back = await search("retry failed uploads");
    assert.equal(back.answeredBy, SHARED);
    assert.equal(back.sharedUnavailable, undefined);
});

test("the team index replaced while searches run: they complete on the one they started with", async () => {
    await client.request("teamIndex", { key: "ws", team: team() });
    assert.equal((await search("upload")).answeredBy, SHARED);
    const running = Promise.all(["retry failed uploads", "upload client", "parse the config file"].map((q) => search(q)));
    await client.request("teamIndex", { key: "ws", team: team({ ref: "elsewhere" }) });
    for (const r of await running) {
        assert.equal(r.answeredBy, SHARED);
        assert.ok(r.hits.length > 0);
    }
    await client.request("teamIndex", { key: "ws", team: team() });
});

test("a namespace nobody published falls back with the reason instead of failing searches", async () => {
    await client.request("teamIndex", { key: "ws", team: team({ ref: "no-such-branch" }) });
    const r = await search("retry failed uploads");
    assert.equal(r.answeredBy, "local index");
    assert.match(r.sharedUnavailable ?? "", /nothing for acme\/api@no-such-branch/);
});

test("an unreachable database: neither the reason nor any log line holds the password", async () => {
    await client.request("teamIndex", { key: "ws", team: team({ url: "postgres://reader@127.0.0.1:1/seek" }) });
    const r = await search("retry failed uploads");
    assert.equal(r.answeredBy, "local index");
    assert.match(r.sharedUnavailable ?? "", /cannot be reached/);
    assertNoPassword([r.sharedUnavailable ?? ""]);
    assert.ok(lines.some((l) => l.includes("cannot be reached")), "the fallback is logged");
    // The engine's lines do reach this logger (so the check below sees what the Seek output channel would show).
    assert.ok(lines.some((l) => l.includes("(password from SecretStorage)")), "the engine process logs the team index");
    assertNoPassword(lines);
});

test("a password-protected reader: the stored password is what authenticates; a wrong one falls back without showing it", async () => {
    // A reader role that must give its password (the server trusts everyone else on loopback).
    const hba = join(server.dataDir, "pg_hba.conf");
    writeFileSync(hba, `host all reader 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, "utf8")}`);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
        await admin.query(`CREATE ROLE reader LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
        await admin.query("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader");
        await admin.query("SELECT pg_reload_conf()");
    } finally {
        await admin.end();
    }
    const readerUrl = server.url.replace("postgres://postgres@", "postgres://reader@");
    await client.request("teamIndex", { key: "ws", team: team({ url: readerUrl }) });
    const ok = await search("retry failed uploads");
    assert.equal(ok.answeredBy, SHARED, ok.sharedUnavailable);

    const wrong = "not-the-Pw-9%@";
    await client.request("teamIndex", { key: "ws", team: team({ url: readerUrl, password: wrong }) });
    const refused = await search("retry failed uploads");
    assert.equal(refused.answeredBy, "local index");
    assert.match(refused.sharedUnavailable ?? "", /password authentication failed/);
    assertNoPassword([refused.sharedUnavailable ?? ""]);
    for (const t of [refused.sharedUnavailable ?? "", ...lines]) assert.ok(!t.includes(wrong) && !t.includes(encodeURIComponent(wrong)), `the wrong password leaked into: ${t}`);
    assertNoPassword(lines);
});

test("a database that accepts connections but never answers costs a search a bounded wait, not the connect timeout", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((sock) => void sockets.push(sock));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
        const { port } = silent.address() as AddressInfo;
        await client.request("teamIndex", { key: "ws", team: team({ url: `postgres://reader@127.0.0.1:${port}/seek` }) });
        const timed = async () => {
            const t0 = performance.now();
            const r = await search("retry failed uploads");
            return { r, ms: performance.now() - t0 };
        };
        const first = await timed();
        assert.equal(first.r.answeredBy, "local index");
        assert.match(first.r.sharedUnavailable ?? "", /does not answer/);
        // FIRST_WAIT_MS (2 s) plus the local search, well under the 5 s connect timeout.
        assert.ok(first.ms < 3_500, `first search ${Math.round(first.ms)} ms`);
        await new Promise((r) => setTimeout(r, 5_500)); // past the link's retry pause
        const retry = await timed();
        assert.equal(retry.r.answeredBy, "local index");
        assert.ok(retry.ms < 1_500, `retry ${Math.round(retry.ms)} ms`); // RETRY_WAIT_MS (0.3 s) plus the search
    } finally {
        sockets.forEach((s) => s.destroy());
        silent.close();
    }
});

test("the team index removed: back to the local index alone", async () => {
    await client.request("teamIndex", { key: "ws", team: null });
    const r = await search("retry failed uploads");
    assert.equal(r.answeredBy, "local index");
    assert.equal(r.sharedUnavailable, undefined);
    assertNoPassword(lines);
});
