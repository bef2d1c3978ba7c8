import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectWorkingTree } from '../../src/tools/working-tree-copy.js';
import { tempRepo, writeTree } from '../helpers/workspace.js';

describe('what run_tests copies of the working tree', () => {
  it('tracked and untracked files, without ignored ones, what agents may not read, node_modules, links, big files and removals', async () => {
    const cwd = tempRepo({ 'README.md': '# demo\n', '.gitignore': 'dist/\n', 'src/a.ts': 'export const a = 1;\n', '.env.example': 'A=\n', 'expertise/integrations.yaml': 'x: 1\n' });
    writeTree(cwd, {
      'src/untracked.ts': 'export const b = 2;\n',
      'src/gone.ts': 'export const c = 3;\n',
      'dist/out.js': '1\n',
      '.env': 'SECRET=value\n',
      'pkg/.env.local': 'SECRET=value\n',
      'pending-commits/r1/files/x.ts': '1\n',
      'packages/web/node_modules/dep/index.js': '1\n',
    });
    writeFileSync(path.join(cwd, 'big.json'), 'x'.repeat(1024 * 1024 + 1));
    symlinkSync('/etc/hostname', path.join(cwd, 'link.txt'));
    const selection = await selectWorkingTree(cwd, (file) => file === 'src/gone.ts');
    expect(selection?.files).toEqual(['.env.example', '.gitignore', 'README.md', 'src/a.ts', 'src/untracked.ts']);
    expect(selection?.skipped.sort()).toEqual([
      '1 over 1 MiB each',
      '1 symlinks, deleted or not regular files',
      '1 under node_modules',
      // .env, pkg/.env.local, expertise/integrations.yaml and pending-commits/r1/files/x.ts (not ignored in this repository).
      '4 that agents may not read (.git, .env files, pending-commits/, expertise/)',
    ]);
  });

  it('outside git there is no working tree to copy', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-no-git-'));
    try {
      expect(await selectWorkingTree(dir, () => false)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
