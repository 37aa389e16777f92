/** File discovery for the baselines: code files only, hidden folders and dependency folders skipped. */
import { readdirSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";

/** Source extensions of the benchmark's 19 languages (C headers included). */
export const CODE_EXTENSIONS = new Set(
    (
        ".py .pyi .js .mjs .cjs .jsx .ts .tsx .mts .cts .go .java .php .rb .rake .rs .cs .kt .kts .scala .sc .swift " +
        ".ex .exs .c .h .cc .cpp .cxx .hpp .hh .hxx .inl .ipp .sh .bash .zsh .bats .hs .lhs .lua .zig"
    ).split(" "),
);

/** Extensionless files that are code by name. */
const CODE_NAMES = new Set(["Rakefile", "Gemfile"]);

const SKIP_DIRS = new Set(["node_modules", "vendor", "__pycache__"]);

/**
 * Lists files under root (POSIX, root-relative), sorted.
 * @param {string} root
 * @param {{ filter?: (rel: string) => boolean, maxBytes?: number }} [opts]
 */
export function listFiles(root, opts = {}) {
    const filter = opts.filter ?? isCodeFile;
    const maxBytes = opts.maxBytes ?? 1024 * 1024;
    const out = [];
    const stack = [root];
    while (stack.length) {
        const dir = stack.pop();
        let entries;
        try {
            entries = readdirSync(dir, { withFileTypes: true });
        } catch {
            continue;
        }
        for (const e of entries) {
            if (e.name.startsWith(".")) continue;
            const abs = join(dir, e.name);
            if (e.isDirectory()) {
                if (!SKIP_DIRS.has(e.name)) stack.push(abs);
            } else if (e.isFile()) {
                const rel = relative(root, abs).split(sep).join("/");
                if (!filter(rel)) continue;
                if (statSync(abs).size > maxBytes) continue;
                out.push(rel);
            }
        }
    }
    return out.sort();
}

export function isCodeFile(rel) {
    const name = rel.slice(rel.lastIndexOf("/") + 1);
    return CODE_EXTENSIONS.has(extname(name).toLowerCase()) || CODE_NAMES.has(name);
}
