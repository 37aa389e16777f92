/**
 * Helpers for the chunking-worker tests: a generated folder with many languages and every kind of odd file, a
 * keyword-stage run over it, and a full dump of the store it wrote (catalog rows, chunk rows, decoded term counts)
 * that two runs can be compared by.
 */
import fs from "node:fs";
import { join } from "node:path";
import { Database } from "node-sqlite3-wasm";
import { FakeEmbedder } from "../../src/core/embed/fakeEmbedder";
import { Indexer, type IndexerDeps } from "../../src/core/indexer";
import { decodeTerms } from "../../src/core/store/chunkTerms";
import { IndexStore } from "../../src/core/store/indexStore";
import { DB_FILE } from "../../src/core/store/schema";
import type { IndexProgress, Logger, SkippedFile } from "../../src/core/types";

export const IDENTITY = { modelId: "m", dimensions: 8, instructionSet: "i", chunkerVersion: "1" };
/** Small, so that the oversized file is over it. */
export const MAX_FILE_BYTES = 64 * 1024;

/** What a source file of each language looks like, given a number that makes it unique. */
const TEMPLATES: Record<string, (n: number) => string> = {
    ts: (n) => `export interface Upload${n} { retryCount: number }\n\nexport function retryUpload${n}(u: Upload${n}): number {\n    return u.retryCount + ${n};\n}\n\nexport class UploadQueue${n} {\n    private items: Upload${n}[] = [];\n    push(u: Upload${n}) {\n        this.items.push(u);\n    }\n}\n`,
    py: (n) => `class TokenCache${n}:\n    """Caches refresh tokens for ${n} clients."""\n\n    def refresh_token(self, client_id):\n        return self.fetch(client_id) or ${n}\n\n\ndef parse_headers_${n}(raw):\n    return dict(line.split(":", 1) for line in raw.splitlines())\n`,
    go: (n) => `package server${n}\n\nimport "net/http"\n\n// HandleHealth${n} answers the health probe.\nfunc HandleHealth${n}(w http.ResponseWriter, r *http.Request) {\n\tw.WriteHeader(http.StatusOK)\n}\n`,
    java: (n) => `package com.example;\n\npublic class OrderService${n} {\n    public int totalPrice(int quantity) {\n        return quantity * ${n};\n    }\n}\n`,
    rs: (n) => `pub struct Parser${n} { pos: usize }\n\nimpl Parser${n} {\n    pub fn next_token(&mut self) -> usize {\n        self.pos += ${n};\n        self.pos\n    }\n}\n`,
    rb: (n) => `module Billing${n}\n  class Invoice\n    def total_amount\n      ${n} * 2\n    end\n  end\nend\n`,
    php: (n) => `<?php\n\nnamespace App;\n\nclass MigrationRunner${n}\n{\n    public function runPending(): int\n    {\n        return ${n};\n    }\n}\n`,
    md: (n) => `# Guide ${n}\n\nHow to configure the upload retries.\n\n## Retries\n\nSet \`retryCount\` to ${n}.\n\n## Tokens\n\nRefresh tokens expire.\n`,
    txt: (n) => Array.from({ length: 30 + (n % 50) }, (_, i) => `line ${i} of note ${n}: parse HTTP response headers`).join("\n"),
    c: (n) => `#include <stdio.h>\n\nstatic int count_${n} = 0;\n\nint increment_${n}(void) {\n    return ++count_${n};\n}\n`,
    json: (n) => JSON.stringify({ name: `pkg${n}`, version: "1.0.0", scripts: { build: "tsc" } }, null, 2),
};

/**
 * Writes `filesPerLanguage` files of each language in TEMPLATES (some long enough for several chunks), the fixture
 * workspace, and the odd ones: a binary file, a file that is not UTF-8, an oversized file, an empty one, a
 * minified one, a file with a NUL in its text... Returns the number of files written.
 */
export function writeMixedFolder(dir: string, fixture: string, filesPerLanguage: number): number {
    fs.cpSync(fixture, join(dir, "fixture"), { recursive: true });
    let written = 0;
    const write = (rel: string, data: string | Uint8Array) => {
        fs.mkdirSync(join(dir, rel, ".."), { recursive: true });
        fs.writeFileSync(join(dir, rel), data);
        written++;
    };
    for (const [ext, template] of Object.entries(TEMPLATES)) {
        for (let n = 0; n < filesPerLanguage; n++) {
            // Every seventh file repeats its body, so some files take several chunks.
            const body = n % 7 === 0 ? Array.from({ length: 40 }, (_, k) => template(n * 100 + k)).join("\n") : template(n);
            write(`src/${ext}/dir${n % 5}/file${n}.${ext}`, body);
        }
    }
    write("odd/image.bin", Uint8Array.from({ length: 2048 }, (_, i) => (i * 37) % 256));
    write("odd/latin1.txt", Buffer.from("caf\xe9 cr\xe8me br\xfbl\xe9e\n".repeat(20), "latin1"));
    write("odd/huge.txt", "x".repeat(MAX_FILE_BYTES + 10) + "\n");
    write("odd/empty.ts", "");
    write("odd/packed.js", `var a=${"1+".repeat(20000)}1;\n`);
    write("odd/blank.md", "\n\n\n");
    return written;
}

