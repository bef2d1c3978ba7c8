import { z } from 'zod';

export const MANIFEST_SCHEMA_VERSION = 1;

/** A file staged for commit, with its provenance. */
export const StagedFile = z.object({
  /** Path in the repository, with forward slashes. */
  path: z.string(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  phase: z.string(),
  task: z.string(),
  agent: z.string(),
});
export type StagedFile = z.infer<typeof StagedFile>;

export const ManifestStatus = z.enum(['running', 'complete', 'failed', 'cancelled', 'applied', 'discarded']);
export type ManifestStatus = z.infer<typeof ManifestStatus>;

/** `pending-commits/<run-id>/manifest.json`. */
export const Manifest = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  runId: z.string(),
  workflow: z.string(),
  inputs: z.record(z.string(), z.unknown()),
  status: ManifestStatus,
  model: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  files: z.array(StagedFile),
  notes: z.array(StagedFile),
});
export type Manifest = z.infer<typeof Manifest>;
