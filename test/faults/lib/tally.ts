/**
 * Counts what a suite tried (inputs, injected faults, trials, failures) and prints them at the end, so the closing
 * note of issue 5 can quote real numbers. Each test file runs in its own process; when SEEK_FAULT_TALLY names a
 * file, the counts are appended there as one JSON line and scripts/test-faults.mjs sums them.
 */
import { appendFileSync } from "node:fs";
import { test, type TestContext } from "node:test";

export interface TallyCounts {
    suite: string;
    inputs: number;
    faults: number;
    trials: number;
    failures: number;
    notes: string[];
}

export class Tally {
    readonly counts: TallyCounts;

    constructor(suite: string) {
        this.counts = { suite, inputs: 0, faults: 0, trials: 0, failures: 0, notes: [] };
    }

    input(n = 1): void {
        this.counts.inputs += n;
    }

    fault(n = 1): void {
        this.counts.faults += n;
    }

    trial(n = 1): void {
        this.counts.trials += n;
    }

    /** A measured number or a finding worth quoting (printed with the counts). */
    note(line: string): void {
        this.counts.notes.push(line);
    }

    /** node:test `test()` that counts a failure when the body throws. */
    test(name: string, fn: (t: TestContext) => Promise<void> | void, opts: { timeout?: number } = {}): void {
        test(name, { timeout: opts.timeout ?? 600_000 }, async (t) => {
            try {
                await fn(t);
            } catch (err) {
                this.counts.failures++;
                throw err;
            }
        });
    }

    /** Registers the last test of a file: prints the counts as test diagnostics and appends them to the tally file. */
    summaryTest(): void {
        test(`${this.counts.suite}: counts`, (t) => {
            const c = this.counts;
            t.diagnostic(`${c.suite}: inputs tried ${c.inputs}, faults injected ${c.faults}, trials ${c.trials}, failures ${c.failures}`);
            for (const n of c.notes) t.diagnostic(`${c.suite}: ${n}`);
            const file = process.env.SEEK_FAULT_TALLY;
            if (file) appendFileSync(file, `${JSON.stringify(c)}\n`);
        });
    }
}
