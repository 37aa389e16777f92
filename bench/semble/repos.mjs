#!/usr/bin/env node
/**
 * Brings the semble benchmark repositories into --repos-dir, one folder per repo name, at the pinned revisions.
 *
 *   node bench/semble/repos.mjs [--repos-dir <dir>] [--only a,b] [--quick]          clone from GitHub (blob-less)
 *   (default --repos-dir: $SEEK_BENCH_REPOS or ../bench-repos next to this repository)
 *   node bench/semble/repos.mjs --repos-dir <dir> --from-bare <mirrors> [--only]    export from local bare repos
 *
 * --from-bare looks for `<mirrors>/<owner>+<name>/repo` or `<mirrors>/<name>.git`. When the pinned revision is not
 * in the bare repo, its HEAD is exported instead and that is recorded; when HEAD lacks the benchmark root (a
 * default branch on another major version: jackson-databind's 2.x has no `tools/jackson/databind`), the newest
 * branch head that has it. Every file of the tree is exported, those `.gitattributes` marks `export-ignore` too
 * (`git archive` leaves them out: guzzle's tests, half of monolog). What each folder holds is written to
 * `<repos-dir>/.bench-repos.json` (outside every checkout, so it is never indexed). The checkouts are never part of
 * this repository.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseFlags } from "../lib/args.mjs";
import { DEFAULT_SEMBLE_DIR, QUICK_REPOS, REPO_ROOT, loadRepoSpecs } from "./data.mjs";

const MANIFEST = ".bench-repos.json";

function git(args, opts = {}) {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts }).trim();
}

function hasCommit(gitDir, rev) {
    return spawnSync("git", ["--git-dir", gitDir, "cat-file", "-e", `${rev}^{commit}`]).status === 0;
}

function ownerName(url) {
    const m = /github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?$/.exec(url);
    return m ? { owner: m[1], repo: m[2] } : undefined;
}

function findBare(mirrors, spec) {
    const on = ownerName(spec.url);
    const candidates = [
        on && join(mirrors, `${on.owner}+${on.repo}`, "repo"),
        on && join(mirrors, `${on.repo}.git`),
        join(mirrors, `${spec.name}.git`),
    ].filter(Boolean);
    return candidates.find((c) => existsSync(join(c, "HEAD")));
}

/** The revision to export when the pinned one is absent: HEAD, or the newest branch head holding the benchmark root. */
function fallbackRevision(bare, spec) {
    const head = git(["--git-dir", bare, "rev-parse", "HEAD"]);
    const hasRoot = (rev) => !spec.benchmarkRoot || spawnSync("git", ["--git-dir", bare, "cat-file", "-e", `${rev}:${spec.benchmarkRoot}`]).status === 0;
    if (hasRoot(head)) return head;
    const heads = git(["--git-dir", bare, "for-each-ref", "--sort=-committerdate", "--format=%(objectname)", "refs/heads"]).split("\n").filter(Boolean);
    return heads.find(hasRoot) ?? head;
}

/** git archive of one revision into a fresh folder: no .git, nothing else. */
function exportBare(bare, spec, dest) {
    const pinned = hasCommit(bare, spec.revision);
    const rev = pinned ? spec.revision : fallbackRevision(bare, spec);
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    // The bare repo's own attributes outrank the tree's .gitattributes: nothing is left out or rewritten.
    mkdirSync(join(bare, "info"), { recursive: true });
    writeFileSync(join(bare, "info", "attributes"), "* -export-ignore -export-subst\n");
    const archive = spawnSync("git", ["--git-dir", bare, "archive", "--format=tar", rev], { maxBuffer: 4 << 30 });
    let missingBlobs = [];
    if (archive.status === 0) {
        const tar = spawnSync("tar", ["-x", "-C", dest], { input: archive.stdout, maxBuffer: 1 << 20 });
        if (tar.status !== 0) throw new Error(`tar failed for ${spec.name}: ${tar.stderr}`);
    } else {
        // Snapshots may leave out their largest blobs (binaries, fixtures); export what is there and list the rest.
        missingBlobs = exportBlobs(bare, rev, dest);
    }
    const date = git(["--git-dir", bare, "show", "-s", "--format=%cI", rev]);
    return { revision: rev, pinned, source: bare, date, missingBlobs };
}

