/**
 * orchestrate: multi-agent workflows over a code repository.
 *
 * @example
 * import { runWorkflow } from 'orchestrate';
 * const result = await runWorkflow({ workflow: 'integrate', inputs: { service: 'twilio' }, cwd: process.cwd() });
 */
export { runWorkflow, type RunWorkflowOptions, type RunDefinedWorkflowOptions, type ResumeWorkflowOptions, type RunResult } from './run/run-workflow.js';
export {
  defineWorkflow,
  type DefinedWorkflow,
  type WorkflowDefinition,
  type TaskFunction,
  type TaskFunctionContext,
} from './run/define-workflow.js';
export { executePlan, type TaskExecutor, type TaskExecution, type TaskOutcome, type ExecutionResult } from './engine/scheduler.js';
export type { ApprovalPrompt, ApprovalReply, OnApproval } from './run/approvals.js';
export { AnsweredElsewhere } from './run/approvals.js';
export type { HandedOver } from './run/approval-handoff.js';
export { RequestRateLimiter } from './engine/rate-limit.js';
export { BudgetExceededError } from './engine/budget.js';
export { GateFailedError } from './engine/gate.js';
export { loadWorkflow, parseWorkflow, listWorkflows, workflowDirs } from './run/load-workflow.js';
export {
  prepareRun,
  prepareWorkflow,
  workflowProblems,
  agentDirs,
  type PrepareRunOptions,
  type PreparedRun,
  type PreparedWorkflow,
} from './run/prepare-run.js';
export { PACKAGE_ROOT } from './runtime/runtime.js';
export type { DryRunPlan, DryRunTask } from './run/dry-run-plan.js';
export { loadAgents, scanAgents, parseAgent, whySkipped, type AgentScan, type SkippedAgentFile, type ShadowedAgent } from './agents/load.js';
export { resolveModelId, MODEL_ALIASES } from './providers/model-aliases.js';
export { planRun, type RunPlan, type PlannedTask } from './engine/plan.js';
export { validateWorkflowGraph, resolveNeeds } from './engine/validate.js';
export { systemClock, type Clock } from './runtime/clock.js';
export type { ApplyOptions, ApplyResult } from './git/apply-run.js';
export { runState } from './staging/run-state.js';
export type { ResumePoint } from './run/resume.js';
export {
  OrchestrateError,
  UserError,
  ValidationError,
  ModelBehaviorError,
  TaskError,
  InternalError,
  formatProblem,
  type ValidationProblem,
} from './errors.js';
export { PROVIDERS, PROVIDER_NAMES, findProvider, type ProviderName } from './providers/registry.js';
export type { ProviderDefinition, ProviderSetup, ProviderChoice } from './providers/provider-definition.js';
export type { Model, ModelRequest, ModelResponse, ContentBlock, Message, ToolSpec } from './providers/model.js';
export { Workflow, WorkflowTask, WorkflowPhase, WorkflowInput, RetryPolicy, Budget, Gate, Condition, FailurePolicy, Approval } from './schema/workflow.js';
export { AgentFrontmatter, AgentDefinition, ToolName } from './schema/agent.js';
export { ExpertiseFile, Learning, CatalogEntry } from './schema/expertise.js';
export { checkExpertise, readExpertise, type ExpertiseCheck, type LoadedExpertise } from './expertise/load.js';
export type { DomainCheck } from './expertise/inspect.js';
export { describeExpertise } from './expertise/describe.js';
export { readChangeRecord, renderChangeRecord } from './expertise/record.js';
export { Manifest, StagedFile } from './schema/manifest.js';
// Run folders: list, find, read, discard (also loaded alone by the CLI's read-only commands).
export * from './api/runs.js';
// Functions whose modules load on their first call (applyRun, planDryRun, loadResumePoint, answerLiveApproval, checkDomain, listDomains).
export * from './api/deferred.js';
export { Usage } from './schema/usage.js';
export { inProcessExecutor, type InProcessOptions } from './executors/in-process.js';
export type { Executor, ExecutorContext } from './executors/executor.js';
export { TaskSpec, TaskResult, ExecutorEvent, TASK_SPEC_VERSION } from './schema/task-spec.js';
