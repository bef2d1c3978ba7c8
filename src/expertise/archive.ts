import path from 'node:path';
import type { Document, YAMLSeq } from 'yaml';
import { yaml } from '../runtime/lazy-modules.js';

const isSeq = (node: unknown): node is YAMLSeq => yaml().isSeq(node);
import { ValidationError } from '../errors.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { ArchiveFile, normaliseLearnings, type Learning } from '../schema/expertise.js';
import { yamlProblems } from '../schema/yaml-problems.js';
import { readBoundedText } from './load.js';
import { firstAlias, locatedZodProblems } from './locate.js';
import { dateText, sameLearning, YAML_OUTPUT } from './merge.js';

/** When the live file holds more than this, old learnings move to the archive. */
export interface ArchiveBound {
  /** Most learnings kept in expertise.yaml. @default 100 */
  maxLearnings: number;
  /** Most bytes of expertise.yaml. @default 256 KiB (well under the 2 MiB read limit) */
  maxBytes: number;
}

export const DEFAULT_ARCHIVE_BOUND: ArchiveBound = { maxLearnings: 100, maxBytes: 256 * 1024 };
/** Archiving goes down to this share of the bound, so it does not happen again on every run. */
const HYSTERESIS = 0.8;
const MAX_ARCHIVE_BYTES = 32 * 1024 * 1024;

export function archivePath(expertiseFile: string): string {
  return path.join(path.dirname(expertiseFile), 'archive.yaml');
}

/**
 * Reads and checks `archive.yaml`; a new, empty one when it does not exist. Problems are thrown
 * as a ValidationError with their line and column.
 */
export async function readArchive(file: string, domain: string): Promise<{ document: Document; data: ArchiveFile; exists: boolean }> {
  const existing = await readBoundedText(file, MAX_ARCHIVE_BYTES, 'move part of it to another file');
  const text = existing ?? `# Learnings moved out of expertise.yaml to keep it readable. Nothing is deleted.\ndomain: ${domain}\nversion: 1.1\nlearnings: []\n`;
  const lines = new (yaml().LineCounter)();
  const document = yaml().parseDocument(text, { uniqueKeys: false, lineCounter: lines });
  const syntax = yamlProblems(document.errors, file);
  if (syntax.length) throw new ValidationError(syntax);
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: 200 });
  } catch (error) {
    throw new ValidationError([{ file, location: firstAlias(document, lines), message: `${(error as Error).message.split('\n')[0]} (is it an alias bomb?)` }]);
  }
  const parsed = ArchiveFile.safeParse(normaliseLearnings(raw));
  if (!parsed.success) throw new ValidationError(locatedZodProblems(file, document, lines, parsed.error));
  return { document, data: parsed.data, exists: existing !== undefined };
}

/**
 * Which learnings to move out, oldest position within the least seen and oldest date first.
 * Learnings touched on `today` (what this run just taught) go last, but they go like any other
 * when the older ones are not enough: no run, nor many runs in one day, can keep the file past
 * its bound. Returns indices into `learnings`, in no particular order.
 */
export function chooseForArchive(learnings: readonly Learning[], count: number, today: string): number[] {
  return learnings
    .map((learning, index) => ({ index, seen: learning.seen ?? 1, date: dateText(learning.date) }))
    .sort((a, b) => Number(a.date === today) - Number(b.date === today) || a.seen - b.seen || a.date.localeCompare(b.date) || a.index - b.index)
    .slice(0, Math.max(0, count))
    .map((candidate) => candidate.index);
}

/**
 * Moves learnings out of `document` while it is over the bound. Returns the moved learnings;
 * the caller writes them to the archive before writing the live file.
 */
export function trimToBound(document: Document, bound: ArchiveBound, today: string): Learning[] {
  const moved: Learning[] = [];
  for (let round = 0; round < 20; round++) {
    const learnings = (document.toJS() as { learnings?: Learning[] | null }).learnings ?? [];
    const bytes = Buffer.byteLength(document.toString(YAML_OUTPUT));
    let count = 0;
    if (learnings.length > bound.maxLearnings) count = learnings.length - Math.floor(bound.maxLearnings * HYSTERESIS);
    else if (bytes > bound.maxBytes) count = Math.max(1, Math.ceil(learnings.length * (1 - (bound.maxBytes * HYSTERESIS) / bytes)));
    if (count === 0) break;
    const chosen = chooseForArchive(learnings, count, today).sort((a, b) => a - b);
    if (chosen.length === 0) break;
    moved.push(...chosen.map((index) => learnings[index]!)); // in file order
    for (const index of chosen.reverse()) document.deleteIn(['learnings', index]);
  }
  return moved;
}

/**
 * Appends learnings to `archive.yaml` (created when missing), keeping whatever a person wrote
 * there. An entry already archived unchanged (a retry after a crash) is not added twice; the
 * same learning archived again later adds up its `seen`. Call it under the expertise lock.
 */
export async function appendToArchive(file: string, domain: string, learnings: readonly Learning[], today: string): Promise<void> {
  if (learnings.length === 0) return;
  const { document, data } = await readArchive(file, domain);
  if (!isSeq(document.get('learnings'))) document.set('learnings', document.createNode([]));
  const seq = document.get('learnings');
  if (isSeq(seq)) seq.flow = false;
  const archived: Learning[] = [...(data.learnings ?? [])];
  for (const learning of learnings) {
    const index = archived.findIndex((a) => sameLearning(a, learning));
    const existing = index >= 0 ? archived[index]! : undefined;
    if (existing && dateText(existing.date) === dateText(learning.date) && (existing.seen ?? 1) === (learning.seen ?? 1)) continue;
    if (existing) {
      const seen = (existing.seen ?? 1) + (learning.seen ?? 1);
      const date = [dateText(existing.date), dateText(learning.date)].sort().at(-1)!;
      archived[index] = { ...existing, seen, date };
      document.setIn(['learnings', index, 'seen'], seen);
      document.setIn(['learnings', index, 'date'], date);
      continue;
    }
    const entry = { ...learning, date: dateText(learning.date), archived_on: today };
    archived.push(entry);
    document.addIn(['learnings'], document.createNode(entry));
  }
  await writeFileAtomic(file, document.toString(YAML_OUTPUT));
}
