/** Human and JSON output for the CLI. JSON shapes are part of the CLI contract. */
import { allWeak, strengthText, weakMatchesNotice } from "../core/search/strength";
import { SKIP_REASON_TEXT } from "../core/skips";
import type { Hit, IndexProgress, IndexStatus, Logger, SkipReason } from "../core/types";

/** The batch/JSON result shape: folder-relative POSIX path, 1-based inclusive lines. */
export interface JsonHit {
    path: string;
    startLine: number;
    endLine: number;
    score: number;
    symbol?: string;
    snippet?: string;
}

const SNIPPET_LINES = 4;

export function toJsonHit(h: Hit): JsonHit {
    const out: JsonHit = { path: h.path, startLine: h.startLine, endLine: h.endLine, score: round(h.score) };
    if (h.symbol) out.symbol = h.symbol;
    out.snippet = h.text.split(/\r?\n/).slice(0, SNIPPET_LINES * 2).join("\n");
    return out;
}

function round(x: number): number {
    return Math.round(x * 1e6) / 1e6;
}

const useColor = () => process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : s);

/** Readable terminal output: path:line, symbol, match strength (the scale every surface shows), a few lines of snippet. */
export function formatHits(hits: Hit[], coverage: number): string {
    if (hits.length === 0) return "No results.";
    const lines: string[] = [];
    if (coverage < 1) lines.push(paint("33", `(searched ${Math.round(coverage * 100)}% of the workspace; indexing continues)`));
    if (allWeak(hits.map((h) => h.strength?.value))) lines.push(paint("33", weakMatchesNotice(undefined)));
    hits.forEach((h, i) => {
        const where = paint("36", `${h.path}:${h.startLine}-${h.endLine}`);
        const symbol = h.symbol ? `  ${paint("1", h.symbol)}` : "";
        const strength = h.strength ? strengthText(h.strength.value) : "";
        lines.push(`${String(i + 1).padStart(2)}. ${where}${symbol}  ${paint("2", strength)}`);
        const snippet = h.text.split(/\r?\n/).filter((l) => l.trim() !== "").slice(0, SNIPPET_LINES);
        for (const l of snippet) lines.push(`      ${l.length > 120 ? `${l.slice(0, 117)}...` : l}`);
    });
    return lines.join("\n");
}

export function formatStatus(s: IndexStatus, folder: string): string {
    const mb = (s.bytesOnDisk / 1024 / 1024).toFixed(1);
    // Dated by the last completed run (or the newest file stored); without either, no run has finished yet.
    const when = s.lastIndexedAt ? new Date(s.lastIndexedAt).toISOString() : "no run has completed yet";
    return [
        `folder:   ${folder}`,
        `model:    ${s.modelId}`,
        `files:    ${s.files.toLocaleString("en-US")}`,
        `chunks:   ${s.chunks.toLocaleString("en-US")}`,
        `semantic: ${s.embeddedChunks.toLocaleString("en-US")} chunks embedded (${s.chunks > 0 ? Math.floor((100 * s.embeddedChunks) / s.chunks) : 0}%)`,
        `on disk:  ${mb} MB`,
        `indexed:  ${when}`,
    ].join("\n");
}

/** `seek status` for a folder that has no index yet (nothing is created to answer). */
export function formatNotIndexed(folder: string): string {
    return [`folder:   ${folder}`, `index:    none yet; \`seek index ${folder}\` builds one`].join("\n");
}

/** `seek status --json` for a folder without an index: the counts an index would have, all zero. */
export function notIndexedStatus(): { indexed: false; files: 0; chunks: 0; embeddedChunks: 0; bytesOnDisk: 0 } {
    return { indexed: false, files: 0, chunks: 0, embeddedChunks: 0, bytesOnDisk: 0 };
}

/** The line `seek index` ends with: "Indexed 12 files (40 chunks); skipped 3: 2 binary, 1 too large (--verbose lists them)." */
export function formatIndexed(s: IndexStatus, skips: { total: number; byReason: { reason: SkipReason; count: number }[] }): string {
    const files = `${s.files.toLocaleString("en-US")} ${s.files === 1 ? "file" : "files"}`;
    const chunks = `${s.chunks.toLocaleString("en-US")} ${s.chunks === 1 ? "chunk" : "chunks"}`;
    const why = skips.byReason.map((r) => `${r.count} ${SKIP_REASON_TEXT[r.reason]}`).join(", ");
    const skipped = skips.total > 0 ? `; skipped ${skips.total}: ${why} (--verbose lists them)` : "";
    const nothing = s.files === 0 && skips.total === 0 ? " There is nothing here Seek indexes." : "";
    return `Indexed ${files} (${chunks})${skipped}.${nothing}`;
}

/** A one-line progress bar on stderr (TTY), or a line every few seconds otherwise. */
export class ProgressPrinter {
    private lastLine = 0;

    constructor(private readonly enabled: boolean) {}

    update(p: IndexProgress): void {
        if (!this.enabled) return;
        const now = Date.now();
        const tty = process.stderr.isTTY;
        if (!tty && now - this.lastLine < 5000 && p.phase !== "done") return;
        this.lastLine = now;
        const semantic = p.phase === "embedding" || (p.phase === "done" && p.chunksEmbedded > 0);
        const pct = semantic ? p.chunksWithVectors / Math.max(1, p.chunksTotal) : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
        const width = 24;
        const bar = "#".repeat(Math.round(pct * width)).padEnd(width, "-");
        const eta = p.etaSeconds !== undefined && p.phase !== "done" ? ` ETA ${formatSeconds(p.etaSeconds)}` : "";
        // The two stages: keyword (files read and chunked: searchable by keyword), then semantic (chunks embedded).
        const line = semantic
            ? `seek: [${bar}] keyword index ready; semantic ${Math.floor(pct * 100)}% (${p.chunksWithVectors}/${p.chunksTotal} chunks)${eta}`
            : `seek: [${bar}] keyword index ${p.filesDone}/${p.filesTotal} files, ${p.chunksTotal} chunks${eta}`;
        process.stderr.write(tty ? `\r${line.padEnd(100)}` : `${line}\n`);
        if (p.phase === "done" && tty) process.stderr.write("\n");
    }
}

function formatSeconds(s: number): string {
    return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** "seek: model loaded" -> "model loaded", for a logger that prefixes lines itself. */
export function withoutSeekPrefix(message: string): string {
    return message.startsWith("seek: ") ? message.slice("seek: ".length) : message;
}

/** Logs to stderr: errors always, the rest (per-file skips, and there can be thousands) with --verbose. */
export function stderrLogger(verbose: boolean): Logger {
    // Core messages often start with "seek: " (for loggers that add no prefix); this one adds "seek <level>: ".
    const write = (level: string, message: string | Error) =>
        process.stderr.write(`seek ${level}: ${message instanceof Error ? (message.stack ?? message.message) : withoutSeekPrefix(message)}\n`);
    return {
        trace: () => undefined,
        debug: (m) => verbose && write("debug", m),
        info: (m) => verbose && write("info", m),
        warn: (m) => verbose && write("warn", m),
        error: (m) => write("error", m),
    };
}
