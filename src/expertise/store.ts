import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { expertisePath, parseExpertise, readExpertise, type LoadedExpertise } from './load.js';
import { applyExpertiseUpdate, type ExpertiseUpdate, type MergeSummary } from './merge.js';

/** The package's seed file for a domain, used when a workspace has none yet. */
export function seedPath(packageRoot: string, domain: string): string {
  return path.join(packageRoot, 'expertise', domain, 'expertise.yaml');
}

/** The workspace's expertise for a domain, or the package seed when the workspace has none. */
export async function loadExpertise(workspace: string, packageRoot: string, domain: string): Promise<LoadedExpertise | undefined> {
  return (await readExpertise(expertisePath(workspace, domain))) ?? (await readExpertise(seedPath(packageRoot, domain)));
}

/**
 * Re-reads the file (or the seed), applies the update, checks the result still parses and
 * validates, and writes it atomically. Concurrent writers are the expertise issue's concern:
 * this re-read keeps the window small but does not lock.
 */
export async function mergeExpertise(
  workspace: string,
  packageRoot: string,
  domain: string,
  update: ExpertiseUpdate,
): Promise<MergeSummary & { file: string }> {
  const file = expertisePath(workspace, domain);
  const current = (await readExpertise(file)) ?? seeded(await readFile(seedPath(packageRoot, domain), 'utf8').catch(() => minimalSeed(domain)), file);
  const summary = applyExpertiseUpdate(current.document, current.data, update);
  const text = current.document.toString({ lineWidth: 0 });
  parseExpertise(text, file);
  await writeFileAtomic(file, text);
  return { ...summary, file };
}

function seeded(text: string, file: string): LoadedExpertise {
  return parseExpertise(text, file);
}

function minimalSeed(domain: string): string {
  return `domain: ${domain}\nversion: 1.1\nlearnings: []\n`;
}
