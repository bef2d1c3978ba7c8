import { z } from 'zod';
import { Duration } from './duration.js';

/** Identifier of a task or phase: lower-case words joined by dashes. */
export const TaskId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'use lower-case letters, digits and dashes' });

/** A typed input of a workflow, such as the service name of `integrate`. */
export const WorkflowInput = z
  .object({
    type: z.enum(['string', 'number', 'boolean']).default('string'),
    description: z.string().optional(),
    required: z.boolean().default(true),
    /** A regular expression a string input must match in full. */
    pattern: z.string().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .strict();
export type WorkflowInput = z.infer<typeof WorkflowInput>;

/** One unit of work dispatched to an agent. */
export const WorkflowTask = z
  .object({
    id: TaskId,
    name: z.string().optional(),
    agent: z.string().min(1),
    /** Prompt template: `{{inputs.service}}` and `{{needs.<task-id>.summary}}` are filled in. */
    prompt: z.string().min(1),
    /** Tasks that must finish first; defaults to every task of the previous phase. */
    needs: z.array(TaskId).optional(),
    /** Name of the result schema the agent's `finish` call must satisfy. */
    result: z.string().default('summary'),
    timeout: Duration.optional(),
  })
  .strict();
export type WorkflowTask = z.infer<typeof WorkflowTask>;

export const WorkflowPhase = z
  .object({
    id: TaskId,
    name: z.string().min(1),
    tasks: z.array(WorkflowTask).min(1),
  })
  .strict();
export type WorkflowPhase = z.infer<typeof WorkflowPhase>;

/** A workflow file: `workflows/<name>.yaml`. */
export const Workflow = z
  .object({
    name: TaskId,
    description: z.string().min(1),
    inputs: z.record(z.string(), WorkflowInput).default({}),
    /** Expertise domains this workflow reads and improves, such as `integrations`. */
    domains: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/)).default([]),
    phases: z.array(WorkflowPhase).min(1),
  })
  .strict();
export type Workflow = z.infer<typeof Workflow>;
