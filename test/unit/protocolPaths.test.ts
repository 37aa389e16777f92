/**
 * The containment check for paths a webview asks the host to open: only files inside the named folder.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { resolveInsideFolder } from "../../src/protocol/paths";

const folder = "/work/repo";

test("folder-relative paths inside the folder resolve", () => {
    const r = resolveInsideFolder(folder, "src/upload/retry.ts");
    assert.deepEqual(r, { ok: true, absolute: "/work/repo/src/upload/retry.ts" });
    assert.deepEqual(resolveInsideFolder(folder, "a/./b.ts"), { ok: true, absolute: "/work/repo/a/b.ts" });
    assert.deepEqual(resolveInsideFolder(folder, "..hidden/x"), { ok: true, absolute: "/work/repo/..hidden/x" });
});

test("escapes, absolute paths, other schemes and odd characters are refused", () => {
    const cases: [string, string][] = [
        ["", "empty"],
        ["../outside.ts", "parentSegment"],
        ["src/../../etc/passwd", "parentSegment"],
        ["..", "parentSegment"],
        ["/etc/passwd", "absolute"],
        ["C:/Windows/win.ini", "absolute"],
        ["file:///etc/passwd", "scheme"],
        ["command:workbench.action.terminal.new", "scheme"],
        ["vscode-remote://host/x", "scheme"],
        ["src\\..\\..\\x", "badCharacter"],
        ["a\0b", "badCharacter"],
        [".", "outside"],
    ];
    for (const [p, reason] of cases) assert.deepEqual(resolveInsideFolder(folder, p), { ok: false, reason }, p);
});

test("Windows paths are checked with Windows rules", () => {
    const r = resolveInsideFolder("C:\\work\\repo", "src/a.ts", path.win32);
    assert.deepEqual(r, { ok: true, absolute: "C:\\work\\repo\\src\\a.ts" });
    assert.equal(resolveInsideFolder("C:\\work\\repo", "D:/x.ts", path.win32).ok, false);
    assert.equal(resolveInsideFolder("C:\\work\\repo", "//server/share/x", path.win32).ok, false);
});
