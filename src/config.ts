/**
 * Typed access to the `seek.*` settings. settings.json is user input: every value is sanitized where it is read,
 * and resource-scoped values are read with the folder's URI each time (never cached).
 * Mirrors `contributes.configuration` in package.json.
 */
import { availableParallelism } from "node:os";
import * as vscode from "vscode";
import type { InstructionOverrides } from "./core/engine";
import type { SearchMode } from "./core/types";
import type { WireEngineOptions } from "./engineHost/ipc";
import { cleanUrl } from "./engineHost/teamIndexConfig";

/** Per-role instruction overrides, plus a switch to embed without any instructions. */
export interface InstructionSettings {
    enabled: boolean;
    /** role ("query" | "document" | "similar") -> domain ("code" | "docs") or language id -> template. */
    overrides: InstructionOverrides;
}

export interface Settings {
    model: string;
    modelPath: string;
    instructions: InstructionSettings;
    include: string[];
    exclude: string[];
    maxFileSizeKB: number;
    "indexing.threads": number;
    "indexing.enabled": boolean;
    "indexing.embeddingCacheMB": number;
    "search.mode": SearchMode;
    "results.max": number;
    /** Team index (#12): `postgres://user@host:port/db?sslmode=...`, no password; empty = none. Machine scope. */
    "teamIndex.url": string;
    /** Namespace of the team index; empty = from git (origin remote's owner/name, else the folder's name). */
    "teamIndex.repository": string;
    /** Empty = the checked-out branch (else "main"). */
    "teamIndex.ref": string;
}
export type SettingId = `seek.${keyof Settings}`;

export const DEFAULT_MODEL = "bge-small-en-v1.5-q";
const DEFAULT_MAX_FILE_KB = 1024;
/** The embedding cache's bound per model, in MB (core's default: 1 GiB). */
const DEFAULT_EMBEDDING_CACHE_MB = 1024;
const MAX_RESULTS_LIMIT = 200;
const INSTRUCTION_ROLES = ["query", "document", "similar"] as const;

/** What a settings change requires, from cheapest to most expensive. */
export type ChangeKind =
    /** Applied at once (result limit, default mode). */
    | "live"
    /** Turn indexing on or off. */
    | "enablement"
    /** Re-open the engines and run incrementally (include/exclude, size cap, threads): nothing is thrown away. */
    | "restart"
    /** The index identity changes (model, instructions): vectors are rebuilt from scratch. */
    | "rebuild";

/** Settings (including VS Code's own) and the change each one requires. */
const CHANGE_KINDS: [section: string, kind: ChangeKind][] = [
    ["seek.model", "rebuild"],
    ["seek.modelPath", "rebuild"],
    ["seek.instructions", "rebuild"],
    ["seek.include", "restart"],
    ["seek.exclude", "restart"],
    ["seek.maxFileSizeKB", "restart"],
    ["seek.indexing.threads", "restart"],
    ["seek.indexing.embeddingCacheMB", "restart"],
    ["files.exclude", "restart"],
    ["search.exclude", "restart"],
    ["seek.indexing.enabled", "enablement"],
    ["seek.search.mode", "live"],
    ["seek.results.max", "live"],
];

/** The team index settings that apply, or why none does. */
export type TeamIndexSettings =
    | { url: string; repository: string; ref: string; hadPassword: boolean }
    | { off: "unset" | "restricted" | "invalidUrl" };

const TEAM_INDEX_SECTIONS = ["seek.teamIndex.url", "seek.teamIndex.repository", "seek.teamIndex.ref"];

/**
 * The settings package.json declares with `"scope": "resource"` (per folder). The others are window or machine
 * settings: VS Code logs a warning for every one read with a folder as scope, so they are read without it.
 */
const RESOURCE_SCOPED: ReadonlySet<keyof Settings> = new Set(["model", "modelPath", "instructions", "include", "exclude", "maxFileSizeKB"]);

export class Config {
    /** Reads one setting, sanitized; `scope` is the folder, used for the resource-scoped settings. */
    get<K extends keyof Settings>(key: K, scope?: vscode.Uri): Settings[K] {
        const raw = vscode.workspace.getConfiguration("seek", RESOURCE_SCOPED.has(key) ? scope : undefined).get<unknown>(key);
        return sanitize(key, raw) as Settings[K];
    }

    /** Inference threads: the setting, or all cores but one (so the editor keeps a core) when it is 0. */
    threads(): number {
        const set = this.get("indexing.threads");
        return set > 0 ? set : Math.max(1, availableParallelism() - 1);
    }

    /** Exclude globs for a folder: `seek.exclude` plus the enabled patterns of `files.exclude` and `search.exclude`. */
    excludeGlobs(scope: vscode.Uri): string[] {
        const globs = new Set(this.get("exclude", scope));
        for (const section of ["files", "search"]) {
            const map = vscode.workspace.getConfiguration(section, scope).get<unknown>("exclude");
            if (typeof map !== "object" || map === null) continue;
            // `{ when: ... }` entries depend on sibling files; only plain `true` entries are global excludes.
            for (const [glob, on] of Object.entries(map)) if (on === true) globs.add(glob);
        }
        return [...globs];
    }

