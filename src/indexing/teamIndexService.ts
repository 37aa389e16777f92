/**
 * The editor side of the team index (#12): sends each folder's team index (URL from the machine-scoped settings,
 * password from SecretStorage, namespace from settings or git) to the engine process, which attaches it to the
 * folder's engine; keeps the engine told which files have unsaved edits (the local side answers for them); and shows
 * which index answered: a status bar item next to Seek's, and one warning per outage while searches fall back to
 * the local index, cleared when the team index answers again.
 */
import * as vscode from "vscode";
import type { Config } from "../config";
import type { EngineClient } from "../engineHost/engineClient";
import { defaultNamespace, describeTeamIndex, type WireTeamIndex } from "../engineHost/teamIndexConfig";
import type { Log } from "../log";
import type { FolderIndex } from "./folderIndex";
import type { IndexService } from "./indexService";
import type { SearchOutcome, SearchService } from "./searchService";
import { teamIndexStatus, type TeamIndexState } from "./statusText";

/** The SecretStorage key of the team index password. */
export const TEAM_PASSWORD_SECRET = "seek.teamIndex.password";
/** Unsaved-editor changes are sent after this pause: a keystroke marks a file dirty once, not once per key. */
const UNSAVED_DEBOUNCE_MS = 300;

/** What the service needs from the extension's session (Ctx has all of it). */
export interface TeamIndexDeps {
    extensionContext: vscode.ExtensionContext;
    config: Config;
    client: EngineClient;
    index: IndexService;
    search: SearchService;
    log: Log;
}

