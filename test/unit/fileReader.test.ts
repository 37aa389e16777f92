/**
 * readTextFile: every odd input ends in text or a skip reason, never a throw. Inputs are generated in a temp dir.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { ReaderFs } from "../../src/core/discovery/discoveryFs";
import { hashText, readTextFile, type ReadResult } from "../../src/core/discovery/fileReader";

const dir = mkdtempSync(join(tmpdir(), "seek-read-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

let counter = 0;
function file(content: string | Buffer, name = `f${counter++}.ts`): string {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function text(r: ReadResult): string {
    assert.ok(r.ok, `expected ok, got ${JSON.stringify(r)}`);
    return r.text;
}

function errno(code: string): NodeJS.ErrnoException {
    return Object.assign(new Error(`${code}: simulated`), { code });
}

describe("decoding", () => {
    test("UTF-8: text, raw-byte sha256, byte count; CRLF and mixed endings kept", async () => {
        const raw = Buffer.from("const a = 1;\r\nconst b = 'é';\nend\r\n", "utf8");
        const r = await readTextFile(file(raw));
        assert.deepEqual(r, { ok: true, text: raw.toString("utf8"), hash: sha(raw), bytes: raw.length });
        assert.equal(hashText(raw.toString("utf8")), sha(raw));
    });

    test("empty file is ok and empty", async () => {
        const r = await readTextFile(file(""));
        assert.deepEqual(r, { ok: true, text: "", hash: sha(Buffer.alloc(0)), bytes: 0 });
    });

    test("UTF-8 BOM is stripped from the text but hashed with the bytes", async () => {
        const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("# Title\n")]);
        const r = await readTextFile(file(raw, "bom.md"));
        assert.equal(text(r), "# Title\n");
        assert.ok(r.ok && r.hash === sha(raw) && r.bytes === raw.length);
    });

    test("UTF-16 LE and BE with BOM are decoded", async () => {
        const s = "def f():\r\n    return 'ü€'\n";
        const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, "utf16le")]);
        const be = Buffer.from(le);
        be.swap16();
        assert.deepEqual([be[0], be[1]], [0xfe, 0xff]);
        assert.equal(text(await readTextFile(file(le, "le.py"))), s);
        assert.equal(text(await readTextFile(file(be, "be.py"))), s);
    });

    test("binary content with a .ts extension: NUL bytes", async () => {
        const raw = Buffer.concat([Buffer.from("export const x = 1;\n"), Buffer.from([0, 1, 2, 3]), Buffer.from("more")]);
        const r = await readTextFile(file(raw, "blob.ts"));
        assert.deepEqual(r, { ok: false, reason: "binary", detail: "NUL byte at offset 20" });
    });

    test("binary content without NUL: many control bytes; a few ANSI escapes and form feeds are still text", async () => {
        const noisy = Buffer.alloc(4000);
        for (let i = 0; i < noisy.length; i++) noisy[i] = i % 10 === 0 ? 0x01 : 0x41 + (i % 26);
        const r = await readTextFile(file(noisy, "noisy.ts"));
        assert.equal(r.ok ? "ok" : r.reason, "binary");
        const log = "\x1b[31merror\x1b[0m: failed\n\f\nnext page\n".repeat(20);
        assert.equal(text(await readTextFile(file(log, "build.log"))), log);
    });

    test("invalid UTF-8: a rare bad byte is replaced; mostly-Latin-1 text is badEncoding; literal U+FFFD is content", async () => {
        const rare = Buffer.concat([Buffer.from("a".repeat(500)), Buffer.from([0xff]), Buffer.from("b".repeat(500))]);
        assert.equal(text(await readTextFile(file(rare))), "a".repeat(500) + "\ufffd" + "b".repeat(500));
        const latin1 = Buffer.from("café déjà vu, naïve élève à l'école. ".repeat(20), "latin1");
        const r = await readTextFile(file(latin1, "latin1.txt"));
        assert.equal(r.ok ? "ok" : r.reason, "badEncoding");
        const literal = "\ufffd".repeat(50) + "\n";
        assert.equal(text(await readTextFile(file(literal))), literal);
    });

    test("minified by content: a 6,000-char single line; one long line among normal lines is fine", async () => {
        const bundle = "var a=1;".repeat(750);
        const r = await readTextFile(file(bundle, "bundle.js"));
        assert.deepEqual(r.ok ? "ok" : [r.reason, r.detail], ["minified", "1 lines, longest 6000 chars"]);
        const normal = "x = 1\n".repeat(2000) + "DATA = '" + "z".repeat(6000) + "'\n";
        assert.equal(text(await readTextFile(file(normal, "data.py"))), normal);
    });
});

describe("limits and faults", () => {
    test("size cap: at the cap is read, over it is tooLarge", async () => {
        assert.equal(text(await readTextFile(file("a".repeat(64)), { maxFileBytes: 64 })), "a".repeat(64));
        const r = await readTextFile(file("a".repeat(65)), { maxFileBytes: 64 });
        assert.deepEqual(r, { ok: false, reason: "tooLarge", detail: "65 bytes > 64" });
    });

    test("a file that grew past the cap after fstat is tooLarge (bytes read, not fstat, decide)", async () => {
        const grown: ReaderFs = { readCapped: async (_p, limit) => ({ size: 10, data: Buffer.alloc(limit, 0x61), isFile: true }) };
        const r = await readTextFile("/virtual/grown.ts", { maxFileBytes: 100, fs: grown });
        assert.deepEqual(r, { ok: false, reason: "tooLarge", detail: "101 bytes > 100" });
    });

    test("a 50 MB file is refused without reading it", async () => {
        const p = join(dir, "huge.txt");
        writeFileSync(p, "");
        execFileSync("truncate", ["-s", String(50 * 1024 * 1024), p]);
        const r = await readTextFile(p);
        assert.deepEqual(r, { ok: false, reason: "tooLarge", detail: `${50 * 1024 * 1024} bytes > ${1024 * 1024}` });
    });

    test("a file deleted between discovery and read is vanished", async () => {
        const p = file("x");
        rmSync(p);
        assert.deepEqual(await readTextFile(p), { ok: false, reason: "vanished", detail: "ENOENT" });
    });

    test("EACCES from the read path is unreadable with the errno code (injected: works as root too)", async () => {
        const denied: ReaderFs = { readCapped: () => Promise.reject(errno("EACCES")) };
        assert.deepEqual(await readTextFile("/virtual/secret.ts", { fs: denied }), { ok: false, reason: "unreadable", detail: "EACCES" });
        const other: ReaderFs = { readCapped: () => Promise.reject(new Error("no code")) };
        assert.deepEqual(await readTextFile("/virtual/x.ts", { fs: other }), { ok: false, reason: "unreadable", detail: "EUNKNOWN" });
    });

    test(`chmod 000 file is unreadable${isRoot ? " [not run: tests run as root, which chmod cannot lock out; the injected EACCES test covers this path]" : ""}`, { skip: isRoot }, async () => {
        const p = file("x");
        chmodSync(p, 0o000);
        assert.deepEqual(await readTextFile(p), { ok: false, reason: "unreadable", detail: "EACCES" });
    });

    test("a FIFO or directory is unreadable and never blocks", { skip: process.platform === "win32" ? "no mkfifo on Windows" : false }, async () => {
        const fifo = join(dir, "pipe.ts");
        execFileSync("mkfifo", [fifo]);
        assert.deepEqual(await readTextFile(fifo), { ok: false, reason: "unreadable", detail: "not a regular file" });
        const sub = join(dir, "sub.ts");
        mkdirSync(sub);
        const r = await readTextFile(sub);
        assert.equal(r.ok ? "ok" : r.reason, "unreadable");
    });
});
