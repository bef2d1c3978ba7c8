import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEnv, tempRepo } from '../helpers/workspace.js';
import { copyWorkspace, NO_BASH_TESTER, orchestrate, pool } from './harness.js';

const env = offlineEnv({ NO_COLOR: '1' });
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** Every step of apply where a SIGKILL can land (src/git/apply-commit.ts, apply-run.ts). */
const APPLY_POINTS = [
  { point: 'apply:locked', what: 'both locks taken, nothing done' },
  { point: 'apply:switched', what: 'on the new branch, no file written' },
  { point: 'apply:write:1', what: 'the first file written' },
  { point: 'apply:write:4', what: 'four files written' },
  { point: 'apply:added', what: 'every file written and git add-ed' },
  { point: 'apply:message', what: 'the commit message written, before the commit' },
  { point: 'apply:committed', what: 'committed, the manifest not yet marked applied' },
];

/** Files under the repository (outside .git) left by a write that never finished. */
function strayFiles(repo: string): string[] {
  return readdirSync(repo, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !path.join(e.parentPath, e.name).includes(`${path.sep}.git${path.sep}`))
    .map((e) => path.relative(repo, path.join(e.parentPath, e.name)))
    .filter((file) => /\.tmp$|\.lock$|\.COMMIT_MSG\.apply$/.test(path.basename(file)));
}

function status(repo: string): string[] {
  return git(repo, 'status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l && !/ (pending-commits|expertise)\//.test(l));
}

describe('apply killed anywhere, applied again', () => {
  let template: string;
  let runs: { twilio: string; stripe: string };

  beforeAll(async () => {
    const scratch = tempRepo({ 'README.md': '# demo\n', '.env.example': '# ours\nAPP_PORT=3000\n', 'agents/testing-engineer.md': NO_BASH_TESTER });
    for (const service of ['twilio', 'stripe']) {
      const made = await orchestrate(['integrate', service, '--quiet', '--yes'], scratch, env);
      if (made.code !== 0) throw new Error(`integrate ${service} failed: ${made.stderr}`);
    }
    const ids = readdirSync(path.join(scratch, 'pending-commits')).sort();
    runs = { twilio: ids.find((id) => id.includes('twilio'))!, stripe: ids.find((id) => id.includes('stripe'))! };
    template = copyWorkspace(scratch);
  }, 300_000);
  afterAll(() => rmSync(template, { recursive: true, force: true }));

  it.each(APPLY_POINTS)('killed at $point ($what): applying again finishes the job, with nothing stray', async ({ point }) => {
    const repo = copyWorkspace(template);
    try {
      const base = git(repo, 'rev-parse', 'main');
      const killed = await orchestrate(['apply', runs.twilio], repo, { ...env, ORCHESTRATE_CRASH_AT: point });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');

      const again = await orchestrate(['apply', runs.twilio], repo, env);
      expect(again.code, again.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(repo, 'pending-commits', runs.twilio, 'manifest.json'), 'utf8'));
      expect(manifest.status).toBe('applied');
      const tip = git(repo, 'rev-parse', 'integration/twilio');
      expect(manifest.applied.commit).toBe(tip);
      expect(git(repo, 'rev-parse', 'integration/twilio^')).toBe(base);
      expect(git(repo, 'rev-parse', 'main')).toBe(base);
      const committed = git(repo, 'show', '--name-only', '--format=', tip).split('\n').sort();
      // Apply adds the .gitattributes that gives the list files git's union merge driver.
      expect(committed).toEqual([...manifest.files.map((f: { path: string }) => f.path), '.gitattributes'].sort());
      expect(git(repo, 'show', `${tip}:.env.example`)).toMatch(/^# ours\nAPP_PORT=3000\n\n# Twilio/);
      expect(status(repo)).toEqual([]);
      expect(strayFiles(repo)).toEqual([]);
      expect(existsSync(path.join(repo, '.git', 'orchestrate-apply.lock'))).toBe(false);

      const third = await orchestrate(['apply', runs.twilio], repo, env);
      expect(third.code).toBe(2);
      expect(third.stderr).toMatch(/is already applied as commit/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('two applies of different runs started at once: each commit on its own branch, from main', async () => {
    const repo = copyWorkspace(template);
    try {
      const base = git(repo, 'rev-parse', 'main');
      const results = await pool(2, [() => orchestrate(['apply', runs.twilio], repo, env), () => orchestrate(['apply', runs.stripe], repo, env)]);
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      for (const [service, runId] of Object.entries(runs)) {
        const branch = `integration/${service}`;
        expect(git(repo, 'rev-parse', `${branch}^`)).toBe(base);
        expect(git(repo, 'log', '-1', '--format=%B', branch)).toContain(`Orchestrate-Run: ${runId}`);
        const manifest = JSON.parse(readFileSync(path.join(repo, 'pending-commits', runId, 'manifest.json'), 'utf8'));
        expect(manifest.applied).toMatchObject({ branch, commit: git(repo, 'rev-parse', branch) });
        const committed = git(repo, 'show', '--name-only', '--format=', branch).split('\n').sort();
        // Apply adds the .gitattributes that gives the list files git's union merge driver.
      expect(committed).toEqual([...manifest.files.map((f: { path: string }) => f.path), '.gitattributes'].sort());
      }
      expect(status(repo)).toEqual([]);
      expect(existsSync(path.join(repo, '.git', 'orchestrate-apply.lock'))).toBe(false);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('a lock left by a killed apply does not block the next', async () => {
    const repo = copyWorkspace(template);
    try {
      // A pid that is no longer running: a finished child's.
      const pid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
      writeFileSync(path.join(repo, '.git', 'orchestrate-apply.lock'), JSON.stringify({ pid, host: (await import('node:os')).hostname(), token: 'dead', acquiredAt: new Date().toISOString() }));
      const applied = await orchestrate(['apply', runs.stripe], repo, env);
      expect(applied.code, applied.stderr).toBe(0);
      expect(existsSync(path.join(repo, '.git', 'orchestrate-apply.lock'))).toBe(false);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
