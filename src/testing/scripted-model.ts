import type { ContentBlock, Model, ModelRequest, ModelResponse, StopReason } from '../providers/model.js';
import { emptyUsage } from '../schema/usage.js';

/** One scripted answer: content blocks, or a function of the request that returns them. */
export type ScriptedTurn =
  | { content: ContentBlock[]; stopReason?: StopReason }
  | ((request: ModelRequest) => { content: ContentBlock[]; stopReason?: StopReason });

/**
 * A model that answers with one scripted turn per call, in order, per task when a script is
 * keyed by task id. Use it to test workflows without a network; `assertComplete()` fails when
 * a scripted turn was never used.
 *
 * @example
 * const model = new ScriptedModel({ research: [ScriptedModel.finish({ summary: 'done' })] });
 * await runWorkflow({ workflow: 'my-flow', modelInstance: model, cwd });
 * model.assertComplete();
 */
export class ScriptedModel implements Model {
  readonly specificationVersion = 'v1';
  readonly provider = 'scripted';
  readonly modelId = 'scripted';
  readonly requests: ModelRequest[] = [];
  private readonly scripts: Map<string, ScriptedTurn[]>;

  constructor(script: ScriptedTurn[] | Record<string, ScriptedTurn[]>) {
    this.scripts = new Map(Array.isArray(script) ? [['*', [...script]]] : Object.entries(script).map(([k, v]) => [k, [...v]]));
  }

  async generate(request: ModelRequest, options: { signal: AbortSignal }): Promise<ModelResponse> {
    options.signal.throwIfAborted();
    this.requests.push(request);
    const queue = this.scripts.get(request.context.task) ?? this.scripts.get('*');
    const turn = queue?.shift();
    if (!turn) throw new Error(`ScriptedModel: no scripted turn left for task "${request.context.task}"`);
    const { content, stopReason } = typeof turn === 'function' ? turn(request) : turn;
    return {
      content,
      stopReason: stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
      usage: { ...emptyUsage(), inputTokens: 10, outputTokens: 5 },
      model: 'scripted',
    };
  }

  /** Throws when any scripted turn was not used. */
  assertComplete(): void {
    const left = [...this.scripts].filter(([, turns]) => turns.length > 0).map(([task, turns]) => `${task}: ${turns.length}`);
    if (left.length) throw new Error(`ScriptedModel: unused scripted turns (${left.join(', ')})`);
  }

  /** A turn that calls one tool. */
  static call(name: string, input: unknown, id = `toolu_${name}_${Math.random().toString(36).slice(2, 8)}`): ScriptedTurn {
    return { content: [{ type: 'tool_use', id, name, input }] };
  }

  /** A turn that calls `finish` with a result. */
  static finish(result: unknown): ScriptedTurn {
    return ScriptedModel.call('finish', result);
  }
}
