import { describe, expect, it } from 'vitest';
import { parseAgent } from '../../src/agents/load.js';

describe('agent frontmatter that would expand without end', () => {
  it('a "billion laughs" of YAML aliases is a problem of the file, named, not a crash', () => {
    const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
    const text = `---\n${lines.join('\n')}\nname: bomb\ndescription: d\n---\nbody\n`;
    const { agent, problems } = parseAgent(text, 'agents/bomb.md');
    expect(agent).toBeUndefined();
    expect(problems).toEqual([{ file: 'agents/bomb.md', location: 'frontmatter', message: expect.stringMatching(/YAML aliases expand too far \(more than 100 uses/) }]);
  });

  it('a few anchors and aliases load as usual', () => {
    const { agent } = parseAgent('---\nname: a\ndescription: &d shared\ncolor: *d\n---\nbody\n', 'agents/a.md');
    expect(agent?.name).toBe('a');
  });
});
