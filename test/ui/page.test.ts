import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { describeNeeding, CHROMIUM_PATH } from '../helpers/needs.js';
import { BIN } from '../helpers/workspace.js';
import { approvalRepo, askingEnv, onlyRun } from '../approvals/approval-fixture.js';

/** `orchestrate ui` as a real child process; resolves with the URL it prints. */
function startUi(cwd: string, args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'ui', ...args], { cwd, env: askingEnv({ ORCHESTRATE_USER: 'erin' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out)?.[0];
      if (url) resolve({ child, url });
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`orchestrate ui exited ${code}: ${err}`)));
  });
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describeNeeding(['chromium'], 'orchestrate ui in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let ui: { child: ChildProcess; url: string };
  let cwd: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    ui?.child.kill('SIGINT');
  });

  it('a run started in a terminal appears and moves; approve it on the page, open a diff, apply it', async () => {
    cwd = approvalRepo();
    ui = await startUi(cwd);
    await page.goto(ui.url);
    await page.getByTestId('live').filter({ hasText: 'live' }).waitFor();
    await seen(page.getByTestId('runs'), 'No runs yet');

    // A run started elsewhere (no terminal: it stops at the approval) shows up and moves on the page.
    const run = spawnSync(process.execPath, [BIN, 'integrate', 'twilio', '--quiet'], { cwd, env: askingEnv(), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const { runId } = onlyRun(cwd);
    await page.locator(`[data-run="${runId}"][data-status="awaiting-approval"]`).click();
    const approval = page.getByTestId('approval');
    await seen(approval, 'Waiting for approval: research-planning');
    await seen(approval, 'notes/integration-plan.md');
    await counted(page.locator('[data-task="plan"][data-status="done"]'), 1);
    await shot(page, 'ui-approval.png');

    await page.getByTestId('approval-message').fill('Looks right; keep the client small');
    await page.getByTestId('approve').click();
    // The run goes on in the ui process; the page follows it over server-sent events to the end.
    await page.locator('[data-testid="status"]', { hasText: 'complete' }).waitFor({ timeout: 60_000 });
    await counted(page.locator('.gantt .row[data-status="done"]'), 8);
    await seen(page.getByTestId('approvals'), 'research-planning: approved by erin (page)');
    await seen(page.getByTestId('expertise'), 'learning-added: Looks right; keep the client small');

    // The person has since made a file at a path the run stages: the diff is still against the run's base, where it is new.
    const mine = path.join(cwd, 'src/integrations/clients/TwilioClient.ts');
    mkdirSync(path.dirname(mine), { recursive: true });
    writeFileSync(mine, 'export const personsOwnLine = 1;\n');
    await page.locator('[data-testid="files"] li[data-path="src/integrations/clients/TwilioClient.ts"]').click();
    const diff = page.getByTestId('diff');
    await seen(diff, '+++ b/src/integrations/clients/TwilioClient.ts');
    await diff.locator('.add').first().waitFor();
    expect(await diff.textContent()).toContain('--- /dev/null');
    expect(await diff.textContent()).not.toContain('personsOwnLine');
    await shot(page, 'ui-run.png');
    rmSync(mine);

    await page.getByTestId('apply').click();
    await seen(page.getByTestId('message'), 'Applied');
    expect(await page.getByTestId('message').textContent()).toMatch(/^Applied: commit [0-9a-f]{12} on integration\/twilio/);
    await seen(page.getByTestId('applied'), 'integration/twilio');
    expect(git(cwd, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('integration/twilio');
    expect(git(cwd, 'log', '-1', '--format=%B')).toContain(`Orchestrate-Run: ${runId}`);
    expect(git(cwd, 'ls-files')).toContain('src/integrations/clients/TwilioClient.ts');
  }, 120_000);

  it('bad input: a request without the token is refused (403); a port in use is one line, exit 2', async () => {
    const { origin } = new URL(ui.url);
    const elsewhere = approvalRepo();
    for (const url of [`${origin}/`, `${origin}/api/runs`, `${origin}/api/runs?token=wrong`]) {
      expect((await fetch(url)).status, url).toBe(403);
    }
    // A post carrying the token only in the URL (as a form on another site could) is refused too.
    const token = new URL(ui.url).searchParams.get('token')!;
    expect((await fetch(`${origin}/api/runs/last/discard?token=${token}`, { method: 'POST' })).status).toBe(403);
    const taken = spawnSync(process.execPath, [BIN, 'ui', '--port', new URL(ui.url).port], { cwd: elsewhere, env: askingEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(taken.status, `${taken.signal} ${taken.error} ${taken.stderr}`).toBe(2);
    expect(taken.stderr.trim().split('\n')).toHaveLength(1);
    expect(taken.stderr).toMatch(/port \d+ on 127\.0\.0\.1 is in use; choose another with --port/);
  });
});

/** Waits until the locator shows the text (Playwright's own auto-waiting; no sleeping). */
async function seen(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
}

/** Waits until the locator matches exactly `n` elements. */
async function counted(locator: Locator, n: number): Promise<void> {
  await locator.nth(n - 1).waitFor();
  expect(await locator.count()).toBe(n);
}

/** Screenshots for the README, only when asked: ORCHESTRATE_SCREENSHOTS=<dir>. */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.ORCHESTRATE_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, name), fullPage: false });
}
