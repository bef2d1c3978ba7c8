import type { ServiceEntry } from '../catalog/schema.js';
import type { SecurityFinding } from '../../../schema/results.js';
import { REVIEW_CHECKS, reviewFile } from '../review-checks.js';
import { finish, learn, write, type Role, type RoleState } from '../../../providers/offline/script.js';
import { docsIndex, setupGuide, runbook } from '../templates/docs.js';
import { credentialsNote, envExample, planNote, researchNote } from '../templates/notes.js';
import { implementationFiles, persistenceFiles } from '../templates/sources.js';
import { integrationPaths, integrationsDir, plannedFiles } from './paths.js';
import { describeStack } from '../stack/detect.js';
import { afterProbing, packageJsonOf, stackOf } from '../stack/probe.js';
import { packageJsonEdit } from '../templates/package-json.js';
import { testsRole } from './testing.js';
import { alertThresholds, dataTypeLines, emittedMetrics, monitoringDoc, monitoringPath, performanceLines, rateLimitLines } from '../templates/monitoring.js';

/**
 * The integration roles, by task id. Each plays its agent from the catalog entry. Any workflow
 * with a `service` input that reuses these task ids (integrate, test-integration, ...) gets them.
 */
export function integrateRole(task: string, service: ServiceEntry): Role | undefined {
  const paths = integrationPaths(service);
  switch (task) {
    case 'research':
      return {
        steps: [
          // No learning here: what the catalog says is not something this run observed.
          () => [write('notes/research.md', researchNote(service))],
          () => [
            finish({
              summary: `Researched ${service.name}: ${service.auth.scheme} auth, ${service.endpoints.length} endpoints, ${service.webhook ? 'signed webhooks' : 'no webhooks'}.`,
              endpoint: service.api.baseUrl,
              authentication: service.auth.description,
              envVars: service.envVars.map((v) => v.name),
              capabilities: service.capabilities,
              unknowns: service.unverified,
              rateLimits: rateLimitLines(service),
              dataTypes: dataTypeLines(service),
            }),
          ],
        ],
      };
    case 'plan':
      return afterProbing({
        steps: [
          (state) => {
            const stack = stackOf(state.request);
            return [
              write('notes/integration-plan.md', planNote(service, state.request.context.expertise, plannedFiles(service, stack), stack)),
              learn(`Repository stack detected: ${describeStack(stack)}`, `${service.id} plan`, ['package.json']),
            ];
          },
          (state) => [
            finish({
              summary: `Planned ${plannedFiles(service, stackOf(state.request)).length} files for ${service.name} in a ${describeStack(stackOf(state.request))} repository${state.request.context.expertise.catalogEntry ? ', reusing the catalog entry and learnings from expertise' : ''}.`,
            }),
          ],
        ],
      });
    case 'configure':
      return {
        steps: [
          () => [{ name: 'read_file', input: { path: '.env.example' } }],
          (state) => {
            const existing = state.lastResults[0] && !state.lastResults[0].isError ? state.lastResults[0].content : '';
            const missing = service.envVars.some((v) => !new RegExp(`^${v.name}=`, 'm').test(existing));
            return [
              write('notes/integration-credentials.md', credentialsNote(service)),
              ...(missing ? [write('.env.example', `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}${existing ? '\n' : ''}${envExample(service)}`)] : []),
            ];
          },
          () => [finish({ summary: `Documented ${service.envVars.length} environment variables and the ${service.auth.scheme} auth strategy.` })],
        ],
      };
    case 'implement':
      return afterProbing({
        steps: [
          (state) => {
            const stack = stackOf(state.request);
            const files = implementationFiles(service, stack);
            const route = integrationPaths(service, stack).route;
            const pkg = packageJsonEdit(packageJsonOf(state.request), service, stack, `${integrationsDir(stack)}/__tests__`);
            return [
              ...files.map(([path, content]) => write(path, content)),
              ...(pkg ? [write('package.json', pkg)] : []),
              // What this run did, for the next one to do the same (see asLearned in stack/probe.ts).
              learn(`${service.name} integration files live in ${integrationsDir(stack)}/`, `${service.id} wiring`, []),
              ...(route
                ? [learn(`${service.name} webhooks are served by ${route} (${stack.framework === 'none' ? 'a plain node:http listener: no framework in package.json' : stack.framework})`, `${service.id} wiring`, [route])]
                : []),
            ];
          },
          (state) => [finish({ summary: `Implemented ${implementationFiles(service, stackOf(state.request)).map(([path]) => path).join(', ')}.` })],
        ],
      });
    case 'persistence':
      return afterProbing({
        steps: [
          (state) => persistenceFiles(service, stackOf(state.request)).map(([path, content]) => write(path, content)),
          () => [finish({ summary: `Designed the idempotency store: an interface, an in-memory implementation and a PostgreSQL schema${service.oauth2 ? ' (with a table for sealed OAuth tokens)' : ''}.` })],
        ],
      });
    case 'tests':
      return afterProbing(testsRole(service));
    case 'review':
      return reviewRole(service);
    case 'monitoring':
      return {
        steps: [
          () => [write(monitoringPath(service), monitoringDoc(service))],
          () => [
            finish({
              summary: `Wrote what to watch for ${service.name}: ${emittedMetrics(service).length} metrics the client emits and ${alertThresholds(service).length} alert thresholds.`,
              document: monitoringPath(service),
              metrics: emittedMetrics(service),
              alerts: alertThresholds(service),
              performance: performanceLines(service),
            }),
          ],
        ],
      };
    case 'docs':
      return {
        steps: [
          () => [{ name: 'read_file', input: { path: paths.docsIndex } }],
          (state) => {
            const testing = needResult(state, 'tests');
            const review = needResult(state, 'review');
            const testLine = testing?.ran ? `${testing.passed} passed, ${testing.failed} failed` : `written, not run (${String(testing?.notRun ?? 'no result')})`;
            const reviewLine = review ? `${(review.findings as unknown[]).length} findings` : 'not available';
            const read = state.lastResults[0];
            const index = docsIndex(read && !read.isError ? read.content : '', service);
            return [write(paths.guide, setupGuide(service, testLine, reviewLine)), write(paths.runbook, runbook(service)), ...(index ? [write(paths.docsIndex, index)] : [])];
          },
          () => [
            finish({
              summary: `Wrote the setup guide and runbook for ${service.name}.`,
              documents: [paths.guide, paths.runbook, paths.docsIndex],
              usageExamples: [
                ...usageExamples(service),
              ],
              nextSteps: [
                `Review the staged run and apply it: orchestrate apply <run-id>`,
                `Set ${service.envVars.map((v) => v.name).join(', ')} in your secret store`,
                ...(service.webhook ? [`Register the webhook URL in the ${service.name} console`] : []),
                ...(service.unverified.length ? ['Confirm the facts marked UNVERIFIED in notes/research.md'] : []),
                `Re-run the tests and the security review after changes: orchestrate test-integration ${service.id}`,
                `Read what this run did, step by step: orchestrate logs <run-id>`,
              ],
            }),
          ],
        ],
      };
    default:
      return undefined;
  }
}

