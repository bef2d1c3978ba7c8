import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogServices, requireService } from '../../src/kinds/integration/catalog/catalog.js';
import type { ServiceEntry } from '../../src/kinds/integration/catalog/schema.js';
import { generatedCode } from '../../src/kinds/integration/templates/sources.js';
import { runGeneratedTests, type GeneratedTestRun } from '../../src/tools/run-tests.js';

/**
 * Every catalog service (and a custom API) generated into one scratch tree, each under its own
 * folder: one strict typecheck and one vitest run over all of them, to keep the suite fast.
 */
const services: ServiceEntry[] = [...catalogServices(), requireService('custom-api', 'https://api.acme-corp.io/v2')];

let run: GeneratedTestRun;
let source: string;

beforeAll(async () => {
  source = mkdtempSync(path.join(tmpdir(), 'orchestrate-generated-'));
  const files: string[] = [];
  for (const service of services) {
    for (const [file, content] of generatedCode(service)) {
      const repoPath = `${service.id}/${file}`;
      mkdirSync(path.dirname(path.join(source, repoPath)), { recursive: true });
      writeFileSync(path.join(source, repoPath), content);
      files.push(repoPath);
    }
  }
  run = await runGeneratedTests({ sourceDir: source, files, timeoutMs: 170_000 });
}, 180_000);

afterAll(() => rmSync(source, { recursive: true, force: true }));

describe('generated integrations, every catalog service', () => {
  it("typecheck under strict mode with no errors", () => {
    console.log(JSON.stringify({ passed: run.passed, failed: run.failed, skipped: run.skipped, ms: run.durationMs, tsc: run.typecheck.errors }));
    expect(run.typecheck.output).toBe('');
    expect(run.typecheck.ok).toBe(true);
  });

  it('their generated tests run and all pass', () => {
    expect(run.notRun).toBeUndefined();
    expect(run.failures).toEqual([]);
    expect(run.ran).toBe(true);
    expect(run.failed).toBe(0);
    // At least the client or connection suite, plus webhook and OAuth suites where there are some.
    const minimum = services.reduce((n, s) => n + (s.kind === 'http-api' ? 10 : 4) + (s.webhook ? 6 : 0) + (s.oauth2 ? 6 : 0), 0);
    expect(run.passed).toBeGreaterThanOrEqual(minimum);
  });
});
