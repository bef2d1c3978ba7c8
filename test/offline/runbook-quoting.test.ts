import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireService } from '../../src/kinds/integration/catalog/catalog.js';
import { runbook } from '../../src/kinds/integration/templates/docs.js';
import { tempDir } from '../helpers/loop-harness.js';

describe("the runbook's debugging commands quote what came from input", () => {
  it('a custom API URL with shell syntax in it is one word to curl, and runs nothing', () => {
    const dir = tempDir('orchestrate-runbook-');
    const marker = path.join(dir, 'pwned');
    const url = `https://api.example.com/v1/$(touch${'${IFS}'}${marker})/it's`;
    const text = runbook(requireService('custom-api', url));
    const curl = text.split('\n').find((line) => line.startsWith('curl '))!;
    // The same line with curl swapped for printf: the shell hands over the URL as one word, unexpanded.
    const word = curl.replace(/^curl -sS -o \/dev\/null -w '%\{http_code\}\\n' /, '');
    const seen = execFileSync('bash', ['-c', `printf '%s\\n' ${word}`], { encoding: 'utf8' });
    expect(seen.trim().split('\n')).toHaveLength(1);
    expect(seen).toContain('$(touch');
    expect(existsSync(marker)).toBe(false);
  });
});
