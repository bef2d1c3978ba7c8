import { existsSync, readFileSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ModelBehaviorError, OrchestrateError, TaskError, UserError } from '../errors.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import type { Model, ModelRequest, ModelResponse, RetryNotice } from './model.js';

/** Returns the value with secrets cut out (the run's redactor). */
type Redact = <T>(value: T) => T;

/** `<dir>/recording.json`: what made the recording. */
export const RecordingInfo = z.object({ schemaVersion: z.literal(1), provider: z.string() });
export type RecordingInfo = z.infer<typeof RecordingInfo>;

/** How a recorded request failed, after the provider's own retries: replayed as the same error. */
export const RecordedFailure = z.object({
  kind: z.enum(['user', 'task', 'model-behavior']),
  code: z.string(),
  message: z.string(),
});
export type RecordedFailure = z.infer<typeof RecordedFailure>;

/**
 * `<dir>/<task>/<sequence>.json`: one model exchange. The request is the provider-neutral one;
 * it holds either the response or the error the request failed with, and the retries before it.
 */
export const RecordedExchange = z.object({
  schemaVersion: z.literal(1),
  task: z.string(),
  agent: z.string(),
  sequence: z.number().int().positive(),
  request: z.object({
    model: z.string(),
    system: z.array(z.string()),
    messages: z.array(z.unknown()),
    tools: z.array(z.unknown()),
    maxTokens: z.number().int(),
  }),
  response: z
    .object({
      content: z.array(z.unknown()),
      raw: z.array(z.unknown()).optional(),
      stopReason: z.string(),
      usage: z.record(z.string(), z.number()),
      model: z.string(),
    })
    .optional(),
  error: RecordedFailure.optional(),
  retries: z.array(z.object({ attempt: z.number(), status: z.number(), delayMs: z.number(), code: z.string(), reason: z.string() })).optional(),
});
export type RecordedExchange = z.infer<typeof RecordedExchange>;

/** Exchanges are numbered per task, so parallel tasks record and replay the same whatever the timing. */
class Sequences {
  private readonly next = new Map<string, number>();
  take(task: string): number {
    const n = (this.next.get(task) ?? 0) + 1;
    this.next.set(task, n);
    return n;
  }
}

function exchangeFile(dir: string, task: string, sequence: number): string {
  return path.join(dir, task.replace(/[^A-Za-z0-9._-]/g, '_'), `${String(sequence).padStart(4, '0')}.json`);
}

function recordedRequest(model: string, request: ModelRequest): RecordedExchange['request'] {
  // A JSON round trip, so what is compared is exactly what a file holds.
  return JSON.parse(JSON.stringify({ model, system: request.system, messages: request.messages, tools: request.tools, maxTokens: request.maxTokens }));
}

/**
 * Saves every exchange of a run under `dir` (`--record <dir>`). Wraps any model; answers are the
 * wrapped model's. Refuses a directory that already holds a recording, so nothing is mixed.
 */
export class Recorder {
  private readonly sequences = new Sequences();
  private started: Promise<void> | undefined;
  private constructor(
    readonly dir: string,
    private readonly provider: string,
    private readonly redact: Redact,
  ) {}

  /**
   * Checks the directory now; writes nothing until the first exchange, so bad input leaves no
   * trace. `redact` cleans each exchange before it is written (the run's redactor).
   */
  static async create(dir: string, provider: string, redact: Redact = (value) => value): Promise<Recorder> {
    if (existsSync(path.join(dir, 'recording.json'))) {
      throw new UserError('RECORDING_EXISTS', `${dir} already holds a recording; remove it or record into another directory`);
    }
    const info = await stat(dir).catch(() => undefined);
    if (info && !info.isDirectory()) throw new UserError('BAD_RECORDING_DIR', `--record ${dir} is a file; give a directory (new, or empty) to record into`);
    return new Recorder(dir, provider, redact);
  }

  private start(): Promise<void> {
    this.started ??= mkdir(this.dir, { recursive: true }).then(() =>
      writeFileAtomic(path.join(this.dir, 'recording.json'), `${JSON.stringify({ schemaVersion: 1, provider: this.provider } satisfies RecordingInfo, null, 2)}\n`),
    );
    return this.started;
  }

