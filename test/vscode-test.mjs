// @vscode/test-cli configuration: the integration suite (test/integration, compiled to out/) in desktop VS Code.
// On a machine that can download VS Code:
//   npm run build && npm run compile-tests && npx vscode-test --config test/vscode-test.mjs
// (Here VS Code desktop cannot be downloaded; `npm run test:integration` runs the same suite in code-server.)
import { defineConfig } from "@vscode/test-cli";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// The suite edits files in its workspace: give it a copy, as test/e2e/runIntegration.mjs does.
const workspace = join(mkdtempSync(join(tmpdir(), "seek-vscode-test-")), "workspace");
cpSync(join(repo, "test/fixtures/workspace"), workspace, { recursive: true });

export default defineConfig({
    label: "integration",
    // Globs are relative to this file (an absolute path would be taken literally).
    files: "../out/test/integration/**/*.test.js",
    extensionDevelopmentPath: repo,
    workspaceFolder: workspace,
    version: "stable",
    // No other extensions, no telemetry from onnxruntime-node, and the state file the tests may read.
    launchArgs: ["--disable-extensions", "--disable-workspace-trust"],
    env: { ORT_DISABLE_TELEMETRY: "1", SEEK_TEST_STATE_FILE: join(dirname(workspace), "state.json") },
    mocha: { ui: "tdd", timeout: 120000, color: true },
});
