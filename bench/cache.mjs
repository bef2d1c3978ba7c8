// Prompt caching on the integrate workflow (issue 4's target): the whole workflow runs on the
// Anthropic provider through the real SDK over HTTP against the fake Messages API server, whose
// agent turns come from the deterministic offline model and whose cache is simulated as the API
// documents it (prefix up to a cache_control breakpoint: a read when sent before within the TTL,
// else a write; tokens from characters). Target: at least 60% of all input tokens after each
// agent's first request are cache reads, with the stable prefix above the model's minimum.
// Writes bench/results-cache.json and prints a table. Build first (npm run build).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { runWorkflow } = await import(path.join(root, 'dist/index.js'));
const { startFakeAnthropicServer, modelResponder } = await import(path.join(root, 'dist/testing/index.js'));
const { OfflineModel } = await import(path.join(root, 'dist/providers/offline/offline-model.js'));
const { priceOf } = await import(path.join(root, 'dist/providers/prices.js'));
const { costOf } = await import(path.join(root, 'dist/providers/cost.js'));
const TARGET = 0.6;

const cwd = mkdtempSync(path.join(tmpdir(), 'orchestrate-bench-cache-'));
writeFileSync(path.join(cwd, 'README.md'), '# bench\n');
const git = (...args) => execFileSync('git', args, { cwd, stdio: 'ignore' });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('-c', 'user.email=b@example.com', '-c', 'user.name=b', 'commit', '-q', '-m', 'init');

// The fake server answers each task's turns with the offline model; the HTTP request names the
// task, and the results of finished tasks (from the run's events) are the context it plays from.
const results = {};
const responder = modelResponder(new OfflineModel(), { context: () => ({ workflow: 'integrate', inputs: { service: 'twilio' }, needs: { ...results } }) });
const server = await startFakeAnthropicServer({ respond: responder });
let run;
try {
  run = await runWorkflow({
    workflow: 'integrate',
    inputs: { service: 'twilio' },
    cwd,
    onEvent: (event) => {
      if (event.type === 'task-end' && event.status === 'done') results[event.task] = event.result;
    },
    runtime: { env: { ANTHROPIC_API_KEY: 'bench-key', ANTHROPIC_BASE_URL: server.url } },
  });
} finally {
  await server.close();
  rmSync(cwd, { recursive: true, force: true });
}
if (run.status !== 'complete') throw new Error(`the integrate run did not complete: ${run.report.error?.message}`);

const answered = server.exchanges.filter((e) => e.status === 200);
const inputOf = (u) => u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
const sum = (list, f) => list.reduce((n, e) => n + f(e.usage), 0);
// The stable prefix: tools and system, the part every request of a task starts with.
const prefixTokens = (body) => Math.ceil((JSON.stringify(body.tools ?? []).length + body.system.reduce((n, b) => n + b.text.length, 0)) / 4);

const rows = [];
for (const task of [...new Set(answered.map((e) => e.request.task))]) {
  const mine = answered.filter((e) => e.request.task === task);
  const later = mine.slice(1);
  const first = mine[0];
  rows.push({
    task,
    agent: first.request.agent,
    model: first.request.body.model,
    requests: mine.length,
    stablePrefixTokens: prefixTokens(first.request.body),
    minCacheTokens: priceOf(first.request.body.model)?.minCacheTokens ?? 1024,
    laterInputTokens: sum(later, inputOf),
    laterCacheReadTokens: sum(later, (u) => u.cache_read_input_tokens),
    laterReadShare: later.length ? sum(later, (u) => u.cache_read_input_tokens) / sum(later, inputOf) : null,
  });
}
// Per agent (role), counting from the agent's first request in the run, across its tasks.
const agents = {};
for (const agent of [...new Set(answered.map((e) => e.request.agent))]) {
  const later = answered.filter((e) => e.request.agent === agent).slice(1);
  agents[agent] = sum(later, (u) => u.cache_read_input_tokens) / sum(later, inputOf);
}
const laterAll = answered.filter((e, i) => answered.findIndex((x) => x.request.task === e.request.task) !== i);
const overall = sum(laterAll, (u) => u.cache_read_input_tokens) / sum(laterAll, inputOf);
const laterRoles = answered.filter((e, i) => answered.findIndex((x) => x.request.agent === e.request.agent) !== i);
const overallRoles = sum(laterRoles, (u) => u.cache_read_input_tokens) / sum(laterRoles, inputOf);
const allInput = sum(answered, inputOf);
const readAll = sum(answered, (u) => u.cache_read_input_tokens);
// Cost with the cache against the same tokens sent uncached, priced per request's model.
const priced = (f) => answered.reduce((n, e) => n + costOf(e.request.body.model, f(e.usage)).usd, 0);
const withCache = priced((u) => ({ inputTokens: u.input_tokens, outputTokens: u.output_tokens, cacheReadTokens: u.cache_read_input_tokens, cacheWriteTokens: u.cache_creation_input_tokens }));
const without = priced((u) => ({ inputTokens: inputOf(u), outputTokens: u.output_tokens, cacheReadTokens: 0, cacheWriteTokens: 0 }));

console.log('\nPrompt caching on integrate twilio (fake Messages API server, real SDK over HTTP)');
console.log('task         agent                    model              reqs  prefix tok (min)  read share after 1st request');
for (const r of rows) {
  console.log(
    `${r.task.padEnd(12)} ${r.agent.padEnd(24)} ${r.model.padEnd(18)} ${String(r.requests).padStart(4)}  ${String(r.stablePrefixTokens).padStart(6)} (${r.minCacheTokens})    ${r.laterReadShare === null ? 'n/a' : `${(r.laterReadShare * 100).toFixed(1)}%`}`,
  );
}
const worst = Math.min(...rows.filter((r) => r.laterReadShare !== null).map((r) => r.laterReadShare), ...Object.values(agents));
console.log(`per agent (role): ${Object.entries(agents).map(([a, s]) => `${a} ${(s * 100).toFixed(1)}%`).join(', ')}`);
console.log(`all requests after each task's first: ${(overall * 100).toFixed(1)}% of input tokens were cache reads (target >= ${TARGET * 100}%)`);
console.log(`all requests after each agent's (role's) first: ${(overallRoles * 100).toFixed(1)}%; the worst single task or agent: ${(worst * 100).toFixed(1)}% (fresh tool output and tool results are input that cannot be a read the first time it is sent)`);
console.log(`whole run: ${readAll} of ${allInput} input tokens read from cache; cost $${withCache.toFixed(4)} with caching vs $${without.toFixed(4)} uncached (${(withCache / without).toFixed(2)}x)`);

const file = path.join(root, 'bench', 'results-cache.json');
writeFileSync(
  file,
  `${JSON.stringify({ bench: 'cache', workflow: 'integrate', service: 'twilio', target: TARGET, laterReadShare: overall, laterReadShareByRole: overallRoles, worstTaskOrAgentShare: worst, meetsTarget: Math.min(overall, overallRoles) >= TARGET, perAgent: agents, tasks: rows, wholeRun: { inputTokens: allInput, cacheReadTokens: readAll, costUsdWithCache: withCache, costUsdUncached: without }, requests: answered.length }, null, 2)}\n`,
);
console.log(`wrote ${path.relative(root, file)}`);
if (Math.min(overall, overallRoles) < TARGET) process.exitCode = 1;
