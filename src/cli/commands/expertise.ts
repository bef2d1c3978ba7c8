import { formatProblem, UserError } from '../../errors.js';
import { checkDomain, describeExpertise, listDomains, readChangeRecord, renderChangeRecord, type DomainCheck } from '../../index.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { CliIO, Command } from '../io.js';
import { findRun } from '../run-lookup.js';
import { closest } from '../suggest.js';

const SUBCOMMANDS = ['show', 'validate', 'diff'];

/** The domains to look at: the one named (which must exist) or every one in the workspace. */
async function domainsOf(workspace: string, named: string | undefined): Promise<string[]> {
  const domains = await listDomains(workspace);
  if (named === undefined) return domains;
  if (domains.includes(named)) return [named];
  const close = closest(named, domains);
  throw new UserError('UNKNOWN_DOMAIN', `no expertise for domain "${named}"${close ? `; did you mean ${close}?` : domains.length ? `; there is ${domains.join(', ')}` : ''}`);
}

const NONE_YET = 'no expertise here yet (./expertise/<domain>/expertise.yaml); the first run creates it from the built-in seed';

async function show(workspace: string, domain: string | undefined, json: boolean, io: CliIO): Promise<number> {
  const checks = await Promise.all((await domainsOf(workspace, domain)).map((d) => checkDomain(workspace, d)));
  if (checks.length === 0 && !json) {
    io.out(NONE_YET);
    return 0;
  }
  if (json) {
    io.out(JSON.stringify(checks.map((c) => ({ domain: c.domain, file: c.file, valid: c.problems.length === 0, archived: c.archived, data: c.loaded?.data, problems: c.problems, stale: c.stale }))));
    return checks.some((c) => c.problems.length) ? 2 : 0;
  }
  const blocks = checks.map((c) =>
    c.loaded ? describeExpertise(c, workspace, domain ? 15 : 5) : `${c.file}: cannot be read (see orchestrate expertise validate)\n${c.problems.map(formatProblem).join('\n')}`,
  );
  io.out(blocks.join('\n\n'));
  return checks.some((c) => c.problems.length) ? 2 : 0;
}

async function validate(workspace: string, domain: string | undefined, json: boolean, io: CliIO): Promise<number> {
  const checks: DomainCheck[] = await Promise.all((await domainsOf(workspace, domain)).map((d) => checkDomain(workspace, d)));
  const problems = checks.flatMap((c) => c.problems);
  const stale = checks.flatMap((c) => c.stale);
  if (json) io.out(JSON.stringify({ ok: problems.length === 0 && stale.length === 0, problems, stale }));
  else if (checks.length === 0) io.out(NONE_YET);
  else {
    for (const problem of problems) io.out(formatProblem(problem));
    for (const finding of stale) io.out(`${finding.file} (${finding.location}): stale: ${finding.message}`);
    const counts = `${checks.length} expertise file${checks.length === 1 ? '' : 's'}`;
    io.out(
      problems.length || stale.length
        ? `${problems.length} problems and ${stale.length} stale entries in ${counts}`
        : `ok: ${counts}, valid and up to date with the repository`,
    );
  }
  return problems.length ? 2 : stale.length ? 1 : 0;
}

async function diff(workspace: string, given: string | undefined, json: boolean, io: CliIO): Promise<number> {
  const { runId, dir } = await findRun(workspace, given, 'expertise diff');
  const record = await readChangeRecord(dir);
  if (json) io.out(JSON.stringify(record ?? { runId, domains: [] }));
  else if (!record) io.out(`run ${runId} changed no expertise (it ended before the merge, or it predates change records)`);
  else io.out(renderChangeRecord(record));
  return 0;
}

export const command: Command = {
  summary: 'Show, check and diff the team expertise: expertise show|validate|diff',
  usage: `Usage: orchestrate expertise show [domain]
       orchestrate expertise validate [domain]
       orchestrate expertise diff <run-id>

The expertise (./expertise/<domain>/expertise.yaml) is what every run starts from and improves.
  show       the catalog and the most-seen learnings of one domain, or a summary of each
  validate   every problem at once, each with file, line and column (syntax, types, alias
             bombs, size, version), then what is stale: paths in files, files_affected and
             catalog entries that the repository no longer has.
             Exit 0 when all is well, 1 when only stale entries were found, 2 for problems.
  diff       what a run changed: catalog entries and fields, learnings added or seen again,
             learnings archived. The run id may be a unique prefix, or "last".

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate expertise show integrations
  orchestrate expertise validate
  orchestrate expertise diff last`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('expertise', argv, COMMON_OPTIONS);
    const [sub, arg, ...extra] = positionals;
    noExtra(extra, 'expertise');
    const workspace = workspaceOf(io, values.cwd);
    const json = values.json === true;
    switch (sub) {
      case 'show':
        return show(workspace, arg, json, io);
      case 'validate':
        return validate(workspace, arg, json, io);
      case 'diff':
        return diff(workspace, arg, json, io);
      case undefined:
        throw new UserError('MISSING_SUBCOMMAND', 'say what to do: orchestrate expertise show|validate|diff (see orchestrate expertise --help)');
      default: {
        const close = closest(sub, SUBCOMMANDS);
        throw new UserError('UNKNOWN_SUBCOMMAND', `unknown expertise command "${sub}"${close ? `; did you mean ${close}?` : ''}; use show, validate or diff`);
      }
    }
  },
};
