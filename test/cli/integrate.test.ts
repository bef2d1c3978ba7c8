import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { runFolders, tempRepo } from '../helpers/workspace.js';

describe('orchestrate integrate twilio (child process, no API key)', () => {
  it('says it runs offline, prints phases and tasks, and ends with the integrate report', () => {
    const cwd = tempRepo();
    const { code, stdout, stderr } = runCli(['integrate', 'twilio'], cwd);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^No ANTHROPIC_API_KEY: the built-in offline model plays every agent/);
    for (const phase of ['Research & Planning', 'Configuration', 'Implementation', 'Testing & Validation', 'Documentation & Monitoring']) {
      expect(stdout).toContain(phase);
    }
    for (const task of ['research', 'plan', 'configure', 'implement', 'persistence', 'tests', 'review', 'docs']) {
      expect(stdout).toMatch(new RegExp(`▸ ${task} \\(`));
      expect(stdout).toMatch(new RegExp(`✓ ${task} done`));
    }
    const report = stdout.slice(stdout.indexOf('Integration Complete: twilio'));
    const sections = ['Status:', 'Configuration:', '- Endpoint:', '- Authentication:', '- Environment variables:', 'Capabilities:', 'Testing Results:', 'Security Review:', 'Documentation:', 'Usage Examples:', 'Next Steps:'];
    let at = 0;
    for (const section of sections) {
      const index = report.indexOf(section, at);
      expect(index, section).toBeGreaterThan(-1);
      at = index;
    }
    expect(runFolders(cwd)).toHaveLength(1);
    expect(readFileSync(path.join(cwd, 'expertise/integrations/expertise.yaml'), 'utf8')).toContain('name: twilio');
  });
});
