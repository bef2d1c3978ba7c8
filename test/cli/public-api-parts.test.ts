import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import * as runs from '../../src/api/runs.js';
import { REPO_ROOT } from '../helpers/workspace.js';

describe('the public API parts the CLI loads alone (src/api/)', () => {
  it('index.ts re-exports every part whole, so a command importing a part still imports the public API', () => {
    const index = readFileSync(path.join(REPO_ROOT, 'src/index.ts'), 'utf8');
    const parts = readdirSync(path.join(REPO_ROOT, 'src/api')).filter((file) => file.endsWith('.ts'));
    expect(parts.length).toBeGreaterThan(0);
    for (const part of parts) expect(index).toContain(`export * from './api/${part.replace(/\.ts$/, '.js')}';`);
    for (const name of Object.keys(runs)) expect(api[name as keyof typeof api], name).toBe(runs[name as keyof typeof runs]);
  });
});