/** A Logger that keeps every line, by level. */
export class RecordingLogger implements Logger {
    readonly lines: { level: string; message: string }[] = [];
    trace = (m: string) => this.lines.push({ level: "trace", message: m });
    debug = (m: string) => this.lines.push({ level: "debug", message: m });
    info = (m: string) => this.lines.push({ level: "info", message: m });
    warn = (m: string) => this.lines.push({ level: "warn", message: m });
    error = (m: string | Error) => this.lines.push({ level: "error", message: String(m) });
    at(level: string): string[] {
        return this.lines.filter((l) => l.level === level).map((l) => l.message);
    }
}

/** Runs the keyword stage over `folder` into the index in `indexDir`; returns the skips reported. */
export async function keywordStage(
    folder: string,
    indexDir: string,
    extra: Partial<IndexerDeps> & { signal?: AbortSignal; onProgress?: (p: IndexProgress) => void } = {},
): Promise<SkippedFile[]> {
    const skips: SkippedFile[] = [];
    const store = IndexStore.open(indexDir, IDENTITY);
    try {
        const indexer = new Indexer({
            folder,
            store,
            embedder: new FakeEmbedder({ dimensions: IDENTITY.dimensions }),
            prompt: (input) => ({ instruction: "", text: input.text }),
            logger: new RecordingLogger(),
            maxFileBytes: MAX_FILE_BYTES,
            maxChunkTokens: 200,
            onSkip: (s) => skips.push(s),
            ...extra,
        });
        for await (const p of indexer.run(extra.signal, { semantic: false })) extra.onProgress?.(p);
    } finally {
        store.close();
    }
    return skips;
}

/** A chunk row as text, its lexical terms decoded to tokens (sorted), without its id. */
export interface ChunkDump {
    row: string;
    terms: string;
}

/** Everything the keyword stage wrote: catalog rows (without the time of writing) and chunks, by path. */
export interface StoreDump {
    files: string[];
    chunks: Map<string, ChunkDump[]>;
}

export function dumpStore(indexDir: string): StoreDump {
    const db = new Database(join(indexDir, DB_FILE), { readOnly: true });
    try {
        const tokens = new Map(db.all("SELECT id, term FROM terms").map((r) => [Number(r.id), String(r.term)]));
        const files = db.all("SELECT path, hash, size, mtime_ms, chunk_count FROM files ORDER BY path").map((r) => JSON.stringify(r));
        const chunks = new Map<string, ChunkDump[]>();
        const rows = db.all("SELECT path, start_line, end_line, language, kind, symbol, symbol_kind, text, terms, embed_failed FROM chunks ORDER BY path, id");
        for (const r of rows) {
            const words = decodeTerms(r.terms);
            if (!words) throw new Error(`malformed terms of a chunk of ${String(r.path)}`);
            const terms: string[] = [`length ${words[0]}`];
            for (let i = 1; i < words.length; i += 2) terms.push(`${tokens.get(words[i])}:${words[i + 1]}`);
            const { terms: _blob, ...row } = r;
            const list = chunks.get(String(r.path)) ?? [];
            list.push({ row: JSON.stringify(row, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v)), terms: [terms[0], ...terms.slice(1).sort()].join(" ") });
            chunks.set(String(r.path), list);
        }
        return { files, chunks };
    } finally {
        db.close();
    }
}

/** The best chunks (path, lines, score) for each query, from the index in `indexDir`. */
export function searchAll(indexDir: string, queries: readonly string[]): string[] {
    const store = IndexStore.open(indexDir, IDENTITY, { readOnly: true });
    try {
        return queries.map((q) =>
            store
                .lexicalSearch(q, 10)
                .map((m) => {
                    const c = store.getChunk(m.id)!;
                    return `${c.path}:${c.startLine}-${c.endLine} ${m.bm25.toFixed(6)}`;
                })
                .join("\n"),
        );
    } finally {
        store.close();
    }
}
