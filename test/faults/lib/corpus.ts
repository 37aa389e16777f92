/**
 * Generators for the corpora the fault suites index. Everything is written into a temp dir by the test itself;
 * nothing large is committed. Good files carry a unique lower-case marker word so a lexical search can prove they
 * were indexed, whatever else in the folder went wrong.
 */
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { mulberry32 } from "../../support/random";

/** Deterministic PRNG: the same seed gives the same corpus, so a failure can be replayed. */
export const rng = mulberry32;

/** A marker word: lower-case letters and digits only, so every tokenizer keeps it as one token. */
export function marker(tag: string): string {
    return `zq${tag.toLowerCase().replace(/[^a-z0-9]/g, "")}mark`;
}

export function write(root: string, rel: string, content: string | Uint8Array): string {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return abs;
}

/** A small, ordinary TypeScript file whose function mentions `mark`. */
export function goodSource(mark: string, what = "normalizes a user supplied name"): string {
    return [
        `/** ${what}; see ${mark}. */`,
        `export function ${mark}Helper(input: string): string {`,
        `    // ${mark}: trim and lower-case before comparing`,
        `    return input.trim().toLowerCase();`,
        `}`,
        ``,
    ].join("\n");
}

/** Writes a good file and returns its expectation. */
export function writeGood(root: string, rel: string, tag: string): { path: string; marker: string } {
    const mark = marker(tag);
    write(root, rel, goodSource(mark));
    return { path: rel, marker: mark };
}

/** Writes `bytes` bytes of repeated text lines without building the whole string in memory. */
export function writeBigText(abs: string, bytes: number, line: string): void {
    mkdirSync(dirname(abs), { recursive: true });
    const block = Buffer.from(line.repeat(Math.max(1, Math.floor((1 << 20) / line.length))));
    const fd = openSync(abs, "w");
    try {
        let left = bytes;
        while (left > 0) {
            const n = Math.min(left, block.length);
            writeSync(fd, block, 0, n);
            left -= n;
        }
    } finally {
        closeSync(fd);
    }
}

/** Random bytes (with NULs), like a compiled object file. */
export function randomBytes(n: number, seed: number): Buffer {
    const r = rng(seed);
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
    return b;
}

/** UTF-16 text with its byte-order mark. */
export function utf16(text: string, endian: "le" | "be"): Buffer {
    const le = Buffer.from(text, "utf16le");
    if (endian === "be") le.swap16();
    return Buffer.concat([Buffer.from(endian === "le" ? [0xff, 0xfe] : [0xfe, 0xff]), le]);
}

/**
 * A workspace of `files` source files, each with a few functions (1-3 chunks each), for kill/cancel trials: big
 * enough that indexing takes seconds with the real model, small enough to rebuild cleanly many times.
 */
export function writeCodeCorpus(root: string, files: number, seed: number, prefix = "src"): string[] {
    const r = rng(seed);
    const verbs = ["parse", "render", "fetch", "store", "validate", "merge", "encode", "schedule", "retry", "resolve"];
    const nouns = ["config", "session", "upload", "invoice", "token", "cache", "report", "widget", "route", "queue"];
    const paths: string[] = [];
    for (let i = 0; i < files; i++) {
        const rel = `${prefix}/m${i % 10}/file${i}.ts`;
        const fns: string[] = [];
        const count = 1 + Math.floor(r() * 3);
        for (let f = 0; f < count; f++) {
            const verb = verbs[Math.floor(r() * verbs.length)];
            const noun = nouns[Math.floor(r() * nouns.length)];
            const name = `${verb}${noun[0].toUpperCase()}${noun.slice(1)}${i}x${f}`;
            const body: string[] = [];
            const lines = 6 + Math.floor(r() * 20);
            for (let l = 0; l < lines; l++) body.push(`    const v${l} = ${verb}Step(${noun}, ${l}, "${noun}-${i}-${f}-${l}");`);
            fns.push(
                `/** ${verb}s the ${noun} for module ${i} (variant ${f}); ${marker(`f${i}`)}. */\nexport function ${name}(${noun}: unknown): number {\n${body.join("\n")}\n    return ${lines};\n}\n`,
            );
        }
        write(root, rel, `import { ${verbs[i % verbs.length]}Step } from "../steps";\n\n${fns.join("\n")}`);
        paths.push(rel);
    }
    return paths;
}

/**
 * A synthetic workspace of about `targetChunks` chunks for load tests: TypeScript files of ten functions each, every
 * function long enough (~120 estimated tokens) to stay its own chunk. Returns the number of files written.
 */
export function writeLoadCorpus(root: string, targetChunks: number, perFile = 10): number {
    const files = Math.ceil(targetChunks / perFile);
    for (let i = 0; i < files; i++) {
        const fns: string[] = [];
        for (let f = 0; f < perFile; f++) {
            const body: string[] = [];
            for (let l = 0; l < 6; l++) body.push(`    const step${l} = transform${l % 4}(input, ${i * 31 + f * 7 + l}, "stage-${l}-of-module-${i}");`);
            fns.push(`/** Handles stage ${f} of module ${i}: ${marker(`load${i}x${f}`)}. */\nexport function handle${i}x${f}(input: number[]): number {\n${body.join("\n")}\n    return step5 + step4;\n}\n`);
        }
        write(root, `pkg${Math.floor(i / 200)}/mod${i}.ts`, fns.join("\n"));
    }
    return files;
}
