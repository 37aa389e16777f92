/** The retrieval systems the quality benches compare, by id. */

export const MODELS = ["bge-small-en-v1.5-q", "e5-small-v2-q", "all-minilm-l6-v2-q"];
export const DEFAULT_MODEL = MODELS[0];
const SHORT = { "bge-small-en-v1.5-q": "bge", "e5-small-v2-q": "e5", "all-minilm-l6-v2-q": "minilm" };

/**
 * Parses a system id: `bm25`, or `seek:<mode>[:<model-short-or-id>][:noinstr][:code|:docs]` (mode
 * hybrid|vector|lexical; `code`/`docs` pass --task for every query instead of the default `auto`; `stage1` with lexical:
 * the keyword stage alone, indexed by `search --no-wait` into an index of its own, so no chunk is ever embedded:
 * what a user gets before the first embedding lands, and cheap enough to run on every repository).
 * @returns {{ id:string, kind:'bm25'|'seek', mode?:string, model?:string, instructions?:boolean, task?:string, label:string }}
 */
export function parseSystem(id) {
    if (id === "bm25") return { id, kind: "bm25", label: "BM25 (plain, 50-line windows)" };
    const [kind, mode, ...rest] = id.split(":");
    if (kind !== "seek" || !["hybrid", "vector", "lexical"].includes(mode)) throw new Error(`unknown system '${id}'`);
    const instructions = !rest.includes("noinstr");
    const keywordStage = rest.includes("stage1");
    if (keywordStage && mode !== "lexical") throw new Error(`'${id}': stage1 runs the keyword stage only, so its mode is lexical`);
    const task = rest.find((x) => x === "code" || x === "docs");
    const m = rest.find((x) => x !== "noinstr" && x !== "stage1" && x !== task);
    const model = m ? (MODELS.find((full) => full === m || SHORT[full] === m) ?? m) : DEFAULT_MODEL;
    const what = keywordStage ? "keyword stage" : mode;
    const label = `Seek ${what} (${SHORT[model] ?? model}${instructions ? "" : ", no instructions"}${task ? `, --task ${task}` : ""}${keywordStage ? ", no vectors" : ""})`;
    return { id, kind: "seek", mode, model, instructions, task, keywordStage, label };
}

/** Quick run: the default model's three modes beside BM25. */
export const QUICK_SYSTEMS = ["bm25", "seek:hybrid", "seek:vector", "seek:lexical", "seek:hybrid:code"];

/** Full run: every mode, with and without instructions, each model, and BM25. */
export const FULL_SYSTEMS = [
    "bm25",
    "seek:hybrid",
    "seek:vector",
    "seek:lexical",
    "seek:hybrid:code",
    "seek:hybrid:noinstr",
    "seek:vector:noinstr",
    "seek:hybrid:e5",
    "seek:vector:e5",
    "seek:hybrid:e5:noinstr",
    "seek:vector:e5:noinstr",
    "seek:hybrid:minilm",
    "seek:vector:minilm",
];

/** Key of the index a system needs (systems sharing it reuse one build). */
export function indexKey(sys) {
    return sys.kind === "bm25" ? "bm25" : `${sys.model}${sys.instructions ? "" : "-noinstr"}${sys.keywordStage ? "-stage1" : ""}`;
}
