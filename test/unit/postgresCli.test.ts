/**
 * `seek ... --store <url>` end to end through the built CLI (dist/cli.js) with the real model, on a real PostgreSQL
 * (test/support/pgserver.ts): index publishes the fixture, a second run publishes nothing, search and similar from
 * the team index equal the local index's answers, status reads the namespace, and a stopped database gives one
 * message and the local answers.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { REPO_ROOT, startPgServer, type PgServer } from "../support/pgserver";

const cli = join(REPO_ROOT, "dist", "cli.js");
let server: PgServer;
let work: string;
let folder: string;

function seek(...args: string[]): { code: number; stdout: string; stderr: string } {
    const env = { ...process.env, XDG_CACHE_HOME: join(work, "cache"), SEEK_STORE_URL: "" };
    const res = spawnSync(process.execPath, [cli, ...args, "--index-dir", join(work, "index")], { encoding: "utf8", timeout: 240_000, env });
    return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

function json<T>(...args: string[]): T {
    const res = seek(...args, "--json");
    assert.equal(res.code, 0, res.stderr);
    return JSON.parse(res.stdout) as T;
}

interface Hits {
    results: { path: string; startLine: number; endLine: number; score: number }[];
}

before(async () => {
    server = await startPgServer();
    work = mkdtempSync(join(tmpdir(), "seek-pgcli-"));
    folder = join(work, "ws");
    cpSync(join(REPO_ROOT, "test", "fixtures", "workspace"), folder, { recursive: true });
});
after(async () => {
    await server?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
});

test("seek index --store publishes, search/similar/status --store answer like the local index", async () => {
    const first = json<{ files: number; chunks: number; published: { added: number; chunks: number; namespace: string } }>("index", folder, "--store", server.url);
    // Not a git checkout: the namespace is the folder's name and "main".
    assert.equal(first.published.namespace, "ws@main");
    assert.equal(first.published.added, first.files);
    assert.equal(first.published.chunks, first.chunks);
    const again = seek("index", folder, "--store", server.url);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Published ws@main to postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres: 0 new, 0 changed, 0 removed, \d+ unchanged files; 0 chunks written/);

    for (const mode of ["hybrid", "lexical", "vector"]) {
        for (const query of ["retry a failed upload", "parse the configuration file", "UserService", "how is the session token checked"]) {
            const local = json<Hits>("search", folder, query, "--mode", mode, "--top", "8");
            const shared = json<Hits & { answeredBy?: string }>("search", folder, query, "--mode", mode, "--top", "8", "--store", server.url);
            assert.deepEqual(
                shared.results.map((h) => `${h.path}:${h.startLine}-${h.endLine}`),
                local.results.map((h) => `${h.path}:${h.startLine}-${h.endLine}`),
                `${mode} '${query}'`,
            );
            shared.results.forEach((h, i) => assert.ok(Math.abs(h.score - local.results[i].score) < 1e-4, `${mode} '${query}' score ${h.score} vs ${local.results[i].score}`));
        }
    }
    const status = json<{ namespace: string; files: number; chunks: number; store: string }>("status", folder, "--store", server.url);
    assert.deepEqual([status.namespace, status.files, status.chunks], ["ws@main", first.files, first.chunks]);

    // Another ref of the same repository is another namespace; a namespace never published is a clear error.
    const missing = seek("status", folder, "--store", server.url, "--ref", "nope");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nothing for ws@nope/);

    // Database down: one message on stderr, the local index answers.
    await server.stop();
    try {
        const res = seek("search", folder, "retry a failed upload", "--store", `postgres://postgres:pw-secret@127.0.0.1:${server.port}/postgres`, "--json");
        assert.equal(res.code, 0, res.stderr);
        assert.match(res.stderr, /cannot be reached .*answering from the local index/);
        assert.doesNotMatch(res.stderr, /pw-secret/);
        assert.ok((JSON.parse(res.stdout) as Hits).results.length > 0);
    } finally {
        await server.start();
    }
});

test("similar --store equals the local answer", () => {
    const listed = json<Hits>("search", folder, "upload", "--mode", "lexical", "--top", "1");
    const spec = `${listed.results[0].path}:${listed.results[0].startLine}`;
    const local = json<Hits>("similar", folder, spec, "--top", "5");
    const shared = json<Hits>("similar", folder, spec, "--top", "5", "--store", server.url);
    assert.deepEqual(shared.results.map((h) => `${h.path}:${h.startLine}`), local.results.map((h) => `${h.path}:${h.startLine}`));
});