function usageExamples(service: ServiceEntry): string[] {
  const c = service.className;
  const examples: string[] = [];
  if (service.kind === 'http-api') {
    examples.push(`const client = new ${c}Client(); // credentials from ${service.envVars.filter((v) => v.use === 'client').map((v) => v.name).join(', ')}`);
    for (const op of service.http!.operations.slice(0, 3)) examples.push(`await client.${op.name}(${JSON.stringify(op.example)})`);
  } else {
    examples.push(`// see src/integrations/connections/${c}Connection.ts: connect with retry, then a health check`);
  }
  if (service.webhook) examples.push(`await new ${c}WebhookHandler(process.env.${service.webhook.secretEnvVar}!, store, handlers).handle({ url, headers, rawBody })`);
  if (service.oauth2) examples.push(`const { url, state, codeVerifier } = new ${c}OAuth(oauthConfigFromEnv()).createAuthorizationUrl()`);
  return examples;
}

function needResult(state: RoleState, task: string): Record<string, unknown> | undefined {
  const result = state.request.context.needs[task];
  return result && typeof result === 'object' ? (result as Record<string, unknown>) : undefined;
}

/**
 * Lists the staged integration files, reads each, runs the checks over what it read, and
 * writes the review and its result in the same turn (the role keeps no state between turns).
 */
function reviewRole(service: ServiceEntry): Role {
  return {
    steps: [
      () => [{ name: 'list_files', input: { pattern: '**/integrations/**' } }],
      (state) => {
        const files = (state.lastResults[0]?.content ?? '').split('\n').filter((line) => /\.(ts|js|mjs|cjs|sql)$/.test(line));
        return files.map((path) => ({ name: 'read_file', input: { path } }));
      },
      (state) => {
        const read = state.lastResults.filter((r) => !r.isError);
        const files = read.map((r) => String((r.input as { path: string }).path));
        const findings: SecurityFinding[] = read.flatMap((r) => reviewFile(String((r.input as { path: string }).path), r.content));
        const body = `# Security review: ${service.name}

Files reviewed (${files.length}):
${files.map((f) => `- \`${f}\``).join('\n')}

## Checks run
${REVIEW_CHECKS.map((c) => `- ${c}`).join('\n')}

## Findings
${findings.length ? findings.map((f) => `- **${f.severity}** \`${f.file}:${f.line}\` ${f.rule}: ${f.message}`).join('\n') : 'None.'}
`;
        return [
          write('notes/security-review.md', body),
          learn(
            findings.length === 0
              ? `${service.name} security review: no findings in ${files.length} files`
              : `${service.name} security review: ${findings.length} findings in ${files.length} files (${[...new Set(findings.map((f) => f.rule))].join(', ')}); fix these before applying`,
            `${service.id} security review`,
            [...new Set(findings.map((f) => f.file))],
          ),
          finish({
            summary: findings.length ? `${findings.length} security findings in ${files.length} files.` : `No findings in ${files.length} files.`,
            checks: REVIEW_CHECKS,
            findings,
          }),
        ];
      },
    ],
  };
}
