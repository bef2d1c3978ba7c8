import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { AnsweredElsewhere, type ApprovalPrompt, type ApprovalReply, type OnApproval } from '../index.js';
import type { CliIO } from './io.js';

/** Who answers an approval: `--by`, else ORCHESTRATE_USER, else the login name. */
export function approver(by: string | undefined, env: CliIO['env']): string {
  if (by?.trim()) return by.trim();
  if (env.ORCHESTRATE_USER?.trim()) return env.ORCHESTRATE_USER.trim();
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Asks an approval on the terminal: the plan is shown, then approve, reject with a reason, or
 * edit the plan in $VISUAL / $EDITOR and approve. `pause` and `resume` stop the live tree from
 * drawing over the question. Ctrl-C during the question interrupts the run as anywhere else.
 */
export function terminalApproval(io: CliIO, hooks: { pause(): void; resume(): void }): OnApproval {
  return async (prompt) => {
    hooks.pause();
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    rl.on('SIGINT', () => process.emit('SIGINT'));
    try {
      return await ask(prompt, io, (question) => rl.question(question, { signal: prompt.signal }));
    } catch (error) {
      // Answered in another process (orchestrate approve / reject, the page): say so and stop asking.
      if (prompt.signal.reason instanceof AnsweredElsewhere || (prompt.signal.reason as Error | undefined)?.name === 'AnsweredElsewhere') {
        io.out('');
        io.out(`${(prompt.signal.reason as Error).message} (answered elsewhere; this question is closed)`);
        return undefined;
      }
      throw error;
    } finally {
      rl.close();
      hooks.resume();
    }
  };
}

async function ask(prompt: ApprovalPrompt, io: CliIO, question: (text: string) => Promise<string>): Promise<ApprovalReply> {
  const by = approver(undefined, io.env);
  io.out('');
  io.out(`── Approval: ${prompt.name} (run ${prompt.runId}) ──`);
  if (prompt.show) {
    io.out(`${prompt.show.path}:`);
    io.out(prompt.show.text.trimEnd());
    io.out('');
  }
  io.out(prompt.message);
  for (;;) {
    const choice = (await question(`[a]pprove, [r]eject${prompt.show ? ', [e]dit the plan then approve' : ''}: `)).trim().toLowerCase();
    if (choice === 'a' || choice === 'approve' || choice === 'y' || choice === 'yes') {
      const note = (await question('A note for the next tasks (Enter for none): ')).trim();
      return { decision: 'approved', by, via: 'terminal', ...(note ? { message: note } : {}) };
    }
    if (choice === 'r' || choice === 'reject' || choice === 'n' || choice === 'no') {
      let reason = '';
      while (!reason) reason = (await question('Why? (recorded, and learned for the next run): ')).trim();
      return { decision: 'rejected', by, via: 'terminal', message: reason };
    }
    if ((choice === 'e' || choice === 'edit') && prompt.show) {
      const edited = editInEditor(prompt.show.text, path.basename(prompt.show.path), io.env);
      if (edited === undefined) {
        io.out('The editor failed; nothing was changed. Choose again.');
        continue;
      }
      const note = (await question('A note for the next tasks (Enter for none): ')).trim();
      return { decision: 'approved', by, via: 'terminal', ...(note ? { message: note } : {}), ...(edited !== prompt.show.text ? { plan: edited } : {}) };
    }
    io.out(`"${choice}" is not an answer: type a, r${prompt.show ? ' or e' : ''}.`);
  }
}

/** Opens the text in the user's editor (through the shell, so `code --wait` works); undefined when it fails. */
function editInEditor(text: string, name: string, env: CliIO['env']): string | undefined {
  const editor = env.VISUAL || env.EDITOR || 'vi';
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-approval-'));
  const file = path.join(dir, name);
  try {
    writeFileSync(file, text);
    const result = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit', env: { ...env } as NodeJS.ProcessEnv });
    if (result.status !== 0) return undefined;
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
