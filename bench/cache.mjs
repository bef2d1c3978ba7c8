// Prompt caching on a long Claude run (issue 18's target): a `kind: integration` workflow of
// sibling tasks, 12 to 30 turns each, runs through runWorkflow on the Anthropic provider, the real
// SDK over HTTP against the fake Messages API server, whose cache is simulated as the API
// documents it (by prefix, up to a `cache_control` breakpoint or a block boundary up to 20 blocks
// before one; a read when sent before within the TTL, a write otherwise, when it reaches the
// model's minimum; tokens from characters). The same run is made twice in this process, with
// caching on and with ORCHESTRATE_PROMPT_CACHE=off, and priced with the price table (cache writes
// and reads at their own prices). Target: at least 80% of all input tokens are cache reads.
// Writes bench/results-cache.json and prints a table. Build first (npm run build).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { runWorkflow } = await import(path.join(root, 'dist/index.js'));
const { startFakeAnthropicServer, modelResponder, ScriptedModel } = await import(path.join(root, 'dist/testing/index.js'));
const { priceOf, PRICES_CHECKED, PRICES_SOURCE } = await import(path.join(root, 'dist/providers/prices.js'));
const { costOf } = await import(path.join(root, 'dist/providers/cost.js'));
const TARGET = 0.8;

// Sibling tasks: four on one agent and two on another with the same model, then two reviews.
// Turns per task (model requests), from 12 to 30.
const TASKS = [
  { id: 'client', agent: 'integration-specialist', phase: 'build', turns: 30 },
  { id: 'webhooks', agent: 'integration-specialist', phase: 'build', turns: 24 },
  { id: 'retries', agent: 'integration-specialist', phase: 'build', turns: 18 },
  { id: 'config', agent: 'integration-specialist', phase: 'build', turns: 12 },
  { id: 'memory', agent: 'memory-system-engineer', phase: 'build', turns: 16 },
  { id: 'patterns', agent: 'memory-system-engineer', phase: 'build', turns: 12 },
  { id: 'review-code', agent: 'code-review-expert', phase: 'review', turns: 20 },
  { id: 'review-tests', agent: 'code-review-expert', phase: 'review', turns: 14 },
];

const WORKFLOW = `name: long
kind: integration
description: a long Claude run of sibling tasks, for the prompt-cache bench
inputs:
  service:
    type: string
phases:
${['build', 'review']
  .map(
    (phase) => `  - id: ${phase}
    name: ${phase}
    tasks:
