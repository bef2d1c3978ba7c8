import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRun } from '../../src/git/apply-run.js';
import { mergePackageJson } from '../../src/git/package-json-merge.js';
import { runWorkflow } from '../../src/index.js';
import { NO_BASH_TESTER } from '../durability/harness.js';
import { tempRepo } from '../helpers/workspace.js';
import { git, statusLines } from './run-fixture.js';
import { stagedPath } from '../../src/staging/run-layout.js';

// The person's own layout: four-space indent, their key order, a script and a pinned dependency.
const PACKAGE = `{
    "name": "shop",
    "type": "module",
    "scripts": {
        "test": "vitest run"
    },
    "dependencies": {
        "left-pad": "1.3.0"
    },
    "devDependencies": {
        "vitest": "^4.0.0"
    }
}
`;

describe('orchestrate apply merges package.json by key', () => {
  it('two runs from one base adding different scripts both land, in the file as the person formatted it; the same key set differently is a conflict', async () => {
    const repo = tempRepo({ 'README.md': '# shop\n', 'package.json': PACKAGE, 'agents/testing-engineer.md': NO_BASH_TESTER });
    const run = async (service: string) => {
      const result = await runWorkflow({ workflow: 'integrate', inputs: { service }, cwd: repo, provider: 'offline', approve: 'auto', runtime: { env: {} } });
      expect(result.status, service).toBe('complete');
      return result.runId;
    };
    const [twilio, stripe, discord] = [await run('twilio'), await run('stripe'), await run('discord')];
    for (const id of [twilio, stripe]) expect(readFileSync(stagedPath(path.join(repo, 'pending-commits', id), 'package.json'), 'utf8')).toContain('"zod"');

    await applyRun({ workspace: repo, runId: twilio, env: {} });
    git(repo, 'switch', '-q', 'main');
    git(repo, 'merge', '-q', '--no-edit', 'integration/twilio');
    const second = await applyRun({ workspace: repo, runId: stripe, env: {} });
    expect(second.changes.find((c) => c.path === 'package.json')?.action).toBe('merge');
    const merged = readFileSync(path.join(repo, 'package.json'), 'utf8');
    expect(merged).toBe(`{
    "name": "shop",
    "type": "module",
    "scripts": {
        "test": "vitest run",
        "integration:twilio:test": "vitest run src/integrations/__tests__/Twilio",
        "integration:stripe:test": "vitest run src/integrations/__tests__/Stripe"
    },
    "dependencies": {
        "left-pad": "1.3.0",
        "zod": "^4.1.0"
    },
    "devDependencies": {
        "vitest": "^4.0.0"
    }
}
`);

    // The person pins zod on main after the discord run was made; the run adds its own version.
    git(repo, 'switch', '-q', 'main');
    writeFileSync(path.join(repo, 'package.json'), PACKAGE.replace('"left-pad": "1.3.0"', '"left-pad": "1.3.0",\n        "zod": "^3.23.0"'));
    git(repo, 'commit', '-q', '-am', 'pin zod 3');
    const head = git(repo, 'rev-parse', 'HEAD');
    await expect(applyRun({ workspace: repo, runId: discord, env: {}, here: true })).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('package.json: the same keys changed on the branch and in the run: "dependencies.zod" is "^3.23.0" on the branch and "^4.1.0" in the run'),
    });
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(statusLines(repo).filter((l) => !l.includes('agents/'))).toEqual([]);
  }, 120_000);

  it('removes a key the run removed only where the branch still has the base value, and keeps tabs', () => {
    const base = '{\n\t"scripts": {\n\t\t"a": "1",\n\t\t"b": "2"\n\t}\n}\n';
    const ours = '{\n\t"scripts": {\n\t\t"a": "1",\n\t\t"b": "2",\n\t\t"mine": "3"\n\t}\n}\n';
    expect(mergePackageJson(base, ours, '{"scripts":{"b":"2","c":"4"}}')).toEqual({ content: '{\n\t"scripts": {\n\t\t"b": "2",\n\t\t"mine": "3",\n\t\t"c": "4"\n\t}\n}\n', conflicts: [] });
    expect(mergePackageJson(base, ours.replace('"a": "1"', '"a": "9"'), '{"scripts":{"b":"2"}}')).toEqual({ conflicts: [{ key: 'scripts.a', ours: '9', theirs: undefined }] });
    expect(mergePackageJson(base, 'not json', '{}')).toBeUndefined();
  });
});
