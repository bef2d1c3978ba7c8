/** Test helpers, published as `orchestrate/testing`. */
export { ScriptedModel, type ScriptedTurn } from './scripted-model.js';
export {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
  type FakeAnthropicServerOptions,
  type FakeReply,
  type FakeRequest,
  type FakeResponder,
  type FakeExchange,
  type ApiContentBlock,
  type ApiMessagesBody,
} from './fake-anthropic-server.js';
export { ScriptedExecutor, type ScriptedAttempt } from './scripted-executor.js';
export { modelResponder, toModelRequest, type ModelResponderOptions } from './model-responder.js';
export type { FakeUsage } from './fake-cache.js';
export { webSearchBlocks, type FakeSearchResult } from './fake-research.js';
