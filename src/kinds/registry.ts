import { UserError } from '../errors.js';
import { RESULT_SCHEMAS, type ResultSchemas } from '../schema/results.js';
import type { PreparedKind, WorkflowKind } from './kind.js';

/**
 * Every kind a workflow can name with `kind:`, each loaded on first use: a kind brings its whole
 * domain (for `integration`: the service catalog, templates, offline roles, webhook schemes),
 * which a workflow without a kind, such as one of code functions, never needs.
 */
const KINDS: ReadonlyMap<string, () => Promise<WorkflowKind>> = new Map([['integration', async () => (await import('./integration/kind.js')).integrationKind]]);

/** The kind a workflow names, or undefined when it names none. An unknown name is a user error. */
export async function kindNamed(name: string | undefined): Promise<WorkflowKind | undefined> {
  if (name === undefined) return undefined;
  const load = KINDS.get(name);
  if (!load) throw new UserError('UNKNOWN_KIND', `unknown workflow kind "${name}": use one of ${[...KINDS.keys()].join(', ')}, or leave kind out`);
  return load();
}

/**
 * The result schemas a workflow of this kind may name: the generic ones and the kind's own. An
 * unknown kind gets the generic ones; running the workflow names it as a user error.
 */
export async function kindResultSchemas(name: string | undefined): Promise<ResultSchemas> {
  // An unknown kind is the run's error to report (prepareKind), with the inputs' checks.
  const kind = await kindNamed(name).catch((error: unknown) => {
    if (error instanceof UserError && error.code === 'UNKNOWN_KIND') return undefined;
    throw error;
  });
  return kind ? { ...RESULT_SCHEMAS, ...kind.resultSchemas } : RESULT_SCHEMAS;
}

/**
 * Binds a run's kind to its inputs (see {@link WorkflowKind.prepare}); a workflow without a kind
 * gets the generic behaviour: no subject, no roles, a `chore(<workflow>)` commit subject.
 */
export async function prepareKind(name: string | undefined, inputs: Readonly<Record<string, unknown>>, options: { offline: boolean }): Promise<PreparedKind> {
  return (await kindNamed(name))?.prepare(inputs, options) ?? genericKind;
}

const genericKind: PreparedKind = {
  subject: undefined,
  resultSchemas: {},
  secretEnvVars: [],
  offlineRoles: () => undefined,
  briefing: () => Promise.resolve(''),
  researchDomains: [],
  commitSubject: ({ workflow, runId }) => `chore(${workflow}): apply run ${runId}`,
  reportSection: () => undefined,
  observeRepository: () => Promise.resolve([]),
  catalogEntry: () => undefined,
};
