import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { itNeeding } from '../helpers/needs.js';
import { expertiseContext } from '../../src/expertise/context.js';
import { readExpertise } from '../../src/expertise/load.js';
import type { ExpertiseFile } from '../../src/schema/expertise.js';
import { COMPAT_DIR } from '../helpers/workspace.js';

describe('the expertise an agent is given', () => {
  it('puts the service first: its catalog entry and its own learnings, most seen first', () => {
    const data: ExpertiseFile = {
      domain: 'integrations',
      version: 1.1,
      integrations_catalog: { communication: [{ name: 'twilio', env_vars: ['TWILIO_AUTH_TOKEN'] }], payments: [{ name: 'stripe' }] },
      learnings: [
        { date: '2026-01-01', insight: 'general', seen: 9 },
        { date: '2026-01-01', insight: 'twilio once', service: 'twilio', seen: 1 },
        { date: '2026-01-02', insight: 'twilio often', service: 'twilio', seen: 4 },
        { date: '2026-01-03', insight: 'stripe', service: 'stripe', seen: 2 },
      ],
      patterns: [{ name: 'Webhook Handler Pattern', description: 'verify, claim, dispatch' }, 'plain pattern'],
    };
    const context = expertiseContext(data, 'twilio');
    expect(context.catalogEntry).toEqual({ name: 'twilio', env_vars: ['TWILIO_AUTH_TOKEN'] });
    expect(context.learnings.map((l) => l.insight)).toEqual(['twilio often', 'twilio once', 'general', 'stripe']);
    expect(context.patterns).toEqual(['Webhook Handler Pattern: verify, claim, dispatch', 'plain pattern']);
  });

  it('stays within its character budget however large the file is', () => {
    const data: ExpertiseFile = {
      domain: 'integrations',
      version: 1.1,
      conventions: Array.from({ length: 500 }, (_, n) => `convention ${n} ${'c'.repeat(300)}`),
      learnings: Array.from({ length: 5000 }, (_, n) => ({ date: '2026-01-01', insight: `insight ${n} ${'i'.repeat(2000)}`, seen: 1 })),
    };
    const context = expertiseContext(data, undefined);
    expect(context.learnings.length).toBeLessThanOrEqual(20);
    expect(context.learnings.every((l) => l.insight.length <= 400)).toBe(true);
    expect(stringify(context).length).toBeLessThan(12_000);
  });

  itNeeding(['compat'], 'gives an AgileFlow file its conventions and patterns', async () => {
    const loaded = await readExpertise(path.join(COMPAT_DIR, 'agileflow-expertise', 'integrations', 'expertise.yaml'));
    const context = expertiseContext(loaded!.data, 'stripe');
    expect(context.conventions).toContain('NEVER hardcode API keys - use environment variables');
    expect(context.patterns[0]).toBe('API Client Pattern: Wrap third-party SDK with custom client for testability');
    expect(context.learnings).toHaveLength(2);
  });
});
