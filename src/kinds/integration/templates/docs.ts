import type { ServiceEntry } from '../catalog/schema.js';
import { envPrefix } from './client.js';
import { hasSideEffect } from './client-operations.js';

/** `docs/integrations/<service>.md`. */
export function setupGuide(service: ServiceEntry, testing: string, review: string): string {
  const hook = service.webhook;
  return `# ${service.name} integration

## Setup
1. Create credentials in the ${service.name} console.
2. Set ${service.envVars.map((v) => `\`${v.name}\``).join(', ')} in your environment (see \`.env.example\`).
3. Install the runtime dependencies of the generated code: \`npm install zod${service.kind === 'http-api' ? '' : ` ${service.sdk.package}`}\`.

## Configuration
| variable | purpose |
|---|---|
${service.envVars.map((v) => `| \`${v.name}\` | ${v.description} |`).join('\n')}

${service.kind === 'http-api' ? clientApi(service) : connectionApi(service)}

## Webhook events
${hook ? `Verified with ${hook.algorithm} (\`${hook.signatureHeader}\`) over the raw body; duplicates are acknowledged and not processed again.\n\n${hook.events.map((e) => `- \`${e}\``).join('\n')}` : 'None generated (see the Unknowns in notes/research.md).'}

## Status at generation
- Tests: ${testing}
- Security review: ${review}

## Troubleshooting
- 401 from the API: check the credentials; the client never logs them.
- 401 from the webhook handler: the URL the handler sees must equal the URL ${service.name} called (proxies change scheme and host).
- Repeated CIRCUIT_OPEN errors: ${service.name} is failing; see the runbook.
`;
}

function clientApi(service: ServiceEntry): string {
  const http = service.http!;
  const first = http.operations[0]!;
  const idem = http.idempotency;
  return `## Client API
\`\`\`ts
import { ${service.className}Client } from './src/integrations/clients/${service.className}Client.js';

const client = new ${service.className}Client(); // reads credentials from the environment
const result = await client.${first.name}(${JSON.stringify(first.example)});
const health = await client.healthCheck(); // { ok: true, latencyMs } or { ok: false, code, status }
\`\`\`

| method | call | what it does |
|---|---|---|
${http.operations.map((op) => `| \`${op.name}\` | ${op.method} \`${op.path}\`${op.graphql ? ' (GraphQL)' : ''} | ${op.description}${op.confidence === 'unverified' ? ' (UNVERIFIED)' : ''} |`).join('\n')}

Options: \`{ baseUrl, fetch, logger, metrics, timeoutMs, maxAttempts, requestsPerSecond, ... }\`; the base
URL can also be set with \`${envPrefix(service)}_API_BASE_URL\` (tests, sandboxes). Requests time out after
10 s and stop after 5 consecutive failures until the circuit resets. Reads are retried on timeouts,
network errors, 429 and 5xx with exponential backoff and jitter. ${idem ? `Requests with a side effect carry ${'header' in idem ? `the \`${idem.header}\` header` : `the \`${idem.bodyField}\` field`}, the same on every attempt, so a retry never does the work twice.` : `${service.name} has no idempotency key, so a request with a side effect (${http.operations.filter((op) => hasSideEffect(op)).map((op) => `\`${op.name}\``).join(', ') || 'none here'}) is retried only when ${service.name} says it was not done (429, or 503 with Retry-After), never after a timeout or a 5xx.`}
Rate limits: ${service.rateLimit.signals.join('; ')}${service.rateLimit.requestsPerSecond ? `; a client-side token bucket keeps calls under ${service.rateLimit.requestsPerSecond} per second` : ''}.`;
}

function connectionApi(service: ServiceEntry): string {
  return `## Connection API
\`src/integrations/connections/${service.className}Connection.ts\` builds the ${service.sdk.package} client from the
environment (\`...ConfigFromEnv()\`), connects with retry and backoff (\`connect...()\`), and offers a
health check (\`...Health()\`) that reports failures without credentials. Capabilities:
${service.capabilities.map((c) => `- ${c}`).join('\n')}`;
}

/** `docs/runbooks/integration-<service>.md`. */
export function runbook(service: ServiceEntry): string {
  return `# Runbook: ${service.name} integration

## Common issues
| symptom | likely cause | action |
|---|---|---|
| HTTP 401/403 from ${service.name} | rotated or wrong credentials | check ${service.envVars.map((v) => `\`${v.name}\``).join(', ')} in the secret store |
| HTTP 429 | rate limit (${service.rateLimit.signals.join('; ')}) | the client backs off; reduce concurrency if persistent |
| webhook 401s | signature mismatch: wrong secret or URL rewritten by a proxy | compare the configured webhook URL with what the handler sees |
| CIRCUIT_OPEN | ${service.name} failing repeatedly | check ${service.name}'s status page; the circuit retries after the reset timeout |

## Debugging commands
\`\`\`sh
# Is the API reachable from this host?
curl -sS -o /dev/null -w '%{http_code}\\n' ${service.api.baseUrl}
# Recent webhook deliveries (PostgreSQL)
psql "$DATABASE_URL" -c "select delivery_id, event_type, state, received_at from webhook_deliveries where service = '${service.id}' order by received_at desc limit 20"
\`\`\`

## Emergency procedures
1. Credential leak: revoke the credential in the ${service.name} console, issue a new one, update the secret store, redeploy.
2. Webhook flood: return 200 quickly (deliveries are idempotent), scale the workers, or pause the webhook in the console.
3. Outage: the circuit breaker stops calls; queue work for retry and tell users.
`;
}
