import { z } from 'zod';

/** YAML may give an unquoted date as a string or a Date, depending on the schema used. */
const DateLike = z.union([z.string(), z.date()]);

/** One thing the team learned, with the provenance orchestrate adds. Unknown keys are kept. */
export const Learning = z
  .object({
    date: DateLike,
    /** The learning itself; AgileFlow also writes it as `learning:` (see normaliseLearnings). */
    insight: z.string({ error: (issue) => (issue.input === undefined ? 'a learning needs its text, as insight: or learning:' : undefined) }).min(1),
    context: z.string().optional(),
    files_affected: z.array(z.string()).optional(),
    service: z.string().optional(),
    run_id: z.string().optional(),
    agent: z.string().optional(),
    task: z.string().optional(),
    /** The person who wrote it: an approval's note or a rejection's reason. */
    author: z.string().optional(),
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

/**
 * The key of orchestrate's own format version in an expertise file. `version` belongs to the
 * content (AgileFlow's files count their revisions there: 1.0 -> 1.4, and its validator only
 * checks that the field exists), so orchestrate never reads or sets it as a format; a format
 * change of its own would go under this key, which no AgileFlow file uses.
 */
export const EXPERTISE_FORMAT_KEY = 'orchestrate_format';
/** Values of {@link EXPERTISE_FORMAT_KEY} this release reads; a file without the key is format 1. */
export const SUPPORTED_EXPERTISE_FORMATS = [1];

/**
 * AgileFlow writes a learning's text under `insight:` or `learning:`. The data gets `insight`
 * either way (the document, and so the file, keeps the author's key). Mutates and returns `raw`,
 * a fresh `toJS()` copy.
 */
export function normaliseLearnings(raw: unknown): unknown {
  const learnings = (raw as { learnings?: unknown } | null)?.learnings;
  if (!Array.isArray(learnings)) return raw;
  for (const learning of learnings) {
    if (learning && typeof learning === 'object' && !('insight' in learning) && typeof (learning as { learning?: unknown }).learning === 'string') {
      (learning as { insight?: string }).insight = (learning as { learning: string }).learning;
    }
  }
  return raw;
}

/** What a staleness check found: the expertise names a path the repository no longer has. */
export const StaleFinding = z.object({
  domain: z.string(),
  /** The expertise file, relative to the workspace. */
  file: z.string(),
  /** Where in the file: `files.clients[0].path, line 11, column 13`. */
  location: z.string(),
  kind: z.enum(['missing-file', 'missing-file-affected', 'catalog-files-gone', 'outside-repository']),
  /** The path the expertise names. */
  path: z.string(),
  message: z.string(),
});
export type StaleFinding = z.infer<typeof StaleFinding>;

/** `expertise/<domain>/archive.yaml`: learnings moved out of the live file, never deleted. */
export const ArchiveFile = z
  .object({
    domain: z.string().min(1),
    version: z.union([z.number(), z.string()]),
    learnings: z.array(Learning.extend({ archived_on: DateLike.optional() }).passthrough()).nullable().optional(),
  })
  .passthrough();
export type ArchiveFile = z.infer<typeof ArchiveFile>;

/** One change a run made to an expertise file, as recorded in its run folder. */
export const ExpertiseChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('catalog-added'), category: z.string(), name: z.string(), entry: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal('catalog-field'), category: z.string(), name: z.string(), field: z.string(), before: z.unknown(), after: z.unknown() }),
  z.object({ kind: z.literal('learning-added'), insight: z.string(), agent: z.string(), task: z.string() }),
  z.object({ kind: z.literal('learning-reinforced'), insight: z.string(), seenBefore: z.number(), seenAfter: z.number() }),
  z.object({ kind: z.literal('learnings-archived'), count: z.number().int().positive(), archive: z.string() }),
  z.object({ kind: z.literal('last-updated'), before: z.string().optional(), after: z.string() }),
]);
export type ExpertiseChange = z.infer<typeof ExpertiseChange>;

/** `pending-commits/<run-id>/expertise-changes.json`: what a run changed, for `expertise diff`. */
export const ExpertiseChangeRecord = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  domains: z.array(
    z.object({
      domain: z.string(),
      /** The expertise file, relative to the workspace. */
      file: z.string(),
      mergedAt: z.string(),
      changes: z.array(ExpertiseChange),
    }),
  ),
});
export type ExpertiseChangeRecord = z.infer<typeof ExpertiseChangeRecord>;
