// The fake Messages API for bench/queue.mjs, in a process of its own so that its CPU is counted
// apart from the coordinator's and the workers'. Prints its URL on stdout.
//   node bench/queue-fake-api.mjs scale <latencyMs>   two turns a task: write src/<task>.ts, then finish
//   node bench/queue-fake-api.mjs noop                 one turn a task: finish at once
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startFakeAnthropicServer } = await import(path.join(root, 'dist', 'testing', 'index.js'));
const [mode, latency] = process.argv.slice(2);
const latencyMs = Number(latency ?? 0);

const api = await startFakeAnthropicServer({
  respond: async (request) => {
    if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const turn = request.body.messages.filter((m) => m.role === 'assistant').length;
    if (mode === 'scale' && turn === 0) {
      return { content: [{ type: 'tool_use', id: 'w', name: 'write_file', input: { path: `src/${request.task}.ts`, content: 'export {};\n' } }], stopReason: 'tool_use' };
    }
    return { content: [{ type: 'tool_use', id: 'f', name: 'finish', input: { summary: 'done' } }], stopReason: 'tool_use' };
  },
});
// The server keeps every request for tests; a bench sends thousands, so forget them.
setInterval(() => api.requests.splice(0), 1000).unref();
process.stdout.write(`${api.url}\n`);
process.on('SIGTERM', () => void api.close().then(() => process.exit(0)));
