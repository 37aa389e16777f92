/**
 * Seek's language-model tools for Copilot agent mode and other chat participants: `seek_search` and
 * `seek_find_similar` (declared in package.json `contributes.languageModelTools`). They answer from the extension's
 * live index through the same SearchService call as the QuickPick and the panel, so an agent gets a person's
 * ranking, trimmed to a character budget by src/agent/formatResults.ts, with the index's coverage in every answer.
 *
 * Trust: the tools are read-only and local, so in a trusted workspace they run without asking (VS Code's rule:
 * confirm tools with side effects). In Restricted Mode they ask first: the snippets come from files the user has
 * not trusted, and they go into the model's context, where text can act as instructions.
 */
import * as vscode from "vscode";
import { agentErrorText, NO_VECTORS_YET, ToolRefusal } from "../agent/errorText";
import { formatResults, searchTitle, similarTitle, type AgentHit } from "../agent/formatResults";
import type { IndexNote } from "../agent/indexNote";
import { checkSimilarTarget } from "../agent/similarTarget";
import { parseSearchInput, parseSimilarInput, searchScope, ToolInputError, type SearchInput, type SimilarInput } from "../agent/toolInput";
import { describeError } from "../commands/reportError";
import type { Ctx } from "../ctx";
import type { SearchOutcome } from "../indexing/searchService";

/** Tool names, as package.json declares them. */
export const LM_TOOL = { search: "seek_search", findSimilar: "seek_find_similar" } as const;

/** Registers both tools; their disposables live as long as the extension. */
export function registerLmTools(ctx: Ctx): void {
    // VS Code before 1.95 has no vscode.lm.registerTool; the rest of Seek works without it.
    if (typeof vscode.lm?.registerTool !== "function") {
        ctx.log.info("language-model tools are not available in this VS Code; seek_search and seek_find_similar are not registered");
        return;
    }
    ctx.pushExtCleanup(vscode.lm.registerTool(LM_TOOL.search, new SearchTool(ctx)));
    ctx.pushExtCleanup(vscode.lm.registerTool(LM_TOOL.findSimilar, new FindSimilarTool(ctx)));
}

export class SearchTool implements vscode.LanguageModelTool<Partial<SearchInput>> {
    constructor(private readonly ctx: Ctx) {}

    prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<Partial<SearchInput>>): vscode.PreparedToolInvocation {
        const query = typeof options.input?.query === "string" ? options.input.query.trim().slice(0, 80) : "";
        return prepared(`Searching the workspace with Seek for "${query}"`, `Seek will search for "${query}"`);
    }

    async invoke(options: vscode.LanguageModelToolInvocationOptions<Partial<SearchInput>>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
        return answer(this.ctx, "seek_search", token, async (signal) => {
            const input = parseSearchInput(options.input);
            refuseWithoutIndex(this.ctx, "search");
            const outcome = await this.ctx.search.search({ query: input.query, mode: this.ctx.config.get("search.mode"), top: input.count, scope: searchScope(input) }, signal);
            const request = { title: searchTitle(input.query), hits: agentHits(outcome), index: indexNote(this.ctx, outcome), maxChars: input.maxChars };
            return formatResults(outcome.weakNotice ? { ...request, weakNotice: outcome.weakNotice } : request).text;
        });
    }
}

export class FindSimilarTool implements vscode.LanguageModelTool<Partial<SimilarInput>> {
    constructor(private readonly ctx: Ctx) {}

    prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<Partial<SimilarInput>>): vscode.PreparedToolInvocation {
        const { path, startLine, endLine } = options.input ?? {};
        const where = `${String(path ?? "")}:${String(startLine ?? "")}${endLine !== undefined ? `-${String(endLine)}` : ""}`;
        return prepared(`Finding code similar to ${where} with Seek`, `Seek will look for code similar to ${where}`);
    }

    async invoke(options: vscode.LanguageModelToolInvocationOptions<Partial<SimilarInput>>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
        return answer(this.ctx, "seek_find_similar", token, async (signal) => {
            const input = parseSimilarInput(options.input);
            refuseWithoutIndex(this.ctx, "similar");
            const { folder, given } = workspaceFolderOf(input.path);
            const rel = await checkSimilarTarget(folder.uri.fsPath, { ...input, path: given });
            const uri = vscode.Uri.joinPath(folder.uri, ...rel.split("/"));
            const outcome = await this.ctx.search.similar(uri, { start: input.startLine - 1, end: input.endLine - 1 }, input.count, signal);
            if (outcome.semanticCoverage === 0) throw new ToolRefusal(NO_VECTORS_YET);
            const title = similarTitle(displayPath(folder.name, rel), input.startLine, input.endLine);
            const request = { title, hits: agentHits(outcome), index: indexNote(this.ctx, outcome), maxChars: input.maxChars };
            return formatResults(outcome.weakNotice ? { ...request, weakNotice: outcome.weakNotice } : request).text;
        });
    }
}

