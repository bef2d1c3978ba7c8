/**
 * The import rules of the layers (ARCHITECTURE.md, "Layers"), checked by `npm run lint`
 * (dependency-cruiser) so the layering does not depend on discipline. Each rule names the layer it
 * protects and why; an exception is a path in the rule itself, with its reason beside it.
 */
const NODE_IO = '^(node:)?(fs|fs/promises|child_process|net|http|https|os)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'schema-imports-zod-only',
      comment: 'src/schema/ holds the zod schemas of every format: it imports zod and other schemas, nothing else (types aside: they vanish at run time).',
      severity: 'error',
      from: { path: '^src/schema/' },
      to: { pathNot: ['^src/schema/', 'zod'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'engine-is-pure',
      comment:
        'src/engine/ (plan, scheduler, retry, budgets) does no I/O: schemas and errors only, no fs, no SDK, no logger. ' +
        'Types aside (the injected Clock is a type): they vanish at run time.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { pathNot: ['^src/engine/', '^src/schema/', '^src/errors\\.ts$', 'p-queue', 'zod'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'engine-no-node-io',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { dependencyTypes: ['core'], path: NODE_IO },
    },
    {
      name: 'only-anthropic-provider-imports-the-sdk',
      comment: 'src/providers/anthropic/ is the only importer of @anthropic-ai/sdk.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/providers/anthropic/' },
      to: { path: '@anthropic-ai/sdk' },
    },
    {
      name: 'providers-are-reached-through-the-registry',
      comment:
        'A provider is a folder under src/providers/ and one line in providers/registry.ts; nothing else builds one by hand ' +
        '(its definition, constructor or model class), so adding a provider never means editing select.ts or the run.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/providers/registry\\.ts$', '^src/providers/(anthropic|offline)/'] },
      to: { path: '^src/providers/(anthropic|offline)/(definition|provider|offline-model|anthropic-model)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-git-imports-simple-git',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/git/' },
      to: { path: 'simple-git' },
    },
    {
      name: 'only-runtime-creates-the-logger',
      comment: 'src/runtime/ creates the pino logger; the CLI may pretty-print a log with pino-pretty.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/runtime/' },
      to: { path: '(^|/)pino$|node_modules/pino/' },
    },
    {
      name: 'only-executors-import-bullmq',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/executors/' },
      to: { path: 'bullmq' },
    },
    {
      name: 'cli-uses-the-public-api',
      comment:
        'The CLI is a shell over what src/index.ts exports, so a tool can do everything it does. Exceptions: src/errors.ts, ' +
        'which main.ts and argument parsing need before a command is chosen, without loading every module; and the two ' +
        'optional servers with heavy dependencies, imported lazily by the commands that start them so nothing else loads ' +
        'them: the queue executor (bullmq, for --redis and worker) and the ui server (Hono, for orchestrate ui).',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/cli/',
          '^src/index\\.ts$',
          // The parts of the public API, each re-exported whole by index.ts (export *), so a command that only
          // reads runs loads that part alone and not the engine (test/cli/public-api-parts.test.ts holds the re-export).
          '^src/api/',
          '^src/errors\\.ts$',
          '^src/executors/queue/index\\.ts$',
          '^src/ui/server\\.ts$',
          // The lazy loaders of third-party libraries (yaml, glob): not orchestrate's API, only how a library is loaded.
          '^src/runtime/lazy-modules\\.ts$',
        ],
      },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-the-cli-imports-the-public-api',
      comment: 'src/index.ts (and its parts in src/api/) is the package entry; a module inside it importing it back makes a cycle.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/index\\.ts$'] },
      to: { path: ['^src/index\\.ts$', '^src/api/'] },
    },
    {
      name: 'generic-layers-reach-kinds-through-the-registry',
      comment: 'The integration domain lives in src/kinds/integration/; the generic layers reach it only through src/kinds/registry.ts and kind.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/kinds/' },
      to: { path: '^src/kinds/integration/' },
    },
    {
      name: 'lower-layers-do-not-import-the-run',
      comment: 'src/run/ composes the layers; schema, engine, tools, runtime, staging, expertise, providers and agents do not reach back up into it.',
      severity: 'error',
      from: { path: '^src/(schema|engine|tools|runtime|staging|expertise|providers|agents|git|report)/' },
      to: { path: '^src/run/' },
    },
    {
      name: 'testing-subpath-does-not-pull-in-the-run',
      comment: 'orchestrate/testing is published beside the package: its doubles (models, executors) may not load the run or the CLI.',
      severity: 'error',
      from: { path: '^src/testing/' },
      to: { path: ['^src/run/', '^src/cli/', '^src/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^dist/' },
  },
};
