/**
 * Test support for the team index (#12): a real PostgreSQL + pgvector server (scripts/pgserver.mjs, fetched by the
 * project's own script on first use), and synthetic chunks with the shape of code (identifiers, paths, symbols,
 * prose), deterministic from a seed.
 *
 * No skipping: a test that needs the server fails when it cannot start (no python3/pip, no PyPI). The server's
 * files are cached (/var/tmp/seek-pgserver as root, ~/.cache/seek/pgserver otherwise; SEEK_PGSERVER_CACHE moves it).
 */
import { join } from "node:path";
import type { Chunk, FileKind } from "../../src/core/types";
import { mulberry32 } from "./random";

export interface PgServer {
    url: string;
    port: number;
    dataDir: string;
    start(): Promise<void>;
    stop(): Promise<void>;
    destroy(): Promise<void>;
}

/** The repository root, from the compiled test's folder (out/test/support). */
export const REPO_ROOT = join(__dirname, "..", "..", "..");

export async function startPgServer(): Promise<PgServer> {
    const mod = (await import(join(REPO_ROOT, "scripts", "pgserver.mjs"))) as { startPgServer(opts?: object): Promise<PgServer> };
    return mod.startPgServer();
}

const WORDS = (
    "the a of to and retry upload file error config parse request response user token cache index search query vector " +
    "handler server client route session timeout stream buffer chunk model embed rank score filter path line symbol " +
    "read write open close lock commit rollback batch worker thread queue event listener async await promise result " +
    "naïve café über résumé running runs ran database postgres table column row schema migration"
).split(" ");
const IDENTS = ["getUserById", "parse_config", "HTTPServer", "retryUpload", "fetchToken", "RankConfig", "lexical_search", "vectorTopK", "openPool", "commitBatch", "x2y", "getGet"];
const LANGS: { ext: string; language: string; kind: FileKind }[] = [
    { ext: "ts", language: "typescript", kind: "code" },
    { ext: "py", language: "python", kind: "code" },
    { ext: "md", language: "markdown", kind: "docs" },
    { ext: "txt", language: "text", kind: "text" },
];

/** Files of synthetic chunks: skewed word frequencies, identifiers, symbols; `chunksPerFile` chunks each. */
export function syntheticFiles(files: number, seed: number, chunksPerFile = 3): { path: string; chunks: Chunk[] }[] {
    const rand = mulberry32(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(xs.length * rand() * rand())];
    return Array.from({ length: files }, (_, f) => {
        const lang = LANGS[f % LANGS.length];
        const path = `${pick(["src", "lib", "docs", "test"])}/${pick(["core", "api", "ui"])}/file${f}.${lang.ext}`;
        const chunks = Array.from({ length: chunksPerFile }, (_, c) => {
            const lines = 1 + Math.floor(rand() * 8);
            const text = Array.from({ length: lines }, () => Array.from({ length: 2 + Math.floor(rand() * 10) }, () => (rand() < 0.15 ? pick(IDENTS) : pick(WORDS))).join(" ")).join("\n");
            const chunk: Chunk = { path, startLine: c * 10 + 1, endLine: c * 10 + lines, language: lang.language, kind: lang.kind, text };
            if (rand() < 0.6) {
                chunk.symbol = rand() < 0.2 ? `${pick(IDENTS)}, ${pick(IDENTS)}.Value` : pick(IDENTS);
                chunk.symbolKind = "function";
            }
            return chunk;
        });
        return { path, chunks };
    });
}

/** A deterministic unit vector for a text (the same text always gets the same vector). */
export function fakeVector(text: string, dims: number): Float32Array {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    const rand = mulberry32(h >>> 0);
    const v = new Float32Array(dims);
    let norm = 0;
    for (let i = 0; i < dims; i++) {
        v[i] = rand() - 0.5;
        norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dims; i++) v[i] /= norm;
    return v;
}
