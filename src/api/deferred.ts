/**
 * The public API's functions whose modules load on their first call, not when `orchestrate` is
 * imported: applying a run (git), a dry run (the agents' prompts), resuming and answering
 * approvals, inspecting expertise. A workflow of code functions uses none of them, and an import
 * should not pay for them (bench/run.mjs measures the cold start, and
 * test/api/lean-import.test.ts counts what an import loads). Each is async already, so a
 * wrapper that imports its module changes no signature. `src/index.ts` re-exports this file whole.
 */
import type { ApplyOptions, ApplyResult } from '../git/apply-run.js';
import type { ClaimedReply } from '../run/approval-answers.js';
import type { HandedOver } from '../run/approval-handoff.js';
import type { DryRunPlan } from '../run/dry-run-plan.js';
import type { ResumePoint } from '../run/resume.js';
import type { RunWorkflowOptions } from '../run/run-workflow.js';
import type { DomainCheck } from '../expertise/inspect.js';

/**
 * Applies a run's staged files to the repository: merged three ways from the run's base,
 * committed on a branch. See src/git/apply-run.ts.
 *
 * @example
 * const { branch, commit } = await applyRun({ workspace: cwd, runId: 'last' });
 */
export async function applyRun(options: ApplyOptions): Promise<ApplyResult> {
  return (await import('../git/apply-run.js')).applyRun(options);
}

/**
 * Plans a run the way runWorkflow does and estimates it, writing nothing. See src/run/dry-run-plan.ts.
 *
 * @example
 * const plan = await planDryRun({ workflow: 'integrate', inputs: { service: 'twilio' }, cwd });
 */
export async function planDryRun(options: RunWorkflowOptions): Promise<DryRunPlan> {
  return (await import('../run/dry-run-plan.js')).planDryRun(options);
}

/**
 * Reads an interrupted run for a resume: its manifest and its journal, folded. See src/run/resume.ts.
 *
 * @example
 * const point = await loadResumePoint(cwd, 'last');
 */
export async function loadResumePoint(workspace: string, given: string, options: { answering?: boolean } = {}): Promise<ResumePoint> {
  return (await import('../run/resume.js')).loadResumePoint(workspace, given, options);
}

/**
 * Answers an approval that another live process asks on its terminal; undefined when none asks.
 * See src/run/approval-handoff.ts.
 *
 * @example
 * const handed = await answerLiveApproval(cwd, 'last', { decision: 'approved', by: 'ana', via: 'command' });
 */
export async function answerLiveApproval(workspace: string, given: string, reply: ClaimedReply): Promise<HandedOver | undefined> {
  return (await import('../run/approval-handoff.js')).answerLiveApproval(workspace, given, reply);
}

/**
 * The domains that have an `expertise/<domain>/expertise.yaml` in the workspace, sorted.
 *
 * @example
 * const domains = await listDomains(cwd); // ['integrations']
 */
export async function listDomains(workspace: string): Promise<string[]> {
  return (await import('../expertise/inspect.js')).listDomains(workspace);
}

/**
 * Checks one domain's expertise and archive, and the expertise against the repository.
 *
 * @example
 * const check = await checkDomain(cwd, 'integrations');
 */
export async function checkDomain(workspace: string, domain: string): Promise<DomainCheck> {
  return (await import('../expertise/inspect.js')).checkDomain(workspace, domain);
}
