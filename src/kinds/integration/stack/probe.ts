import type { ModelRequest } from '../../../providers/model.js';
import type { Role, ToolCall } from '../../../providers/offline/script.js';
import { DEFAULT_STACK, detectStack, type DetectedStack } from './detect.js';

/** The files detection looks at beyond package.json and tsconfig.json: lockfiles and the top of each source root. */
const LISTED = '{package-lock.json,pnpm-lock.yaml,yarn.lock,bun.lock,bun.lockb,src/**/*.{ts,tsx,js,mjs,cjs},lib/*.{ts,js,mjs,cjs},app/**/*.{ts,tsx,js},*.{ts,js,mjs,cjs}}';

/** What the offline model reads first, through the same tools Claude uses, to see the repository's stack. */
export const STACK_PROBES: ToolCall[] = [
  { name: 'read_file', input: { path: 'package.json' } },
  { name: 'read_file', input: { path: 'tsconfig.json' } },
  { name: 'list_files', input: { pattern: LISTED } },
];

/** A role that first looks at the repository; its own steps follow unchanged. */
export function afterProbing(role: Role): Role {
  return { steps: [() => STACK_PROBES, ...role.steps] };
}

/**
 * The stack, from what the probes returned earlier in this conversation: every turn carries the
 * whole conversation, so no state is kept between turns. The default stack when nothing was read.
 */
export function stackOf(request: ModelRequest): DetectedStack {
  const calls = new Map<string, { name: string; input: Record<string, unknown> }>();
  const results = new Map<string, string>();
  for (const message of request.messages) {
    for (const block of message.content) {
      if (block.type === 'tool_use') calls.set(block.id, { name: block.name, input: (block.input ?? {}) as Record<string, unknown> });
      if (block.type === 'tool_result' && !block.isError) {
        const call = calls.get(block.toolUseId);
        if (call) results.set(`${call.name}:${String(call.input.path ?? call.input.pattern)}`, block.content);
      }
    }
  }
  const listed = results.get(`list_files:${LISTED}`);
  // Without a package.json nothing says what the project is: the default layout, where the team's runs put it.
  if (!results.has('read_file:package.json')) return asLearned(DEFAULT_STACK, request.context.expertise.learnings);
  const detected = detectStack({
    packageJson: results.get('read_file:package.json'),
    tsconfig: results.get('read_file:tsconfig.json'),
    files: (listed ?? '').split('\n').filter((line) => line && !line.startsWith('(')),
  });
  return asLearned(detected, request.context.expertise.learnings);
}

const FRAMEWORKS = ['express', 'fastify', 'hono', 'next-app', 'nestjs'] as const;

/**
 * The stack as the team's earlier runs left it: where an earlier run's learning says the
 * integrations live (`Stripe integration files live in lib/integrations/`) and which framework serves their
 * webhooks, this run puts its files there and wires the same framework (when the repository
 * has a web framework at all), rather than what detection alone would choose.
 */
export function asLearned(stack: DetectedStack, learnings: ReadonlyArray<{ insight: string }>): DetectedStack {
  // The expertise context ranks the service's own learnings first: the first of each kind wins.
  const dirs = learnings.flatMap(({ insight }) => / live in ((?:[\w.-]+\/)*)integrations\/?$/.exec(insight)?.[1] ?? []);
  const frameworks = learnings.flatMap(({ insight }) => /webhooks are served by \S+ \(([\w-]+)\)/.exec(insight)?.[1] ?? []).filter((f) => (FRAMEWORKS as readonly string[]).includes(f));
  const dir = dirs[0];
  return {
    ...stack,
    ...(dir !== undefined ? { sourceRoot: dir === '' ? '.' : dir.replace(/\/$/, '') } : {}),
    ...(frameworks[0] && stack.framework !== 'none' ? { framework: frameworks[0] as DetectedStack['framework'] } : {}),
  };
}

/** The repository's package.json as read by the probes, when there is one. */
export function packageJsonOf(request: ModelRequest): string | undefined {
  const calls = new Map<string, string>();
  for (const message of request.messages) {
    for (const block of message.content) {
      if (block.type === 'tool_use' && block.name === 'read_file') calls.set(block.id, String((block.input as { path?: unknown }).path));
      if (block.type === 'tool_result' && !block.isError && calls.get(block.toolUseId) === 'package.json') return block.content;
    }
  }
  return undefined;
}
