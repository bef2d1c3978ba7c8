import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { runFolders, tempRepo } from '../helpers/workspace.js';

const COMMANDS = ['integrate', 'test-integration', 'update-integration', 'remove-integration', 'run', 'show', 'logs', 'agents', 'workflows', 'validate', 'graph', 'init'];

describe('help', () => {
  it('orchestrate --help lists every command, with examples and exit codes', () => {
    const { code, stdout, stderr } = runCli(['--help'], tempRepo());
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const name of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('130 interrupted');
  });

  it.each(COMMANDS)('orchestrate %s --help prints usage and examples, runs nothing', (name) => {
    const cwd = tempRepo();
    const { code, stdout } = runCli([name, '--help'], cwd);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: orchestrate ${name}`));
    expect(stdout).toMatch(/\nExamples:\n {2}orchestrate /);
    expect(runFolders(cwd)).toEqual([]);
  });

  it('"orchestrate help <command>" is the same as "<command> --help"', () => {
    const cwd = tempRepo();
    expect(runCli(['help', 'graph'], cwd).stdout).toBe(runCli(['graph', '--help'], cwd).stdout);
  });

  it('no command at all: the help on stderr, exit 2', () => {
    const { code, stdout, stderr } = runCli([], tempRepo());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: orchestrate <command>');
  });
});

describe('unknown commands and flags: exit 2 with the closest valid one', () => {
  it.each([
    [['integrat', 'twilio'], /unknown command "integrat"; did you mean "integrate"\?/],
    [['workflow'], /unknown command "workflow"; did you mean "workflows"\?/],
    [['remove', 'twilio'], /did you mean "remove-integration"\?/],
    [['--verison'], /unknown option --verison; did you mean/],
    [['integrate', 'twilio', '--dryrun'], /unknown option --dryrun; did you mean --dry-run\?/],
    [['integrate', 'twilio', '--jsn'], /unknown option --jsn; did you mean --json\?/],
    [['show', 'last', '--jsno'], /did you mean --json\?/],
    [['integrate', 'twilio', '--provider', 'anthropik'], /unknown provider "anthropik"; did you mean anthropic\?/],
    [['integrate', 'twilio', '--log-level', 'verbose'], /unknown log level "verbose"/],
    [['integrate', 'twilio', '--concurrency', 'many'], /--concurrency takes a whole number/],
    [['integrate', 'twilio', '--model'], /--model needs a value/],
    [['agents', 'shwo', 'x'], /unknown subcommand "shwo"/],
  ])('%j', (args, message) => {
    const cwd = tempRepo();
    const { code, stdout, stderr } = runCli(args, cwd);
    expect(code, stderr).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(runFolders(cwd)).toEqual([]);
  });

  it('nothing like any command: no suggestion, still exit 2', () => {
    const { code, stderr } = runCli(['frobnicate'], tempRepo());
    expect(code).toBe(2);
    expect(stderr).toBe('orchestrate: unknown command "frobnicate" (see orchestrate --help)\n');
  });
});
