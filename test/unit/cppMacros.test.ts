/** C/C++ macros blanked before parsing (src/core/chunk/cppMacros.ts), and what that does to chunk symbols. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maskCppMacros } from "../../src/core/chunk/cppMacros";
import { chunkFile } from "../../src/core/chunk/index";

const HEADER = `namespace absl {
ABSL_NAMESPACE_BEGIN

class ABSL_LOCKABLE Mutex {
 public:
  Mutex();
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION();
  bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) { return true; }
};

class Notification {
 public:
  Notification() : notified_yet_(false) {}
  bool HasBeenNotified() const { return notified_yet_; }
 private:
  bool notified_yet_;
};

ABSL_NAMESPACE_END
}  // namespace absl
`;

describe("C/C++ macros that derail the parser", () => {
    it("are blanked space for space: same length, same lines, code untouched", () => {
        const masked = maskCppMacros(HEADER);
        assert.equal(masked.length, HEADER.length);
        assert.deepEqual(masked.split("\n").map((l) => l.length), HEADER.split("\n").map((l) => l.length));
        assert.ok(!/ABSL_/.test(masked), masked);
        assert.match(masked, /class\s+Mutex \{/);
        assert.match(masked, /void Lock\(\)\s+;/);
        assert.equal(maskCppMacros("int x = MAX(a, b);\nFOO(x);\n"), "int x = MAX(a, b);\nFOO(x);\n", "calls in code stay");
    });

    it("let classes after a namespace macro keep their names", async () => {
        const chunks = await chunkFile("absl/notification.h", HEADER, { maxTokens: 60 });
        const symbols = chunks.map((c) => c.symbol ?? "").join(" | ");
        assert.ok(!/classNotification|ABSL_/.test(symbols), symbols);
        assert.match(symbols, /\bNotification\b/);
        assert.match(symbols, /\bMutex\b/);
        assert.equal(chunks.map((c) => c.text).join("\n").includes("ABSL_NAMESPACE_BEGIN"), true, "chunks keep the original text");
    });
});
