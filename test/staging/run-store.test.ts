import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun, readManifest } from '../../src/staging/run-store.js';
import { tempRepo } from '../helpers/workspace.js';

const base = { runId: '20261122-000000-acme-abcdef', workflow: 'integrate', inputs: { service: 'acme' }, status: 'complete', model: 'offline', startedAt: '2026-11-22T00:00:00.000Z', files: [], notes: [] };

function runWith(manifest: unknown): { repo: string; dir: string } {
  const repo = tempRepo();
  const dir = path.join(repo, 'pending-commits', base.runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return { repo, dir };
}

describe('reading a manifest', () => {
  it('reads a first-version manifest without the fields added since, with their defaults', async () => {
    const { dir } = runWith({ schemaVersion: 1, ...base });
    await expect(readManifest(dir)).resolves.toMatchObject({ deletions: [], findings: [], secretEnvVars: [] });
  });

  it('refuses an unknown schema version, saying what to do', async () => {
    const { dir } = runWith({ schemaVersion: 2, ...base });
    await expect(readManifest(dir)).rejects.toMatchObject({ code: 'MANIFEST_VERSION', message: expect.stringContaining('upgrade orchestrate') });
  });

  it('reports every invalid field at once', async () => {
    const { dir } = runWith({ schemaVersion: 1, ...base, status: 'weird', files: [{ path: 'a' }] });
    const error = (await readManifest(dir).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/status: .*files\.0\.sha256/);
  });

  it('refuses a run id that is not one, and names the newest run for an unknown one', async () => {
    const { repo } = runWith({ schemaVersion: 1, ...base });
    await expect(loadRun(repo, '../../etc')).rejects.toMatchObject({ code: 'BAD_RUN_ID' });
    await expect(loadRun(repo, '20261122-999999-x')).rejects.toMatchObject({ code: 'NO_SUCH_RUN', message: expect.stringContaining(base.runId) });
  });
});
