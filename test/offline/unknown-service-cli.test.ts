import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { runFolders, tempRepo } from '../helpers/workspace.js';

describe('orchestrate integrate <unknown service> (child process)', () => {
  it('exits 2 with one line naming the close matches, and writes nothing', () => {
    const cwd = tempRepo();
    const { code, stderr } = runCli(['integrate', 'sendgird'], cwd);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/unknown service "sendgird": did you mean sendgrid\?.*custom-api <url>/);
    expect(runFolders(cwd)).toEqual([]);
  });
});
