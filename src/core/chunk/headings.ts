/**
 * Finds section headings in prose: Markdown (ATX `#` and setext underlines, skipping fenced code and front
 * matter), reStructuredText (underlined/overlined titles) and AsciiDoc (`=` titles). Also marks the lines inside
 * fences/literal blocks so paragraph splitting does not cut them at blank lines.
 */
import type { SourceLines } from "./lines";

/** The heading syntaxes understood. */
export type DocFlavor = "markdown" | "rst" | "asciidoc";

/** One heading: its first line (an RST overline or the title), its level (1 = top) and its text. */
export interface Heading {
    line: number;
    level: number;
    title: string;
}

/** Headings in line order, and which lines are inside fenced/delimited blocks. */
export interface DocOutline {
    headings: Heading[];
    fenced: Uint8Array;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const NOT_SETEXT_TITLE = /^\s*([-*+>|]|\d+[.)]\s|#|<)/;
/** RST adornment characters (any printable non-alphanumeric ASCII may be used; these are the common ones). */
const RST_ADORNMENT = /^([=\-`:'"~^_*+#<>.])\1{2,}\s*$/;
const ADOC_TITLE = /^(={1,6})[ \t]+(\S.*)$/;
const ADOC_DELIMITER = /^(-{4,}|\.{4,}|\+{4,}|\/{4,}|_{4,}|\*{4,}|={4,})\s*$/;

/** The outline of a document in the given flavor. */
export function outline(src: SourceLines, flavor: DocFlavor): DocOutline {
    switch (flavor) {
        case "markdown":
            return markdownOutline(src);
        case "rst":
            return rstOutline(src);
        case "asciidoc":
            return asciidocOutline(src);
    }
}

function markdownOutline(src: SourceLines): DocOutline {
    const lines = src.lines;
    const fenced = new Uint8Array(lines.length);
    const headings: Heading[] = [];
    let i = skipFrontMatter(lines, fenced);
    let fence: { char: string; length: number } | undefined;
    for (; i < lines.length; i++) {
        const line = lines[i];
        if (fence) {
            fenced[i] = 1;
            const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
            if (close && close[1][0] === fence.char && close[1].length >= fence.length)
                fence = undefined;
            continue;
        }
        const open = FENCE_OPEN.exec(line);
        if (open && !(open[1][0] === "`" && open[2].includes("`"))) {
            fence = { char: open[1][0], length: open[1].length };
            fenced[i] = 1;
            continue;
        }
        const atx = ATX.exec(line);
        if (atx) {
            headings.push({ line: i, level: atx[1].length, title: (atx[2] ?? "").trim() });
            continue;
        }
        const next = lines[i + 1];
        if (
            next !== undefined &&
            line.trim() !== "" &&
            !NOT_SETEXT_TITLE.test(line) &&
            !/^ {4}/.test(line)
        ) {
            const underline = SETEXT.exec(next);
            if (underline && (i === 0 || src.isBlank(i - 1) || isHeadingLine(headings, i - 1))) {
                headings.push({
                    line: i,
                    level: underline[1][0] === "=" ? 1 : 2,
                    title: line.trim(),
                });
                i++;
            }
        }
    }
    return { headings, fenced };
}

function isHeadingLine(headings: Heading[], line: number): boolean {
    return headings.length > 0 && headings[headings.length - 1].line === line;
}

/** YAML (`---`) or TOML (`+++`) front matter at the top is not a heading or a thematic break. */
function skipFrontMatter(lines: string[], fenced: Uint8Array): number {
    const marker = lines[0]?.trimEnd();
    if (marker !== "---" && marker !== "+++") return 0;
    for (let i = 1; i < lines.length; i++) {
        const l = lines[i].trimEnd();
        if (l === marker || (marker === "---" && l === "...")) {
            fenced.fill(1, 0, i + 1);
            return i + 1;
        }
    }
    return 0;
}

function rstOutline(src: SourceLines): DocOutline {
    const lines = src.lines;
    const fenced = new Uint8Array(lines.length);
    const headings: Heading[] = [];
    const styles: string[] = []; // adornment styles in order of first use: the order defines the levels
    for (let i = 0; i + 1 < lines.length; i++) {
        const title = lines[i];
        if (title.trim() === "" || RST_ADORNMENT.test(title)) continue;
        const under = RST_ADORNMENT.exec(lines[i + 1]);
        if (!under) continue;
        const over = i > 0 ? RST_ADORNMENT.exec(lines[i - 1]) : null;
        const overlined = over !== null && over[1] === under[1];
        // An underline at least as long as the title; an inset title only with an overline.
        if (
            lines[i + 1].trimEnd().length < title.trimEnd().length ||
            (!overlined && /^\s/.test(title))
        )
            continue;
        if (!overlined && i > 0 && !src.isBlank(i - 1)) continue;
        const style = (overlined ? "o" : "u") + under[1];
        if (!styles.includes(style)) styles.push(style);
        headings.push({
            line: overlined ? i - 1 : i,
            level: styles.indexOf(style) + 1,
            title: title.trim(),
        });
        i++;
    }
    return { headings, fenced };
}

function asciidocOutline(src: SourceLines): DocOutline {
    const lines = src.lines;
    const fenced = new Uint8Array(lines.length);
    const headings: Heading[] = [];
    let delimiter: string | undefined;
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i].trimEnd();
        if (delimiter !== undefined) {
            fenced[i] = 1;
            if (line === delimiter) delimiter = undefined;
            continue;
        }
        if (ADOC_DELIMITER.test(line)) {
            delimiter = line;
            fenced[i] = 1;
            continue;
        }
        const t = ADOC_TITLE.exec(line) ?? ATX.exec(line);
        if (t) headings.push({ line: i, level: t[1].length, title: (t[2] ?? "").trim() });
    }
    return { headings, fenced };
}
