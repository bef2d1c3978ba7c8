import type { ServiceInput } from '../schema.js';

/** The Standard Webhooks scheme (standard-webhooks/standard-webhooks), shared by OpenAI, Anthropic and Replicate. */
const STANDARD_WEBHOOKS = {
  scheme: 'standard-webhooks',
  signatureHeader: 'webhook-signature',
  timestampHeader: 'webhook-timestamp',
  requiredHeaders: ['webhook-id'],
  algorithm: 'HMAC-SHA256 (Standard Webhooks), key = base64-decoded part after whsec_',
  signedContent: '"{webhook-id}.{webhook-timestamp}.{rawBody}"',
  encoding: 'base64',
  toleranceSeconds: 300,
  rejectFuture: true,
} satisfies Partial<NonNullable<ServiceInput['webhook']>>;

export const openai: ServiceInput = {
  id: 'openai',
  name: 'OpenAI',
  className: 'OpenAI',
  category: 'ai',
  kind: 'http-api',
  api: { baseUrl: 'https://api.openai.com/v1', confidence: 'verified' },
  auth: { scheme: 'bearer', description: 'Authorization: Bearer <API key>, optional OpenAI-Organization and OpenAI-Project', confidence: 'verified', secretEnvVar: 'OPENAI_API_KEY' },
  envVars: [
    { name: 'OPENAI_API_KEY', description: 'API key', secret: true },
    { name: 'OPENAI_WEBHOOK_SECRET', description: 'Webhook signing secret (whsec_…)', secret: true, use: 'webhook' },
    { name: 'OPENAI_ORG_ID', description: 'Organization id', secret: false, required: false },
    { name: 'OPENAI_PROJECT_ID', description: 'Project id', secret: false, required: false },
  ],
  webhook: {
    ...STANDARD_WEBHOOKS,
    secretEnvVar: 'OPENAI_WEBHOOK_SECRET',
    confidence: 'verified',
    eventType: { field: 'type' },
    deliveryId: { header: 'webhook-id' },
    events: ['response.completed', 'response.failed', 'batch.completed', 'fine_tuning.job.succeeded'],
    sampleBody: '{"id":"evt_1","object":"event","created_at":1700000000,"type":"response.completed","data":{"id":"resp_1"}}',
  },
  rateLimit: {
    signals: ['HTTP 429', 'x-ratelimit-{limit,remaining,reset}-{requests,tokens}', 'SDK honours x-should-retry, retry-after-ms, retry-after'],
    retryAfterHeader: true,
    confidence: 'doc-excerpt',
  },
  sdk: { package: 'openai', verifyFunction: 'client.webhooks.unwrap(payload, headers, secret, tolerance = 300)' },
  endpoints: [
    { method: 'POST', path: '/responses', description: 'Create a model response' },
    { method: 'POST', path: '/embeddings', description: 'Create embeddings' },
    { method: 'GET', path: '/models', description: 'List models' },
  ],
  capabilities: ['Generate responses', 'Create embeddings', 'Receive and verify Standard Webhooks events'],
  sources: ['openai/openai-node src/lib/webhook-signature.ts', 'openai/openai-node src/resources/webhooks/webhooks.ts'],
  unverified: ['Rate-limit header names are from a doc excerpt'],
};

export const anthropic: ServiceInput = {
  id: 'anthropic',
  name: 'Anthropic',
  className: 'Anthropic',
  category: 'ai',
  kind: 'http-api',
  api: { baseUrl: 'https://api.anthropic.com/v1', confidence: 'verified' },
  auth: {
    scheme: 'header',
    description: 'X-Api-Key: <API key> with anthropic-version: 2023-06-01',
    confidence: 'verified',
    headerName: 'x-api-key',
    secretEnvVar: 'ANTHROPIC_API_KEY',
    extraHeaders: { 'anthropic-version': '2023-06-01' },
  },
  envVars: [
    { name: 'ANTHROPIC_API_KEY', description: 'API key', secret: true },
    { name: 'ANTHROPIC_WEBHOOK_SIGNING_KEY', description: 'Webhook signing key (whsec_…), beta webhooks', secret: true, use: 'webhook' },
    { name: 'ANTHROPIC_BASE_URL', description: 'Override of the API base URL', secret: false, required: false },
  ],
  webhook: {
    ...STANDARD_WEBHOOKS,
    secretEnvVar: 'ANTHROPIC_WEBHOOK_SIGNING_KEY',
    confidence: 'verified',
    eventType: { field: 'type' },
    deliveryId: { header: 'webhook-id' },
    unprefixedSecret: 'base64',
    events: ['agent.created', 'deployment_run.failed'],
    sampleBody: '{"type":"agent.created","data":{"id":"agent_1","organization_id":"org_1","type":"agent.created","workspace_id":"ws_1"}}',
  },
  rateLimit: {
    signals: ['429 rate_limit_error + retry-after', 'anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset} (RFC 3339 reset)'],
    retryAfterHeader: true,
    confidence: 'doc-excerpt',
  },
  sdk: { package: '@anthropic-ai/sdk', verifyFunction: 'client.beta.webhooks.unwrap(body, { headers, key })' },
  endpoints: [
    { method: 'POST', path: '/messages', description: 'Create a message' },
    { method: 'POST', path: '/messages/count_tokens', description: 'Count tokens' },
    { method: 'GET', path: '/models', description: 'List models' },
  ],
  capabilities: ['Create messages', 'Count tokens', 'Receive and verify beta webhook events (Standard Webhooks)'],
  sources: ['anthropics/anthropic-sdk-typescript src/resources/beta/webhooks.ts, src/client.ts', 'standard-webhooks/standard-webhooks libraries/javascript/src/index.ts'],
  unverified: ['529 overloaded as a retryable status', 'Webhooks are beta; older SDKs have none'],
};

