/** Scope filters of the webview -> core search options. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { scopeToOptions } from "../../src/protocol/scope";

test("code/docs toggles choose kinds; both or neither means everything", () => {
    assert.deepEqual(scopeToOptions({ code: true, docs: true, glob: "" }), {});
    assert.deepEqual(scopeToOptions({ code: false, docs: false, glob: "" }), {});
    assert.deepEqual(scopeToOptions({ code: true, docs: false, glob: "" }), { kinds: ["code"] });
    assert.deepEqual(scopeToOptions({ code: false, docs: true, glob: "" }), { kinds: ["docs", "text"] });
    assert.deepEqual(scopeToOptions(undefined), {});
});

test("path filters: globs kept, plain fragments widened, blanks dropped", () => {
    assert.deepEqual(scopeToOptions({ code: true, docs: true, glob: "src/**/*.ts" }).include, ["src/**/*.ts"]);
    assert.deepEqual(scopeToOptions({ code: true, docs: true, glob: " ./src/upload/ , ," }).include, [
        "src/upload",
        "src/upload/**",
        "**/src/upload",
        "**/src/upload/**",
    ]);
    assert.deepEqual(scopeToOptions({ code: true, docs: true, glob: "*.md, lib" }).include, ["*.md", "lib", "lib/**", "**/lib", "**/lib/**"]);
    assert.equal(scopeToOptions({ code: true, docs: true, glob: "  " }).include, undefined);
});
