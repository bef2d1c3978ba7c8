import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { redactValues } from '../runtime/logger.js';

/**
 * Cuts secrets a run learned late (a variable a task declared, whose name did not look secret)
 * out of the outputs written before: the journal, the log and the recording. Everything written
 * after the declaration was redacted already; the staged files and notes are not rewritten
 * (their hashes are in the manifest) but the secret scan reports the value there and blocks apply.
 *
 * Each value is cut in its raw and JSON-escaped forms, so the journal's lines stay JSON.
 */
export async function redactEarlierOutputs(runDir: string, recordDir: string | undefined, secrets: readonly string[]): Promise<void> {
  if (!secrets.length) return;
  const files = [path.join(runDir, 'journal.jsonl'), path.join(runDir, 'run.log'), ...(recordDir ? filesUnder(recordDir) : [])];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const clean = redactValues(text, secrets);
    if (clean !== text) await writeFileAtomic(file, clean);
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}
