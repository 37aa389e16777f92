/** Tiny flag parser for the bench scripts: `--name value`, `--name=value`, boolean `--flag`. */

/**
 * @param {string[]} argv process.argv.slice(2)
 * @param {{ booleans?: string[], lists?: string[] }} spec booleans take no value; lists may repeat or be comma-separated
 * @returns {Record<string, any> & { _: string[] }}
 */
export function parseFlags(argv, spec = {}) {
    const booleans = new Set(spec.booleans ?? []);
    const lists = new Set(spec.lists ?? []);
    const out = { _: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith("--")) {
            out._.push(a);
            continue;
        }
        const eq = a.indexOf("=");
        const name = (eq > 0 ? a.slice(2, eq) : a.slice(2)).replace(/-([a-z])/g, (_m, c) => c.toUpperCase());
        if (booleans.has(name)) {
            out[name] = eq > 0 ? a.slice(eq + 1) !== "false" : true;
            continue;
        }
        const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new Error(`--${name} needs a value`);
        if (lists.has(name)) out[name] = [...(out[name] ?? []), ...value.split(",").filter(Boolean)];
        else out[name] = value;
    }
    return out;
}