function prepared(invocationMessage: string, confirmation: string): vscode.PreparedToolInvocation {
    if (vscode.workspace.isTrusted) return { invocationMessage };
    return {
        invocationMessage,
        confirmationMessages: {
            title: "Read an untrusted workspace into the chat?",
            message: new vscode.MarkdownString(
                `${confirmation}. This workspace is in Restricted Mode: the snippets Seek returns come from files you have not trusted, ` +
                    "and the model will read them. Continue only if you accept that.",
            ),
        },
    };
}

/**
 * Runs a tool call. A failure is thrown as one readable sentence: VS Code hands a tool's error message to the
 * model, which can then fix its arguments or tell the user (the details go to Seek's log).
 */
async function answer(ctx: Ctx, tool: string, token: vscode.CancellationToken, work: (signal: AbortSignal) => Promise<string>): Promise<vscode.LanguageModelToolResult> {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
        const text = await work(controller.signal);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
    } catch (err) {
        if (err instanceof ToolInputError || err instanceof ToolRefusal) ctx.log.debug(`${tool} refused: ${err.message}`);
        else ctx.log.warn(`${tool} failed`, err);
        throw new Error(agentErrorText(err));
    } finally {
        sub.dispose();
    }
}

/** What the search commands tell a person with a message box, told to the agent as a refusal instead. */
function refuseWithoutIndex(ctx: Ctx, need: "search" | "similar"): void {
    const folders = ctx.index.list();
    if (folders.length === 0) throw new ToolRefusal("No folder is open in VS Code; Seek searches the folders of a workspace.");
    const failed = folders.filter((f) => f.phase === "error");
    if (failed.length === folders.length) {
        throw new ToolRefusal(`Seek's index of ${failed[0].folder.name} is not available: ${describeError(failed[0].error).message}`);
    }
    if (need === "similar" && !ctx.index.isReady()) {
        const s = ctx.index.summary();
        throw new ToolRefusal(
            s.phase === "paused" || s.phase === "disabled"
                ? "Seek has nothing indexed yet and indexing is paused or turned off; ask the user to resume it (Seek: Resume Indexing)."
                : `Seek is still building the index (${s.filesDone}/${s.filesTotal} files); try again in a moment.`,
        );
    }
}

/** The folder a path given by the agent belongs to, and the path to resolve inside it. */
function workspaceFolderOf(given: string): { folder: vscode.WorkspaceFolder; given: string } {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) throw new ToolRefusal("No folder is open in VS Code.");
    if (given.startsWith("/") || /^[a-zA-Z]:[\\/]/.test(given)) {
        const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(given));
        if (!folder) throw new ToolInputError(`${given} is outside the workspace; give a path inside it`);
        return { folder, given };
    }
    // Multi-root: results name files `<folder name>/<path>`; a path in that form goes to that folder.
    const [head, ...rest] = given.replace(/^\.\//, "").split("/");
    const named = folders.length > 1 && rest.length > 0 ? folders.find((f) => f.name === head) : undefined;
    return named ? { folder: named, given: rest.join("/") } : { folder: folders[0], given };
}

/** Hits as the agent sees them: 1-based lines, paths relative to the workspace (prefixed by folder when multi-root). */
function agentHits(outcome: SearchOutcome): AgentHit[] {
    return outcome.hits.map((h) => {
        const hit: AgentHit = {
            path: displayPath(h.folderName, h.path),
            startLine: h.startLine + 1,
            endLine: h.endLine + 1,
            text: h.text,
            bestLines: h.bestLines.map((l) => l + 1),
        };
        if (h.symbol !== undefined) hit.symbol = h.symbol;
        if (h.symbolKind !== undefined) hit.symbolKind = h.symbolKind;
        if (h.strength !== undefined) hit.strength = h.strength.value;
        return hit;
    });
}

function displayPath(folderName: string, path: string): string {
    return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folderName}/${path}` : path;
}

function indexNote(ctx: Ctx, outcome: SearchOutcome): IndexNote {
    const s = ctx.index.summary();
    const note: IndexNote = { coverage: outcome.coverage, semanticCoverage: outcome.semanticCoverage };
    if (s.phase === "indexing") note.running = s.stage ?? "keyword";
    return note;
}
