/**
 * Human names of language ids, for `{language}` in instruction templates: a model reads "Represent the Python
 * code", not "Represent the python code" or "the shellscript code".
 */

// prettier-ignore
const NAMES: Record<string, string> = {
    typescript: "TypeScript", tsx: "TypeScript", javascript: "JavaScript", python: "Python", go: "Go", java: "Java",
    rust: "Rust", c: "C", cpp: "C++", csharp: "C#", ruby: "Ruby", php: "PHP", kotlin: "Kotlin", swift: "Swift",
    scala: "Scala", shellscript: "shell", fish: "fish shell", powershell: "PowerShell", sql: "SQL", lua: "Lua",
    haskell: "Haskell", elixir: "Elixir", erlang: "Erlang", zig: "Zig", dart: "Dart", r: "R", julia: "Julia",
    perl: "Perl", "objective-c": "Objective-C", "objective-cpp": "Objective-C++", fsharp: "F#", clojure: "Clojure",
    ocaml: "OCaml", nim: "Nim", groovy: "Groovy", vue: "Vue", svelte: "Svelte", astro: "Astro", elm: "Elm",
    solidity: "Solidity", cuda: "CUDA", fortran: "Fortran", proto: "Protocol Buffers", graphql: "GraphQL",
    terraform: "Terraform", hcl: "HCL", vb: "Visual Basic", pascal: "Pascal", d: "D", crystal: "Crystal", nix: "Nix",
    racket: "Racket", scheme: "Scheme", lisp: "Lisp", asm: "assembly", bat: "batch", makefile: "Makefile",
    cmake: "CMake", html: "HTML", css: "CSS", scss: "SCSS", sass: "Sass", less: "Less",
    markdown: "Markdown", mdx: "MDX", restructuredtext: "reStructuredText", asciidoc: "AsciiDoc", plaintext: "plain text",
    latex: "LaTeX", json: "JSON", jsonc: "JSON", json5: "JSON5", jsonl: "JSON Lines", yaml: "YAML", toml: "TOML",
    xml: "XML", ini: "INI", dockerfile: "Dockerfile", text: "text",
};

/** "python" -> "Python"; an unknown id is returned as given (ids are already readable words). Empty for none. */
export function languageName(language: string | undefined): string {
    if (!language) return "";
    return NAMES[language] ?? language;
}
