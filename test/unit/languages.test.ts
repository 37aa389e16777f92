/** languageOf: extensions, file names, case, kinds. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { languageOf } from "../../src/core/languages";

test("programming languages are code", () => {
    const cases: Array<[string, string]> = [
        ["a.ts", "typescript"],
        ["a.tsx", "tsx"],
        ["a.js", "javascript"],
        ["a.jsx", "javascript"],
        ["a.mjs", "javascript"],
        ["a.cjs", "javascript"],
        ["a.py", "python"],
        ["a.go", "go"],
        ["A.java", "java"],
        ["a.rs", "rust"],
        ["a.c", "c"],
        ["a.h", "c"],
        ["a.cc", "cpp"],
        ["a.cpp", "cpp"],
        ["a.hpp", "cpp"],
        ["a.cs", "csharp"],
        ["a.rb", "ruby"],
        ["a.php", "php"],
        ["a.kt", "kotlin"],
        ["a.swift", "swift"],
        ["a.scala", "scala"],
        ["a.sh", "shellscript"],
        ["a.sql", "sql"],
        ["a.lua", "lua"],
        ["a.hs", "haskell"],
        ["a.ex", "elixir"],
        ["a.zig", "zig"],
        ["a.dart", "dart"],
        ["a.html", "html"],
        ["a.css", "css"],
    ];
    for (const [path, language] of cases)
        assert.deepEqual(languageOf(path), { language, kind: "code" }, path);
});

test("prose is docs; config and data are text", () => {
    for (const [path, language] of [
        ["README.md", "markdown"],
        ["a.mdx", "mdx"],
        ["a.rst", "restructuredtext"],
        ["a.adoc", "asciidoc"],
        ["notes.txt", "plaintext"],
    ]) {
        assert.deepEqual(languageOf(path), { language, kind: "docs" }, path);
    }
    for (const [path, language] of [
        ["package.json", "json"],
        ["ci.yaml", "yaml"],
        ["ci.yml", "yaml"],
        ["Cargo.toml", "toml"],
    ]) {
        assert.deepEqual(languageOf(path), { language, kind: "text" }, path);
    }
});

test("paths, case and special file names", () => {
    assert.deepEqual(languageOf("src/deep/dir/Main.JAVA"), { language: "java", kind: "code" });
    assert.deepEqual(languageOf("C:\\work\\app\\x.PY"), { language: "python", kind: "code" });
    assert.deepEqual(languageOf("docker/Dockerfile"), { language: "dockerfile", kind: "code" });
    assert.deepEqual(languageOf("Makefile"), { language: "makefile", kind: "code" });
    assert.deepEqual(languageOf("Gemfile"), { language: "ruby", kind: "code" });
    assert.deepEqual(languageOf("CMakeLists.txt"), { language: "cmake", kind: "code" });
    assert.deepEqual(languageOf(".env.local"), { language: "dotenv", kind: "text" });
    assert.deepEqual(languageOf("a.d.ts"), { language: "typescript", kind: "code" });
});

test("unknown or missing extensions are text", () => {
    for (const path of ["a.unknownext", "LICENSE.x", "noext", ".hidden", "dir.v2/file", "a."]) {
        assert.deepEqual(languageOf(path), { language: "text", kind: "text" }, path);
    }
});
