import type { TaskOutcome } from '../engine/scheduler.js';
import type { ExpertiseUpdate, LearningUpdate } from '../expertise/merge.js';
import type { OfflineRoles } from '../providers/offline/script.js';
import type { StagedDeletion, StagedFile } from '../schema/manifest.js';
import type { IntegrationSection } from '../schema/report.js';
import type { ResultSchemas } from '../schema/results.js';

/**
 * A workflow family, named by a workflow's `kind:` field. The generic layers (run, staging,
 * report, CLI) know a domain only through this interface; everything the domain knows (for
 * `integration`: the service catalog, templates, offline roles, webhook schemes) stays in its
 * folder under `src/kinds/`.
 *
 * @example
 * const prepared = (await kindNamed('integration'))!.prepare({ service: 'Stripe' }, { offline: true });
 * prepared.subject; // 'stripe'
 */
export interface WorkflowKind {
  readonly name: string;
  /**
   * The result schemas its workflows may name in `result:` beyond the generic ones
   * (src/schema/results.ts): a workflow's structure check leaves an unknown name to its kind, and
   * the run checks it against these once the kind is loaded.
   */
  readonly resultSchemas: ResultSchemas;
  /**
   * Checks the run's inputs before anything is written and binds the kind to them. With
   * `offline`, the built-in model will play the agents, so the subject must be one the kind
   * knows. Throws a UserError whose one line names the problem and the fix.
   */
  prepare(inputs: Readonly<Record<string, unknown>>, options: { offline: boolean }): PreparedKind;
}

/** A kind bound to one run's inputs. */
export interface PreparedKind {
  /**
   * What the run is about, in canonical form (`stripe` whatever alias was typed, the host of a
   * custom API): it names the run id, the expertise catalog entry and the run's learnings.
   */
  readonly subject: string | undefined;
  /** The kind's result schemas ({@link WorkflowKind.resultSchemas}); none for a workflow without a kind. */
  readonly resultSchemas: ResultSchemas;
  /** Variables whose values are secrets: redacted from logs and looked for by the secret scan. */
  readonly secretEnvVars: readonly string[];
  /** The roles the offline model plays for this run. */
  readonly offlineRoles: OfflineRoles;
  /**
   * What every model-played agent of the run is told before it starts, about the subject and the
   * repository at `workspace` (for `integration`: the catalog's facts, each UNVERIFIED one marked,
   * and the detected stack), so it starts from what the offline model knows rather than from
   * memory. It goes into the shared, cached part of the prompt. Empty when the kind knows nothing.
   */
  briefing(workspace: string): Promise<string>;
  /** Hosts the API's web search and fetch keep to by default: the subject's documentation. Empty: any host. */
  readonly researchDomains: readonly string[];
  /** The conventional commit subject of the run's staged change. */
  commitSubject(change: { workflow: string; runId: string; files: readonly StagedFile[]; deletions: readonly StagedDeletion[] }): string;
  /** The kind's section of the run report, from the tasks' results. */
  reportSection(outcomes: readonly TaskOutcome[]): IntegrationSection | undefined;
  /**
   * Learnings the kind observes in the repository at the start of a run, before any agent (for
   * `integration`: what a person changed in the files of the subject's last applied run). The
   * run's agents are given them with the expertise, and the run records them with its own.
   */
  observeRepository(workspace: string): Promise<LearningUpdate[]>;
  /** The expertise catalog entry a complete run records. */
  catalogEntry(run: { runId: string; outcomes: readonly TaskOutcome[]; stagedFiles: readonly StagedFile[] }): ExpertiseUpdate['catalog'];
}
