/**
 * Runs engine-changing work (open, run, refresh, reset, close) one job at a time, so a watcher refresh never races
 * a full run over the same store. Searches do not go through it: they only read.
 */
export class WorkQueue {
    private tail: Promise<void> = Promise.resolve();

    /** Appends a job; its promise settles with the job. A failing job does not stop the ones after it. */
    push<T>(job: () => Promise<T>): Promise<T> {
        const result = this.tail.then(job);
        this.tail = result.then(
            () => undefined,
            () => undefined,
        );
        return result;
    }

    /** Resolves when every job queued so far has settled. */
    idle(): Promise<void> {
        return this.tail;
    }
}