  wrap(model: Model): Model {
    const recorder = this;
    return {
      specificationVersion: 'v1',
      provider: model.provider,
      modelId: model.modelId,
      async generate(request, options) {
        const sequence = recorder.sequences.take(request.context.task);
        const retries: RetryNotice[] = [];
        const onRetry = (notice: RetryNotice) => {
          retries.push(notice);
          options.onRetry?.(notice);
        };
        const save = async (outcome: Pick<RecordedExchange, 'response' | 'error'>) => {
          await recorder.start();
          const exchange: RecordedExchange = recorder.redact({
            schemaVersion: 1,
            task: request.context.task,
            agent: request.context.agent,
            sequence,
            request: recordedRequest(model.modelId, request),
            ...outcome,
            ...(retries.length ? { retries } : {}),
          });
          await writeFileAtomic(exchangeFile(recorder.dir, request.context.task, sequence), `${JSON.stringify(exchange, null, 2)}\n`);
        };
        let response: ModelResponse;
        try {
          response = await model.generate(request, { ...options, onRetry });
        } catch (error) {
          // A failed exchange is recorded too, so --replay fails the same way; a cancelled one is not an answer.
          const failed = recordedFailure(error);
          if (failed && !options.signal.aborted) await save({ error: failed });
          throw error;
        }
        await save({ response: JSON.parse(JSON.stringify(response)) as RecordedExchange['response'] });
        return response;
      },
    };
  }
}

/**
 * Answers from a recording (`--replay <dir>`): no network, the same answers in the same order per
 * task, and a loud failure naming the first difference when a request is not the recorded one.
 */
export class Replayer {
  private readonly sequences = new Sequences();
  private constructor(
    readonly dir: string,
    readonly info: RecordingInfo,
    private readonly redact: Redact,
  ) {}

  /** `redact` is applied to each request before it is compared, as it was before it was recorded. */
  static open(dir: string, redact: Redact = (value) => value): Replayer {
    const file = path.join(dir, 'recording.json');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new UserError('NO_RECORDING', `no recording at ${dir} (${file} is missing or not JSON); make one with --record ${dir}`);
    }
    const info = RecordingInfo.safeParse(raw);
    if (!info.success) throw new UserError('BAD_RECORDING', `${file} is not a recording this version of orchestrate reads (schemaVersion 1); record again`);
    return new Replayer(dir, info.data, redact);
  }

  /** A model answering from the recording; `expectedModel` is the model id the request must name, when known. */
  model(expectedModel: string | undefined): Model {
    const replayer = this;
    return {
      specificationVersion: 'v1',
      provider: 'replay',
      modelId: expectedModel ?? 'replay',
      async generate(request, options) {
        options.signal.throwIfAborted();
        const { task } = request.context;
        const sequence = replayer.sequences.take(task);
        const file = exchangeFile(replayer.dir, task, sequence);
        if (!existsSync(file)) {
          throw new UserError('REPLAY_MISMATCH', `task "${task}" asked the model a question #${sequence} that the recording in ${replayer.dir} does not hold; record again`);
        }
        const parsed = RecordedExchange.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        if (!parsed.success) throw new UserError('BAD_RECORDING', `${file} is not a recorded exchange; record again`);
        const recorded = parsed.data;
        const actual = replayer.redact(recordedRequest(expectedModel ?? recorded.request.model, request));
        const difference = firstDifference(recorded.request, actual, 'request');
        if (difference) {
          throw new UserError('REPLAY_MISMATCH', `task "${task}" request #${sequence} differs from the recording at ${difference}; record again with --record`);
        }
        for (const retry of recorded.retries ?? []) options.onRetry?.(retry);
        if (recorded.error) throw replayedFailure(recorded.error);
        if (!recorded.response) throw new UserError('BAD_RECORDING', `${file} holds neither a response nor an error; record again`);
        return recorded.response as ModelResponse;
      },
    };
  }
}

function recordedFailure(error: unknown): RecordedFailure | undefined {
  if (!(error instanceof OrchestrateError)) return undefined;
  const kind = error instanceof UserError ? 'user' : error instanceof ModelBehaviorError ? 'model-behavior' : 'task';
  return { kind, code: error.code, message: error.message };
}

function replayedFailure(failure: RecordedFailure): OrchestrateError {
  if (failure.kind === 'user') return new UserError(failure.code, failure.message);
  if (failure.kind === 'model-behavior') return new ModelBehaviorError(failure.code, failure.message);
  return new TaskError(failure.code, failure.message);
}

/** The path of the first place two JSON values differ, with both values shortened; undefined when equal. */
export function firstDifference(expected: unknown, actual: unknown, at: string): string | undefined {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length) return `${at}[${i}] (not in the recording)`;
      if (i >= actual.length) return `${at}[${i}] (recorded, not asked)`;
      const found = firstDifference(expected[i], actual[i], `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const key of keys) {
      const found = firstDifference((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${at}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  if (expected === actual) return undefined;
  return `${at} (recorded ${short(expected)}, now ${short(actual)})`;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
