import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { plainYaml } from '../../src/report/plain-yaml.js';

describe('plainYaml: a report as YAML without the yaml library', () => {
  it('reads back as exactly the same data, whatever the strings hold', () => {
    const data = {
      status: 'complete',
      looksLikeOther: ['yes', 'No', 'null', '12', '1e3', '0x1f', '~', 'true', '.inf'],
      syntax: ['a: b', '- x', ' lead', 'trail ', '#c', '"q"', "'s'", '{a}', '[b]', '&anchor', '*alias', '!tag', '%dir', '@at', '`tick`', '|', '>'],
      text: ['multi\nline', 'tab\there', '', '\u007f\u0085\u2028\ud800', 'ünïcode 😀', 'C:\\path'],
      nested: [[1, [2, []]], { k: null, l: [{ m: 'x' }] }, {}],
      'weird key': true,
      '': 'empty key',
      n: 1.5,
      big: 12345678901234,
      negative: -3,
      paths: ['src/a-b.ts', '.env.example', 'docs/x.md'],
    };
    expect(parse(plainYaml(data))).toEqual(JSON.parse(JSON.stringify(data)));
  });

  it('is block YAML a person reads: plain words, a mapping in a list on the dash line', () => {
    expect(plainYaml({ status: 'complete', tasks: [{ id: 'a', durationMs: 3 }], files: [] })).toBe('status: complete\ntasks:\n  - id: a\n    durationMs: 3\nfiles: []\n');
  });

  it('leaves out undefined fields, as JSON does', () => {
    expect(plainYaml({ a: undefined, b: [undefined], c: 1 })).toBe('b:\n  - null\nc: 1\n');
  });

  it('writes the lists it is told to one flow item to a line, which read back as the same data', () => {
    const data = { status: 'complete', tasks: [{ id: 'a', agent: 'function:a', text: ['multi\nline', '\u007f\u0085\u2028\ud800', 'ünïcode 😀', 'a: b'], n: 1.5 }, { id: 'b', skip: undefined }, null], other: [{ id: 'c' }] };
    const text = plainYaml(data, { flow: new Set(['tasks']) });
    expect(text.split('\n').filter((line) => line.startsWith('  - {'))).toHaveLength(2);
    expect(text).toContain('other:\n  - id: c\n');
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(data)));
  });
});