${TASKS.filter((t) => t.phase === phase)
  .map((t) => `      - id: ${t.id}\n        agent: ${t.agent}\n        prompt: ${JSON.stringify(`Work on the {{inputs.service}} integration's ${t.id}: read what exists, change it in small steps, and finish with a summary.`)}`)
  .join('\n')}`,
  )
  .join('\n')}
`;

/** A source file of about `lines` lines, different per name. */
function source(name, lines) {
  const out = [`// ${name}: part of the shop's checkout service.`, `import { log } from './log.js';`, ''];
  for (let i = 0; i < lines; i++) {
    out.push(`export function ${name.replace(/\W/g, '_')}_step${i}(input: { id: string; amount: number }): string {`);
    out.push(`  log('${name} step ${i}', input.id);`, `  return \`\${input.id}:${i}:\${input.amount * ${i + 1}}\`;`, '}', '');
  }
  return out.join('\n');
}

const FILES = Object.fromEntries(
  ['orders', 'payments', 'refunds', 'customers', 'invoices', 'carts', 'shipping', 'taxes', 'coupons', 'inventory', 'log', 'http'].map((name, i) => [`src/${name}.ts`, source(name, 8 + ((i * 5) % 17))]),
);

function makeRepo() {
  const cwd = mkdtempSync(path.join(tmpdir(), 'orchestrate-bench-cache-'));
  const files = {
    'README.md': '# shop\n\nThe checkout service.\n',
    'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'vitest run' }, devDependencies: { typescript: '^5.6.0', vitest: '^3.0.0' } }, null, 2),
    'tsconfig.json': '{ "compilerOptions": { "module": "nodenext", "strict": true } }\n',
    'workflows/long.yaml': WORKFLOW,
    ...FILES,
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), content);
  }
  const git = (...args) => execFileSync('git', args, { cwd, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.email=b@example.com', '-c', 'user.name=b', 'commit', '-q', '-m', 'init');
  return cwd;
}

/** A task's turns: look around, read files, search, write and edit in small steps, then finish. */
function turnsOf(task) {
  const names = Object.keys(FILES);
  const turns = [ScriptedModel.call('list_files', { pattern: 'src/**/*.ts' })];
  const out = `src/integrations/stripe/${task.id}.ts`;
  for (let i = 1; turns.length < task.turns - 1; i++) {
    const file = names[(i * 7 + task.id.length) % names.length];
    if (i % 5 === 0) turns.push(ScriptedModel.call('search', { pattern: `step${i % 9}` }));
    else if (i % 7 === 0) turns.push(ScriptedModel.call('write_file', { path: out, content: `// ${task.id}, part ${i}\n${source(`${task.id}${i}`, 3)}` }));
    else turns.push(ScriptedModel.call('read_file', { path: file }));
  }
  turns.push(ScriptedModel.finish({ summary: `Worked on ${task.id} in ${task.turns} turns.` }));
  return turns;
}

/** The run with caching on or off: every exchange the fake server answered. */
async function measure(cache) {
  const cwd = makeRepo();
  const model = new ScriptedModel(Object.fromEntries(TASKS.map((t) => [t.id, turnsOf(t)])));
  const server = await startFakeAnthropicServer({ respond: modelResponder(model) });
  try {
    const env = { ANTHROPIC_API_KEY: 'bench-key', ANTHROPIC_BASE_URL: server.url, ...(cache ? {} : { ORCHESTRATE_PROMPT_CACHE: 'off' }) };
    // No requests-per-minute pacing: the fake server has no rate limit, and the cache's TTL is not reached either way.
    const run = await runWorkflow({ workflow: 'long', inputs: { service: 'stripe' }, cwd, requestsPerMinute: 1_000_000, runtime: { env } });
    if (run.status !== 'complete') throw new Error(`the run with caching ${cache ? 'on' : 'off'} did not complete: ${run.report.error?.message ?? run.status}`);
    return server.exchanges.filter((e) => e.status === 200);
  } finally {
    await server.close();
    rmSync(cwd, { recursive: true, force: true });
  }
}

const inputOf = (u) => u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
const sum = (list, f) => list.reduce((n, e) => n + f(e.usage), 0);
const costOfExchange = (e) =>
  costOf(e.request.body.model, {
    inputTokens: e.usage.input_tokens,
    outputTokens: e.usage.output_tokens,
    cacheReadTokens: e.usage.cache_read_input_tokens,
    cacheWriteTokens: e.usage.cache_creation_input_tokens,
  }).usd;

function summary(exchanges) {
  const input = sum(exchanges, inputOf);
  return {
    requests: exchanges.length,
    inputTokens: input,
    uncachedInputTokens: sum(exchanges, (u) => u.input_tokens),
    cacheReadTokens: sum(exchanges, (u) => u.cache_read_input_tokens),
    cacheWriteTokens: sum(exchanges, (u) => u.cache_creation_input_tokens),
    outputTokens: sum(exchanges, (u) => u.output_tokens),
    readShare: sum(exchanges, (u) => u.cache_read_input_tokens) / input,
    costUsd: exchanges.reduce((n, e) => n + costOfExchange(e), 0),
  };
}

const on = await measure(true);
const off = await measure(false);
const cached = summary(on);
const uncached = summary(off);
const tasks = TASKS.map((t) => {
  const mine = on.filter((e) => e.request.task === t.id);
  const theirs = off.filter((e) => e.request.task === t.id);
  const first = mine[0];
  return {
    task: t.id,
    agent: t.agent,
    model: first.request.body.model,
    requests: mine.length,
    firstRequestCacheRead: first.usage.cache_read_input_tokens,
    readShare: sum(mine, (u) => u.cache_read_input_tokens) / sum(mine, inputOf),
    costUsd: mine.reduce((n, e) => n + costOfExchange(e), 0),
    costUsdUncached: theirs.reduce((n, e) => n + costOfExchange(e), 0),
  };
});
const models = [...new Set(on.map((e) => e.request.body.model))];
const prices = Object.fromEntries(models.map((m) => [m, (({ input, output, cacheWrite, cacheRead, minCacheTokens }) => ({ input, output, cacheWrite, cacheRead, minCacheTokens }))(priceOf(m))]));
const ratio = cached.costUsd / uncached.costUsd;

const pct = (x) => `${(x * 100).toFixed(1)}%`;
console.log('\nPrompt caching on a long Claude run: 8 sibling tasks of 12-30 turns (fake Messages API server, real SDK over HTTP)');
console.log('task          agent                    model              reqs  1st-request read  read share   cost cached   uncached');
for (const r of tasks) {
  console.log(
    `${r.task.padEnd(13)} ${r.agent.padEnd(24)} ${r.model.padEnd(18)} ${String(r.requests).padStart(4)}  ${String(r.firstRequestCacheRead).padStart(16)}  ${pct(r.readShare).padStart(10)}   $${r.costUsd.toFixed(4).padStart(8)}   $${r.costUsdUncached.toFixed(4)}`,
  );
}
console.log(`prices ($ per million tokens, ${PRICES_SOURCE}, checked ${PRICES_CHECKED}): ${Object.entries(prices).map(([m, p]) => `${m} input ${p.input}, cache write ${p.cacheWrite}, cache read ${p.cacheRead}, output ${p.output}`).join('; ')}`);
console.log(`                      requests  input tokens  cache reads  cache writes  uncached input  output   cost`);
for (const [name, s] of [['caching on', cached], ['ORCHESTRATE_PROMPT_CACHE=off', uncached]]) {
  console.log(`${name.padEnd(28)} ${String(s.requests).padStart(4)} ${String(s.inputTokens).padStart(12)} ${String(s.cacheReadTokens).padStart(12)} ${String(s.cacheWriteTokens).padStart(13)} ${String(s.uncachedInputTokens).padStart(15)} ${String(s.outputTokens).padStart(7)}   $${s.costUsd.toFixed(4)}`);
}
console.log(`cache-read share of input tokens: ${pct(cached.readShare)} (target >= ${pct(TARGET)}); cost with caching / without: ${ratio.toFixed(3)} ($${cached.costUsd.toFixed(4)} vs $${uncached.costUsd.toFixed(4)})`);

const file = path.join(root, 'bench', 'results-cache.json');
writeFileSync(
  file,
  `${JSON.stringify({ bench: 'cache', workflow: 'long (kind: integration, service stripe)', target: TARGET, readShare: cached.readShare, costRatio: ratio, meetsTarget: cached.readShare >= TARGET, prices, pricesChecked: PRICES_CHECKED, cached, uncached, tasks }, null, 2)}\n`,
);
console.log(`wrote ${path.relative(root, file)}`);
if (cached.readShare < TARGET) process.exitCode = 1;
