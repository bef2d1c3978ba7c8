import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, READ_CHARS, READ_LINES, readFileTool } from '../../src/tools/read-tools.js';
import { call, claudeAt, fakeServer, loopRun } from '../helpers/loop-harness.js';

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('read_file in parts', () => {
  it('returns a small file whole, and a long one in parts that say what was left out', () => {
    expect(linesOf('a\nb\n', 'x.ts')).toBe('a\nb\n');
    const long = linesOf(numbered(5000), 'big.ts');
    expect(long.split('\n')).toHaveLength(READ_LINES + 1);
    expect(long.endsWith(`(lines 1-${READ_LINES} of 5000 in big.ts; read on with offset ${READ_LINES + 1})`)).toBe(true);
    expect(linesOf(numbered(5000), 'big.ts', 4990)).toBe(`${Array.from({ length: 11 }, (_, i) => `line ${4990 + i}`).join('\n')}\n(lines 4990-5000 of 5000 in big.ts)`);
    expect(linesOf(numbered(10), 'x.ts', 3, 2)).toBe('line 3\nline 4\n(lines 3-4 of 10 in x.ts; read on with offset 5)');
    expect(linesOf(numbered(10), 'x.ts', 50)).toBe('(x.ts has 10 lines; nothing from line 50)');
  });

  it('caps a read by characters too, and says so, even for one huge line', () => {
    const wide = Array.from({ length: 100 }, () => 'y'.repeat(1000)).join('\n');
    const part = linesOf(wide, 'wide.txt');
    expect(part.length).toBeLessThan(READ_CHARS + 200);
    expect(part).toMatch(/\(lines 1-\d+ of 100 in wide.txt; read on with offset \d+\)$/);
    expect(linesOf('z'.repeat(READ_CHARS * 2), 'min.js')).toMatch(/cut at \d+ characters; use search/);
  });

  it('an identical repeated read is answered by pointing at the earlier result, a changed file is read again', async () => {
    const run = loopRun();
    writeFileSync(path.join(run.workspace, 'a.ts'), numbered(50));
    const server = await fakeServer({
      respond: [
        call('read_file', { path: 'a.ts' }, 't1'),
        call('read_file', { path: 'a.ts' }, 't2'),
        call('write_file', { path: 'a.ts', content: 'changed\n' }, 't3'),
        call('read_file', { path: 'a.ts' }, 't4'),
        call('finish', { summary: 'ok' }, 't5'),
      ],
    });
    await run.run(await claudeAt(server));
    const resultOf = (i: number) => (server.requests[i]!.body.messages.at(-1)!.content as Array<{ content: string }>)[0]!.content;
    expect(resultOf(1)).toBe(numbered(50));
    expect(resultOf(2)).toMatch(/^\(unchanged: identical to the result of your earlier read_file call/);
    expect(resultOf(4)).toBe('changed\n');
    expect(readFileTool.describe({ path: 'a.ts', offset: 3 })).toBe('a.ts from line 3');
  });
});
