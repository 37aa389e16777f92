/**
 * The bad-input cases of issue 5. Each case builds its files under its own directory and says what must happen:
 * which files are skipped (and with which reasons), which good files must stay searchable, and which files may go
 * either way (indexed, or skipped with one of the listed reasons) because both are honest outcomes.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { marker, randomBytes, utf16, write, writeBigText, writeGood, goodSource } from "./corpus";
import type { Scale } from "./env";

export interface Searchable {
    path: string;
    marker: string;
    /** 1-based line of the marker: a hit for the marker must cover it. */
    line?: number;
}

export interface CaseExpect {
    /** Files that must be skipped, with the reasons accepted for each. */
    skipped: { path: string; reasons: string[] }[];
    /** Files that must be indexed and found by their marker. */
    searchable: Searchable[];
    /** Files that may be indexed (then found by marker) or skipped with one of these reasons. */
    either: (Searchable & { reasons: string[] })[];
    /** Files that must not be indexed; when they are logged, the reason must be one of these. */
    notIndexed: { path: string; reasons: string[] }[];
    /** Reasons that at least one skip line of this case must carry (e.g. symlinkLoop). */
    requireReasons: string[];
    /** Path prefixes that must never appear in the index (e.g. a symlink loop unrolled). */
    absentPrefixes: string[];
    /** Paths whose files must have no chunks (empty files). */
    noChunks: string[];
}

export interface BadInput {
    id: string;
    /** Builds the case under `dir`; paths in the result are relative to `dir`. */
    build(dir: string, scale: Scale): CaseExpect;
}

function expect(partial: Partial<CaseExpect>): CaseExpect {
    return { skipped: [], searchable: [], either: [], notIndexed: [], requireReasons: [], absentPrefixes: [], noChunks: [], ...partial };
}

/** Line (1-based) of the first occurrence of `needle`, splitting on CRLF, LF and lone CR as VS Code does. */
function lineOf(text: string, needle: string): number {
    const lines = text.split(/\r\n|\n|\r/);
    return lines.findIndex((l) => l.includes(needle)) + 1;
}

const ALL_SKIP = ["binary", "badEncoding", "tooLarge", "minified", "unreadable", "vanished", "symlinkLoop", "ignored"];

