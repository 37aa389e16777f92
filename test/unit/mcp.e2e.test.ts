/**
 * `seek mcp` end to end: the built CLI (dist/cli.js) started as an MCP server over stdio and driven by the SDK's own
 * client, with the real model, over a copy of the fixture workspace. Every run has its own index and embedding cache.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { AGENT_LIMITS } from "../../src/agent/toolInput";
import { searchInputJsonSchema, similarInputJsonSchema } from "../../src/agent/toolSpecs";

const repoRoot = resolve(__dirname, "..", "..", "..");
const cli = join(repoRoot, "dist", "cli.js");
const fixture = join(repoRoot, "test", "fixtures", "workspace");

let work: string;
let folder: string;
let indexDir: string;
let client: Client;

interface Answer {
    text: string;
    isError: boolean;
}

function env(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
    return { ...out, XDG_CACHE_HOME: join(work, "cache") };
}

/** A client connected to a fresh `seek mcp <dir>` process. */
async function connect(dir: string, index: string): Promise<Client> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [cli, "mcp", dir, "--index-dir", index], env: env(), stderr: "pipe" });
    const c = new Client({ name: "seek-mcp-test", version: "1.0.0" });
    await c.connect(transport);
    return c;
}

async function call(c: Client, name: string, args: Record<string, unknown> = {}): Promise<Answer> {
    const r = await c.callTool({ name, arguments: args });
    const content = r.content as { type: string; text: string }[];
    assert.equal(content.length, 1, `one text block from ${name}`);
    assert.equal(content[0].type, "text");
    return { text: content[0].text, isError: r.isError === true };
}

/** The `N. path:start-end` location lines of an answer, in rank order. */
function locations(text: string): { path: string; startLine: number; endLine: number }[] {
    return [...text.matchAll(/^\d+\. (\S+):(\d+)(?:-(\d+))?/gm)].map((m) => ({ path: m[1], startLine: +m[2], endLine: +(m[3] ?? m[2]) }));
}

/** Files, chunks and chunks with vectors from a status answer. */
function counts(status: string): number[] {
    const m = /files: (\d+) indexed[\s\S]*chunks: (\d+), (\d+) with vectors/.exec(status);
    assert.ok(m, status);
    return [+m[1], +m[2], +m[3]];
}

/**
 * Waits until the server's index has a vector for every chunk. Queries never wait for the semantic stage (they answer
 * from the keyword stage at once), so the tests below that judge meaning first let the small fixture finish.
 */
async function untilEmbedded(c: Client, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const m = /chunks: (\d+), (\d+) with vectors/.exec((await call(c, "status")).text);
        const [chunks, withVectors] = m ? [+m[1], +m[2]] : [0, 0];
        if (chunks > 0 && withVectors === chunks) return;
        assert.ok(Date.now() < deadline, `the fixture was not embedded in ${timeoutMs} ms (${withVectors}/${chunks})`);
        await new Promise((r) => setTimeout(r, 200));
    }
}

before(async () => {
    work = mkdtempSync(join(tmpdir(), "seek-mcp-"));
    folder = join(work, "ws");
    indexDir = join(work, "index");
    cpSync(fixture, folder, { recursive: true });
    writeFileSync(join(work, "outside.ts"), "export function outsideSecret() { return 42; }\n");
    symlinkSync(join(work, "outside.ts"), join(folder, "src", "link-out.ts"));
    client = await connect(folder, indexDir);
    await untilEmbedded(client);
});

after(async () => {
    await client?.close();
    rmSync(work, { recursive: true, force: true });
});

test("initialize names the server; the tools are listed with the shared input schemas", async () => {
    assert.equal(client.getServerVersion()?.name, "seek");
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ["find_similar", "search", "status"]);
    for (const [name, shared] of [["search", searchInputJsonSchema()], ["find_similar", similarInputJsonSchema()]] as const) {
        const schema = tools.find((t) => t.name === name)!.inputSchema as { properties: Record<string, Record<string, unknown>>; required?: string[] };
        assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(shared.properties).sort(), `${name}: the same parameters`);
        assert.deepEqual([...(schema.required ?? [])].sort(), [...shared.required].sort(), `${name}: the same required parameters`);
        for (const [key, prop] of Object.entries(shared.properties)) {
            for (const field of ["type", "enum", "minimum", "description"]) {
                assert.deepEqual(schema.properties[key][field], prop[field], `${name}.${key}.${field}`);
            }
            if (key === "count" || key === "maxChars") assert.equal(schema.properties[key].maximum, prop.maximum, `${name}.${key}.maximum`);
        }
        assert.equal(tools.find((t) => t.name === name)!.annotations?.readOnlyHint, true);
    }
});

