/** Codicon names for chunk symbol kinds, shared by the QuickPick (host) and the results webview. */
const SYMBOL_ICONS: Readonly<Record<string, string>> = {
    function: "symbol-function",
    method: "symbol-method",
    class: "symbol-class",
    interface: "symbol-interface",
    section: "symbol-string",
    module: "symbol-module",
    struct: "symbol-struct",
    enum: "symbol-enum",
    type: "symbol-class",
};

/** The codicon for a hit: by symbol kind, else a generic one for code or prose. */
export function symbolIcon(symbolKind: string | undefined, kind: string, proseIcon: string): string {
    return SYMBOL_ICONS[symbolKind ?? ""] ?? (kind === "code" ? "symbol-misc" : proseIcon);
}
