import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { describeNeeding, CHROMIUM_PATH } from '../helpers/needs.js';
import { BIN } from '../helpers/workspace.js';
import { approvalRepo, askingEnv, onlyRun } from '../approvals/approval-fixture.js';

/**
 * `orchestrate ui` as a real child process; resolves with the URL it prints (on `host`) once its
 * standard error matches `stderr` too, when given.
 */
function startUi(cwd: string, args: string[] = [], host = '127.0.0.1', stderr?: RegExp): Promise<{ child: ChildProcess; url: string; err: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'ui', ...args], { cwd, env: askingEnv({ ORCHESTRATE_USER: 'erin' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const check = () => {
      const url = new RegExp(`http://${host.replace(/\./g, '\\.')}:\\d+/\\?token=\\S+`).exec(out)?.[0];
      if (url && (!stderr || stderr.test(err))) resolve({ child, url, err: () => err });
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      check();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      check();
    });
    child.on('exit', (code) => reject(new Error(`orchestrate ui exited ${code}: ${out} ${err}`)));
  });
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
const OUTSIDE = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describeNeeding(['chromium'], 'orchestrate ui in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let ui: { child: ChildProcess; url: string; err: () => string };
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
    expect(run.status, run.stderr).toBe(3); // waiting for an approval, as orchestrate approve/reject expect
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
    await counted(page.locator('.gantt .row[data-status="done"]'), 9); // the integrate workflow's nine tasks
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

  // Without a non-loopback address there is nothing to bind "elsewhere"; the default's check above still runs.
  it.skipIf(!OUTSIDE)('--host binds another address only when asked, with a warning, and still needs the token; by default only 127.0.0.1 answers', async () => {
    // The default launch (the first test's) listens on 127.0.0.1 only: the same port on the machine's other address refuses.
    expect(ui.err()).not.toContain('warning');
    await expect(fetch(`http://${OUTSIDE}:${new URL(ui.url).port}/`)).rejects.toThrow();

    const remote = await startUi(approvalRepo(), ['--host', OUTSIDE!], OUTSIDE, /warning/);
    try {
      expect(remote.err()).toContain(`orchestrate ui: warning: listening on ${OUTSIDE}, so other machines can reach the page; anyone who has its URL (the token) can approve, apply and discard runs`);
      const { origin } = new URL(remote.url);
      expect((await fetch(`${origin}/api/runs`)).status).toBe(403);
      await page.goto(remote.url);
      await seen(page.getByTestId('runs'), 'No runs yet');
      // Asked for one address, it listens on that one only: 127.0.0.1 on the same port refuses.
      await expect(fetch(`http://127.0.0.1:${new URL(remote.url).port}/`)).rejects.toThrow();
    } finally {
      remote.child.kill('SIGINT');
    }
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
