import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runWorkflow } from '../../src/index.js';
import { discardRun } from '../../src/staging/discard-run.js';
import { tempRepo } from '../helpers/workspace.js';

type Learning = { insight: string; run_id?: string; seen?: number };
const learnings = (cwd: string): Learning[] => (parse(readFileSync(path.join(cwd, 'expertise/integrations/expertise.yaml'), 'utf8')) as { learnings: Learning[] }).learnings;
const integrate = (cwd: string) => runWorkflow({ workflow: 'integrate', inputs: { service: 'twilio' }, cwd, approve: 'auto', runtime: { env: {} } });

describe('discarding a run withdraws its learnings', () => {
  it('the learnings a discarded run added are removed; those of another run stay', async () => {
    const cwd = tempRepo();
    const run = await integrate(cwd);
    const added = learnings(cwd).filter((l) => l.run_id === run.runId);
    const others = learnings(cwd).filter((l) => l.run_id !== run.runId);
    expect(added.length).toBeGreaterThan(0);
    const discarded = await discardRun({ workspace: cwd, runId: run.runId });
    expect(discarded).toMatchObject({ outcome: 'discarded', learningsWithdrawn: added.length });
    expect(learnings(cwd).filter((l) => l.run_id === run.runId)).toEqual([]);
    expect(learnings(cwd)).toEqual(others);
  }, 300_000);

  it('a learning a later run saw again keeps that sighting when the later run is discarded', async () => {
    const cwd = tempRepo();
    const first = await integrate(cwd);
    const once = learnings(cwd);
    const second = await integrate(cwd);
    expect(learnings(cwd).filter((l) => l.run_id === first.runId).every((l) => l.seen === 2)).toBe(true);
    await discardRun({ workspace: cwd, runId: second.runId });
    expect(learnings(cwd)).toEqual(once);
  }, 300_000);
});
