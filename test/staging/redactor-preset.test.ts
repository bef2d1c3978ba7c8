import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/runtime/redact.js';
import { PRESET_SAMPLES } from '../helpers/preset-samples.js';

/** What one preset rule reports in a text: the reported substrings. */
async function reported(ruleId: string, content: string, filePath: string): Promise<string[]> {
  const [{ lintSource }, { rules }] = await Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]);
  const rule = rules.find((r) => r.meta.id === ruleId)!;
  const result = await lintSource({
    source: { content, filePath, ext: path.extname(filePath), contentType: 'text' },
    options: { config: { rules: [{ id: rule.meta.id, rule, options: ruleId.endsWith('aws') ? { enableIDScanRule: true } : {} }] }, noPhysicFilePath: true },
  });
  return result.messages.map((message) => content.slice(message.range[0], message.range[1]));
}

describe('redaction covers every rule of secretlint\'s recommended preset', () => {
  it('every scanning rule of the installed preset has samples here (a new rule fails this until it has)', async () => {
    const { rules } = await import('@secretlint/secretlint-rule-preset-recommend');
    const scanning = rules.map((r) => r.meta.id).filter((id) => id !== '@secretlint/secretlint-rule-filter-comments').sort();
    expect(Object.keys(PRESET_SAMPLES).sort()).toEqual(scanning);
  });

  it.each(Object.entries(PRESET_SAMPLES).flatMap(([rule, samples]) => samples.map((sample, i) => ({ rule, i, sample }))))('$rule, sample $i: the rule reports it, and what it reports is cut', async ({ rule, sample }) => {
    const { text, file } = typeof sample === 'string' ? { text: sample, file: 'sample.txt' } : sample;
    const found = await reported(rule, text, file);
    expect(found.length, `${rule} does not report the sample: fix the sample`).toBeGreaterThan(0);
    const redacted = createRedactor().text(text);
    for (const secret of found) expect(redacted, `${rule} reported "${secret}"`).not.toContain(secret);
    expect(redacted).toContain('[redacted]');
  });
});
