import { z } from 'zod';

/** YAML may give an unquoted date as a string or a Date, depending on the schema used. */
const DateLike = z.union([z.string(), z.date()]);

/** One thing the team learned, with the provenance orchestrate adds. Unknown keys are kept. */
export const Learning = z
  .object({
    date: DateLike,
    insight: z.string().min(1),
    context: z.string().optional(),
    files_affected: z.array(z.string()).optional(),
    service: z.string().optional(),
    run_id: z.string().optional(),
    agent: z.string().optional(),
    task: z.string().optional(),
    seen: z.number().int().positive().optional(),
  })
  .passthrough();
export type Learning = z.infer<typeof Learning>;

/** An entry of `integrations_catalog`: `{ name, env_vars, webhooks, ... }`. */
export const CatalogEntry = z
  .object({
    name: z.string().min(1),
    env_vars: z.array(z.string()).optional(),
    webhooks: z.union([z.boolean(), z.array(z.string()), z.string()]).optional(),
  })
  .passthrough();
export type CatalogEntry = z.infer<typeof CatalogEntry>;

/**
 * `expertise/<domain>/expertise.yaml`, compatible with AgileFlow's agent-expert files.
 * Every section a person may have shaped differently is accepted loosely and kept as written.
 */
export const ExpertiseFile = z
  .object({
    domain: z.string().min(1),
    version: z.union([z.number(), z.string()]),
    last_updated: DateLike.optional(),
    files: z.unknown().optional(),
    relationships: z.unknown().optional(),
    patterns: z.unknown().optional(),
    conventions: z.unknown().optional(),
    integrations_catalog: z.record(z.string(), z.array(CatalogEntry).nullable()).optional(),
    learnings: z.array(Learning).nullable().optional(),
  })
  .passthrough();
export type ExpertiseFile = z.infer<typeof ExpertiseFile>;

/** Expertise file versions this release reads. */
export const SUPPORTED_EXPERTISE_VERSIONS = ['1', '1.0', '1.1'];
