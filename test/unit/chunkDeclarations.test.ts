/** Declaration names for code without a grammar (src/core/chunk/declarations.ts), through the real chunker. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declaredName } from "../../src/core/chunk/declarations";
import { chunkFile } from "../../src/core/chunk/index";

describe("declared names by language", () => {
    const cases: [string, string, string | undefined][] = [
        ["swift", "public final class Application: Sendable {", "Application"],
        ["swift", "    @inlinable public func encode(to encoder: Encoder) throws {", "encode"],
        ["swift", "extension Application {", undefined],
        ["swift", "    let name = \"x\"", undefined],
        ["kotlin", "public open class HttpClient(", "HttpClient"],
        ["kotlin", "    public suspend fun <T> Flow<T>.collectLatest(action: suspend (T) -> Unit) {", "collectLatest"],
        ["kotlin", "data class Point(val x: Int)", "Point"],
        ["scala", "trait Monad[F[_]] extends FlatMap[F] with Applicative[F] {", "Monad"],
        ["scala", "  final case class Kleisli[F[_], -A, B](run: A => F[B]) {", "Kleisli"],
        ["scala", "  override def map[A, B](fa: F[A])(f: A => B): F[B] =", "map"],
        ["elixir", "defmodule Phoenix.Channel do", "Phoenix.Channel"],
        ["elixir", "  defp handle_reply(socket, reply) do", "handle_reply"],
        ["haskell", "data Value = Object !Object", "Value"],
        ["haskell", "class (Monad m) => MonadState s m | m -> s where", "MonadState"],
        ["haskell", "decode :: FromJSON a => L.ByteString -> Maybe a", "decode"],
        ["haskell", "instance Show Value where", undefined],
        ["lua", "function M.setup(opts)", "M.setup"],
        ["lua", "local function spec_to_plugin(spec)", "spec_to_plugin"],
        ["zig", "pub fn parse(comptime Id: type) !void {", "parse"],
        ["zig", "pub const Diagnostic = struct {", "Diagnostic"],
        ["shellscript", "function _bash-it-plugin-enable() {", "_bash-it-plugin-enable"],
        ["shellscript", "nvm_ls_remote() {", "nvm_ls_remote"],
        ["shellscript", "echo hello", undefined],
        ["python", "def f():", undefined],
    ];
    for (const [language, line, name] of cases) {
        it(`${language}: ${line.trim()} -> ${name ?? "nothing"}`, () => assert.equal(declaredName(language, line), name));
    }
});

describe("line windows of code without a grammar are named by their declarations", () => {
    it("a Swift file's windows carry the names declared in them; a Python file keeps its syntax units", async () => {
        const body = Array.from({ length: 30 }, (_, i) => `        let value${i} = compute(${i})`).join("\n");
        const swift = `import Foundation\n\npublic final class Application {\n    public func run() {\n${body}\n    }\n}\n\nextension Application {\n    func boot() {}\n}\n`;
        const chunks = await chunkFile("Sources/Application.swift", swift, { maxTokens: 120 });
        assert.ok(chunks.length >= 2, "several windows");
        assert.match(chunks[0].symbol ?? "", /^Application, run/);
        const last = chunks[chunks.length - 1];
        assert.ok(last.symbol?.includes("boot"), "the extension's method is named");
        assert.ok(!chunks.some((c) => c.symbol?.split(", ").filter((n) => n === "Application").length === 2), "names are listed once");
        const py = await chunkFile("app.py", "class Application:\n    def run(self):\n        return 1\n");
        assert.equal(py[0].symbol, "Application");
    });

    it("docs and plain text are never named", async () => {
        const chunks = await chunkFile("notes.txt", "function foo() {\n}\n");
        assert.equal(chunks[0].symbol, undefined);
    });
});
