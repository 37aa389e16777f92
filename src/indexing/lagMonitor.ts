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
    /** Number of samples behind the numbers (0 = nothing measured yet). */
    samples: number;
}

const NONE: LagStats = { p99Ms: 0, maxMs: 0, samples: 0 };

export class LagMonitor {
    private current: IntervalHistogram | undefined;
    private active = 0;
    /** Stats of the finished run with the most samples: the big (first) build is the one that matters. */
    private longest: LagStats = NONE;

    /**
     * Starts measuring (nested calls are counted); returns a function that stops this measurement. Each run gets a
     * fresh histogram: re-enabling one would count the idle gap between runs as one huge delay, and an event-loop
     * histogram cannot be merged into another.
     */
    begin(): () => void {
        if (this.active++ === 0) {
            this.current = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
            this.current.enable();
        }
        let ended = false;
        return () => {
            if (ended) return;
            ended = true;
            if (--this.active > 0 || !this.current) return;
            this.current.disable();
            const run = statsOf(this.current);
            if (run.samples >= this.longest.samples) this.longest = run;
            this.current = undefined;
        };
    }

    /** The run in flight if it has more samples than the longest finished one, else that one. */
    stats(): LagStats {
        const running = this.current ? statsOf(this.current) : NONE;
        return running.samples > this.longest.samples ? running : this.longest;
    }

    dispose(): void {
        this.current?.disable();
        this.current = undefined;
    }
}

/** The histogram holds timer intervals (resolution + delay); the lag is what exceeds the resolution. */
function statsOf(h: IntervalHistogram): LagStats {
    if (h.count === 0) return NONE;
    const lag = (ns: number) => round(Math.max(0, ns / 1e6 - RESOLUTION_MS));
    return { p99Ms: lag(h.percentile(99)), maxMs: lag(h.max), samples: h.count };
}

function round(ms: number): number {
    return Math.round(ms * 10) / 10;
}
