/**
 * Tokenises prompted texts with the model's own tokenizer.json (never the hub): instruction + text as one string,
 * the way the models were trained and the way sentence-transformers prepends a prompt, with special tokens, then
 * truncated to the model's limit keeping the [CLS] ... [SEP] frame.
 */
import { readFileSync } from "node:fs";
import { CoreError } from "../errors";
import type { PromptedText } from "../types";

/** One tokenised input. */
export interface Encoded {
    ids: number[];
    /**
     * Leading positions that INSTRUCTOR-style pooling leaves out: the leading special token(s) plus the instruction
     * tokens (what INSTRUCTOR masks: the instruction tokenised alone, minus its closing special token). 0 when the
     * instruction is not excluded.
     */
    skip: number;
}

/**
 * No token covers more than this many characters in practice; text beyond `maxTokens * MAX_CHARS_PER_TOKEN`
 * characters cannot survive truncation, so it is cut before tokenising (a pasted 1 MB selection costs nothing).
 */
const MAX_CHARS_PER_TOKEN = 40;

interface HfTokenizer {
    encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
    get_added_tokens_decoder(): Map<number, { special: boolean }>;
}

export class PromptTokenizer {
    /** Instruction -> its token count (with the leading special tokens), for INSTRUCTOR pooling. */
    private readonly instructionLengths = new Map<string, number>();

    private constructor(
        private readonly tokenizer: HfTokenizer,
        /** Special tokens the post-processor puts before the text ([CLS]: 1). */
        private readonly leading: number,
        /** Special tokens after the text ([SEP]: 1); truncation keeps them. */
        private readonly trailing: number,
    ) {}

    /** Loads tokenizer.json. @throws CoreError("modelCorrupt") when it cannot be read or parsed. */
    static async load(path: string): Promise<PromptTokenizer> {
        let tokenizer: HfTokenizer;
        try {
            // The package is ESM-first; a dynamic import works from tsc's CommonJS output and from the bundle.
            const { Tokenizer } = await import("@huggingface/tokenizers");
            tokenizer = new Tokenizer(JSON.parse(readFileSync(path, "utf8")) as object, {}) as unknown as HfTokenizer;
        } catch (err) {
            throw new CoreError("modelCorrupt", `Cannot load the tokenizer ${path}: ${String(err)}. Run \`npm run fetch-model\` to download it again.`, { cause: err });
        }
        const special = tokenizer.get_added_tokens_decoder();
        const isSpecial = (id: number) => special.get(id)?.special === true;
        // The frame the post-processor adds, measured on a one-token text.
        const probe = tokenizer.encode("a").ids;
        const first = probe.findIndex((id) => !isSpecial(id));
        let last = probe.length - 1;
        while (last >= 0 && isSpecial(probe[last])) last--;
        return new PromptTokenizer(tokenizer, Math.max(0, first), probe.length - 1 - last);
    }

    /**
     * Token ids of instruction + text, at most `maxTokens` long (the end of the text is cut, the closing special
     * tokens kept).
     * @param excludeInstruction compute {@link Encoded.skip} for INSTRUCTOR pooling.
     */
    encode(prompt: PromptedText, maxTokens: number, excludeInstruction: boolean): Encoded {
        const limit = maxTokens * MAX_CHARS_PER_TOKEN;
        const text = prompt.text.length > limit ? prompt.text.slice(0, limit) : prompt.text;
        let ids = this.tokenizer.encode(prompt.instruction.length > 0 ? prompt.instruction + text : text).ids;
        if (ids.length > maxTokens) {
            const head = ids.slice(0, maxTokens - this.trailing);
            for (let i = ids.length - this.trailing; i < ids.length; i++) head.push(ids[i]);
            ids = head;
        }
        let skip = 0;
        if (excludeInstruction && prompt.instruction.length > 0) {
            // Keep at least one position to pool even when the instruction fills the whole window.
            skip = Math.min(this.instructionLength(prompt.instruction), ids.length - 1);
        }
        return { ids, skip };
    }

    private instructionLength(instruction: string): number {
        let n = this.instructionLengths.get(instruction);
        if (n === undefined) {
            n = this.leading + this.tokenizer.encode(instruction, { add_special_tokens: false }).ids.length;
            this.instructionLengths.set(instruction, n);
        }
        return n;
    }
}
