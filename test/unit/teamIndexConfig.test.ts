/**
 * The editor's team index settings (#12): the namespace defaults from git (shared with `seek index --store`), the
 * URL without a password, the password put in only at connect time and scrubbed from messages, and the status bar
 * words for each state; the opener that bounds how long a search waits for a database that does not answer.
 */
import { describe, it, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "pg-connection-string";
import { cleanUrl, defaultNamespace, describeTeamIndex, repositoryOfRemote, scrub, shownUrl, withPassword } from "../../src/engineHost/teamIndexConfig";
import { CoreError, isCoreError } from "../../src/core/errors";
import type { SharedSource } from "../../src/core/teamIndex";
import { teamOpener, withDeadline } from "../../src/engineHost/teamOpener";
import { answeredByText, teamIndexStatus } from "../../src/indexing/statusText";

test("a remote URL gives owner/name in every form git writes", () => {
    for (const remote of [
        "https://github.com/acme/api.git",
        "https://github.com/acme/api",
        "git@github.com:acme/api.git",
        "ssh://git@github.com:22/acme/api.git",
        "https://user@gitlab.example.com/group/acme/api.git/",
    ]) {
        assert.equal(repositoryOfRemote(remote), "acme/api", remote);
    }
});

test("the namespace comes from the origin remote and the branch, else the folder name and main", () => {
    const dir = mkdtempSync(join(tmpdir(), "seek-ns-"));
    try {
        const repo = join(dir, "checkout");
        mkdirSync(join(repo, ".git"), { recursive: true });
        writeFileSync(join(repo, ".git", "HEAD"), "ref: refs/heads/feature/x\n");
        writeFileSync(join(repo, ".git", "config"), '[core]\n\tbare = false\n[remote "upstream"]\n\turl = git@h:other/thing.git\n[remote "origin"]\n\turl = git@github.com:acme/api.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n');
        assert.deepEqual(defaultNamespace(repo), { repository: "acme/api", ref: "feature/x" });
        // Detached HEAD, no origin: the folder's name and main.
        writeFileSync(join(repo, ".git", "HEAD"), "0123456789abcdef0123456789abcdef01234567\n");
        writeFileSync(join(repo, ".git", "config"), "[core]\n\tbare = false\n");
        assert.deepEqual(defaultNamespace(repo), { repository: "checkout", ref: "main" });
        const plain = join(dir, "plain-folder");
        mkdirSync(plain);
        assert.deepEqual(defaultNamespace(plain), { repository: "plain-folder", ref: "main" });
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("the settings URL loses any password; the engine's URL gets the stored one, encoded", () => {
    assert.deepEqual(cleanUrl(" postgres://reader:hunter2@db:5432/seek?sslmode=require "), { url: "postgres://reader@db:5432/seek?sslmode=require", hadPassword: true });
    assert.deepEqual(cleanUrl("postgresql://reader@db/seek"), { url: "postgresql://reader@db/seek", hadPassword: false });
    assert.equal(cleanUrl("mysql://db/seek"), undefined);
    assert.equal(cleanUrl("not a url"), undefined);
    const password = "p@ss:w/rd% é!*()#?&=";
    const url = withPassword("postgres://reader@db:5432/seek?sslmode=verify-full", password);
    // What node-postgres reads back from the URL is the password as stored.
    assert.equal(parse(url).password, password);
    assert.equal(parse(url).user, "reader");
    assert.equal(parse(url).database, "seek");
    assert.equal(withPassword("postgres://reader@db/seek", undefined), "postgres://reader@db/seek");
});

test("messages show the URL without a password, whoever passed one", () => {
    const text = describeTeamIndex({ url: "postgres://reader:hunter2@db/seek", repository: "acme/api", ref: "main", password: "x" });
    assert.equal(text, "acme/api@main at postgres://reader@db/seek (password from SecretStorage)");
    assert.equal(shownUrl("nonsense :// hunter2"), "<team index url>");
});

test("scrub removes the password as given and URL-encoded", () => {
    assert.equal(scrub("failed for p@ss and p%40ss", "p@ss"), "failed for *** and ***");
    assert.equal(scrub("nothing here", undefined), "nothing here");
});

test("the status bar names the index that answered and warns while the team index is down", () => {
    assert.equal(teamIndexStatus({ kind: "off", off: "unset" }), undefined);
    assert.match(teamIndexStatus({ kind: "off", off: "restricted" })!.tooltip, /Restricted Mode/);
    const answered = teamIndexStatus({ kind: "answered", namespaces: ["acme/api@main"], url: "postgres://r@db/seek", answeredBy: ["shared index acme/api@main + local changes"] })!;
    assert.equal(answered.warning, false);
    assert.match(answered.tooltip, /answered by team index acme\/api@main \+ local changes/);
    const down = teamIndexStatus({ kind: "unavailable", namespaces: ["acme/api@main"], url: "postgres://r@db/seek", reason: "The team index at postgres://r@db/seek cannot be reached (ECONNREFUSED)" })!;
    assert.equal(down.warning, true);
    assert.match(down.text, /offline/);
    assert.match(down.tooltip, /ECONNREFUSED/);
    assert.equal(answeredByText("local index"), "local index");
});

describe("teamOpener: a database that does not answer costs a search a bounded wait", () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    function slowSource(ms: number) {
        const state = { connects: 0, closed: 0 };
        const source = { label: "shared index x@y", close: async () => void state.closed++ } as unknown as SharedSource;
        const connect = () => {
            state.connects++;
            return new Promise<SharedSource>((resolve) => setTimeout(() => resolve(source), ms));
        };
        return { state, source, connect };
    }

    it("gives up waiting, keeps connecting, and hands the connection over at the next try", async () => {
        const { state, source, connect } = slowSource(150);
        const opener = teamOpener(connect, "The team index x@y", { first: 50, retry: 20 });
        const t0 = Date.now();
        await assert.rejects(opener.open(), (e: unknown) => isCoreError(e, "storeUnreachable") && /does not answer/.test(e.message));
        assert.ok(Date.now() - t0 < 140);
        await sleep(150);
        assert.equal(await opener.open(), source);
        assert.equal(state.connects, 1);
        assert.equal(state.closed, 0);
    });

    it("after a failure a retry waits the short time", async () => {
        const { connect } = slowSource(1_000);
        const opener = teamOpener(connect, "The team index x@y", { first: 50, retry: 20 });
        await assert.rejects(opener.open());
        const t0 = Date.now();
        await assert.rejects(opener.open());
        assert.ok(Date.now() - t0 < 45, `${Date.now() - t0} ms`);
    });

    it("a connection that arrives after its link was replaced is closed", async () => {
        const { state, connect } = slowSource(60);
        const opener = teamOpener(connect, "The team index x@y", { first: 10, retry: 10 });
        await assert.rejects(opener.open());
        opener.abandon();
        await sleep(100);
        assert.equal(state.closed, 1);
    });

    it("one that arrived but was never taken is closed when its link is replaced, once", async () => {
        const { state, connect } = slowSource(30);
        const opener = teamOpener(connect, "The team index x@y", { first: 10, retry: 10 });
        await assert.rejects(opener.open());
        await sleep(60);
        opener.abandon();
        await sleep(10);
        assert.equal(state.closed, 1);
    });

    it("a failed connection is tried afresh, with its own error", async () => {
        let n = 0;
        const opener = teamOpener(async () => {
            n++;
            throw new CoreError("storeUnreachable", "refused");
        }, "x");
        await assert.rejects(opener.open(), /refused/);
        await assert.rejects(opener.open(), /refused/);
        assert.equal(n, 2);
    });
});

describe("withDeadline: a connection gone silent mid-session", () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    function source() {
        const state = { silent: false, calls: 0, refreshes: 0 };
        const never = new Promise<never>(() => undefined);
        const src = {
            label: "shared index x@y",
            async counts() {
                state.calls++;
                return state.silent ? never : { files: 1, chunks: 2, embedded: 2 };
            },
            async refresh() {
                state.refreshes++;
                return state.silent ? never : undefined;
            },
            async close() {},
        } as unknown as SharedSource;
        return { state, src };
    }

    it("fails a call past the deadline as storeUnreachable, then after a short wait until a probe gets an answer", async () => {
        const { state, src } = source();
        const guarded = withDeadline(src, "The team index x@y", 40);
        assert.equal(guarded.label, "shared index x@y");
        assert.deepEqual(await guarded.counts(), { files: 1, chunks: 2, embedded: 2 });
        state.silent = true;
        const t0 = Date.now();
        await assert.rejects(guarded.counts(), (e: unknown) => isCoreError(e, "storeUnreachable") && /stopped answering/.test(e.message));
        assert.ok(Date.now() - t0 < 200);
        const t1 = Date.now();
        await assert.rejects(guarded.counts(), (e: unknown) => isCoreError(e, "storeUnreachable"));
        assert.ok(Date.now() - t1 < 350, "while stuck, a call waits at most the short retry wait for the probe");
        assert.equal(state.calls, 2, "the stuck source is not called");
        state.silent = false;
        await sleep(60); // the probe above timed out while it was still silent
        // The next call's probe answers within its wait: this very call is served.
        assert.deepEqual(await guarded.counts(), { files: 1, chunks: 2, embedded: 2 });
        assert.ok(state.refreshes >= 2);
    });
});
