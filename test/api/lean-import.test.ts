import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/workspace.js';

/**
 * What a workflow of code functions never uses, and so must not load (issue 21, "a lean import"):
 * each is loaded on first use by the path that needs it (agents, apply, the providers, discard,
 * the secret scan of staged files). Counted in a child process's list of loaded modules, not timed:
 * the time is bench/run.mjs's cold-start rows.
 */
const NEVER_LOADED: Record<string, RegExp> = {
  'the Anthropic SDK': /\/node_modules\/@anthropic-ai\/sdk\//,
  'simple-git': /\/node_modules\/simple-git\//,
  'the secret scanner (@secretlint)': /\/node_modules\/@secretlint\//,
  yaml: /\/node_modules\/yaml\//,
  'glob (tinyglobby)': /\/node_modules\/tinyglobby\//,
  're2-wasm': /\/node_modules\/re2-wasm\//,
  sucrase: /\/node_modules\/sucrase\//,
  'jsonc-parser (package.json merges)': /\/node_modules\/jsonc-parser\//,
  'the integration kind and its offline catalog': /\/dist\/kinds\/integration\//,
  'git (apply, repository)': /\/dist\/git\//,
  'the agent loop': /\/dist\/agents\/loop\.js$/,
  'the tools': /\/dist\/tools\/registry\.js$/,
  'the agent task dispatch': /\/dist\/run\/dispatch-task\.js$/,
  'the expertise store, merge and staleness scan': /\/dist\/expertise\/(store|archive|stale|withdraw|lock)\.js$/,
  'the dry run': /\/dist\/run\/dry-run-plan\.js$/,
  'resume': /\/dist\/run\/(resume|resume-merge|resume-staging)\.js$/,
  'recording and replay': /\/dist\/providers\/recording\.js$/,
  // dist imports the parts of zod it uses from one file (scripts/vendor-zod.mjs), not the package's 95 modules.
  "the zod package's modules": /\/node_modules\/zod\//,
};

let workspace: string | undefined;
afterEach(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
  workspace = undefined;
});

describe('the package entry, imported for a workflow of code functions', () => {
  it('loads none of what only agents, apply, resume, expertise or the providers need', () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'orchestrate-lean-'));
    const log = path.join(workspace, 'loaded.txt');
    const child = path.join(REPO_ROOT, 'test', 'api', 'fixtures', 'lean-import-child.mjs');
    // The run's folder goes in a subfolder, so the log is not among what the run writes.
    const cwd = mkdtempSync(path.join(workspace, 'repo-'));
    execFileSync(process.execPath, [child, log, cwd], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((entry) => entry.replace(/^file:\/\//, ''));

    // The log works: it saw the entry, the run and zod (vendored).
    expect(loaded.some((file) => file.endsWith('/dist/index.js'))).toBe(true);
    expect(loaded.some((file) => file.endsWith('/dist/run/execute-run.js'))).toBe(true);
    expect(loaded.some((file) => file.endsWith('/dist/vendor/zod.js'))).toBe(true);

    const found = Object.entries(NEVER_LOADED).flatMap(([name, pattern]) => {
      const files = loaded.filter((file) => pattern.test(file));
      return files.length ? [`${name}: ${files.slice(0, 3).map((file) => path.relative(REPO_ROOT, file)).join(', ')}`] : [];
    });
    expect(found).toEqual([]);
  });
});
