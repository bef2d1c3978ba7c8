import type { HttpOperationsInput } from '../schema.js';

/**
 * Operations of the AI APIs. Paths, fields and error shapes are from the services' public API
 * references as known, not checked here: UNVERIFIED. Generating a response or an embedding twice
 * costs tokens but changes nothing else, so those are retried like reads.
 */

const models = { data: 'object[]!' };

export const openaiOperations: HttpOperationsInput = {
  healthCheck: 'listModels',
  errors: { code: 'error.code', message: 'error.message' },
  operations: [
    {
      name: 'createResponse',
      method: 'POST',
      path: '/responses',
      description: 'Create a model response',
      request: { model: 'string!', input: 'string!', instructions: 'string', max_output_tokens: 'integer' },
      response: { id: 'string!', status: 'string', output: 'object[]!' },
      example: { model: 'gpt-4.1-mini', input: 'Summarise this support ticket in one sentence: ...' },
      exampleResponse: { id: 'resp_123', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: 'The customer cannot log in.' }] }] },
      sideEffect: false,
    },
    {
      name: 'createEmbedding',
      method: 'POST',
      path: '/embeddings',
      description: 'Create embeddings',
      request: { model: 'string!', input: 'string!' },
      response: { data: 'object[]!' },
      example: { model: 'text-embedding-3-small', input: 'The food was delicious.' },
      exampleResponse: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.0023, -0.0093] }] },
      sideEffect: false,
    },
    {
      name: 'listModels',
      method: 'GET',
      path: '/models',
      description: 'List models (the health check)',
      response: models,
      exampleResponse: { object: 'list', data: [{ id: 'gpt-4.1-mini', object: 'model' }] },
    },
  ],
};

export const anthropicOperations: HttpOperationsInput = {
  healthCheck: 'listModels',
  errors: { code: 'error.type', message: 'error.message' },
  operations: [
    {
      name: 'createMessage',
      method: 'POST',
      path: '/messages',
      description: 'Create a message',
      request: { model: 'string!', max_tokens: 'integer!', messages: 'object[]!', system: 'string' },
      response: { id: 'string!', content: 'object[]!', stop_reason: 'string' },
      example: { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Summarise this support ticket in one sentence: ...' }] },
      exampleResponse: { id: 'msg_01', type: 'message', content: [{ type: 'text', text: 'The customer cannot log in.' }], stop_reason: 'end_turn' },
      sideEffect: false,
    },
    {
      name: 'countTokens',
      method: 'POST',
      path: '/messages/count_tokens',
      description: 'Count the tokens of a message',
      request: { model: 'string!', messages: 'object[]!', system: 'string' },
      response: { input_tokens: 'integer!' },
      example: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello, Claude' }] },
      exampleResponse: { input_tokens: 10 },
      sideEffect: false,
    },
    {
      name: 'listModels',
      method: 'GET',
      path: '/models',
      description: 'List models (the health check)',
      request: { limit: 'integer' },
      response: models,
      exampleResponse: { data: [{ id: 'claude-sonnet-4-5', type: 'model' }] },
    },
  ],
};

export const huggingFaceOperations: HttpOperationsInput = {
  healthCheck: 'listModels',
  errors: { message: 'error' },
  operations: [
    {
      name: 'createChatCompletion',
      method: 'POST',
      path: '/chat/completions',
      description: 'Chat completion through Inference Providers (OpenAI-compatible)',
      request: { model: 'string!', messages: 'object[]!', max_tokens: 'integer' },
      response: { choices: 'object[]!' },
      example: { model: 'meta-llama/Llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 64 },
      exampleResponse: { id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' } }] },
      sideEffect: false,
    },
    {
      name: 'listModels',
      method: 'GET',
      path: '/models',
      description: 'List the models the router serves (the health check)',
      response: models,
      exampleResponse: { object: 'list', data: [{ id: 'meta-llama/Llama-3.1-8B-Instruct' }] },
    },
    {
      name: 'getModel',
      method: 'GET',
      path: '/models/{model}',
      description: 'Get one model the router serves',
      request: { model: 'string!' },
      response: { id: 'string!' },
      example: { model: 'meta-llama/Llama-3.1-8B-Instruct' },
      exampleResponse: { id: 'meta-llama/Llama-3.1-8B-Instruct' },
    },
  ],
};

const prediction = { id: 'string!', status: 'string!', urls: 'object' };

export const replicateOperations: HttpOperationsInput = {
  healthCheck: 'getAccount',
  errors: { message: 'detail' },
  operations: [
    {
      name: 'createPrediction',
      method: 'POST',
      path: '/predictions',
      description: 'Start a prediction (billed; not retried after a timeout or 5xx)',
      request: { version: 'string!', input: 'object!', webhook: 'string', webhook_events_filter: 'string[]' },
      response: prediction,
      example: { version: '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa', input: { text: 'Alice' } },
      exampleResponse: { id: 'gm3qorzdhgbfurvjtvhg6dckhu', status: 'starting', urls: {} },
    },
    {
      name: 'getPrediction',
      method: 'GET',
      path: '/predictions/{id}',
      description: 'Get a prediction',
      request: { id: 'string!' },
      response: prediction,
      example: { id: 'gm3qorzdhgbfurvjtvhg6dckhu' },
      exampleResponse: { id: 'gm3qorzdhgbfurvjtvhg6dckhu', status: 'succeeded', urls: {} },
    },
    {
      name: 'cancelPrediction',
      method: 'POST',
      path: '/predictions/{id}/cancel',
      description: 'Cancel a prediction',
      request: { id: 'string!' },
      response: prediction,
      example: { id: 'gm3qorzdhgbfurvjtvhg6dckhu' },
      exampleResponse: { id: 'gm3qorzdhgbfurvjtvhg6dckhu', status: 'canceled', urls: {} },
      sideEffect: false,
    },
    {
      name: 'getAccount',
      method: 'GET',
      path: '/account',
      description: 'Get the account (the health check)',
      response: { username: 'string!' },
      exampleResponse: { type: 'user', username: 'acme' },
    },
  ],
};