/** Writes every blob of rev that the bare repo has; returns the paths whose blobs are absent. */
function exportBlobs(bare, rev, dest) {
    const tree = git(["--git-dir", bare, "ls-tree", "-r", "-z", "--full-tree", rev], { maxBuffer: 1 << 28 });
    const entries = tree
        .split("\0")
        .filter(Boolean)
        .map((line) => {
            const [meta, path] = line.split("\t");
            const [mode, type, sha] = meta.split(" ");
            return { mode, type, sha, path };
        })
        .filter((e) => e.type === "blob" && e.mode !== "120000");
    const check = spawnSync("git", ["--git-dir", bare, "cat-file", "--batch-check=%(objectname) %(objecttype)"], {
        input: entries.map((e) => e.sha).join("\n") + "\n",
        maxBuffer: 1 << 28,
        encoding: "utf8",
    });
    const present = new Set(check.stdout.split("\n").filter((l) => l.endsWith(" blob")).map((l) => l.split(" ")[0]));
    const missing = [];
    for (const e of entries) {
        if (!present.has(e.sha)) {
            missing.push(e.path);
            continue;
        }
        const out = join(dest, e.path);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, execFileSync("git", ["--git-dir", bare, "cat-file", "blob", e.sha], { maxBuffer: 1 << 30 }));
    }
    return missing;
}

/** Blob-less clone, then checkout of the pinned revision (fetched explicitly if no branch has it). */
function cloneAt(spec, dest) {
    if (!existsSync(join(dest, ".git"))) {
        rmSync(dest, { recursive: true, force: true });
        git(["clone", "--quiet", "--filter=blob:none", "--no-checkout", spec.url, dest], { stdio: "inherit" });
    }
    let pinned = hasCommit(join(dest, ".git"), spec.revision);
    if (!pinned) {
        pinned = spawnSync("git", ["-C", dest, "fetch", "--quiet", "--filter=blob:none", "origin", spec.revision]).status === 0;
    }
    const rev = pinned ? spec.revision : "HEAD";
    git(["-C", dest, "checkout", "--quiet", "--detach", rev], { stdio: "inherit" });
    return { revision: git(["-C", dest, "rev-parse", "HEAD"]), pinned, source: spec.url };
}

function readManifest(reposDir) {
    const file = join(reposDir, MANIFEST);
    return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
}

/** What each checkout holds (revision, whether it is the pinned one). */
export function checkoutInfo(reposDir) {
    return readManifest(reposDir);
}

function main() {
    const args = parseFlags(process.argv.slice(2), { booleans: ["quick", "force"], lists: ["only"] });
    // Default outside the project: the checkouts must never end up in this repository.
    const reposDir = resolve(args.reposDir ?? process.env.SEEK_BENCH_REPOS ?? join(REPO_ROOT, "..", "bench-repos"));
    const only = args.only ?? (args.quick ? QUICK_REPOS : undefined);
    const specs = loadRepoSpecs(args.sembleDir ?? DEFAULT_SEMBLE_DIR).filter((s) => !only || only.includes(s.name));
    mkdirSync(reposDir, { recursive: true });
    const manifest = readManifest(reposDir);
    for (const spec of specs) {
        const dest = join(reposDir, spec.name);
        if (!args.force && manifest[spec.name] && existsSync(dest)) {
            process.stdout.write(`${spec.name}: already there (${manifest[spec.name].revision.slice(0, 12)})\n`);
            continue;
        }
        try {
            let info;
            if (args.fromBare) {
                const bare = findBare(resolve(args.fromBare), spec);
                if (!bare) {
                    process.stdout.write(`${spec.name}: no bare repo under ${args.fromBare}\n`);
                    continue;
                }
                info = exportBare(bare, spec, dest);
            } else {
                info = cloneAt(spec, dest);
            }
            manifest[spec.name] = info;
            writeFileSync(join(reposDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
            const note = info.pinned ? "pinned" : `NOT PINNED: pinned revision absent, used ${info.revision.slice(0, 12)}`;
            process.stdout.write(`${spec.name}: ${note}\n`);
        } catch (err) {
            process.stdout.write(`${spec.name}: FAILED ${err instanceof Error ? err.message : err}\n`);
        }
    }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
