import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runWorkflow, type RunEvent } from 'orchestrate';
import { tempRepo } from './helpers/workspace.js';

const today = () => new Date().toISOString().slice(0, 10);

describe('runWorkflow (imported by package name)', () => {
  it('runs integrate for twilio offline: typed result, every event, staged run, expertise improved', async () => {
    const cwd = tempRepo();
    const events: RunEvent[] = [];
    const result = await runWorkflow({
      workflow: 'integrate',
      inputs: { service: 'twilio' },
      cwd,
      onEvent: (event) => events.push(event),
      approve: 'auto',
      runtime: { env: {} },
    });

    expect(result.status).toBe('complete');
    expect(result.runId).toMatch(/twilio/);
    expect(result.runDir).toBe(path.join(cwd, 'pending-commits', result.runId));
    expect(result.report.integration?.service).toBe('twilio');
    expect(result.usage.turns).toBeGreaterThan(0);
    expect(result.stagedFiles.map((f) => f.path)).toEqual(
      expect.arrayContaining(['src/integrations/clients/TwilioClient.ts', 'src/integrations/webhooks/TwilioWebhookHandler.ts', '.env.example']),
    );

    // Events: run-start first, run-end last, each task started and ended once.
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)?.type).toBe('run-end');
    const started = events.filter((e) => e.type === 'task-start').map((e) => (e as { task: string }).task);
    const ended = events.filter((e) => e.type === 'task-end').map((e) => (e as { task: string }).task);
    expect(started.sort()).toEqual(['configure', 'docs', 'implement', 'monitoring', 'persistence', 'plan', 'research', 'review', 'tests']);
    expect(ended.sort()).toEqual(started.sort());
    expect(events.filter((e) => e.type === 'phase-start')).toHaveLength(5);
    expect(events.some((e) => e.type === 'artifact-write')).toBe(true);
    expect(events.some((e) => e.type === 'learning-record')).toBe(true);

    // The run folder holds what DESIGN.md lists; the journal is the events.
    for (const entry of ['manifest.json', 'files', 'notes', 'journal.jsonl', 'run.log', 'report.yaml', 'COMMIT_MSG']) {
      expect(existsSync(path.join(result.runDir, entry)), entry).toBe(true);
    }
    const journal = readFileSync(path.join(result.runDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.map((e) => e.type)).toEqual(events.map((e) => e.type));
    const manifest = JSON.parse(readFileSync(path.join(result.runDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ schemaVersion: 1, runId: result.runId, workflow: 'integrate', status: 'complete' });
    expect(manifest.files.find((f: { path: string }) => f.path === 'src/integrations/clients/TwilioClient.ts')).toMatchObject({
      phase: 'implementation',
      task: 'implement',
      agent: 'integration-specialist',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(readFileSync(path.join(result.runDir, 'files/node_modules', 'src/integrations/clients/TwilioClient.ts'), 'utf8')).toContain('class TwilioClient');
    expect(readFileSync(path.join(result.runDir, 'COMMIT_MSG'), 'utf8')).toMatch(/^feat\(integrations\): add twilio integration/);
    expect(parse(readFileSync(path.join(result.runDir, 'report.yaml'), 'utf8'))).toMatchObject({ status: 'complete', runId: result.runId });

    // Agents wrote nothing into the repository itself.
    expect(existsSync(path.join(cwd, 'src'))).toBe(false);

    // Expertise: twilio in the catalog, learnings dated today with provenance, last_updated set.
    const expertise = parse(readFileSync(path.join(cwd, 'expertise/integrations/expertise.yaml'), 'utf8'));
    expect(expertise.integrations_catalog.communication).toEqual([expect.objectContaining({ name: 'twilio', last_run: result.runId })]);
    expect(expertise.last_updated).toBe(today());
    const mine = expertise.learnings.filter((l: { run_id?: string }) => l.run_id === result.runId);
    expect(mine.length).toBeGreaterThan(0);
    for (const learning of mine) {
      expect(learning).toMatchObject({ date: today(), service: 'twilio', agent: expect.any(String), task: expect.any(String), seen: 1 });
    }
  });

  it('a second run reuses the expertise: no duplicate catalog entry or learning', async () => {
    const cwd = tempRepo();
    await runWorkflow({ workflow: 'integrate', inputs: { service: 'twilio' }, cwd, approve: 'auto', runtime: { env: {} } });
    const first = parse(readFileSync(path.join(cwd, 'expertise/integrations/expertise.yaml'), 'utf8'));
    const second = await runWorkflow({ workflow: 'integrate', inputs: { service: 'twilio' }, cwd, approve: 'auto', runtime: { env: {} } });
    const after = parse(readFileSync(path.join(cwd, 'expertise/integrations/expertise.yaml'), 'utf8'));
    expect(after.integrations_catalog.communication).toHaveLength(1);
    expect(after.learnings).toHaveLength(first.learnings.length);
    expect(after.learnings.every((l: { seen: number }) => l.seen === 2)).toBe(true);
    const plan = readFileSync(path.join(second.runDir, 'notes', 'integration-plan.md'), 'utf8');
    expect(plan).toContain('Catalog entry for twilio (from an earlier run)');
    expect(plan).toMatch(/Learning \(seen 1 times\)|Learning: /);
  }, 180_000);
});
