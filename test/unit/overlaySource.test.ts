/**
 * A team index with local changes on top (store/overlaySource.ts, teamIndex.ts), over two real local stores: one
 * plays the shared index as CI built it, the other the developer's working copy. The PostgreSQL source is tested
 * against the same contract in postgres*.test.ts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CoreError } from "../../src/core/errors";
import { rankHits } from "../../src/core/search/ranker";
import { TeamIndexLink } from "../../src/core/teamIndex";
import { IndexStore, type FileBatchEntry } from "../../src/core/store/indexStore";
import { LocalSource } from "../../src/core/store/localSource";
import { OverlaySource } from "../../src/core/store/overlaySource";
import type { SearchSource } from "../../src/core/store/searchSource";
import type { Logger } from "../../src/core/types";

const DIMS = 4;
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function unit(...xs: number[]): Float32Array {
    const v = Float32Array.from(xs);
    const n = Math.hypot(...xs);
    return v.map((x) => x / n);
}

/** One file of one chunk; the hash stands for the content, as the indexer's sha-256 does. */
function file(path: string, text: string, vector: Float32Array, symbol?: string): FileBatchEntry {
    return {
        file: { path, hash: `sha-${text}`, size: text.length, mtimeMs: 1 },
        chunks: [{ path, startLine: 1, endLine: 1, language: "typescript", kind: "code", text, ...(symbol ? { symbol } : {}) }],
        vectors: [vector],
    };
}

function openStore(entries: FileBatchEntry[]): IndexStore {
    const dir = fs.mkdtempSync(join(tmpdir(), "seek-overlay-"));
    dirs.push(dir);
    const store = IndexStore.open(dir, { modelId: "m", dimensions: DIMS, instructionSet: "i", chunkerVersion: "1" });
    store.replaceFiles(entries);
    return store;
}

const QUERY = unit(1, 0, 0, 0);
const messages: string[] = [];
const logger: Logger = { trace() {}, debug() {}, info: (m) => messages.push(m), warn: (m) => messages.push(m), error: (m) => messages.push(String(m)) };

describe("overlay: shared index with local changes on top", () => {
    let shared: IndexStore;
    let local: IndexStore;
    before(() => {
        // CI's build of main.
        shared = openStore([
            file("src/upload.ts", "retry the upload three times", unit(1, 0.1, 0, 0), "retryUpload"),
            file("src/same.ts", "upload progress bar", unit(1, 0.5, 0, 0)),
            file("src/deleted.ts", "upload retry helper removed locally", unit(1, 0.05, 0, 0)),
        ]);
        // The working copy: upload.ts edited, same.ts unchanged, deleted.ts gone, added.ts new.
        local = openStore([
            file("src/upload.ts", "send once, no retry", unit(0, 1, 0, 0), "sendOnce"),
            file("src/same.ts", "upload progress bar", unit(1, 0.5, 0, 0)),
            file("src/added.ts", "retry upload with backoff", unit(1, 0.2, 0, 0), "retryWithBackoff"),
        ]);
    });
    after(() => {
        shared.close();
        local.close();
    });

    it("answers changed and new files locally, unchanged files from the shared index, deleted files not at all", async () => {
        const overlay = new OverlaySource(new LocalSource(shared), new LocalSource(local));
        for (const mode of ["hybrid", "vector", "lexical"] as const) {
            const hits = await rankHits(overlay, mode === "lexical" ? undefined : QUERY, "retry upload", { mode, top: 10 });
            const byPath = new Map(hits.map((h) => [h.path, h]));
            assert.ok(!byPath.has("src/deleted.ts"), `${mode}: a file deleted locally is never returned`);
            assert.ok(byPath.has("src/added.ts"), `${mode}: a new local file is found`);
            assert.ok(byPath.get("src/added.ts")!.chunkId < 0, `${mode}: it comes from the local side`);
            const upload = byPath.get("src/upload.ts");
            if (upload) assert.equal(upload.text, "send once, no retry", `${mode}: an edited file shows its local text`);
            if (mode !== "lexical") assert.ok(byPath.get("src/same.ts")!.chunkId > 0, `${mode}: an unchanged file comes from the shared side`);
        }
        assert.deepEqual([...overlay.localPaths].sort(), ["src/added.ts", "src/upload.ts"]);
    });

    it("definitions come from the side that answers for the file", async () => {
        const overlay = new OverlaySource(new LocalSource(shared), new LocalSource(local));
        const hits = await rankHits(overlay, QUERY, "retryUpload", { mode: "hybrid", top: 5 });
        // retryUpload is defined only in CI's version of upload.ts, which the developer changed: it is gone.
        assert.ok(!hits.some((h) => h.text.includes("retry the upload three times")));
        const backoff = await rankHits(overlay, QUERY, "retryWithBackoff", { mode: "hybrid", top: 1 });
        assert.equal(backoff[0].path, "src/added.ts");
    });

    it("files with unsaved edits are answered locally even when their saved hash matches", async () => {
        const overlay = new OverlaySource(new LocalSource(shared), new LocalSource(local), { localPaths: () => ["src/same.ts"] });
        const hits = await rankHits(overlay, QUERY, "", { mode: "vector", top: 10 });
        assert.ok(hits.find((h) => h.path === "src/same.ts")!.chunkId < 0);
    });

    it("a new build of the team index is seen at the next search", async () => {
        const ci = openStore([file("src/a.ts", "alpha upload v1", unit(1, 0, 0, 0))]);
        const mine = openStore([file("src/a.ts", "alpha upload v2", unit(1, 0, 0, 0))]);
        const overlay = new OverlaySource(new LocalSource(ci), new LocalSource(mine));
        const before = await rankHits(overlay, QUERY, "", { mode: "vector" });
        assert.ok(before[0].chunkId < 0, "the edited file is answered locally");
        // CI publishes the developer's version: the file no longer differs.
        ci.replaceFiles([file("src/a.ts", "alpha upload v2", unit(1, 0, 0, 0))]);
        const after = await rankHits(overlay, QUERY, "", { mode: "vector" });
        assert.ok(after[0].chunkId > 0, "now the team index answers for it");
        assert.deepEqual([...overlay.localPaths], []);
        ci.close();
        mine.close();
    });

    it("an overlay over two identical indexes ranks exactly like the index alone", async () => {
        const overlay = new OverlaySource(new LocalSource(local), new LocalSource(local));
        for (const mode of ["hybrid", "vector", "lexical"] as const) {
            const alone = await rankHits(new LocalSource(local), mode === "lexical" ? undefined : QUERY, "retry upload", { mode, strengthScale: { unrelated: 0.5, close: 0.9 } });
            const layered = await rankHits(overlay, mode === "lexical" ? undefined : QUERY, "retry upload", { mode, strengthScale: { unrelated: 0.5, close: 0.9 } });
            assert.deepEqual(layered, alone, mode);
        }
    });
});

