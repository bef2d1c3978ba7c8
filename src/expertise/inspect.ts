import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError, type ValidationProblem } from '../errors.js';
import type { StaleFinding } from '../schema/expertise.js';
import { archivePath, readArchive } from './archive.js';
import { checkExpertise, expertisePath, MAX_EXPERTISE_BYTES, readBoundedText, type LoadedExpertise } from './load.js';
import { findStaleExpertise } from './stale.js';

/** The domains that have an `expertise/<domain>/expertise.yaml` in the workspace, sorted. */
export async function listDomains(workspace: string): Promise<string[]> {
  const entries = await readdir(path.join(workspace, 'expertise'), { withFileTypes: true }).catch(() => []);
  const domains: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await stat(expertisePath(workspace, entry.name)).catch(() => undefined))) domains.push(entry.name);
  }
  return domains.sort();
}

/** What `orchestrate expertise validate` found in one domain. */
export interface DomainCheck {
  domain: string;
  file: string;
  loaded?: LoadedExpertise;
  /** The file cannot be used: syntax, types, version, size. */
  problems: ValidationProblem[];
  /** The file is valid but names paths the repository no longer has. */
  stale: StaleFinding[];
  archived: number;
}

/** Checks one domain's expertise and archive, and the expertise against the repository. */
export async function checkDomain(workspace: string, domain: string): Promise<DomainCheck> {
  const file = expertisePath(workspace, domain);
  const result: DomainCheck = { domain, file, problems: [], stale: [], archived: 0 };
  try {
    const text = await readBoundedText(file, MAX_EXPERTISE_BYTES, 'move old learnings to archive.yaml or split the file');
    if (text === undefined) {
      result.problems.push({ file, location: '', message: `no expertise for domain "${domain}" here` });
      return result;
    }
    const checked = checkExpertise(text, file);
    if (checked.ok) result.loaded = checked.loaded;
    else result.problems.push(...checked.problems);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    result.problems.push(...error.problems);
  }
  try {
    const archive = await readArchive(archivePath(file), domain);
    result.archived = archive.exists ? (archive.data.learnings?.length ?? 0) : 0;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    result.problems.push(...error.problems);
  }
  if (result.loaded) result.stale = await findStaleExpertise(workspace, domain, result.loaded);
  return result;
}
