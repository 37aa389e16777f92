/**
 * Discovery rules: nested .gitignore with negation, .git/info/exclude, .seekignore, default excludes, include/exclude
 * globs, size cap, order. Every corpus is generated in a temp dir.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { discoverFiles, type DiscoveryOptions } from "../../src/core/discovery/discovery";
import type { SkippedFile } from "../../src/core/types";

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** Creates a temp folder holding `files` (path -> content). */
function corpus(files: Record<string, string | Buffer>): string {
    const root = mkdtempSync(join(tmpdir(), "seek-disc-"));
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

describe("gitignore rules", () => {
    test("nested .gitignore files apply relative to their directory, with negation", async () => {
        const root = corpus({
            ".gitignore": "*.log\n/tmp/\n# a comment\n",
            "a.log": "x",
            "local.txt": "root file, not matched by sub/.gitignore",
            "tmp/x.ts": "x",
            "sub/.gitignore": "!keep.log\nlocal.txt\n",
            "sub/keep.log": "kept by negation",
            "sub/drop.log": "x",
            "sub/local.txt": "x",
            "sub/tmp/y.ts": "anchored /tmp/ only matches at the root",
            "sub/deeper/other.log": "x",
            "sub/deeper/keep.log": "negation applies to deeper dirs too",
        });
        const { paths, skip } = await discover(root);
        assert.deepEqual(paths, [
            ".gitignore",
            "local.txt",
            "sub/.gitignore",
            "sub/deeper/keep.log",
            "sub/keep.log",
            "sub/tmp/y.ts",
        ]);
        assert.deepEqual(skip("a.log"), { path: "a.log", reason: "ignored", detail: ".gitignore: *.log" });
        assert.equal(skip("sub/drop.log")?.detail, ".gitignore: *.log");
        assert.equal(skip("sub/local.txt")?.detail, "sub/.gitignore: local.txt");
        assert.equal(skip("sub/deeper/other.log")?.reason, "ignored");
        // An ignored directory is reported once, not file by file.
        assert.equal(skip("tmp/")?.detail, ".gitignore: /tmp/");
        assert.equal(skip("tmp/x.ts"), undefined);
    });

    test(".git/info/exclude applies; .git itself is never listed; respectGitignore: false turns both off", async () => {
        const root = corpus({
            ".git/HEAD": "ref: refs/heads/main\n",
            ".git/info/exclude": "notes.md\n",
            ".gitignore": "*.log\n",
            "notes.md": "x",
            "app.log": "x",
            "main.ts": "x",
            ".seekignore": "scratch/\n",
            "scratch/s.ts": "x",
        });
        const on = await discover(root);
        assert.deepEqual(on.paths, [".gitignore", ".seekignore", "main.ts"]);
        assert.equal(on.skip("notes.md")?.detail, ".git/info/exclude: notes.md");
        assert.ok(!on.skipped.some((s) => s.path.startsWith(".git/")), "VCS metadata is skipped silently");
        const off = await discover(root, { respectGitignore: false });
        assert.deepEqual(off.paths, [".gitignore", ".seekignore", "app.log", "main.ts", "notes.md"]);
        assert.equal(off.skip("scratch/")?.detail, ".seekignore: scratch/", ".seekignore applies regardless");
    });

    test(".seekignore anywhere; a later layer can re-include a default exclude", async () => {
        const root = corpus({
            ".seekignore": "generated/\n!build/\n",
            "generated/g.ts": "x",
            "build/tool.py": "sources that live in build/",
            "docs/.seekignore": "draft-*.md\n",
            "docs/draft-1.md": "x",
            "docs/final.md": "x",
            "draft-2.md": "root draft: docs/.seekignore does not reach it",
            "dist/out.js": "x",
        });
        const { paths, skip } = await discover(root);
        assert.deepEqual(paths, [".seekignore", "build/tool.py", "docs/.seekignore", "docs/final.md", "draft-2.md"]);
        assert.equal(skip("generated/")?.detail, ".seekignore: generated/");
        assert.equal(skip("docs/draft-1.md")?.detail, "docs/.seekignore: draft-*.md");
        assert.equal(skip("dist/")?.reason, "ignored");
    });

    test("inside a re-included directory, files are still tested against every layer by their own names", async () => {
        const root = corpus({
            ".gitignore": "out/\n*.log\n",
            ".seekignore": "!out/\n",
            "out/report.md": "x",
            "out/run.log": "x",
            "out/sub/deep.md": "x",
        });
        const { paths, skip } = await discover(root);
        assert.deepEqual(paths, [".gitignore", ".seekignore", "out/report.md", "out/sub/deep.md"]);
        assert.equal(skip("out/run.log")?.detail, ".gitignore: *.log");
    });
});

describe("default excludes", () => {
    test("dependencies, build output, lock files, minified files, secrets and binary formats are skipped", async () => {
        const root = corpus({
            "src/index.ts": "export {};",
            "node_modules/lib/index.js": "x",
            "packages/a/node_modules/dep/x.js": "x",
            "__pycache__/m.cpython-311.pyc": "x",
            ".venv/lib/site.py": "x",
            "coverage/lcov.info": "x",
            "package-lock.json": "{}",
            "yarn.lock": "x",
            "go.sum": "x",
            "Cargo.lock": "x",
            "web/app.min.js": "x",
            "web/app.js.map": "{}",
            "web/site.min.css": "x",
            ".env": "API_KEY=hunter2",
            ".env.production": "API_KEY=hunter2",
            "config/server.pem": "-----BEGIN PRIVATE KEY-----",
            "config/tls.KEY": "x",
            "id_rsa": "x",
            "id_rsa.pub": "x",
            ".npmrc": "//registry.npmjs.org/:_authToken=x",
            "credentials.json": "{}",
            ".ssh/config": "x",
            "assets/logo.png": "x",
            "assets/font.woff2": "x",
            "models/m.onnx": "x",
            "README.md": "# hi",
        });
        const { paths, skip } = await discover(root);
        assert.deepEqual(paths, ["README.md", "src/index.ts"]);
        for (const p of ["node_modules/", "packages/a/node_modules/", "__pycache__/", ".venv/", "coverage/"]) {
            assert.equal(skip(p)?.reason, "ignored", p);
        }
        for (const p of ["package-lock.json", "yarn.lock", "go.sum", "Cargo.lock"]) {
            assert.match(skip(p)?.detail ?? "", /lock file/, p);
        }
        for (const p of ["web/app.min.js", "web/app.js.map", "web/site.min.css"]) assert.equal(skip(p)?.reason, "minified", p);
        for (const p of [".env", ".env.production", "config/server.pem", "config/tls.KEY", "id_rsa", "id_rsa.pub", ".npmrc", "credentials.json", ".ssh/"]) {
            assert.equal(skip(p)?.reason, "secret", p);
        }
        for (const p of ["assets/logo.png", "assets/font.woff2", "models/m.onnx"]) {
            assert.deepEqual(skip(p), { path: p, reason: "binary", detail: "by extension" });
        }
    });

    test("secrets stay excluded even when a .gitignore negates them, and their contents are never logged", async () => {
        const root = corpus({ ".gitignore": "!.env\n", ".env": "TOKEN=supersecretvalue", "a.ts": "x" });
        const logged: string[] = [];
        const log = (m: unknown, ...a: unknown[]) => void logged.push([m, ...a].map(String).join(" "));
        const logger = { trace: log, debug: log, info: log, warn: log, error: log };
        const { paths, skip } = await discover(root, { logger });
        assert.deepEqual(paths, [".gitignore", "a.ts"]);
        assert.equal(skip(".env")?.reason, "secret");
        assert.ok(logged.length > 0, "discovery logs its skips at trace");
        assert.ok(!logged.some((l) => l.includes("supersecretvalue")));
    });
});

describe("options", () => {
    test("include and exclude globs (a glob without a slash matches at any depth)", async () => {
        const root = corpus({
            "src/a.ts": "x",
            "src/a.test.ts": "x",
            "src/gen/b.ts": "x",
            "docs/guide.md": "x",
            "scripts/run.sh": "x",
            "README.md": "x",
        });
        const { paths, skip } = await discover(root, { include: ["src/**", "*.md"], exclude: ["*.test.ts", "src/gen"] });
        assert.deepEqual(paths, ["README.md", "docs/guide.md", "src/a.ts"]);
        assert.deepEqual(skip("src/a.test.ts"), { path: "src/a.test.ts", reason: "ignored", detail: "excluded by setting" });
        assert.equal(skip("src/gen/")?.detail, "excluded by setting");
        assert.equal(skip("scripts/run.sh")?.detail, "not matched by include");
    });

    test("size cap: a file at the cap is kept, one byte over is tooLarge", async () => {
        const root = corpus({ "at.txt": "a".repeat(100), "over.txt": "a".repeat(101), "small.txt": "a" });
        const { paths, skip } = await discover(root, { maxFileBytes: 100 });
        assert.deepEqual(paths, ["at.txt", "small.txt"]);
        assert.deepEqual(skip("over.txt"), { path: "over.txt", reason: "tooLarge", detail: "101 bytes > 100" });
    });

    test("the default cap is 1 MiB", async () => {
        const root = corpus({ "big.txt": Buffer.alloc(1024 * 1024 + 1, 0x61), "ok.txt": Buffer.alloc(1024 * 1024, 0x61) });
        const { paths, skip } = await discover(root);
        assert.deepEqual(paths, ["ok.txt"]);
        assert.equal(skip("big.txt")?.reason, "tooLarge");
    });

    test("yields sorted folder-relative POSIX paths with size and mtime", async () => {
        const root = corpus({ "a.txt": "1", "a/b.txt": "22", "a-b.txt": "3", "B.txt": "4", "a/c/d.txt": "5", "ä.txt": "6" });
        const entries = [];
        for await (const f of discoverFiles(root)) entries.push(f);
        const paths = entries.map((e) => e.path);
        assert.deepEqual(paths, ["B.txt", "a-b.txt", "a.txt", "a/b.txt", "a/c/d.txt", "ä.txt"]);
        assert.deepEqual([...paths].sort(), paths);
        const b = entries.find((e) => e.path === "a/b.txt");
        assert.equal(b?.size, 2);
        assert.ok((b?.mtimeMs ?? 0) > 0);
    });

    test("a missing folder is a CoreError('unreadable')", async () => {
        await assert.rejects(
            async () => {
                for await (const _f of discoverFiles(join(tmpdir(), "seek-no-such-folder-" + process.pid))) void _f;
            },
            (err: unknown) => (err as { reason?: string }).reason === "unreadable",
        );
    });
});
