/**
 * The run's count of staged bytes against `limits.stagedBytesPerRun`, exact however many tasks
 * write at once: each check and charge is one synchronous step, so no two writes can both see
 * room that only one of them fits in.
 *
 * Two kinds of bytes count: what the run has staged (files and notes at their current size), and
 * what running attempts have written but not yet handed back (reservations: the growth over the
 * staged size of each path they wrote). A write is refused when both together would pass the cap;
 * an attempt's result is staged only when, with its reservation swapped for its final files, the
 * run still fits. So the staged total never passes the cap, at any moment.
 */
export class StagedBytes {
  private readonly staged = new Map<string, number>();
  private stagedTotal = 0;
  private readonly reservations = new Map<string, Map<string, number>>();
  private reservedTotal = 0;

  /** Starts from what the run has staged already (a resumed run). */
  constructor(files: Iterable<{ path: string; size: number }> = []) {
    for (const file of files) this.setStaged(file.path, file.size);
  }

  /** Bytes staged plus bytes reserved by running attempts. */
  get total(): number {
    return this.stagedTotal + this.reservedTotal;
  }

  /**
   * Reserves room for `bytes` at `repoPath`, written by `attempt`; its earlier reservation for the
   * path is replaced. Returns the run's bytes had the write been accepted when that is over `cap`
   * (and reserves nothing), else undefined.
   */
  reserve(attempt: string, repoPath: string, bytes: number, cap: number): number | undefined {
    const own = this.reservations.get(attempt) ?? new Map<string, number>();
    const growth = Math.max(0, bytes - (this.staged.get(repoPath) ?? 0));
    const after = this.total - (own.get(repoPath) ?? 0) + growth;
    if (after > cap) return after;
    this.reservedTotal += growth - (own.get(repoPath) ?? 0);
    own.set(repoPath, growth);
    this.reservations.set(attempt, own);
    return undefined;
  }

  /**
   * Stages an attempt's result in the count: its reservation is replaced by its writes at their
   * final size, less its removals. Returns the run's bytes had the result been staged when that
   * is over `cap` (and the reservation is dropped, nothing staged), else undefined.
   */
  commit(attempt: string, writes: ReadonlyArray<{ path: string; bytes: number }>, removals: readonly string[], cap: number): number | undefined {
    const sizes = new Map(writes.map((write) => [write.path, write.bytes]));
    let stagedAfter = this.stagedTotal;
    for (const [repoPath, bytes] of sizes) stagedAfter += bytes - (this.staged.get(repoPath) ?? 0);
    for (const removal of removals) if (!sizes.has(removal)) stagedAfter -= this.staged.get(removal) ?? 0;
    const after = stagedAfter + this.reservedTotal - this.reservedBy(attempt);
    this.release(attempt);
    if (after > cap) return after;
    for (const [repoPath, bytes] of sizes) this.setStaged(repoPath, bytes);
    for (const removal of removals) if (!sizes.has(removal)) this.setStaged(removal, undefined);
    return undefined;
  }

  /** Drops an attempt's reservation (it ended without its result being staged). */
  release(attempt: string): void {
    this.reservedTotal -= this.reservedBy(attempt);
    this.reservations.delete(attempt);
  }

  private reservedBy(attempt: string): number {
    let sum = 0;
    for (const growth of this.reservations.get(attempt)?.values() ?? []) sum += growth;
    return sum;
  }

  private setStaged(repoPath: string, bytes: number | undefined): void {
    this.stagedTotal += (bytes ?? 0) - (this.staged.get(repoPath) ?? 0);
    if (bytes === undefined) this.staged.delete(repoPath);
    else this.staged.set(repoPath, bytes);
  }
}

/** The refusal, naming the cap and how to raise it. */
export function overRunCap(after: number, cap: number): string {
  return `the run would stage ${after} bytes, over its cap of ${cap} (limits.stagedBytesPerRun; raise it under limits: in the workflow or the agent's frontmatter)`;
}

/** How an attempt is named in the count, by the run and by the executor alike. */
export function attemptKey(task: string, attempt: number): string {
  return `${task}#${attempt}`;
}
