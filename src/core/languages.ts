/**
 * Maps a file path to its language id and file kind. The language id is stored with every chunk (search filters
 * and per-language instructions key on it) and picks the chunker: syntax-aware for code with a grammar, heading
 * sections for docs, line windows for the rest.
 */
import type { FileKind } from "./types";

/** A file's language id and whether it is code, docs or other text. */
export interface LanguageInfo {
    language: string;
    kind: FileKind;
}

const TEXT: LanguageInfo = { language: "text", kind: "text" };

function table(kind: FileKind, entries: Record<string, string>): Map<string, LanguageInfo> {
    return new Map(Object.entries(entries).map(([ext, language]) => [ext, { language, kind }]));
}

/** Programming languages, by lower-case extension (without the dot). */
// prettier-ignore
const CODE = table("code", {
    ts: "typescript", mts: "typescript", cts: "typescript", tsx: "tsx",
    js: "javascript", jsx: "javascript", mjs: "javascript", cjs: "javascript",
    py: "python", pyi: "python", pyw: "python",
    go: "go", java: "java", rs: "rust",
    c: "c", h: "c",
    cc: "cpp", cpp: "cpp", cxx: "cpp", "c++": "cpp", hh: "cpp", hpp: "cpp", hxx: "cpp", "h++": "cpp", ipp: "cpp", inl: "cpp",
    cs: "csharp", csx: "csharp",
    rb: "ruby", rake: "ruby", gemspec: "ruby",
    php: "php", phtml: "php",
    kt: "kotlin", kts: "kotlin", swift: "swift", scala: "scala", sc: "scala",
    sh: "shellscript", bash: "shellscript", zsh: "shellscript", ksh: "shellscript", fish: "fish",
    ps1: "powershell", psm1: "powershell", psd1: "powershell",
    sql: "sql", lua: "lua", hs: "haskell", lhs: "haskell",
    ex: "elixir", exs: "elixir", erl: "erlang", hrl: "erlang",
    zig: "zig", dart: "dart", r: "r", jl: "julia", pl: "perl", pm: "perl",
    m: "objective-c", mm: "objective-cpp", fs: "fsharp", fsx: "fsharp", fsi: "fsharp",
    clj: "clojure", cljs: "clojure", cljc: "clojure", edn: "clojure",
    ml: "ocaml", mli: "ocaml", nim: "nim", groovy: "groovy", gradle: "groovy",
    vue: "vue", svelte: "svelte", astro: "astro",
    elm: "elm", v: "v", sol: "solidity", cu: "cuda", cuh: "cuda", f90: "fortran", f: "fortran",
    proto: "proto", graphql: "graphql", gql: "graphql", tf: "terraform", hcl: "hcl",
    vb: "vb", pas: "pascal", d: "d", cr: "crystal", nix: "nix", rkt: "racket", scm: "scheme", lisp: "lisp", el: "lisp",
    asm: "asm", s: "asm", bat: "bat", cmd: "bat", mk: "makefile", cmake: "cmake",
    html: "html", htm: "html", xhtml: "html", css: "css", scss: "scss", sass: "sass", less: "less",
});

/** Prose documentation. */
// prettier-ignore
const DOCS = table("docs", {
    md: "markdown", markdown: "markdown", mdown: "markdown", mkd: "markdown", mdx: "mdx",
    rst: "restructuredtext", adoc: "asciidoc", asciidoc: "asciidoc", txt: "plaintext", text: "plaintext",
    org: "org", tex: "latex", textile: "textile", pod: "pod", rdoc: "rdoc",
});

/** Configuration and data: indexed as text, embedded with the docs instruction. */
// prettier-ignore
const DATA = table("text", {
    json: "json", jsonc: "jsonc", json5: "json5", jsonl: "jsonl", ndjson: "jsonl",
    yaml: "yaml", yml: "yaml", toml: "toml", ini: "ini", cfg: "ini", conf: "ini", properties: "properties",
    xml: "xml", xsd: "xml", xsl: "xml", svg: "xml", plist: "xml", csv: "csv", tsv: "tsv",
    env: "dotenv", lock: "text", log: "log", diff: "diff", patch: "diff",
});

/** Whole file names (lower case) that say more than their extension. */
const FILE_NAMES = new Map<string, LanguageInfo>([
    ["dockerfile", { language: "dockerfile", kind: "code" }],
    ["containerfile", { language: "dockerfile", kind: "code" }],
    ["makefile", { language: "makefile", kind: "code" }],
    ["gnumakefile", { language: "makefile", kind: "code" }],
    ["rakefile", { language: "ruby", kind: "code" }],
    ["gemfile", { language: "ruby", kind: "code" }],
    ["podfile", { language: "ruby", kind: "code" }],
    ["vagrantfile", { language: "ruby", kind: "code" }],
    ["cmakelists.txt", { language: "cmake", kind: "code" }],
    ["build", { language: "starlark", kind: "code" }],
    ["build.bazel", { language: "starlark", kind: "code" }],
    ["workspace", { language: "starlark", kind: "code" }],
    ["jenkinsfile", { language: "groovy", kind: "code" }],
    [".bashrc", { language: "shellscript", kind: "code" }],
    [".zshrc", { language: "shellscript", kind: "code" }],
    [".profile", { language: "shellscript", kind: "code" }],
    ["readme", { language: "plaintext", kind: "docs" }],
    ["license", { language: "plaintext", kind: "docs" }],
    ["copying", { language: "plaintext", kind: "docs" }],
    ["changelog", { language: "plaintext", kind: "docs" }],
    ["authors", { language: "plaintext", kind: "docs" }],
    ["go.mod", { language: "go.mod", kind: "text" }],
    ["go.sum", { language: "text", kind: "text" }],
    [".gitignore", { language: "ignore", kind: "text" }],
    [".dockerignore", { language: "ignore", kind: "text" }],
    [".seekignore", { language: "ignore", kind: "text" }],
    [".editorconfig", { language: "ini", kind: "text" }],
]);

/**
 * The language and kind of a file, from its name or extension (case-insensitive).
 * Unknown extensions are `{ language: "text", kind: "text" }`.
 */
export function languageOf(path: string): LanguageInfo {
    const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
    const name = path.slice(slash + 1).toLowerCase();
    const byName = FILE_NAMES.get(name);
    if (byName) return byName;
    if (name.startsWith(".env")) return { language: "dotenv", kind: "text" };
    const dot = name.lastIndexOf(".");
    if (dot <= 0) return TEXT;
    const ext = name.slice(dot + 1);
    return CODE.get(ext) ?? DOCS.get(ext) ?? DATA.get(ext) ?? TEXT;
}
