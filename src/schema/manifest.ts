import { z } from 'zod';
import { Usage } from './usage.js';

/**
 * Version 1 is the only version. Fields added since the first manifests are optional or have
 * defaults, so every manifest written so far still reads.
 */
export const MANIFEST_SCHEMA_VERSION = 1;

/** Who staged a change: the phase, task and agent. */
export const Provenance = z.object({ phase: z.string(), task: z.string(), agent: z.string() });
export type Provenance = z.infer<typeof Provenance>;

/** A file staged for commit, with its provenance. */
export const StagedFile = z.object({
  /** Path in the repository, with forward slashes. */
  path: z.string(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  ...Provenance.shape,
});
export type StagedFile = z.infer<typeof StagedFile>;

/**
 * A repository file the run removes (for example the `remove-integration` workflow).
 * Deletions are their own list, not a flag on {@link StagedFile}, because a deletion has no
 * content, hash or size. `orchestrate apply` runs `git rm` on each one.
 */
export const StagedDeletion = z.object({
  /** Path in the repository, with forward slashes. */
  path: z.string(),
  ...Provenance.shape,
});
export type StagedDeletion = z.infer<typeof StagedDeletion>;

/**
 * Stored statuses. `interrupted` is stored by a run stopped with Ctrl-C (or its abort signal);
 * a `running` manifest whose process is gone, or a `cancelled` one written before `interrupted`
 * existed, is shown as interrupted too (see `src/staging/run-state.ts`). All three can be resumed.
 */
export const ManifestStatus = z.enum(['running', 'complete', 'failed', 'cancelled', 'interrupted', 'awaiting-approval', 'rejected', 'applied', 'discarded']);
export type ManifestStatus = z.infer<typeof ManifestStatus>;

/**
 * A secret found by the scan. The secret itself is never stored, only where it is and which
 * rule found it. `source: 'learning'` findings are learnings that were dropped, not merged;
 * they do not block apply. File and note findings block apply.
 */
export const SecretFinding = z.object({
  source: z.enum(['file', 'note', 'learning']),
  /** The repository path, `notes/<name>`, or `learning (task <id>)`. */
  path: z.string(),
  /** 1-based. */
  line: z.number().int().positive(),
  /** 1-based. */
  column: z.number().int().positive(),
  /** A secretlint rule id, or `orchestrate/env-value` for the value of a declared variable. */
  rule: z.string(),
  /** What was found, with the secret masked. */
  message: z.string(),
});
export type SecretFinding = z.infer<typeof SecretFinding>;

/** The process that writes a run, so a `running` run whose process died is told apart. */
export const RunOwner = z.object({ pid: z.number().int().positive(), host: z.string() });
export type RunOwner = z.infer<typeof RunOwner>;

/** Where `orchestrate apply` committed the run. */
export const AppliedCommit = z.object({
  branch: z.string(),
  /** The commit, or the branch head when the branch already held exactly these contents. */
  commit: z.string(),
  at: z.string(),
  /** True when there was nothing to commit. */
  unchanged: z.boolean().default(false),
  /** Staged files a person changed between the run and the apply: what was committed is theirs, not the run's. */
  editedBeforeApply: z.array(z.string()).optional(),
  /** Files merged three ways at apply: the branch's own lines, a person's, were kept beside the run's. */
  mergedAtApply: z.array(z.string()).optional(),
});
export type AppliedCommit = z.infer<typeof AppliedCommit>;

/**
 * The commit a run was generated against, and the branch checked out then (absent on a
 * detached HEAD). `orchestrate apply` merges each staged file three ways from this commit.
 */
export const RunBase = z.object({ commit: z.string(), branch: z.string().optional() });
export type RunBase = z.infer<typeof RunBase>;

/** `pending-commits/<run-id>/manifest.json`. */
export const Manifest = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  runId: z.string(),
  workflow: z.string(),
  /** The workflow's kind (src/kinds/), when it names one: apply asks it for the commit subject. */
  kind: z.string().optional(),
  inputs: z.record(z.string(), z.unknown()),
  status: ManifestStatus,
  model: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  owner: RunOwner.optional(),
  /** Absent for a run made outside a git repository, or before bases were recorded. */
  base: RunBase.optional(),
  files: z.array(StagedFile),
  /** Repository files the run removes; `git rm` on apply. */
  deletions: z.array(StagedDeletion).default([]),
  notes: z.array(StagedFile),
  /** Names (never values) of the environment variables whose values the secret scan looks for. */
  secretEnvVars: z.array(z.string()).default([]),
  findings: z.array(SecretFinding).default([]),
  usage: Usage.optional(),
  applied: AppliedCommit.optional(),
  discardedAt: z.string().optional(),
});
export type Manifest = z.infer<typeof Manifest>;