test("search answers a question with ranked places, 1-based lines and snippets, saying the index's coverage", async () => {
    const a = await call(client, "search", { query: "where do we retry failed uploads?" });
    assert.equal(a.isError, false, a.text);
    assert.match(a.text, /^Index: /m, "the coverage line");
    const locs = locations(a.text);
    assert.ok(locs.length >= 3, a.text);
    const rank = locs.findIndex((l) => l.path === "src/upload/retry.ts" && l.startLine <= 15 && 15 <= l.endLine);
    assert.ok(rank >= 0 && rank < 3, `retryUpload (line 15) in the top 3:\n${a.text}`);
    assert.match(a.text, /^ +15\| export async function retryUpload\(/m, "a numbered snippet line from the file");
    const file = readFileSync(join(folder, "src/upload/retry.ts"), "utf8").split("\n");
    assert.ok(file[14].startsWith("export async function retryUpload("), "line numbers are the file's, 1-based");
    assert.ok(a.text.length <= AGENT_LIMITS.defaultMaxChars);
    assert.ok(!a.text.includes(work), "no absolute paths");
    assert.match(a.text, /^\d+\. src\/upload\/retry\.ts:11-28  retryUpload \(function\)  \[strong \d+\]$/m, "the strength the panel shows");
    assert.doesNotMatch(a.text, /Only weak matches/);
});

test("a query nothing in the folder answers says its matches are all weak", async () => {
    const a = await call(client, "search", { query: "zebra quantum marmalade" });
    assert.equal(a.isError, false, a.text);
    assert.match(a.text.split("\n")[2], /^Only weak matches for “zebra quantum marmalade”/, a.text);
    assert.ok(locations(a.text).length > 0, "the nearest places are still listed");
});

test("scope and path narrow the search as the panel's filters do", async () => {
    const docs = await call(client, "search", { query: "retry failed uploads", scope: "docs" });
    assert.equal(docs.isError, false, docs.text);
    assert.ok(locations(docs.text).some((l) => l.path === "docs/README.md"), docs.text);
    assert.ok(!locations(docs.text).some((l) => /\.(ts|py|go|rb|java)$/.test(l.path)), `no code with scope docs:\n${docs.text}`);
    const net = await call(client, "search", { query: "retry failed uploads", path: "src/net" });
    assert.ok(locations(net.text).length > 0 && locations(net.text).every((l) => l.path.startsWith("src/net/")), net.text);
});

test("the character budget holds: a small budget keeps the best result and says what it left out", async () => {
    const full = await call(client, "search", { query: "retry", count: 20, maxChars: AGENT_LIMITS.maxMaxChars });
    const small = await call(client, "search", { query: "retry", count: 20, maxChars: AGENT_LIMITS.minMaxChars });
    assert.equal(small.isError, false, small.text);
    assert.ok(small.text.length <= AGENT_LIMITS.minMaxChars, `${small.text.length} chars`);
    assert.ok(full.text.length > small.text.length);
    assert.deepEqual(locations(small.text)[0], locations(full.text)[0], "the same ranking, cut from the bottom");
    if (locations(full.text).length > locations(small.text).length) assert.match(small.text, /more results? did not fit in 500 characters/);
});

test("find_similar finds the near-duplicate and never the range itself", async () => {
    const a = await call(client, "find_similar", { path: "src/upload/retry.ts", startLine: 15, endLine: 28 });
    assert.equal(a.isError, false, a.text);
    const locs = locations(a.text);
    assert.ok(locs.slice(0, 3).some((l) => l.path === "src/net/fetchWithRetry.ts"), a.text);
    assert.ok(!locs.some((l) => l.path === "src/upload/retry.ts" && l.startLine <= 15 && l.endLine >= 28), "not the range itself");
    const abs = await call(client, "find_similar", { path: join(folder, "src/upload/retry.ts"), startLine: 15, endLine: 28 });
    assert.deepEqual(locations(abs.text), locs, "an absolute path inside the folder is the same file");
});

test("status reports files, chunks and vectors", async () => {
    const a = await call(client, "status");
    assert.equal(a.isError, false, a.text);
    const [files, chunks, embedded] = counts(a.text);
    assert.ok(files >= 8, a.text);
    assert.ok(chunks >= files && embedded <= chunks, a.text);
    assert.match(a.text, /^model: bge-small-en-v1\.5-q$/m);
});

test("bad calls are tool errors with a reason; the server stays up and the index is untouched", async () => {
    const before = await call(client, "status");
    const dbBefore = statSync(join(indexDir, "index.db")).mtimeMs;
    const bad: [string, Record<string, unknown>, RegExp][] = [
        ["search", { query: "" }, /query is empty/],
        ["search", { query: "   \n  " }, /query is empty/],
        ["search", { query: "x".repeat(AGENT_LIMITS.maxQueryChars + 1) }, /limit is 2000/],
        ["search", { query: "retry", count: 10_000 }, /count/],
        ["search", { query: "retry", count: 0 }, /count/],
        ["search", { query: "retry", count: 2.5 }, /count/],
        ["search", { query: "retry", maxChars: 10 }, /maxChars/],
        ["search", { query: "retry", scope: "everything" }, /scope/],
        ["search", { query: "retry", path: "../secrets/**" }, /leaves the folder/],
        ["search", { query: "retry", path: "/etc/**" }, /relative to the folder/],
        ["search", { query: 42 }, /query/],
        ["find_similar", { path: "src/upload/retry.ts", startLine: 5000 }, /has 28 lines/],
        ["find_similar", { path: "src/upload/retry.ts", startLine: 20, endLine: 10 }, /before startLine/],
        ["find_similar", { path: "src/upload/retry.ts", startLine: 0 }, /startLine/],
        ["find_similar", { path: "../outside.ts", startLine: 1 }, /outside the indexed folder/],
        ["find_similar", { path: join(work, "outside.ts"), startLine: 1 }, /outside the indexed folder/],
        ["find_similar", { path: "/etc/passwd", startLine: 1 }, /outside the indexed folder/],
        ["find_similar", { path: "src/link-out.ts", startLine: 1 }, /leads outside the folder/],
        ["find_similar", { path: "src/missing.ts", startLine: 1 }, /does not exist/],
        ["find_similar", { path: "src", startLine: 1 }, /not a file/],
        ["find_similar", { startLine: 1 }, /path/],
    ];
    for (const [tool, args, reason] of bad) {
        const a = await call(client, tool, args);
        assert.equal(a.isError, true, `${tool} ${JSON.stringify(args).slice(0, 80)} must fail: ${a.text}`);
        assert.match(a.text, reason, `${tool} ${JSON.stringify(args).slice(0, 80)}`);
        assert.ok(!a.text.includes("    at "), "no stack trace");
    }
    await assert.rejects(client.callTool({ name: "no_such_tool", arguments: {} }).then((r) => (r.isError ? Promise.reject(new Error("tool error")) : r)));
    assert.deepEqual(counts((await call(client, "status")).text), counts(before.text), "the index is as it was");
    assert.equal(statSync(join(indexDir, "index.db")).mtimeMs, dbBefore, "nothing was written");
    const still = await call(client, "search", { query: "retryUpload" });
    assert.equal(locations(still.text)[0]?.path, "src/upload/retry.ts", still.text);
});

test("a second client on the same folder at once reads the first one's index, says so, and takes it over when the first goes", async () => {
    const second = await connect(folder, indexDir);
    const a = await call(second, "search", { query: "where do we retry failed uploads?" });
    assert.equal(a.isError, false, a.text);
    assert.match(a.text, /another Seek process is updating it/);
    assert.ok(locations(a.text).some((l) => l.path === "src/upload/retry.ts"), a.text);
    assert.match((await call(second, "status")).text, /done by another Seek process/);
    // The first server still answers, and still holds the index.
    assert.equal((await call(client, "search", { query: "retryUpload" })).isError, false);
    await client.close();
    client = second;
    // The lock is free: the second server takes the index over at its next call (it tries at most every 2 s).
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const status = await call(second, "status");
    assert.doesNotMatch(status.text, /another Seek process/, status.text);
    assert.match(status.text, /^indexing: (idle|running)/m, status.text);
    const after = await call(second, "search", { query: "retryUpload" });
    assert.doesNotMatch(after.text, /another Seek process/);
    assert.equal(locations(after.text)[0]?.path, "src/upload/retry.ts", after.text);
});

test("a folder that is not indexed is indexed in the background and answered from the stage it is at", async () => {
    const big = join(work, "big");
    mkdirSync(join(big, "src"), { recursive: true });
    // Enough distinct code that the semantic stage (the model, on a small CI machine) is still running at the first call.
    for (let i = 0; i < 1000; i++) {
        writeFileSync(
            join(big, "src", `module${i}.ts`),
            `/** Computes the checksum number ${i} of a ${i % 2 ? "ledger" : "invoice"} entry. */\n` +
                `export function checksum${i}(entry: string): number {\n    let h = ${i};\n    for (const c of entry) h = (h * 31 + c.charCodeAt(0) + ${i}) % 1000003;\n    return h;\n}\n`,
        );
    }
    writeFileSync(join(big, "src", "parseInvoice.ts"), "/** Parses an invoice header line into its fields. */\nexport function parseInvoiceHeader(line: string) {\n    return line.split(';');\n}\n");
    const fresh = await connect(big, join(work, "index-big"));
    try {
        const a = await call(fresh, "search", { query: "parseInvoiceHeader" });
        assert.equal(a.isError, false, a.text);
        assert.equal(locations(a.text)[0]?.path, "src/parseInvoice.ts", a.text);
        assert.match(a.text, /^Index: keyword search covers every file; meaning search covers \d+% of it; the semantic stage is still running/m, a.text);
        const s = await call(fresh, "status");
        assert.match(s.text, /indexing: running: semantic stage/, s.text);
        const similar = await call(fresh, "find_similar", { path: "src/module1.ts", startLine: 2, endLine: 5 });
        assert.ok(similar.isError ? /no embedded code yet/.test(similar.text) : /^Index: /m.test(similar.text), similar.text);
    } finally {
        // Closing mid-run stops indexing cleanly and releases the lock: the CLI can open the index for writing.
        await fresh.close();
    }
    const res = spawnSync(process.execPath, [cli, "search", big, "checksum", "--no-wait", "--json", "--index-dir", join(work, "index-big")], {
        encoding: "utf8",
        env: env(),
        timeout: 120_000,
    });
    assert.equal(res.status, 0, res.stderr);
    assert.ok(!/another process is updating/.test(res.stderr), "the server let go of the index");
});