/** A shared source whose database can be switched off. */
function switchable(inner: SearchSource): SearchSource & { up: boolean } {
    const state = { up: true };
    const guard = <T>(f: () => Promise<T>) => (state.up ? f() : Promise.reject(new CoreError("storeUnreachable", "The shared index at postgres://db/seek is unreachable")));
    return Object.assign(state, {
        label: "shared index acme/api@main",
        refresh: () => guard(() => inner.refresh()),
        fileHashes: () => guard(() => inner.fileHashes()),
        counts: () => guard(() => inner.counts()),
        vectorTopK: (r: Parameters<SearchSource["vectorTopK"]>[0]) => guard(() => inner.vectorTopK(r)),
        lexicalTopK: (r: Parameters<SearchSource["lexicalTopK"]>[0]) => guard(() => inner.lexicalTopK(r)),
        definitions: (k: readonly string[], f: Parameters<SearchSource["definitions"]>[1]) => guard(() => inner.definitions(k, f)),
        cosines: (ids: readonly number[], v: Float32Array) => guard(() => inner.cosines(ids, v)),
        chunks: (ids: readonly number[]) => guard(() => inner.chunks(ids)),
        chunkSpans: (paths: readonly string[]) => guard(() => inner.chunkSpans(paths)),
    });
}

describe("shared index link: fallback and recovery", () => {
    it("falls back to the local index with one message while the database is down, and uses it again once back", async () => {
        const sharedStore = openStore([file("src/a.ts", "alpha upload", unit(1, 0, 0, 0))]);
        const localStore = openStore([file("src/a.ts", "alpha upload", unit(1, 0, 0, 0)), file("src/b.ts", "beta upload", unit(1, 1, 0, 0))]);
        const db = switchable(new LocalSource(sharedStore));
        let now = 0;
        const link = new TeamIndexLink(new LocalSource(localStore), async () => db, logger, { retryMs: 1000, now: () => now });
        const search = (s: SearchSource) => rankHits(s, QUERY, "upload", { mode: "hybrid" });

        const up = await link.run(search);
        assert.equal(up.answeredBy, "shared index acme/api@main + local changes");
        assert.equal(up.sharedUnavailable, undefined);
        assert.ok(up.value.find((h) => h.path === "src/a.ts")!.chunkId > 0);

        db.up = false;
        messages.length = 0;
        const down = await link.run(search);
        assert.equal(down.answeredBy, "local index");
        assert.match(down.sharedUnavailable ?? "", /unreachable/);
        assert.deepEqual(down.value.map((h) => h.path).sort(), ["src/a.ts", "src/b.ts"]);
        now += 10;
        assert.equal((await link.run(search)).answeredBy, "local index", "within the pause the database is not tried");
        assert.equal(messages.filter((m) => /unreachable/.test(m)).length, 1, "one message, not one per search");

        db.up = true;
        assert.equal((await link.run(search)).answeredBy, "local index", "still within the pause");
        now += 1000;
        const back = await link.run(search);
        assert.equal(back.answeredBy, "shared index acme/api@main + local changes");
        assert.equal(back.sharedUnavailable, undefined);
        assert.ok(messages.some((m) => /answers again/.test(m)));
        sharedStore.close();
        localStore.close();
    });

    it("a database that is down when the folder opens is connected once it is back", async () => {
        const store = openStore([file("src/a.ts", "alpha upload", unit(1, 0, 0, 0))]);
        let now = 0;
        let attempts = 0;
        const open = async () => {
            attempts++;
            if (attempts === 1) throw new CoreError("storeUnreachable", "The shared index at postgres://db/seek is unreachable");
            return switchable(new LocalSource(store));
        };
        const link = new TeamIndexLink(new LocalSource(store), open, logger, { retryMs: 1000, now: () => now });
        const search = (s: SearchSource) => rankHits(s, QUERY, "upload");
        assert.equal((await link.run(search)).answeredBy, "local index");
        now += 1000;
        assert.equal((await link.run(search)).answeredBy, "shared index acme/api@main + local changes");
        assert.equal(attempts, 2);
        store.close();
    });

    it("an error that is not about reaching the database is the search's own and is thrown", async () => {
        const store = openStore([file("src/a.ts", "alpha", unit(1, 0, 0, 0))]);
        const broken = { ...new LocalSource(store), label: "shared", refresh: () => Promise.reject(new CoreError("indexMismatch", "other model")) } as unknown as SearchSource;
        const link = new TeamIndexLink(new LocalSource(store), async () => broken, logger);
        await assert.rejects(link.run((s) => rankHits(s, QUERY, "alpha")), /other model/);
        store.close();
    });
});
