/** Search through the same SearchService path the QuickPick and webviews use (seek._search). */
import * as assert from "node:assert/strict";
import { activate, search, testState, waitForIndex } from "./helpers";

suite("search", () => {
    suiteSetup(async () => {
        await activate();
        await waitForIndex();
    });

    test("a natural-language question finds the retry code", async () => {
        const out = await search("retry a failed upload with exponential backoff");
        assert.equal(out.source, "search");
        assert.ok(out.hits.length > 0, "has hits");
        const top3 = out.hits.slice(0, 3).map((h) => h.path);
        assert.ok(top3.includes("src/upload/retry.ts"), `top 3: ${top3.join(", ")}`);
        assert.equal(out.coverage, 1);
        for (let i = 1; i < out.hits.length; i++) assert.ok(out.hits[i - 1].score >= out.hits[i].score, "ranked by score");
    });

    test("a docs question with the docs scope finds the README section, and no code", async () => {
        const out = await search("how do I use an HTTP proxy", { scope: { code: false, docs: true, glob: "" } });
        assert.equal(out.hits[0]?.path, "docs/README.md", out.hits.map((h) => h.path).join(", "));
        assert.ok(!out.hits.some((h) => /\.(ts|py|go|java|rb)$/.test(h.path)), out.hits.map((h) => h.path).join(", "));
    });

    test("keyword mode finds an exact identifier; path filter restricts results", async () => {
        const out = await search("retryUpload", { mode: "lexical" });
        assert.equal(out.hits[0]?.path, "src/upload/retry.ts");
        const filtered = await search("retry", { scope: { code: true, docs: true, glob: "src/net" } });
        assert.ok(filtered.hits.length > 0);
        assert.ok(filtered.hits.every((h) => h.path.startsWith("src/net/")), filtered.hits.map((h) => h.path).join(", "));
    });

    test("results are 0-based in the outcome and 1-based in the test state", async () => {
        const out = await search("retryUpload", { mode: "lexical", top: 1 });
        const s = await testState();
        assert.equal(s.lastResults?.seq, out.seq);
        assert.equal(s.lastResults?.hits[0].startLine, out.hits[0].startLine + 1);
    });
});
