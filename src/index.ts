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
export { RequestRateLimiter } from './engine/rate-limit.js';
export { BudgetExceededError } from './engine/budget.js';
export { GateFailedError } from './engine/gate.js';
export { loadWorkflow, parseWorkflow, listWorkflows } from './run/load-workflow.js';
export { loadAgents, parseAgent } from './agents/load.js';
export { planRun, type RunPlan, type PlannedTask } from './engine/plan.js';
export { validateWorkflowGraph } from './engine/validate.js';
export { renderReport } from './report/render.js';
export {
  OrchestrateError,
  UserError,
  ValidationError,
  ModelBehaviorError,
  TaskError,
  InternalError,
  type ValidationProblem,
} from './errors.js';
export type { Model, ModelRequest, ModelResponse, ContentBlock, Message, ToolSpec } from './providers/model.js';
export { Workflow, WorkflowTask, WorkflowPhase, WorkflowInput, RetryPolicy, Budget, Gate, Condition, FailurePolicy } from './schema/workflow.js';
export { AgentFrontmatter, AgentDefinition, ToolName } from './schema/agent.js';
export { ExpertiseFile, Learning, CatalogEntry } from './schema/expertise.js';
export { Manifest, StagedFile } from './schema/manifest.js';
export { RunEvent, TaskStatus, RunStatus } from './schema/events.js';
export { RunReport } from './schema/report.js';
export { Usage } from './schema/usage.js';
