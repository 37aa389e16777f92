/**
 * Discovery against awkward file systems: symlink loops and links leaving the folder, unreadable directories,
 * files vanishing mid-walk, FIFOs, very deep trees, cancellation.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { after, describe, test } from "node:test";
import { discoverFiles, type DiscoveryOptions } from "../../src/core/discovery/discovery";
import { isCoreError } from "../../src/core/errors";
import type { SkippedFile } from "../../src/core/types";

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const isRoot = process.getuid?.() === 0;

function corpus(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), "seek-discfs-"));
    roots.push(root);
    for (const [rel, content] of Object.entries(files)) {
        mkdirSync(dirname(join(root, rel)), { recursive: true });
        writeFileSync(join(root, rel), content);
    }
    return root;
}

async function discover(root: string, opts: DiscoveryOptions = {}) {
    const skipped: SkippedFile[] = [];
    const paths: string[] = [];
    for await (const f of discoverFiles(root, { ...opts, onSkip: (s) => skipped.push(s) })) paths.push(f.path);
    const skip = (p: string) => skipped.find((s) => s.path === p);
    return { paths, skipped, skip };
}

function errno(code: string): NodeJS.ErrnoException {
    return Object.assign(new Error(`${code}: simulated`), { code });
}

describe("symlinks", () => {
    test("links inside the folder are followed; loops are detected by real path and reported", async () => {
        const root = corpus({ "src/a.ts": "a", "src/deep/b.ts": "b", "other/c.ts": "c" });
        symlinkSync("..", join(root, "src/deep/up")); // -> src: contains the link itself
        symlinkSync(join(root, "src"), join(root, "src/deep/abs-up")); // absolute form of the same loop
        symlinkSync("self", join(root, "self")); // resolves to itself: ELOOP
        symlinkSync("other", join(root, "link-other")); // a plain directory link inside the folder
        symlinkSync("src/a.ts", join(root, "a-link.ts")); // a file link inside the folder
        const { paths, skip } = await discover(root);
        // Targets the walk reaches by their own paths are indexed once, there (no duplicate hits).
        assert.deepEqual(paths, ["other/c.ts", "src/a.ts", "src/deep/b.ts"]);
        assert.deepEqual(skip("link-other/"), { path: "link-other/", reason: "ignored", detail: "duplicate: links to other, indexed there" });
        assert.deepEqual(skip("a-link.ts"), { path: "a-link.ts", reason: "ignored", detail: "duplicate: links to src/a.ts, indexed there" });
        assert.equal(skip("src/deep/up/")?.reason, "symlinkLoop");
        assert.equal(skip("src/deep/abs-up/")?.reason, "symlinkLoop");
        assert.equal(skip("self")?.reason, "symlinkLoop");
    });

    test("a link into an ignored folder is followed: its files are reachable only through it", async () => {
        const root = corpus({ ".gitignore": "build/\n", "build/gen/api.ts": "api" });
        symlinkSync("build/gen", join(root, "generated")); // target excluded by the root .gitignore
        symlinkSync("build/gen/api.ts", join(root, "api-link.ts"));
        const { paths } = await discover(root);
        assert.deepEqual(paths, [".gitignore", "api-link.ts", "generated/api.ts"]);
    });

    test("mutually recursive directory links terminate", async () => {
        const root = corpus({ "a/x.ts": "x", "b/y.ts": "y" });
        symlinkSync("../b", join(root, "a/to-b"));
        symlinkSync("../a", join(root, "b/to-a"));
        const { paths, skipped } = await discover(root);
        assert.ok(paths.length < 10, `bounded: ${paths.join(", ")}`);
        assert.deepEqual(paths, ["a/x.ts", "b/y.ts"]);
        assert.equal(skipped.filter((s) => s.detail?.startsWith("duplicate")).length, 2, JSON.stringify(skipped));
    });

    test("links pointing outside the folder are skipped as 'outside workspace'; broken links are unreadable", async () => {
        const outside = corpus({ "secret-ish.ts": "x", "dir/y.ts": "y" });
        const root = corpus({ "in.ts": "x" });
        symlinkSync(join(outside, "secret-ish.ts"), join(root, "out-file.ts"));
        symlinkSync(join(outside, "dir"), join(root, "out-dir"));
        symlinkSync("../" + outside.split(sep).pop(), join(root, "out-rel"));
        symlinkSync("missing.ts", join(root, "dangling.ts"));
        const { paths, skip } = await discover(root);
        assert.deepEqual(paths, ["in.ts"]);
        for (const p of ["out-file.ts", "out-dir/", "out-rel/"]) {
            assert.deepEqual(skip(p), { path: p, reason: "ignored", detail: "outside workspace" }, p);
        }
        assert.deepEqual(skip("dangling.ts"), { path: "dangling.ts", reason: "unreadable", detail: "ENOENT (broken symlink)" });
    });
});

describe("faults", () => {
    test("an unreadable directory is skipped with its errno code (injected EACCES)", async () => {
        const root = corpus({ "ok/a.ts": "a", "locked/b.ts": "b" });
        const { readdir } = await import("node:fs/promises");
        const { paths, skip } = await discover(root, {
            fs: {
                readdir: async (p) => {
                    if (p.endsWith(`${sep}locked`)) throw errno("EACCES");
                    return readdir(p, { withFileTypes: true });
                },
            },
        });
        assert.deepEqual(paths, ["ok/a.ts"]);
        assert.deepEqual(skip("locked/"), { path: "locked/", reason: "unreadable", detail: "EACCES" });
    });

    test(`an unreadable directory (real chmod 000)${isRoot ? " [not run: tests run as root, which chmod cannot lock out]" : ""}`, { skip: isRoot }, async () => {
        const root = corpus({ "ok/a.ts": "a", "locked/b.ts": "b" });
        chmodSync(join(root, "locked"), 0o000);
        try {
            const { paths, skip } = await discover(root);
            assert.deepEqual(paths, ["ok/a.ts"]);
            assert.equal(skip("locked/")?.reason, "unreadable");
        } finally {
            chmodSync(join(root, "locked"), 0o755);
        }
    });

    test("a file that vanishes between listing and stat is reported as vanished", async () => {
        const root = corpus({ "a.ts": "a", "gone.ts": "g" });
        const { paths, skip } = await discover(root, {
            fs: {
                stat: async (p) => {
                    if (p.endsWith("gone.ts")) throw errno("ENOENT");
                    return stat(p);
                },
            },
        });
        assert.deepEqual(paths, ["a.ts"]);
        assert.deepEqual(skip("gone.ts"), { path: "gone.ts", reason: "vanished", detail: "ENOENT" });
    });

    test("an unreadable .gitignore is logged and the walk goes on", async () => {
        const root = corpus({ ".gitignore": "*.log", "a.log": "x", "a.ts": "x" });
        const warnings: string[] = [];
        const noop = () => undefined;
        const { readFile } = await import("node:fs/promises");
        const { paths } = await discover(root, {
            logger: { trace: noop, debug: noop, info: noop, warn: (m) => void warnings.push(m), error: noop },
            fs: { readText: async (p) => (p.endsWith(".gitignore") ? Promise.reject(errno("EACCES")) : readFile(p, "utf8")) },
        });
        assert.deepEqual(paths, [".gitignore", "a.log", "a.ts"]);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0], /\.gitignore \(EACCES\)/);
    });

    test("a FIFO is skipped, never opened", { skip: process.platform === "win32" ? "no mkfifo on Windows" : false }, async () => {
        const root = corpus({ "a.ts": "a" });
        execFileSync("mkfifo", [join(root, "pipe.txt")]);
        const { paths, skip } = await discover(root);
        assert.deepEqual(paths, ["a.ts"]);
        assert.deepEqual(skip("pipe.txt"), { path: "pipe.txt", reason: "ignored", detail: "not a regular file" });
    });
});

describe("scale and cancellation", () => {
    test("a 200-level deep tree is walked without recursion", async () => {
        const root = corpus({});
        const rel = Array.from({ length: 200 }, (_, i) => `d${i}`).join("/");
        mkdirSync(join(root, rel), { recursive: true });
        writeFileSync(join(root, rel, "leaf.ts"), "x");
        writeFileSync(join(root, "d0", "top.ts"), "x");
        const { paths } = await discover(root);
        assert.deepEqual(paths, [`${rel}/leaf.ts`, "d0/top.ts"]);
    });

    test("aborting stops the walk with CoreError('cancelled') at the next directory", async () => {
        const files: Record<string, string> = {};
        for (let i = 0; i < 50; i++) files[`d${String(i).padStart(2, "0")}/f.ts`] = "x";
        const root = corpus(files);
        const ac = new AbortController();
        const seen: string[] = [];
        await assert.rejects(
            async () => {
                for await (const f of discoverFiles(root, { signal: ac.signal })) {
                    seen.push(f.path);
                    ac.abort();
                }
            },
            (err: unknown) => isCoreError(err, "cancelled"),
        );
        assert.deepEqual(seen, ["d00/f.ts"]);
    });

    test("an already aborted signal throws before any I/O", async () => {
        const ac = new AbortController();
        ac.abort();
        await assert.rejects(
            async () => {
                for await (const _f of discoverFiles(corpus({ "a.ts": "x" }), { signal: ac.signal })) void _f;
            },
            (err: unknown) => isCoreError(err, "cancelled"),
        );
    });
});
