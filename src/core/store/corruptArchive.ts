/**
 * A store that cannot be opened is moved aside (not deleted) so a bug report can include it, and a fresh one is
 * built. Only the newest few are kept: the index is a cache and can be large.
 */
import fs = require("node:fs");
import { join } from "node:path";
import type { Logger } from "../types";

/** Folders named corrupt-<timestamp> kept in the index directory; older ones are deleted. */
export const KEEP_CORRUPT_COPIES = 2;
const PREFIX = "corrupt-";

/**
 * Moves the named files (those that exist) into `<dir>/corrupt-<timestamp>/` and prunes older copies.
 * Returns the folder, or undefined when there was nothing to move.
 */
export function moveAside(dir: string, files: string[], logger: Logger, now = new Date()): string | undefined {
    const present = files.filter((f) => fs.existsSync(join(dir, f)));
    if (present.length === 0) return undefined;
    let target = join(dir, PREFIX + now.toISOString().replace(/[:.]/g, "-"));
    for (let n = 1; fs.existsSync(target); n++) target = join(dir, `${PREFIX}${now.toISOString().replace(/[:.]/g, "-")}-${n}`);
    fs.mkdirSync(target);
    for (const f of present) fs.renameSync(join(dir, f), join(target, f));
    prune(dir, logger);
    return target;
}

/** Deletes all but the newest {@link KEEP_CORRUPT_COPIES} corrupt-* folders (names sort by time). */
function prune(dir: string, logger: Logger): void {
    const copies = fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name.startsWith(PREFIX))
        .map((e) => e.name)
        .sort();
    for (const name of copies.slice(0, Math.max(0, copies.length - KEEP_CORRUPT_COPIES))) {
        try {
            fs.rmSync(join(dir, name), { recursive: true, force: true });
        } catch (err) {
            logger.debug(`seek: could not delete old corrupt index copy ${name}: ${String(err)}`);
        }
    }
}
