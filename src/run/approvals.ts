import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { stagedPath } from '../staging/run-layout.js';
import type { ApprovalAnswer, ApprovalRequest } from '../engine/execution.js';
import type { LearningUpdate } from '../expertise/merge.js';
import type { ApprovalDecisionEvent, RunEvent } from '../schema/events.js';
import type { ReportApproval } from '../schema/report.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { claimAnswer, watchAnswer, type ClaimedReply } from './approval-answers.js';

/**
 * The reason an approval prompt's signal aborts with when the approval was answered in another
 * process (`orchestrate approve` / `reject`, the review page) while it was asking: stop asking.
 */
export class AnsweredElsewhere extends Error {
  constructor(readonly reply: ApprovalReply) {
    super(`${reply.decision === 'approved' ? 'Approved' : 'Rejected'} by ${reply.by}${reply.via ? ` (${reply.via})` : ''}${reply.message ? `: ${reply.message}` : ''}`);
    this.name = 'AnsweredElsewhere';
  }
}

/** What a person answers at an approval. */
export interface ApprovalReply {
  decision: 'approved' | 'rejected';
  /** Who answered; recorded in the journal, the report and the learning. */
  by: string;
  /** A note with an approval; the reason of a rejection. */
  message?: string;
  /** The shown plan as the person edited it; later tasks work from it. */
  plan?: string;
  /** Where it was answered. @default 'code' */
  via?: ApprovalDecisionEvent['via'];
}

/** What `runWorkflow({ onApproval })` is asked. */
export interface ApprovalPrompt {
  runId: string;
  /** The phase whose results are to be approved. */
  phase: string;
  name: string;
  message: string;
  /** The note or staged file shown, such as `notes/integration-plan.md`, and its text. */
  show?: { path: string; text: string };
  /**
   * Aborted when the run ends without an answer (Ctrl-C, timeout), or when the approval was
   * answered in another process (the reason is then an {@link AnsweredElsewhere}): stop asking.
   */
  signal: AbortSignal;
}

/**
 * Answers an approval in code. Return undefined when nobody can answer now: the run stops as
 * `awaiting-approval` and `orchestrate approve` / `reject` (or a resume with `approval`) goes on.
 *
 * @example
 * runWorkflow({ workflow: 'integrate', inputs, onApproval: async ({ show }) => ({ decision: 'approved', by: 'release-bot', message: `plan of ${show?.text.length} chars ok` }) });
 */
export type OnApproval = (prompt: ApprovalPrompt) => ApprovalReply | undefined | Promise<ApprovalReply | undefined>;

export interface ApprovalDeskArgs {
  runId: string;
  runDir: string;
  /** Decisions recorded in the journal by earlier sessions of the run, by phase: not asked again. */
  recorded: ReadonlyMap<string, ApprovalDecisionEvent>;
  /** The answer to the approval the run stopped at (`orchestrate approve` / `reject`). */
  answer?: ApprovalReply & { via: ApprovalDecisionEvent['via'] };
  /** Approve every approval without asking (`--yes`, `approve: auto`). */
  auto: boolean;
  onApproval?: OnApproval;
  emit: (event: RunEvent) => void;
  at: () => string;
  /** Called while a live answer is awaited (the manifest says `awaiting-approval`), and after. */
  waiting?: (waiting: boolean) => Promise<void>;
}

/**
 * The run's side of approvals: asks (a recorded decision, the given answer, auto, the caller's
 * `onApproval`, or nobody), records the request and the decision in the journal, and keeps the
 * decisions for the later tasks' context, the learnings and the report.
 */
export class ApprovalDesk {
  readonly decisions = new Map<string, ApprovalDecisionEvent>();
  private answer: ApprovalDeskArgs['answer'];

  constructor(private readonly args: ApprovalDeskArgs) {
    for (const [phase, decision] of args.recorded) this.decisions.set(phase, decision);
    this.answer = args.answer;
  }

  /** The scheduler's `approve`. */
  readonly ask = async (request: ApprovalRequest): Promise<ApprovalAnswer> => {
    const recorded = this.decisions.get(request.phase);
    if (recorded) {
      // Written again on resume: the run may have stopped between the journal and the file.
      await this.writeEditedPlan(request.show, recorded);
      return toAnswer(recorded);
    }
    const { emit, at, runId } = this.args;
    emit({ type: 'approval-request', runId, at: at(), phase: request.phase, message: request.message, ...(request.show ? { show: request.show } : {}) });
    let reply: ClaimedReply | undefined;
    if (this.answer) {
      // The first answer claimed wins: one given while an earlier process asked holds over this one.
      reply = (await claimAnswer(this.args.runDir, request.phase, this.answer)).reply;
      this.answer = undefined; // the answer is for the approval the run stopped at, not later ones
    } else if (this.args.auto) {
      reply = { decision: 'approved', by: 'auto', via: 'auto', message: 'approved without asking (--yes / approve: auto)' };
    } else if (this.args.onApproval) {
      const show = request.show ? await this.readShown(request.show) : undefined;
      await this.args.waiting?.(true);
      reply = await this.askLive(this.args.onApproval, request, show);
      if (request.signal.aborted) return { decision: 'wait' };
      await this.args.waiting?.(false);
    }
    if (!reply) return { decision: 'wait' };
    const event: ApprovalDecisionEvent = {
      type: 'approval-decision',
      runId,
      at: at(),
      phase: request.phase,
      decision: reply.decision,
      by: reply.by,
      via: reply.via,
      ...(reply.message?.trim() ? { message: reply.message.trim() } : {}),
      ...(reply.plan !== undefined ? { plan: reply.plan } : {}),
    };
    emit(event);
    this.decisions.set(request.phase, event);
    await this.writeEditedPlan(request.show, event);
    return toAnswer(event);
  };

