import type { ExpertiseUpdate } from '../../expertise/merge.js';
import { genericRole } from '../../providers/offline/roles/generic.js';
import type { OfflineRoles } from '../../providers/offline/script.js';
import type { PreparedKind, WorkflowKind } from '../kind.js';
import { CUSTOM_API, requireService, serviceForInputs } from './catalog/catalog.js';
import type { ServiceEntry } from './catalog/schema.js';
import { integrationBriefing } from './briefing.js';
import { integrationCommitSubject } from './commit-subject.js';
import { INTEGRATION_RESULT_SCHEMAS } from './result-schemas.js';
import { integrationSection } from './report-section.js';
import { integrateRole } from './roles/integrate.js';
import { maintenanceRole } from './roles/maintenance.js';
import { keepingDeletions, userChangeLearnings } from './user-changes.js';
import { describeStack } from './stack/detect.js';
import { readStack } from './stack/read-stack.js';

/**
 * `kind: integration`: workflows about one external service, named by the `service` input
 * (`custom-api` with `url` for any REST API). The catalog, templates and offline roles live here.
 */
export const integrationKind: WorkflowKind = {
  name: 'integration',
  resultSchemas: INTEGRATION_RESULT_SCHEMAS,
  prepare(inputs, { offline }) {
    const typed = typeof inputs.service === 'string' && inputs.service ? inputs.service : undefined;
    // The offline model plays agents from the catalog: an unknown service is a user error before
    // anything is written. Claude can integrate any service, but custom-api always needs its url.
    const needsEntry = offline || typed?.toLowerCase() === CUSTOM_API;
    const service = typed === undefined ? undefined : needsEntry ? requireService(typed, inputs.url) : serviceForInputs(inputs);
    return prepared(typed, service);
  },
};

function prepared(typed: string | undefined, service: ServiceEntry | undefined): PreparedKind {
  const subject = service ? canonicalId(service) : typed?.toLowerCase();
  return {
    subject,
    resultSchemas: INTEGRATION_RESULT_SCHEMAS,
    secretEnvVars: service?.envVars.map((v) => v.name) ?? [],
    offlineRoles: service ? offlineRoles(service) : () => undefined,
    briefing: async (workspace) => {
      const stack = await readStack(workspace);
      return service ? integrationBriefing(service, stack) : `# The repository\n- ${describeStack(stack)}\n`;
    },
    researchDomains: service ? documentationHosts(service) : [],
    commitSubject: (change) => integrationCommitSubject(subject, change),
    reportSection: (outcomes) => (subject ? integrationSection(subject, outcomes) : undefined),
    observeRepository: async (workspace) => {
      if (!subject) return [];
      const { changesSinceApply } = await import('../../git/changes-since-apply.js');
      const seen = await changesSinceApply(workspace, subject);
      return seen ? userChangeLearnings(service?.name ?? subject, seen) : [];
    },
    catalogEntry: ({ runId, outcomes, stagedFiles }): ExpertiseUpdate['catalog'] => {
      if (!subject) return undefined;
      const research = outcomes.find((o) => o.task.result === 'research' && o.status === 'done')?.result as
        | { envVars?: string[]; endpoint?: string; authentication?: string }
        | undefined;
      return {
        category: service?.category ?? 'other',
        entry: {
          name: subject,
          env_vars: research?.envVars ?? [],
          webhooks: stagedFiles.some((f) => f.path.includes('/webhooks/')),
          ...(research?.endpoint ? { api_base: research.endpoint } : {}),
          ...(research?.authentication ? { auth: research.authentication } : {}),
          // The code, wherever the repository keeps it (src/, lib/, app/): not the docs, .env.example or package.json.
          files: stagedFiles.filter((f) => /\.(?:[cm]?[jt]s|sql)$/.test(f.path) && !f.path.startsWith('docs/')).map((f) => f.path),
          last_run: runId,
        },
      };
    },
  };
}

/** The hosts of the catalog's sources for a service (its documentation, its SDK's repository). */
function documentationHosts(service: ServiceEntry): string[] {
  const hosts = service.sources.flatMap((source) => {
    // `owner/repo path`: a file of the SDK's repository on GitHub.
    if (/^[\w.-]+\/[\w.-]+(\s|$)/.test(source)) return ['github.com'];
    try {
      return [new URL(source).hostname.toLowerCase()];
    } catch {
      return [];
    }
  });
  return [...new Set(hosts)];
}

/** Catalog services by their id, whatever alias was typed; custom APIs by their host. */
function canonicalId(service: ServiceEntry): string {
  if (service.category !== 'custom') return service.id;
  try {
    return new URL(service.api.baseUrl).host.toLowerCase();
  } catch {
    return service.id;
  }
}

/** Roles by workflow and task id: the maintenance workflows' own tasks, then the integrate tasks they share. */
function offlineRoles(service: ServiceEntry): OfflineRoles {
  return (context) => {
    const role = maintenanceRole(context.workflow, context.task, service) ?? integrateRole(context.task, service);
    // A file a person deleted after an earlier apply stays deleted (see user-changes.ts).
    if (role) return keepingDeletions(role);
    return genericRole(context.task, context.agent, context.resultSchema, {
      endpoint: service.api.baseUrl,
      authentication: service.auth.description,
      envVars: service.envVars.map((v) => v.name),
      capabilities: service.capabilities,
    });
  };
}