export class TeamIndexService implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem("seek.teamIndex", vscode.StatusBarAlignment.Left, -1);
    private readonly disposables: vscode.Disposable[] = [this.item];
    /** What the engine process was last sent per folder key (the password never leaves memory). */
    private readonly sent = new Map<string, string>();
    private readonly unsavedSent = new Map<string, string>();
    private readonly headWatchers = new Map<string, vscode.Disposable>();
    /** Each folder's team index, computed when the folder is first seen after a settings read. */
    private teams = new Map<string, WireTeamIndex>();
    /** The settings and password of the last read; undefined while no team index applies. */
    private current: { url: string; repository: string; ref: string; password?: string } | undefined;
    private state: TeamIndexState = { kind: "off", off: "unset" };
    /** Warnings shown for outages (one per outage), for the tests. */
    private warnings = 0;
    private unsavedTimer: NodeJS.Timeout | undefined;
    private syncing: Promise<void> = Promise.resolve();
    /** Why the last settings read happened, for the log lines of the folders it covers. */
    private why = "";

    constructor(private readonly deps: TeamIndexDeps) {
        this.item.name = "Seek Team Index";
        const ws = vscode.workspace;
        ws.onDidChangeConfiguration((e) => deps.config.affectsTeamIndex(e) && this.sync("settings changed"), this, this.disposables);
        deps.extensionContext.secrets.onDidChange((e) => e.key === TEAM_PASSWORD_SECRET && this.sync("password changed"), this, this.disposables);
        ws.onDidGrantWorkspaceTrust(() => this.sync("workspace trusted"), this, this.disposables);
        // Folders open after activation (and re-open after an engine restart): send what they have not had.
        deps.index.onDidChange(() => void this.sendMissing(), this, this.disposables);
        this.disposables.push(
            deps.client.onCrash((e) => {
                // The new process knows nothing: send everything again once it is up.
                this.sent.clear();
                this.unsavedSent.clear();
                if (e.kind === "restarted") void this.sendMissing();
            }),
        );
        deps.search.onDidSearch((o) => this.onSearch(o), this, this.disposables);
        // Debounced, and sent only when the set of dirty files changed: typing costs a timer, not a message.
        ws.onDidChangeTextDocument(() => this.scheduleUnsaved(), this, this.disposables);
        ws.onDidSaveTextDocument(() => this.scheduleUnsaved(), this, this.disposables);
        ws.onDidCloseTextDocument(() => this.scheduleUnsaved(), this, this.disposables);
        ws.onDidChangeWorkspaceFolders(() => this.sync("folders changed"), this, this.disposables);
        this.sync("activation");
    }

    /** For seek._teamIndexState: the status, the namespaces per folder and how many outage warnings were shown. */
    snapshot(): { state: TeamIndexState; namespaces: Record<string, string>; warnings: number; unsaved: Record<string, string[]> } {
        const namespaces: Record<string, string> = {};
        for (const f of this.deps.index.list()) {
            const t = this.teams.get(f.key);
            if (t) namespaces[f.folder.name] = `${t.repository}@${t.ref}`;
        }
        const unsaved = Object.fromEntries([...this.unsavedSent].map(([k, v]) => [k, JSON.parse(v) as string[]]));
        return { state: this.state, namespaces, warnings: this.warnings, unsaved };
    }

    /** Re-reads the settings and the password and sends every folder its team index (serialized). */
    private sync(why: string): void {
        this.syncing = this.syncing.then(() => this.doSync(why)).catch((err) => this.deps.log.error("applying the team index settings failed", err));
    }

    private async doSync(why: string): Promise<void> {
        const settings = this.deps.config.teamIndex();
        // `sent` stays: a folder whose team index is unchanged (another setting changed) is not sent it again.
        this.teams = new Map();
        this.why = why;
        if ("off" in settings) {
            this.current = undefined;
            this.setState({ kind: "off", off: settings.off });
            if (settings.off === "restricted") this.deps.log.info("team index: not used in Restricted Mode (trust the workspace to use it)");
            if (settings.off === "invalidUrl") this.deps.log.warn("team index: seek.teamIndex.url is not a postgres:// URL; searching the local index");
        } else {
            if (settings.hadPassword) {
                this.deps.log.warn("team index: seek.teamIndex.url holds a password, which Seek ignores there; use 'Seek: Set Team Index Password' (kept in SecretStorage)");
            }
            const password = await this.deps.extensionContext.secrets.get(TEAM_PASSWORD_SECRET);
            this.current = { url: settings.url, repository: settings.repository, ref: settings.ref, password };
            this.setState({ kind: "configured", namespaces: [], url: settings.url });
        }
        this.disposeHeadWatchers();
        await this.sendMissing();
    }

    /** The folder's team index under the current settings (namespace from settings, else from git), or null. */
    private teamFor(f: FolderIndex): WireTeamIndex | null {
        const cur = this.current;
        if (!cur) return null;
        let team = this.teams.get(f.key);
        if (!team) {
            const git = cur.repository && cur.ref ? undefined : defaultNamespace(f.folder.uri.fsPath);
            if (git) this.watchHead(f);
            team = { url: cur.url, repository: cur.repository || (git?.repository ?? ""), ref: cur.ref || (git?.ref ?? ""), password: cur.password };
            this.teams.set(f.key, team);
            this.deps.log.info(`team index for ${f.folder.name} (${this.why}): ${describeTeamIndex(team)}`);
            if (this.state.kind !== "off") {
                const namespaces = [...new Set([...this.teams.values()].map((t) => `${t.repository}@${t.ref}`))];
                this.setState({ ...this.state, namespaces });
            }
        }
        return team;
    }

    /** Sends each open folder's team index (and unsaved paths) that the engine process does not have yet. */
    private async sendMissing(): Promise<void> {
        for (const f of this.deps.index.list()) {
            const team = this.teamFor(f);
            const fingerprint = JSON.stringify(team);
            if (this.sent.get(f.key) === fingerprint) continue;
            this.sent.set(f.key, fingerprint);
            try {
                await this.deps.client.request("teamIndex", { key: f.key, team });
            } catch (err) {
                this.sent.delete(f.key);
                this.deps.log.debug(`team index for ${f.folder.name} not sent: ${err instanceof Error ? err.message : String(err)}`);
            }
        }
        await this.sendUnsaved();
    }

    /** A branch switch changes the default ref: follow the folder's `.git/HEAD` while the namespace comes from git. */
    private watchHead(f: FolderIndex): void {
        if (this.headWatchers.has(f.key)) return;
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(f.folder, ".git/HEAD"));
        const changed = () => {
            const next = defaultNamespace(f.folder.uri.fsPath);
            const t = this.teams.get(f.key);
            if (t && (t.ref !== next.ref || t.repository !== next.repository)) this.sync("branch switched");
        };
        w.onDidChange(changed);
        w.onDidCreate(changed);
        this.headWatchers.set(f.key, w);
    }

    private disposeHeadWatchers(): void {
        for (const w of this.headWatchers.values()) w.dispose();
        this.headWatchers.clear();
    }

    private scheduleUnsaved(): void {
        if (this.teams.size === 0) return;
        clearTimeout(this.unsavedTimer);
        this.unsavedTimer = setTimeout(() => void this.sendUnsaved(), UNSAVED_DEBOUNCE_MS);
    }

    /** Folder-relative paths of dirty editors, per folder, sent when they changed. */
    private async sendUnsaved(): Promise<void> {
        if (this.teams.size === 0) return;
        const byKey = new Map<string, string[]>(this.deps.index.list().map((f) => [f.key, []]));
        for (const doc of vscode.workspace.textDocuments) {
            if (!doc.isDirty || doc.uri.scheme !== "file") continue;
            const f = this.deps.index.folderFor(doc.uri);
            const rel = f?.relativePath(doc.uri);
            if (f && rel !== undefined) byKey.get(f.key)?.push(rel);
        }
        for (const [key, paths] of byKey) {
            const json = JSON.stringify(paths.sort());
            // The engine process starts with none.
            if ((this.unsavedSent.get(key) ?? "[]") === json) continue;
            this.unsavedSent.set(key, json);
            await this.deps.client.request("localPaths", { key, paths }).catch((err: unknown) => {
                this.unsavedSent.delete(key);
                this.deps.log.debug(`unsaved paths not sent: ${err instanceof Error ? err.message : String(err)}`);
            });
        }
    }

    /** What a search says about the team index: answered by it, or the local index while it is unreachable. */
    private onSearch(o: SearchOutcome): void {
        if (this.state.kind === "off") return;
        const { namespaces, url } = this.state;
        if (o.sharedUnavailable) {
            const first = this.state.kind !== "unavailable";
            this.setState({ kind: "unavailable", namespaces, reason: o.sharedUnavailable, url });
            if (first) {
                this.warnings++;
                void vscode.window
                    .showWarningMessage(`Seek: ${o.sharedUnavailable}. Searching your local index until the team index is back.`, "Show Log")
                    .then((choice) => choice && vscode.commands.executeCommand("seek.showLog"));
            }
            return;
        }
        const shared = o.answeredBy.filter((a) => a !== "local index");
        if (shared.length > 0) {
            if (this.state.kind === "unavailable") this.deps.log.info(`team index: answering again (${shared.join(", ")})`);
            this.setState({ kind: "answered", namespaces, answeredBy: o.answeredBy, url });
        }
    }

    private setState(state: TeamIndexState): void {
        this.state = state;
        const view = teamIndexStatus(state);
        if (!view) {
            this.item.hide();
            return;
        }
        this.item.text = view.text;
        this.item.tooltip = new vscode.MarkdownString(view.tooltip);
        this.item.backgroundColor = view.warning ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
        this.item.command = view.warning ? "seek.showLog" : "seek.search";
        this.item.show();
    }

    dispose(): void {
        clearTimeout(this.unsavedTimer);
        this.disposeHeadWatchers();
        for (const d of this.disposables) d.dispose();
    }
}
