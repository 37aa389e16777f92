/**
 * Entry of the extension-host integration suite, in the standard @vscode/test-cli / test-electron form: the
 * extension host require()s this module (compiled by `tsc -p tsconfig.json` to out/test/integration/index.js) and
 * calls run(). Here it runs inside code-server via the workbench's extensionTestsPath; on a machine with VS Code
 * desktop: `npx vscode-test --config test/vscode-test.mjs` (files: out/test/integration/*.test.js).
 * The workspace must be test/fixtures/workspace (or a copy of it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Mocha from "mocha";

/** Suites that depend on an earlier one's state run in this order; others follow alphabetically. */
const ORDER = ["activation", "indexing", "search", "findSimilar", "webview", "freshness"];

export function run(): Promise<void> {
    const mocha = new Mocha({ ui: "tdd", color: false, timeout: 120_000, reporter: "spec" });
    const rank = (f: string) => {
        const i = ORDER.indexOf(f.replace(/\.test\.js$/, ""));
        return i < 0 ? ORDER.length : i;
    };
    const files = fs
        .readdirSync(__dirname)
        .filter((f) => f.endsWith(".test.js"))
        .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    for (const f of files) mocha.addFile(path.join(__dirname, f));
    return new Promise((resolve, reject) => {
        mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration tests failed`)) : resolve()));
    });
}