    /** Engine options for one folder. */
    engineOptions(folder: vscode.WorkspaceFolder, where: { indexDir: string; modelsDir: string }): WireEngineOptions {
        const scope = folder.uri;
        const instructions = this.get("instructions", scope);
        const include = this.get("include", scope);
        return {
            folder: folder.uri.fsPath,
            indexDir: where.indexDir,
            modelsDir: where.modelsDir,
            model: this.get("modelPath", scope) || this.get("model", scope),
            instructions: instructions.enabled,
            instructionOverrides: instructions.overrides,
            include: include.length > 0 ? include : undefined,
            exclude: this.excludeGlobs(scope),
            maxFileBytes: this.get("maxFileSizeKB", scope) * 1024,
            threads: this.threads(),
            embeddingCacheMaxBytes: this.get("indexing.embeddingCacheMB") * 1024 * 1024,
        };
    }

    /**
     * The team index settings. They are machine-scoped (a workspace's settings cannot point the editor at another
     * database), and ignored altogether in Restricted Mode. A password written into the URL is dropped: it belongs in
     * SecretStorage (Seek: Set Team Index Password).
     */
    teamIndex(): TeamIndexSettings {
        const raw = this.get("teamIndex.url");
        if (raw === "") return { off: "unset" };
        if (!vscode.workspace.isTrusted) return { off: "restricted" };
        const clean = cleanUrl(raw);
        if (!clean) return { off: "invalidUrl" };
        return { url: clean.url, repository: this.get("teamIndex.repository"), ref: this.get("teamIndex.ref"), hadPassword: clean.hadPassword };
    }

    /** True when an event changed a team index setting (they need no re-index: the engine re-attaches). */
    affectsTeamIndex(e: vscode.ConfigurationChangeEvent): boolean {
        return TEAM_INDEX_SECTIONS.some((s) => e.affectsConfiguration(s));
    }

    /** The most expensive change an event requires, or undefined when no setting of ours changed. */
    classify(e: vscode.ConfigurationChangeEvent): ChangeKind | undefined {
        const order: ChangeKind[] = ["live", "enablement", "restart", "rebuild"];
        let worst: ChangeKind | undefined;
        for (const [section, kind] of CHANGE_KINDS) {
            if (!e.affectsConfiguration(section)) continue;
            if (worst === undefined || order.indexOf(kind) > order.indexOf(worst)) worst = kind;
        }
        return worst;
    }

    /** The effective settings of a folder, for the log. */
    describe(scope?: vscode.Uri): string {
        const keys: (keyof Settings)[] = [
            "model",
            "modelPath",
            "instructions",
            "include",
            "exclude",
            "maxFileSizeKB",
            "indexing.threads",
            "indexing.enabled",
            "indexing.embeddingCacheMB",
            "search.mode",
            "results.max",
        ];
        const values = Object.fromEntries(keys.map((k) => [k, this.get(k, scope)]));
        return JSON.stringify({ ...values, effectiveThreads: this.threads() });
    }
}

function sanitize(key: keyof Settings, raw: unknown): Settings[keyof Settings] {
    switch (key) {
        case "model":
            return typeof raw === "string" && raw.trim() !== "" ? raw.trim() : DEFAULT_MODEL;
        case "modelPath":
            return typeof raw === "string" ? raw.trim() : "";
        case "instructions":
            return instructionsFrom(raw);
        case "include":
        case "exclude":
            return Array.isArray(raw) ? raw.filter((g): g is string => typeof g === "string" && g.trim() !== "") : [];
        case "maxFileSizeKB":
            return intFrom(raw, DEFAULT_MAX_FILE_KB, 1, 100 * 1024);
        case "indexing.threads":
            return intFrom(raw, 0, 0, 256);
        case "indexing.enabled":
            return typeof raw === "boolean" ? raw : true;
        case "indexing.embeddingCacheMB":
            return intFrom(raw, DEFAULT_EMBEDDING_CACHE_MB, 16, 64 * 1024);
        case "search.mode":
            return raw === "vector" || raw === "lexical" || raw === "hybrid" ? raw : "hybrid";
        case "results.max":
            return intFrom(raw, 20, 1, MAX_RESULTS_LIMIT);
        case "teamIndex.url":
        case "teamIndex.repository":
        case "teamIndex.ref":
            return typeof raw === "string" ? raw.trim() : "";
    }
}

function intFrom(raw: unknown, fallback: number, min: number, max: number): number {
    if (typeof raw !== "number" || !Number.isFinite(raw)) return fallback;
    return Math.min(max, Math.max(min, Math.round(raw)));
}

/** `{ enabled?: boolean, query?: { code?: string, python?: string, ... }, document?: ..., similar?: ... }`. */
export function instructionsFrom(raw: unknown): InstructionSettings {
    const result: InstructionSettings = { enabled: true, overrides: {} };
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return result;
    const obj = raw as Record<string, unknown>;
    if (typeof obj.enabled === "boolean") result.enabled = obj.enabled;
    for (const role of INSTRUCTION_ROLES) {
        const perRole = obj[role];
        if (typeof perRole !== "object" || perRole === null || Array.isArray(perRole)) continue;
        const templates: Record<string, string> = {};
        for (const [k, v] of Object.entries(perRole)) if (typeof v === "string") templates[k] = v;
        if (Object.keys(templates).length > 0) result.overrides[role] = templates;
    }
    return result;
}
