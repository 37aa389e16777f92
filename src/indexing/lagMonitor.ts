/**
 * Measures the extension host's event-loop delay while indexing runs (perf_hooks.monitorEventLoopDelay), to show
 * that moving the engine into a child process keeps the editor responsive. Reported in ms by seek._testState and
 * in the log after each run.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

/** Sampling resolution in ms: fine enough to see a 20 ms stall, cheap enough to leave on during long runs. */
const RESOLUTION_MS = 10;

export interface LagStats {
    p99Ms: number;
    maxMs: number;
    /** Number of samples the histogram holds (0 = nothing measured yet). */
    samples: number;
}

export class LagMonitor {
    private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    private active = 0;

    /** Starts measuring (nested calls are counted); returns a function that stops this measurement. */
    begin(): () => void {
        if (this.active++ === 0) this.histogram.enable();
        let ended = false;
        return () => {
            if (ended) return;
            ended = true;
            if (--this.active === 0) this.histogram.disable();
        };
    }

    /** Delay beyond the sampling interval, over every indexing run of this session. */
    stats(): LagStats {
        const h = this.histogram;
        if (h.count === 0) return { p99Ms: 0, maxMs: 0, samples: 0 };
        return { p99Ms: round(h.percentile(99) / 1e6), maxMs: round(h.max / 1e6), samples: h.count };
    }

    dispose(): void {
        this.histogram.disable();
    }
}

function round(ms: number): number {
    return Math.round(ms * 10) / 10;
}
