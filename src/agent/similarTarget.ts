/**
 * Checks a find_similar target on disk before the engine reads it: the file must be a regular file inside the
 * folder once symbolic links are resolved (a link inside the folder may point anywhere), small enough to be
 * indexed, and long enough to hold the range.
 */
import { realpathSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { MAX_FILE_BYTES } from "../core/discovery/defaults";
import { checkRangeInFile, countLines, folderRelativePath, ToolInputError, type SimilarInput } from "./toolInput";

/** The folder-relative POSIX path of the target. Throws ToolInputError with what is wrong. */
export async function checkSimilarTarget(folder: string, input: SimilarInput): Promise<string> {
    const rel = folderRelativePath(folder, input.path);
    const abs = join(folder, ...rel.split("/"));
    let real: string;
    try {
        real = realpathSync(abs);
    } catch {
        throw new ToolInputError(`${rel} does not exist in the folder`);
    }
    const inside = relative(realpathSync(folder), real);
    if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) throw new ToolInputError(`${rel} leads outside the folder (a symbolic link)`);
    const st = await stat(real);
    if (!st.isFile()) throw new ToolInputError(`${rel} is not a file`);
    if (st.size > MAX_FILE_BYTES) throw new ToolInputError(`${rel} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB and is not indexed`);
    checkRangeInFile({ ...input, path: rel }, countLines(await readFile(real, "utf8")));
    return rel;
}
