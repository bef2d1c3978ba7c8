import { describe, expect, it } from 'vitest';
import { withRepository } from '../../src/git/repository.js';
import { tempRepo } from '../helpers/workspace.js';

describe('withRepository', () => {
  it('never interleaves the git work of two callers on one repository', async () => {
    const repo = tempRepo();
    const order: string[] = [];
    const work = (name: string) =>
      withRepository(repo, async (git) => {
        for (let step = 0; step < 3; step++) {
          order.push(`${name}${step}`);
          await git.run(['status', '--porcelain']);
        }
      });

    await Promise.all([work('a'), work('b'), work('c')]);

    const runs = order.join(' ').match(/(\w)0 \1\d \1\d/g);
    expect(runs, order.join(' ')).toHaveLength(3);
  });

  it('refuses branch names git would not accept or that read as options', async () => {
    const repo = tempRepo();
    await withRepository(repo, async (git) => {
      for (const name of ['--force', '-b', 'bad..name', 'a b', 'x.lock', 'HEAD', '@{-1}', 'ends/']) {
        await expect(git.checkBranchName(name), name).rejects.toMatchObject({ code: 'BAD_BRANCH' });
      }
      await expect(git.checkBranchName('integration/twilio')).resolves.toBeUndefined();
    });
  });

  it('takes staged paths literally: a glob in a path names only itself', async () => {
    const repo = tempRepo({ 'a.ts': '1\n', 'b.ts': '2\n' });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${repo}/a.ts`, 'changed\n');
    await withRepository(repo, async (git) => {
      expect(await git.status(['*.ts'])).toEqual([]);
      expect(await git.status(['a.ts'])).toEqual([{ code: ' M', path: 'a.ts' }]);
    });
  });
});