export const BAD_INPUTS: BadInput[] = [
    {
        id: "binary-with-text-extension",
        build(dir) {
            write(dir, "blob.ts", randomBytes(20_000, 1));
            const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(5000, 2)]);
            write(dir, "picture.md", png);
            // Control bytes without a NUL (e.g. a packed data file): must still count as binary.
            const ctl = Buffer.alloc(4000, 0x01);
            write(dir, "packed.py", ctl);
            return expect({
                skipped: [
                    { path: "blob.ts", reasons: ["binary"] },
                    { path: "picture.md", reasons: ["binary"] },
                    { path: "packed.py", reasons: ["binary"] },
                ],
                searchable: [writeGood(dir, "good.ts", "binaryok")],
            });
        },
    },
    {
        id: "file-50MB",
        build(dir) {
            writeBigText(join(dir, "huge.log.txt"), 50 * 1024 * 1024, "2024-01-01T00:00:00Z INFO request served in 12 ms\n");
            return expect({
                skipped: [{ path: "huge.log.txt", reasons: ["tooLarge"] }],
                searchable: [writeGood(dir, "good.ts", "hugeok")],
            });
        },
    },
    {
        id: "invalid-utf8",
        build(dir) {
            const m1 = marker("latinone");
            // Latin-1 accents in comments: a few invalid bytes in an otherwise ASCII file.
            const latin = Buffer.concat([
                Buffer.from(`# caf`),
                Buffer.from([0xe9]),
                Buffer.from(` na`),
                Buffer.from([0xef]),
                Buffer.from(`ve r`),
                Buffer.from([0xe9]),
                Buffer.from(`sum${"\n"}def ${m1}_handler(request):\n    return request.body\n${"# padding line\n".repeat(40)}`),
            ]);
            write(dir, "latin1.py", latin);
            // Mostly invalid sequences: not UTF-8 text at all.
            const junk: number[] = [];
            for (let i = 0; i < 3000; i++) junk.push(i % 3 === 0 ? 0x41 : i % 3 === 1 ? 0xc3 : 0x28);
            write(dir, "garbage.go", Buffer.from(junk));
            // Overlong encodings and lone surrogates (ED A0 80) in a Go comment.
            const m3 = marker("surrogate");
            write(dir, "surrogate.go", Buffer.concat([Buffer.from(`package main\n// `), Buffer.from([0xed, 0xa0, 0x80, 0xc0, 0xaf]), Buffer.from(`\nfunc ${m3}() {}\n${"// filler\n".repeat(60)}`)]));
            return expect({
                skipped: [{ path: "garbage.go", reasons: ["badEncoding", "binary"] }],
                either: [
                    { path: "latin1.py", marker: m1, reasons: ["badEncoding"] },
                    { path: "surrogate.go", marker: m3, reasons: ["badEncoding"] },
                ],
                searchable: [writeGood(dir, "good.ts", "utf8ok")],
            });
        },
    },
    {
        id: "utf16-with-bom",
        build(dir) {
            const le = marker("utfsixteenle");
            const be = marker("utfsixteenbe");
            const leText = `// UTF-16 LE source\nexport function ${le}(): string {\n    return "héllo wörld ✓";\n}\n`;
            const beText = `# UTF-16 BE notes\n\nThe ${be} section explains encodings.\n`;
            write(dir, "wide-le.ts", utf16(leText, "le"));
            write(dir, "wide-be.md", utf16(beText, "be"));
            return expect({
                either: [
                    { path: "wide-le.ts", marker: le, line: lineOf(leText, le), reasons: ["badEncoding"] },
                    { path: "wide-be.md", marker: be, line: lineOf(beText, be), reasons: ["badEncoding"] },
                ],
                searchable: [writeGood(dir, "good.ts", "utf16ok")],
            });
        },
    },
    {
        id: "crlf-and-mixed-line-endings",
        build(dir) {
            const m1 = marker("crlfonly");
            const crlf = [`def first():`, `    return 1`, ``, `def ${m1}_second():`, `    return 2`, ``].join("\r\n").concat("# tail\r\n".repeat(30));
            write(dir, "crlf.py", crlf);
            const m2 = marker("mixedeol");
            const mixedLines = [`export const a = 1;`, `export const b = 2;`, `// padding`, `export function ${m2}(): number {`, `    return a + b;`, `}`];
            const mixed = mixedLines.map((l, i) => l + (i % 2 === 0 ? "\r\n" : "\n")).join("");
            write(dir, "mixed.ts", mixed);
            const m3 = marker("crlonly");
            write(dir, "classic-mac.txt", [`line one`, `line two`, `the ${m3} line`, `line four`].join("\r"));
            return expect({
                searchable: [
                    { path: "crlf.py", marker: m1, line: lineOf(crlf, m1) },
                    { path: "mixed.ts", marker: m2, line: lineOf(mixed, m2) },
                    { path: "classic-mac.txt", marker: m3 },
                    writeGood(dir, "good.ts", "eolok"),
                ],
            });
        },
    },
    {
        id: "minified-bundle",
        build(dir) {
            const stmt = "var a=function(b){return b*2},c=[1,2,3].map(a);window.x=c;";
            writeBigText(join(dir, "bundle.js"), 5 * 1024 * 1024, stmt);
            // Under the size cap: only minification detection can catch it.
            writeBigText(join(dir, "vendor.js"), 600 * 1024, stmt);
            return expect({
                skipped: [
                    { path: "bundle.js", reasons: ["tooLarge", "minified"] },
                    { path: "vendor.js", reasons: ["minified"] },
                ],
                searchable: [writeGood(dir, "good.ts", "minok")],
            });
        },
    },
    {
        id: "nul-bytes",
        build(dir) {
            const m = marker("nulbyte");
            write(dir, "nul.cpp", Buffer.concat([Buffer.from(`int ${m}() {\n  return 0;\n}\n`), Buffer.from([0, 0, 0]), Buffer.from("// after\n")]));
            // A NUL beyond the sniffed prefix: reader must still not crash on it.
            const late = `${"// filler line for the sniff window\n".repeat(400)}int ${marker("latenul")}() { return 1; }\n`;
            write(dir, "late-nul.cpp", Buffer.concat([Buffer.from(late), Buffer.from([0]), Buffer.from("\n")]));
            return expect({
                skipped: [{ path: "nul.cpp", reasons: ["binary"] }],
                either: [{ path: "late-nul.cpp", marker: marker("latenul"), reasons: ["binary"] }],
                searchable: [writeGood(dir, "good.ts", "nulok")],
            });
        },
    },
    {
        id: "deep-tree",
        build(dir, scale) {
            const deep = Array.from({ length: scale.deepLevels }, () => "d").join("/");
            const m = writeGood(dir, `${deep}/deep.ts`, "deeptree");
            return expect({ either: [{ ...m, reasons: ["unreadable", "ignored", "tooLarge"] }], searchable: [writeGood(dir, "good.ts", "deepok")] });
        },
    },
    {
        id: "symlink-loop",
        build(dir) {
            const real = writeGood(dir, "a/real.ts", "symreal");
            symlinkSync(".", join(dir, "loop"));
            symlinkSync("..", join(dir, "a", "up"));
            symlinkSync("self.ts", join(dir, "self.ts"));
            symlinkSync("no-such-file.ts", join(dir, "dangling.ts"));
            mkdirSync(join(dir, "x"));
            symlinkSync("../y", join(dir, "x", "toy"));
            mkdirSync(join(dir, "y"));
            symlinkSync("../x", join(dir, "y", "tox"));
            return expect({
                searchable: [real, writeGood(dir, "good.ts", "symok")],
                notIndexed: [
                    { path: "self.ts", reasons: ["symlinkLoop", "unreadable", "vanished"] },
                    { path: "dangling.ts", reasons: ["symlinkLoop", "unreadable", "vanished"] },
                ],
                requireReasons: ["symlinkLoop"],
                absentPrefixes: ["loop/loop/", "a/up/a/up/", "x/toy/tox/toy/"],
            });
        },
    },
    {
        id: "unreadable-as-root-fifo-dir-device",
        build(dir) {
            execFileSync("mkfifo", [join(dir, "pipe.ts")]);
            const inner = writeGood(dir, "dir.ts/inner.ts", "dirlikefile");
            // A symlink to a device outside the folder: reading it would never end.
            symlinkSync("/dev/zero", join(dir, "zero.ts"));
            symlinkSync("/dev/urandom", join(dir, "random.md"));
            return expect({
                notIndexed: [
                    { path: "pipe.ts", reasons: ["unreadable", "ignored", "binary"] },
                    { path: "zero.ts", reasons: ["unreadable", "ignored", "binary", "symlinkLoop", "tooLarge"] },
                    { path: "random.md", reasons: ["unreadable", "ignored", "binary", "symlinkLoop", "tooLarge"] },
                ],
                searchable: [inner, writeGood(dir, "good.ts", "fifook")],
            });
        },
    },
    {
        id: "tiny-files",
        build(dir, scale) {
            const n = scale.tinyFiles;
            for (let i = 0; i < n; i++) {
                const d = join(dir, `t${Math.floor(i / 500)}`);
                if (i % 500 === 0) mkdirSync(d, { recursive: true });
                writeFileSync(join(d, `f${i}.txt`), `tiny ${i}\n`);
            }
            return expect({
                searchable: [writeGood(dir, "good.ts", "tinyok"), writeGood(dir, `t${Math.floor((n - 1) / 500)}/last.ts`, "tinylast")],
            });
        },
    },
    {
        id: "non-ascii-and-long-paths",
        build(dir) {
            const names = [
                "données/café.py",
                "日本語/ドキュメント.md",
                "emoji 🚀/launch.ts",
                "space name/a b.ts",
                "quote's \"dq\"/q.ts",
                "tab\tname.ts",
                "new\nline.ts",
                "back\\slash.ts",
                "nfd-cafe\u0301.py",
                "-dash-first.ts",
                "#hash?.ts",
            ];
            const searchable: Searchable[] = names.map((n, i) => writeGood(dir, n, `uni${i}`));
            // 15 nested 200-byte names + a 250-byte file name: ~3.3 KB, under PATH_MAX (4096).
            const segs = Array.from({ length: 15 }, (_, i) => `${String(i).padStart(2, "0")}${"l".repeat(198)}`);
            const longName = `${"n".repeat(247)}.ts`;
            searchable.push(writeGood(dir, `${segs.join("/")}/${longName}`, "longpath"));
            // A name that is not valid UTF-8 (Linux allows any bytes): must not crash discovery.
            const raw = Buffer.concat([Buffer.from(join(dir, "bad-")), Buffer.from([0xff, 0xfe]), Buffer.from(".ts")]);
            writeFileSync(raw, goodSource(marker("rawname")));
            return expect({
                searchable,
                either: [{ path: "bad-\ufffd\ufffd.ts", marker: marker("rawname"), reasons: ["unreadable", "vanished", "badEncoding"] }],
            });
        },
    },
    {
        id: "empty-files",
        build(dir) {
            write(dir, "empty.ts", "");
            write(dir, "blank.md", "\n\n   \n\t\n");
            write(dir, "bom-only.txt", Buffer.from([0xef, 0xbb, 0xbf]));
            write(dir, "utf16-bom-only.txt", Buffer.from([0xff, 0xfe]));
            return expect({
                noChunks: ["empty.ts", "blank.md", "bom-only.txt", "utf16-bom-only.txt"],
                searchable: [writeGood(dir, "good.ts", "emptyok")],
            });
        },
    },
];

/** Reasons any case may report for files it did not list (e.g. the folder's own stray files). */
export const ANY_SKIP_REASON = ALL_SKIP;
