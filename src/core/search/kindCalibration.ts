/**
 * Modality-gap correction for mixed code + prose indexes. A natural-language query lies closer to any prose than
 * to any code (prose-to-prose cosines run higher across the board), so without correction README, CHANGELOG and
 * doc-site sections crowd out the code a question is about, even when they only restate its words. This maps the
 * prose rows' cosines onto the code rows' distribution for this query, so a prose chunk ranks high only when it
 * stands out among prose as much as a code chunk would have to stand out among code. A docs question still finds
 * its section: the right section is an outlier among prose, which calibration keeps.
 */
import type { VectorTable } from "../store/vectorTable";

/**
 * How prose rows' scores are brought onto the code rows' scale:
 * - "none": raw cosines;
 * - "shift": subtract the difference of the two groups' mean cosines;
 * - "scale": match mean and spread (a z-score in one group mapped onto the other's).
 */
export type KindCalibration = "none" | "shift" | "scale";

/** Below this many rows in either group the statistics are noise; scores are left as they are. */
const MIN_GROUP_ROWS = 16;

/**
 * Adjusts `scores` (one per slot, as returned by VectorTable.scores) in place for prose rows (kind "docs" or
 * "text"). Only accepted slots count towards the statistics. A no-op when one group is (nearly) empty.
 */
export function calibrateKinds(
    table: VectorTable,
    scores: Float32Array,
    mode: KindCalibration,
    accept?: (slot: number) => boolean,
): void {
    if (mode === "none") return;
    const code = new Moments();
    const prose = new Moments();
    const isProse = new Uint8Array(table.count);
    for (let slot = 0; slot < table.count; slot++) {
        if (accept && !accept(slot)) continue;
        if (table.kindAt(slot) === "code") {
            code.add(scores[slot]);
        } else {
            isProse[slot] = 1;
            prose.add(scores[slot]);
        }
    }
    if (code.n < MIN_GROUP_ROWS || prose.n < MIN_GROUP_ROWS) return;
    const ratio = mode === "scale" && prose.std > 0 ? code.std / prose.std : 1;
    const proseMean = prose.mean;
    const codeMean = code.mean;
    for (let slot = 0; slot < table.count; slot++) {
        if (isProse[slot]) scores[slot] = codeMean + (scores[slot] - proseMean) * ratio;
    }
}

/** Running mean and standard deviation (Welford). */
class Moments {
    n = 0;
    mean = 0;
    private m2 = 0;

    add(x: number): void {
        this.n++;
        const d = x - this.mean;
        this.mean += d / this.n;
        this.m2 += d * (x - this.mean);
    }

    get std(): number {
        return this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0;
    }
}
