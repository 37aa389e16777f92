/**
 * The team index as the extension configures it (#12): the URL from settings, the password from SecretStorage and
 * the namespace (repository, ref) from settings or from git. The password crosses to the engine process inside the
 * `teamIndex` request and is put into the URL only there, at connect time (withPassword); it is never logged:
 * describe() and every message use the URL without it. No `vscode` import: the host and the child both use this.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";

/** What the host sends the engine process for one folder (null in the request: no team index). */
export interface WireTeamIndex {
    /** `postgres://user@host:port/db?sslmode=...`, without a password. */
    url: string;
    /** From SecretStorage; combined with the URL in the engine process only. */
    password?: string;
    /** Namespace: repository id ("acme/api") and ref ("main"). */
    repository: string;
    ref: string;
}

/** The default ref of a folder that is not a git checkout (or whose HEAD is detached), as `seek index --store` uses. */
export const DEFAULT_REF = "main";

/** The URL with any password removed, or undefined when it is not a postgres URL Seek can use. */
export function cleanUrl(raw: string): { url: string; hadPassword: boolean } | undefined {
    const trimmed = raw.trim();
    if (trimmed === "") return undefined;
    let u: URL;
    try {
        u = new URL(trimmed);
    } catch {
        return undefined;
    }
    if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") return undefined;
    const hadPassword = u.password !== "";
    u.password = "";
    return { url: u.toString(), hadPassword };
}

/** The URL the engine connects with: the password from SecretStorage put in, percent-encoded. */
export function withPassword(url: string, password: string | undefined): string {
    if (!password) return url;
    const u = new URL(url);
    // Encoded in full: the URL setter leaves '%' as it is, and node-postgres decodeURIComponent()s the password.
    u.password = encodeURIComponent(password);
    return u.toString();
}

/** Removes a secret from a message, as given and URL-encoded (the core redacts URLs already; this is the backstop). */
export function scrub(message: string, secret: string | undefined): string {
    if (!secret) return message;
    let out = message;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join("***");
    return out;
}

/** The URL as messages show it: without any password (the host sends none; this holds for any caller). */
export function shownUrl(url: string): string {
    return cleanUrl(url)?.url ?? "<team index url>";
}

/** "acme/api@main at postgres://reader@db:5432/seek": for the log. */
export function describeTeamIndex(t: WireTeamIndex): string {
    return `${t.repository}@${t.ref} at ${shownUrl(t.url)}${t.password ? " (password from SecretStorage)" : ""}`;
}

/** The `.git` directory of a checkout (a worktree or submodule has a `.git` file naming it), or undefined. */
function gitDir(folder: string): string | undefined {
    const dotGit = join(folder, ".git");
    try {
        const st = statSync(dotGit);
        if (st.isDirectory()) return dotGit;
        const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"));
        if (!m) return undefined;
        const dir = m[1].trim();
        return isAbsolute(dir) ? dir : resolve(folder, dir);
    } catch {
        return undefined;
    }
}

/** "owner/name" of a remote URL (https://host/owner/name.git, git@host:owner/name.git, ssh://…), or undefined. */
export function repositoryOfRemote(remote: string): string | undefined {
    const path = remote
        .trim()
        .replace(/^[a-z+]+:\/\/[^/]+\//i, "") // scheme://[user@]host[:port]/
        .replace(/^[^/@]+@[^:]+:/, "") // user@host:  (scp-like)
        .replace(/\.git\/?$/, "")
        .replace(/\/+$/, "");
    const parts = path.split("/").filter((p) => p !== "");
    return parts.length >= 2 ? parts.slice(-2).join("/") : parts[0];
}

/** The `url` of `[remote "origin"]` in a git config file. */
function originUrl(config: string): string | undefined {
    let inOrigin = false;
    for (const line of config.split(/\r?\n/)) {
        const section = /^\s*\[(.+)\]\s*$/.exec(line);
        if (section) {
            inOrigin = /^remote\s+"origin"$/.test(section[1].trim());
            continue;
        }
        const kv = /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
        if (inOrigin && kv) return kv[1];
    }
    return undefined;
}

/**
 * The namespace a folder is published under when `--repo`/`--ref` are not given, the same rule as
 * `seek index <folder> --store <url>`: the origin remote's owner/name and the checked-out branch; the folder's name
 * and {@link DEFAULT_REF} where git does not say.
 */
export function defaultNamespace(folder: string): { repository: string; ref: string } {
    const dir = gitDir(folder);
    let repository: string | undefined;
    let ref: string | undefined;
    if (dir) {
        // A worktree's config and refs live in the main repository (commondir).
        const common = existsSync(join(dir, "commondir")) ? resolve(dir, readFileSync(join(dir, "commondir"), "utf8").trim()) : dir;
        try {
            const remote = originUrl(readFileSync(join(common, "config"), "utf8"));
            if (remote) repository = repositoryOfRemote(remote);
        } catch {
            // No readable config: the folder's name below.
        }
        try {
            const head = readFileSync(join(dir, "HEAD"), "utf8").trim();
            const m = /^ref:\s*refs\/heads\/(.+)$/.exec(head);
            if (m) ref = m[1];
        } catch {
            // No HEAD: the default ref below.
        }
    }
    return { repository: repository || basename(resolve(folder)) || "workspace", ref: ref || DEFAULT_REF };
}
