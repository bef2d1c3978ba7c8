import { ALWAYS_SECRET } from '../runtime/logger.js';
import type { SecretFinding } from '../schema/manifest.js';
import { createSecretScanner, declaredEnvVars, envValues, formatFinding, type SecretScanner } from './secret-scan.js';

/** A learning as far as the scan cares: the text an agent wrote. */
export interface LearningText {
  insight: string;
  context?: string | undefined;
  files_affected: readonly string[];
}

/** A learning refused because it holds a secret; the agent is told, without the secret. */
export class LearningRefused extends Error {
  constructor(readonly findings: SecretFinding[]) {
    super(`learning not recorded: it contains what looks like a secret (${findings.map((f) => f.rule).join(', ')}); never put keys, tokens or passwords in a learning, describe the fact without them`);
    this.name = 'LearningRefused';
  }
}

/**
 * The secret scan during a run. A staged file or note is checked as it is written, so the
 * agent is told at once (`describeHits`); it stays staged, and apply refuses it. Every learning
 * is scanned when it is recorded, and again before the merge with the variables the run
 * declared by then: a learning with a hit is dropped, never merged, and the hit is kept
 * (rule, line; never the text) for the manifest.
 */
export class SecretGuard {
  /** Made on the first scan: a run of code functions scans nothing. */
  private made: SecretScanner | undefined;
  private names: readonly string[] = [];
  private readonly dropped: SecretFinding[] = [];

  constructor(
    private readonly inputs: Record<string, unknown>,
    private readonly env: Readonly<Record<string, string | undefined>>,
    /** The secret variables the workflow's kind knows of (a catalog service's). */
    private readonly known: readonly string[] = [],
  ) {
  }

  private get scanner(): SecretScanner {
    return (this.made ??= createSecretScanner(envValues([...ALWAYS_SECRET, ...declaredEnvVars(this.inputs, [...this.known, ...this.names])], this.env)));
  }

  /** Adds the variables a run declared (its research result) to those whose values are looked for. */
  declare(names: readonly string[]): void {
    this.names = names;
    this.made = undefined;
  }

  /** Throws {@link LearningRefused} when the learning holds a secret; the hits are kept for the manifest. */
  async admit(learning: LearningText, task: string): Promise<void> {
    const findings = await this.scan(learning, task);
    if (findings.length) throw new LearningRefused(findings);
  }

  /**
   * Throws {@link LearningRefused} when the learning holds a secret, keeping nothing: for an
   * executor, whose result carries the hits to the run (which keeps them with {@link record}).
   */
  async check(learning: LearningText, task: string): Promise<void> {
    const findings = await this.scan(learning, task, false);
    if (findings.length) throw new LearningRefused(findings);
  }

  /** Hits in a staged file or note, as `line N: rule (message)`; nothing is recorded. */
  async describeHits(repoPath: string, content: string): Promise<string[]> {
    const findings = await this.scanner.scan({ source: repoPath.startsWith('notes/') ? 'note' : 'file', path: repoPath, content });
    return findings.map((f) => `line ${f.line}: ${f.rule} (${f.message})`);
  }

  /** The learnings without a secret, in order. */
  async filter<T extends LearningText & { task: string }>(learnings: readonly T[]): Promise<T[]> {
    const kept: T[] = [];
    for (const learning of learnings) if (!(await this.scan(learning, learning.task)).length) kept.push(learning);
    return kept;
  }

  /** Keeps the hits of learnings an executor refused elsewhere (their text never reached the run). */
  record(findings: readonly SecretFinding[]): void {
    this.dropped.push(...findings);
  }

  /** The hits of every learning dropped so far. */
  findings(): SecretFinding[] {
    return [...this.dropped];
  }

  /** One line per dropped learning hit, for logs and the report. */
  describe(): string[] {
    return this.dropped.map(formatFinding);
  }

  private async scan(learning: LearningText, task: string, keep = true): Promise<SecretFinding[]> {
    const content = [learning.insight, learning.context ?? '', ...learning.files_affected].join('\n');
    const findings = await this.scanner.scan({ source: 'learning', path: `learning (task ${task})`, content });
    if (keep) this.dropped.push(...findings);
    return findings;
  }
}
