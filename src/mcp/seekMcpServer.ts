/**
 * The MCP server's tools over one folder's index: `search`, `find_similar` and `status`. Each call validates its
 * arguments (src/agent/toolInput.ts), answers within its character budget (src/agent/formatResults.ts) with the
 * index's coverage, and turns every failure into a tool error (`isError: true`) the agent can read; nothing a
 * client sends can end the process or write to the index except through the normal indexing run.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { agentErrorText, NO_VECTORS_YET, ToolRefusal } from "../agent/errorText";
import { formatResults, fromCoreHit, searchTitle, similarTitle, weakNotice } from "../agent/formatResults";
import { describeIndex } from "../agent/indexNote";
import { AGENT_LIMITS, AGENT_SCOPES, parseSearchInput, parseSimilarInput, searchScope, ToolInputError } from "../agent/toolInput";
import { PARAM_DESCRIPTIONS, SEARCH_DESCRIPTION, SIMILAR_DESCRIPTION, STATUS_DESCRIPTION } from "../agent/toolSpecs";
import type { SeekEngine } from "../core/engine";
import type { Logger } from "../core/types";
import { scopeToOptions } from "../protocol/scope";
import type { IndexSession } from "./indexSession";
import { checkSimilarTarget } from "../agent/similarTarget";

export interface SeekMcpOptions {
    folder: string;
    session: IndexSession;
    logger: Logger;
    version: string;
}

/** Told to the client at initialize; many clients pass it to the model. */
const INSTRUCTIONS =
    "Seek searches this folder by meaning and keyword with a local index. Prefer `search` over grep for questions about " +
    "where or how something is done; use `find_similar` to find code like a given range; `status` says how far indexing is.";

/**
 * The input schemas as zod shapes (what McpServer.registerTool takes: zod v4 schemas from the `zod` package). Types
 * and ranges mirror src/agent/toolSpecs.ts (a unit test compares the JSON Schema the client sees); the query's
 * length and the path's shape are checked by parseSearchInput/parseSimilarInput, whose messages say how to fix them.
 */
const budgetShape = {
    count: z.number().int().min(1).max(AGENT_LIMITS.maxCount).optional().describe(PARAM_DESCRIPTIONS.count),
    maxChars: z.number().int().min(AGENT_LIMITS.minMaxChars).max(AGENT_LIMITS.maxMaxChars).optional().describe(PARAM_DESCRIPTIONS.maxChars),
};
const searchShape = {
    query: z.string().describe(PARAM_DESCRIPTIONS.query),
    scope: z.enum(AGENT_SCOPES as [string, ...string[]]).optional().describe(PARAM_DESCRIPTIONS.scope),
    path: z.string().optional().describe(PARAM_DESCRIPTIONS.glob),
    ...budgetShape,
};
const similarShape = {
    path: z.string().describe(PARAM_DESCRIPTIONS.path),
    startLine: z.number().int().min(1).describe(PARAM_DESCRIPTIONS.startLine),
    endLine: z.number().int().min(1).optional().describe(PARAM_DESCRIPTIONS.endLine),
    ...budgetShape,
};

const READ_ONLY = { readOnlyHint: true, openWorldHint: false, idempotentHint: true } as const;

export function createSeekMcpServer(opts: SeekMcpOptions): McpServer {
    const server = new McpServer({ name: "seek", version: opts.version }, { instructions: INSTRUCTIONS });
    const { session, folder } = opts;
    const answer = (what: string, work: () => Promise<string>) => guarded(what, work, opts.logger);

    server.registerTool("search", { title: "Seek: search by meaning", description: SEARCH_DESCRIPTION, inputSchema: searchShape, annotations: READ_ONLY }, (args, extra) =>
        answer("search", async () => {
            const input = parseSearchInput(args);
            const result = await session.use(extra.signal, (engine) => engine.search(input.query, { mode: "hybrid", top: input.count, ...scopeToOptions(searchScope(input)), signal: extra.signal }));
            const hits = result.hits.map(fromCoreHit);
            const notice = weakNotice(hits, input.query, "search");
            return formatResults({ title: searchTitle(input.query), hits, index: session.note(result), maxChars: input.maxChars, weakNotice: notice }).text;
        }),
    );

    server.registerTool("find_similar", { title: "Seek: find similar code", description: SIMILAR_DESCRIPTION, inputSchema: similarShape, annotations: READ_ONLY }, (args, extra) =>
        answer("find_similar", async () => {
            const input = parseSimilarInput(args);
            const path = await checkSimilarTarget(folder, input);
            const target = { path, startLine: input.startLine, endLine: input.endLine };
            const result = await session.use(extra.signal, (engine) => engine.similar(target, { top: input.count, signal: extra.signal }));
            if (result.semanticCoverage === 0) {
                throw new ToolRefusal(NO_VECTORS_YET);
            }
            const hits = result.hits.map(fromCoreHit);
            const notice = weakNotice(hits, `${path}:${input.startLine}`, "similar");
            const title = similarTitle(path, input.startLine, input.endLine);
            return formatResults({ title, hits, index: session.note(result), maxChars: input.maxChars, weakNotice: notice }).text;
        }),
    );

    server.registerTool("status", { title: "Seek: index status", description: STATUS_DESCRIPTION, annotations: READ_ONLY }, (extra) =>
        answer("status", () => session.use(extra.signal, async (engine) => statusText(folder, engine, session))),
    );
    return server;
}

/** The status tool's answer: counts, what indexing is doing, and the coverage line every answer carries. */
function statusText(folder: string, engine: SeekEngine, session: IndexSession): string {
    const s = engine.status();
    const run = session.runState();
    const coverage = s.files + s.pendingFiles === 0 ? (run.running ? 0 : 1) : s.files / (s.files + s.pendingFiles);
    const semanticCoverage = s.chunks === 0 ? 0 : s.embeddedChunks / s.chunks;
    const p = run.progress;
    const activity = run.running
        ? p?.phase === "embedding"
            ? `running: semantic stage, ${p.chunksWithVectors}/${p.chunksTotal} chunks embedded${p.etaSeconds !== undefined ? `, about ${p.etaSeconds} s left` : ""}`
            : `running: keyword stage, ${p?.filesDone ?? 0}/${p?.filesTotal ?? "?"} files`
        : engine.readOnly
          ? "done by another Seek process (this server reads its index)"
          : "idle (the index is refreshed when a call comes after a quiet spell)";
    return [
        `Seek index of ${folder}`,
        `files: ${s.files} indexed, ${s.pendingFiles} pending`,
        `chunks: ${s.chunks}, ${s.embeddedChunks} with vectors`,
        `indexing: ${activity}`,
        ...(run.error ? [`last run failed: ${run.error}`] : []),
        `model: ${s.modelId}`,
        describeIndex(session.note({ coverage, semanticCoverage })),
    ].join("\n");
}

/** Runs one tool call; any failure becomes a tool error with one readable sentence (the details go to the log). */
async function guarded(what: string, work: () => Promise<string>, logger: Logger): Promise<CallToolResult> {
    try {
        return { content: [{ type: "text", text: await work() }] };
    } catch (err) {
        // A refused call is the agent's to fix; only unexpected failures deserve a stack in the log.
        if (err instanceof ToolInputError || err instanceof ToolRefusal) logger.debug(`seek mcp: ${what} refused: ${err.message}`);
        else logger.warn(`seek mcp: ${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return { content: [{ type: "text", text: agentErrorText(err) }], isError: true };
    }
}