  /**
   * Asks `onApproval` while watching for an answer another process claims (`orchestrate approve`,
   * the page). The first answer wins: one from elsewhere aborts the prompt (reason
   * {@link AnsweredElsewhere}), which is awaited so the terminal is left clean; one given here is
   * claimed, and if another process claimed first, that earlier answer holds.
   */
  private async askLive(onApproval: OnApproval, request: ApprovalRequest, show: { path: string; text: string } | undefined): Promise<ClaimedReply | undefined> {
    const { runId, runDir } = this.args;
    const asking = new AbortController();
    const stop = () => asking.abort(request.signal.reason);
    request.signal.addEventListener('abort', stop, { once: true });
    const watching = new AbortController();
    try {
      const elsewhere = watchAnswer(runDir, request.phase, watching.signal).then((reply) => reply && { from: 'elsewhere' as const, reply });
      const here = (async () => onApproval({ runId, phase: request.phase, name: request.name, message: request.message, ...(show ? { show } : {}), signal: asking.signal }))();
      const first = await Promise.race([elsewhere, here.then((reply) => ({ from: 'here' as const, reply }))]);
      if (first?.from === 'elsewhere') {
        asking.abort(new AnsweredElsewhere(first.reply));
        await here.catch(() => undefined); // the prompt closes on its abort
        return first.reply;
      }
      const given = first?.reply;
      if (!given || request.signal.aborted) return undefined;
      return (await claimAnswer(runDir, request.phase, { ...given, via: given.via ?? 'code' })).reply;
    } finally {
      watching.abort();
      request.signal.removeEventListener('abort', stop);
    }
  }

  /** What later tasks are told: each approval's note and edited plan, in a prompt section. */
  context(): string {
    const parts: string[] = [];
    for (const d of this.decisions.values()) {
      if (d.decision !== 'approved' || (!d.message && d.plan === undefined) || d.by === 'auto') continue;
      parts.push(`Phase ${d.phase} was approved by ${d.by}${d.message ? `, who wrote: ${d.message}` : '.'}`);
      if (d.plan !== undefined) parts.push(`They edited the plan before approving it; follow this version:\n${d.plan}`);
    }
    return parts.length ? `## What a person decided at the approvals\n${parts.join('\n')}` : '';
  }

  /** What the person wrote, as learnings with its author, so the next run starts from it. */
  learnings(): LearningUpdate[] {
    const out: LearningUpdate[] = [];
    for (const d of this.decisions.values()) {
      if (d.by === 'auto') continue;
      const insight = d.message ?? (d.plan !== undefined ? `${d.by} edited the plan of ${d.phase} before approving it` : undefined);
      if (!insight) continue;
      out.push({
        insight: d.decision === 'rejected' ? `Rejected at ${d.phase}: ${insight}` : insight,
        context: `${d.decision} by ${d.by} at the approval of ${d.phase}${d.plan !== undefined ? `; the plan as approved:\n${d.plan.slice(0, 2000)}` : ''}`,
        files_affected: [],
        agent: 'person',
        task: `${d.phase}-approval`,
        author: d.by,
      });
    }
    return out;
  }

  /** Who approved what and when, for the report. */
  report(): ReportApproval[] {
    return [...this.decisions.values()].map((d) => ({
      phase: d.phase,
      decision: d.decision,
      by: d.by,
      via: d.via,
      at: d.at,
      ...(d.message ? { message: d.message } : {}),
      ...(d.plan !== undefined ? { editedPlan: true } : {}),
    }));
  }

  private async readShown(show: string): Promise<{ path: string; text: string } | undefined> {
    const file = this.shownFile(show);
    if (!file) return undefined;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : { path: show, text };
  }

  /**
   * The plan a person edited and approved replaces the shown note (`notes/integration-plan.md`)
   * in the run folder, so what is reviewed and applied is the plan that was approved. The
   * journal's decision, written first, holds it too; an unchanged plan is not rewritten.
   */
  private async writeEditedPlan(show: string | undefined, decision: ApprovalDecisionEvent): Promise<void> {
    if (show === undefined || decision.plan === undefined || decision.decision !== 'approved') return;
    const file = this.shownFile(show);
    if (!file) return;
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current === decision.plan) return;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, decision.plan);
  }

  /** Where a shown path lives in the run folder: notes/ as they are, anything else among the staged files; undefined outside it. */
  private shownFile(show: string): string | undefined {
    const { runDir } = this.args;
    const file = show.startsWith('notes/') ? path.join(runDir, show) : stagedPath(runDir, show);
    return path.resolve(file).startsWith(path.resolve(runDir) + path.sep) ? file : undefined;
  }
}

function toAnswer(decision: ApprovalDecisionEvent): ApprovalAnswer {
  return decision.decision === 'approved' ? { decision: 'approved' } : { decision: 'rejected', reason: `${decision.message ?? 'no reason given'} (${decision.by})` };
}
