import { UserError } from '../errors.js';
import { integrationKind } from './integration/kind.js';
import type { PreparedKind, WorkflowKind } from './kind.js';

/** Every kind a workflow can name with `kind:`. */
const KINDS: ReadonlyMap<string, WorkflowKind> = new Map([[integrationKind.name, integrationKind]]);

/** The kind a workflow names, or undefined when it names none. An unknown name is a user error. */
export function kindNamed(name: string | undefined): WorkflowKind | undefined {
  if (name === undefined) return undefined;
  const kind = KINDS.get(name);
  if (!kind) throw new UserError('UNKNOWN_KIND', `unknown workflow kind "${name}": use one of ${[...KINDS.keys()].join(', ')}, or leave kind out`);
  return kind;
}

/**
 * Binds a run's kind to its inputs (see {@link WorkflowKind.prepare}); a workflow without a kind
 * gets the generic behaviour: no subject, no roles, a `chore(<workflow>)` commit subject.
 */
export function prepareKind(name: string | undefined, inputs: Readonly<Record<string, unknown>>, options: { offline: boolean }): PreparedKind {
  return kindNamed(name)?.prepare(inputs, options) ?? genericKind;
}

const genericKind: PreparedKind = {
  subject: undefined,
  secretEnvVars: [],
  offlineRoles: () => undefined,
  briefing: () => Promise.resolve(''),
  researchDomains: [],
  commitSubject: ({ workflow, runId }) => `chore(${workflow}): apply run ${runId}`,
  reportSection: () => undefined,
  catalogEntry: () => undefined,
};
