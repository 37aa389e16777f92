/**
 * C and C++ files lean on macros tree-sitter cannot expand, and a few common shapes derail the parse of everything
 * after them: a statement-like macro on a line of its own (`ABSL_NAMESPACE_BEGIN`, `Q_OBJECT`) is read as the type of
 * the next declaration (`class Notification` then parses as a function named `classNotification`), and an attribute
 * macro in a class head (`class ABSL_LOCKABLE Mutex`) hides the class, and one after a function's parameters
 * (`void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION();`) is taken for the function's name. The parser is given a copy with such macros
 * blanked out, space for space, so every line and column stays where it was; chunks still take the original text.
 */

/** A line holding only an upper-case macro name, optionally called (`FOO_BEGIN`, `DECLARE_THING(x)`), no `;`. */
const MACRO_LINE = /^([ \t]*)([A-Z][A-Z0-9_]{2,}(?:[ \t]*\([^;{}\n]*\))?)[ \t]*$/gm;
/** Upper-case attribute macros between `class`/`struct`/`union` and the type's name. */
const HEAD_MACROS = /\b(class|struct|union)((?:[ \t]+[A-Z][A-Z0-9_]{2,}(?:\([^()\n]*\))?)+)(?=[ \t]+[A-Za-z_])/g;

/** Upper-case attribute macros after a function's parameters (`void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION();`). */
const TRAILING_MACROS = /(\)[ \t]*(?:const[ \t]*)?)((?:[ \t]*[A-Z][A-Z0-9_]{2,}(?:\((?:[^()\n]|\([^()\n]*\))*\))?)+)(?=[ \t]*[;{=])/g;

/** The text with those macros replaced by spaces (same length, same line breaks). */
export function maskCppMacros(text: string): string {
    const blank = (s: string) => s.replace(/[^\n]/g, " ");
    return text
        .replace(MACRO_LINE, (_all, indent: string, macro: string) => indent + blank(macro))
        .replace(HEAD_MACROS, (_all, keyword: string, macros: string) => keyword + blank(macros))
        .replace(TRAILING_MACROS, (_all, head: string, macros: string) => head + blank(macros));
}
