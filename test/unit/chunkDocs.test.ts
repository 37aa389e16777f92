/** Docs chunking: heading paths, fences, setext and RST titles, splitting big sections, merging tiny ones. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkFile } from "../../src/core/chunk/index";
import { assertWellFormed, fixture } from "./chunkHelpers";

const spans = (chunks: Array<{ startLine: number; endLine: number; symbol?: string }>) =>
    chunks.map((c) => [c.startLine, c.endLine, c.symbol]);

test("markdown sections carry their heading path; # inside fences is not a heading", async () => {
    const text = fixture("guide.md");
    const chunks = await chunkFile("docs/guide.md", text, { maxTokens: 30 });
    assertWellFormed(text, chunks, 30);
    assert.deepEqual(spans(chunks), [
        [1, 3, "Seek"],
        [5, 9, "Seek > Install > From source"], // "## Install" alone is tiny: merged into its first subsection, named by it
        [11, 14, "Seek > Install > From source"], // the fenced block with "# this is a shell comment"
        [16, 18, "Seek > Install > From the marketplace"],
        [20, 23, "Seek > Usage"], // setext heading
        [25, 27, "Seek > Usage"], // "## not a heading either" inside a ~~~ fence
        [29, 31, "Appendix"],
    ]);
    for (const c of chunks) {
        assert.equal(c.symbolKind, "section");
        assert.equal(c.kind, "docs");
        assert.equal(c.language, "markdown");
    }
});

test("markdown at the default budget: only tiny sections merge; real sections keep their own chunk", async () => {
    const chunks = await chunkFile("docs/guide.md", fixture("guide.md"));
    assert.deepEqual(spans(chunks), [
        [1, 14, "Seek > Install > From source"], // tiny intros merged down into their first subsection
        [16, 27, "Seek"], // tiny siblings merged under their common parent
        [29, 31, "Appendix"],
    ]);
});

test("a big section is split between paragraphs, never inside a fence, and every piece keeps the path", async () => {
    const para = (i: number) =>
        `Paragraph ${i} explains one more detail of the configuration, with enough words to count for something.`;
    const fence = ["```ts", "const a = 1;", "", "# not a heading", "", "const b = 2;", "```"];
    const lines = [
        "# Guide",
        "",
        "## Configuration",
        "",
        para(1),
        "",
        para(2),
        "",
        ...fence,
        "",
        para(3),
        "",
        para(4),
        "",
        para(5),
        "",
        "## Next",
        "",
        "The end.",
    ];
    const text = lines.join("\n");
    const chunks = await chunkFile("README.md", text, { maxTokens: 60 });
    assertWellFormed(text, chunks, 60);
    const config = chunks.filter((c) => c.symbol === "Guide > Configuration");
    assert.ok(
        config.length >= 3,
        `expected the section in several pieces, got ${spans(chunks).join(" | ")}`,
    );
    const fenceStart = lines.indexOf("```ts") + 1;
    const withFence = chunks.find((c) => c.startLine <= fenceStart && c.endLine >= fenceStart);
    assert.ok(
        withFence && withFence.endLine >= fenceStart + fence.length - 1,
        "the fence is kept in one piece",
    );
    assert.ok(!chunks.some((c) => c.symbol?.includes("not a heading")));
    for (const c of config) {
        assert.ok(
            lines[c.startLine - 1] !== "" && lines[c.endLine - 1] !== "",
            "pieces start and end on text",
        );
    }
});

test("front matter is not a heading", async () => {
    const text = [
        "---",
        "title: Seek",
        "tags: [search]",
        "---",
        "",
        "# Overview",
        "",
        "Text.",
    ].join("\n");
    const chunks = await chunkFile("index.mdx", text, { maxTokens: 20 });
    assertWellFormed(text, chunks, 20);
    assert.ok(chunks.every((c) => c.symbol === undefined || c.symbol === "Overview"));
    assert.equal(chunks[chunks.length - 1].symbol, "Overview");
});

test("reStructuredText titles (overlined and underlined) give heading paths", async () => {
    const text = fixture("guide.rst");
    const chunks = await chunkFile("docs/guide.rst", text, { maxTokens: 30 });
    assertWellFormed(text, chunks, 30);
    assert.deepEqual(spans(chunks), [
        [1, 5, "Title"],
        [7, 10, "Title > Install"],
        [12, 15, "Title > Install > From source"],
        [17, 20, "Title > Usage"],
    ]);
    assert.equal(chunks[0].language, "restructuredtext");
});

test("RST without titles falls back to line windows", async () => {
    const text = Array.from({ length: 60 }, (_, i) => `Line ${i + 1} of notes.`).join("\n");
    const chunks = await chunkFile("notes.rst", text);
    assert.deepEqual(spans(chunks), [
        [1, 40, undefined],
        [36, 60, undefined],
    ]);
});

test("AsciiDoc = titles", async () => {
    const text = [
        "= Manual",
        "",
        "Intro.",
        "",
        "== Setup",
        "",
        "Install it.",
        "",
        "----",
        "== not a title inside a listing",
        "----",
    ].join("\n");
    const chunks = await chunkFile("manual.adoc", text, { maxTokens: 20 });
    assertWellFormed(text, chunks, 20);
    assert.deepEqual(
        chunks.map((c) => c.symbol),
        chunks.map((c) => (c.startLine < 5 ? "Manual" : "Manual > Setup")),
    );
});

test("markdown without headings is split between paragraphs", async () => {
    const para = (i: number) => [
        `Item ${i} has a first line of text`,
        `and a second line that continues it.`,
    ];
    const text = Array.from({ length: 30 }, (_, i) => [...para(i), ""])
        .flat()
        .join("\n");
    const chunks = await chunkFile("CHANGES.md", text, { maxTokens: 60 });
    assertWellFormed(text, chunks, 60);
    assert.ok(chunks.length > 3);
    for (const c of chunks) {
        assert.equal(c.symbol, undefined);
        assert.match(c.text, /^Item \d+ has a first line/, "pieces start at a paragraph");
        assert.match(c.text, /continues it\.$/, "pieces end at a paragraph");
    }
});
