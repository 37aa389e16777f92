/**
 * Loads the tree-sitter WASM runtime and grammars from @vscode/tree-sitter-wasm, lazily: the runtime on the first
 * code file, each grammar on the first file of its language. Parsers are cached per grammar.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Language, Parser } from "@vscode/tree-sitter-wasm";
import type { Tree } from "@vscode/tree-sitter-wasm";

/** Grammar files shipped by @vscode/tree-sitter-wasm (`tree-sitter-<name>.wasm`). */
export type GrammarName =
    | "typescript"
    | "tsx"
    | "javascript"
    | "python"
    | "go"
    | "java"
    | "rust"
    | "cpp"
    | "c-sharp"
    | "ruby"
    | "php";

const RUNTIME_WASM = "tree-sitter.wasm";

/**
 * The folder holding tree-sitter.wasm and the grammars. The esbuild bundle copies them to dist/grammars next to
 * dist/*.js; unbundled (tests, out/) they are found by walking up to node_modules.
 */
export function grammarDir(from: string = __dirname): string | undefined {
    const bundled = join(from, "grammars");
    if (existsSync(join(bundled, RUNTIME_WASM))) return bundled;
    for (let dir = from; ; dir = dirname(dir)) {
        const candidate = join(dir, "node_modules", "@vscode", "tree-sitter-wasm", "wasm");
        if (existsSync(join(candidate, RUNTIME_WASM))) return candidate;
        if (dirname(dir) === dir) return undefined;
    }
}

/** Why a file could not be parsed; the chunker falls back to line windows and logs this at debug. */
export class ParseUnavailable extends Error {
    override readonly name = "ParseUnavailable";
}

/**
 * Owns one parser per grammar. The WASM runtime is process-wide (Parser.init replaces the module that every
 * loaded Language belongs to), so it is initialised once for all hosts, from the first host's grammar folder.
 */
export class TreeSitterHost {
    private static runtime: Promise<string> | undefined;
    private readonly parsers = new Map<GrammarName, Promise<Parser>>();

    constructor(private readonly dir: () => string | undefined = () => grammarDir()) {}

    /**
     * Parses `text`, giving up after `timeoutMs` of parser time. The caller must `delete()` the tree.
     * Rejects with ParseUnavailable when the runtime or grammar cannot be loaded or the parse was cut off.
     */
    async parse(grammar: GrammarName, text: string, timeoutMs: number): Promise<Tree> {
        const parser = await this.parser(grammar);
        const deadline = performance.now() + timeoutMs;
        // The callback returning true cancels the parse (web-tree-sitter >= 0.25).
        const progressCallback = (() => performance.now() > deadline) as () => void;
        let tree: Tree | null;
        try {
            tree = parser.parse(text, null, { progressCallback });
        } catch (err) {
            parser.reset();
            throw new ParseUnavailable(`tree-sitter ${grammar} parse failed: ${String(err)}`, {
                cause: err,
            });
        }
        if (!tree) {
            parser.reset();
            throw new ParseUnavailable(`tree-sitter ${grammar} parse took over ${timeoutMs} ms`);
        }
        return tree;
    }

    private parser(grammar: GrammarName): Promise<Parser> {
        let p = this.parsers.get(grammar);
        if (!p) {
            p = this.loadParser(grammar);
            this.parsers.set(grammar, p);
            // A failed load is not cached: a later file retries (e.g. after the grammars were restored).
            p.catch(() => this.parsers.delete(grammar));
        }
        return p;
    }

    private async loadParser(grammar: GrammarName): Promise<Parser> {
        const dir = await this.init();
        let language: Language;
        try {
            language = await Language.load(
                await readFile(join(dir, `tree-sitter-${grammar}.wasm`)),
            );
        } catch (err) {
            throw new ParseUnavailable(
                `cannot load tree-sitter grammar ${grammar} from ${dir}: ${String(err)}`,
                { cause: err },
            );
        }
        const parser = new Parser();
        parser.setLanguage(language);
        return parser;
    }

    private async init(): Promise<string> {
        if (!TreeSitterHost.runtime) {
            const runtime = initRuntime(this.dir());
            TreeSitterHost.runtime = runtime;
            runtime.catch(() => (TreeSitterHost.runtime = undefined));
        }
        await TreeSitterHost.runtime;
        // Grammars come from this host's folder; the runtime may have come from another host's.
        const dir = this.dir();
        if (!dir) throw new ParseUnavailable("tree-sitter grammars not found");
        return dir;
    }
}

/** Starts the process-wide WASM runtime from `dir` (which holds tree-sitter.wasm). */
async function initRuntime(dir: string | undefined): Promise<string> {
    if (!dir)
        throw new ParseUnavailable(
            `tree-sitter grammars not found (looked in ${join(__dirname, "grammars")} and node_modules)`,
        );
    try {
        // locateFile: bundled, the runtime would otherwise look for tree-sitter.wasm next to dist/*.js.
        await Parser.init({ locateFile: (file: string) => join(dir, file) });
    } catch (err) {
        throw new ParseUnavailable(
            `cannot start the tree-sitter runtime from ${dir}: ${String(err)}`,
            { cause: err },
        );
    }
    return dir;
}