export const huggingFace: ServiceInput = {
  id: 'hugging-face',
  name: 'Hugging Face',
  className: 'HuggingFace',
  category: 'ai',
  kind: 'http-api',
  aliases: ['huggingface', 'hf'],
  api: { baseUrl: 'https://router.huggingface.co/v1', confidence: 'unverified' },
  auth: { scheme: 'bearer', description: 'Authorization: Bearer hf_… (user access token)', confidence: 'unverified', secretEnvVar: 'HF_TOKEN' },
  envVars: [{ name: 'HF_TOKEN', description: 'User access token (hf_…), fine-grained with inference permission', secret: true, confidence: 'unverified' }],
  rateLimit: { signals: ['HTTP 429 when the token or provider is rate limited'], retryAfterHeader: false, confidence: 'unverified' },
  sdk: { package: '@huggingface/inference' },
  endpoints: [
    { method: 'POST', path: '/chat/completions', description: 'Chat completion through Inference Providers (OpenAI-compatible)' },
    { method: 'GET', path: '/models', description: 'List the models the router serves' },
  ],
  capabilities: ['Chat completions through Inference Providers', 'List served models'],
  sources: [
    'https://huggingface.co/docs/hub/webhooks (excerpt: payload {event: {action, scope}, repo, …})',
    'hexdocs.pm huggingface_client Hub.WebhooksServer and hookdeck webhook-skills huggingface-webhooks (excerpts: the secret is sent as-is in X-Webhook-Secret, no HMAC)',
  ],
  unverified: [
    'Hugging Face is not in SERVICES.md: the router base URL https://router.huggingface.co/v1, its OpenAI-compatible paths and Bearer auth are from memory',
    'HF_TOKEN is the huggingface_hub convention; the JS SDK takes the token as an argument',
    'The Hub API (https://huggingface.co/api/…) is a different base URL, not covered by this client',
    'Rate-limit signalling',
    'No webhook handler is generated: Hub webhooks send the configured secret as-is in X-Webhook-Secret, with no signature over the body and no delivery id, which the webhook template cannot verify as it does the others. Compare that header with your secret in constant time if you add one',
  ],
};

export const replicate: ServiceInput = {
  id: 'replicate',
  name: 'Replicate',
  className: 'Replicate',
  category: 'ai',
  kind: 'http-api',
  api: { baseUrl: 'https://api.replicate.com/v1', confidence: 'unverified' },
  auth: { scheme: 'bearer', description: 'Authorization: Bearer <API token>', confidence: 'unverified', secretEnvVar: 'REPLICATE_API_TOKEN' },
  envVars: [
    { name: 'REPLICATE_API_TOKEN', description: 'API token', secret: true, confidence: 'unverified' },
    { name: 'REPLICATE_WEBHOOK_SIGNING_SECRET', description: 'Webhook signing secret (whsec_…, from GET /v1/webhooks/default/secret)', secret: true, use: 'webhook', confidence: 'doc-excerpt' },
  ],
  webhook: {
    ...STANDARD_WEBHOOKS,
    secretEnvVar: 'REPLICATE_WEBHOOK_SIGNING_SECRET',
    confidence: 'doc-excerpt',
    eventType: { field: 'status' },
    deliveryId: { header: 'webhook-id' },
    events: ['succeeded', 'failed', 'canceled', 'processing', 'starting'],
    sampleBody: '{"id":"ufawqhfynnddngldkgtslldrkq","model":"owner/model","version":"v1","status":"succeeded","input":{"prompt":"hi"},"output":["https://replicate.delivery/out.png"],"error":null}',
  },
  rateLimit: { signals: ['HTTP 429 with Retry-After (the JS client honours it: lib/util.js withAutomaticRetries)'], retryAfterHeader: true, confidence: 'doc-excerpt' },
  sdk: { package: 'replicate', verifyFunction: 'validateWebhook(request, secret) (no timestamp check in the SDK)' },
  endpoints: [
    { method: 'POST', path: '/predictions', description: 'Create a prediction (with webhook and webhook_events_filter)' },
    { method: 'GET', path: '/predictions/{id}', description: 'Get a prediction' },
    { method: 'GET', path: '/webhooks/default/secret', description: 'Get the webhook signing secret' },
  ],
  capabilities: ['Run models (predictions)', 'Receive and verify prediction webhooks (Standard Webhooks)'],
  sources: [
    'replicate/replicate-javascript lib/util.js (validateWebhook: "{id}.{timestamp}.{body}", key = base64 after the last _, HMAC-SHA256 base64, space-separated v1,<sig>; withAutomaticRetries reads Retry-After)',
    'replicate/replicate-javascript lib/webhooks.js (GET /webhooks/default/secret)',
    'https://replicate.com/docs/topics/webhooks/verify-webhook (excerpt: webhook-id, webhook-timestamp, webhook-signature; timestamp against replay)',
    'replicate/getting-started-nextjs app/api/webhooks/route.js (REPLICATE_WEBHOOK_SIGNING_SECRET)',
  ],
  unverified: [
    'Replicate is not in SERVICES.md: base URL https://api.replicate.com/v1, Bearer auth and REPLICATE_API_TOKEN are from memory',
    "The 300 s timestamp window: Replicate's docs advise checking the timestamp but its SDK's validateWebhook does not; the generated handler applies the Standard Webhooks window, so it is stricter than the SDK on old deliveries",
    'The event type is the prediction status (the body is the prediction object); the list of statuses',
  ],
};
