import { describe, expect, it } from 'vitest';
import { parseAmount, parseCommandArgs, parseCount, parseLogLevel, parsePairs, RUN_OPTIONS } from '../../src/cli/args.js';
import { closest, editDistance } from '../../src/cli/suggest.js';
import { UserError } from '../../src/errors.js';

const COMMANDS = ['integrate', 'test-integration', 'update-integration', 'remove-integration', 'run', 'show', 'logs', 'agents', 'workflows', 'validate', 'graph', 'init'];

describe('closest: the "did you mean" of commands and flags', () => {
  it.each([
    ['integrat', 'integrate'],
    ['intgerate', 'integrate'],
    ['sho', 'show'],
    ['workflow', 'workflows'],
    ['valdiate', 'validate'],
    ['remove', 'remove-integration'],
  ])('%s -> %s', (typed, expected) => expect(closest(typed, COMMANDS)).toBe(expected));

  it('suggests nothing for a word unlike any command', () => expect(closest('xyzzyplugh', COMMANDS)).toBeUndefined());
  it('counts a transposition as one edit', () => expect(editDistance('concurency', 'concurrency')).toBe(1));
});

describe('argument parsing', () => {
  const parse = (argv: string[]) => parseCommandArgs('integrate', argv, RUN_OPTIONS);

  it('suggests the closest flag for an unknown one', () => {
    expect(() => parse(['--concurency', '2'])).toThrow(/unknown option --concurency; did you mean --concurrency\?/);
    expect(() => parse(['--dryrun'])).toThrow(/did you mean --dry-run\?/);
    expect(() => parse(['--budget', '1'])).toThrow(/did you mean --budget-usd\?/);
  });

  it('says which flag needs a value', () => {
    expect(() => parse(['--model'])).toThrow(UserError);
    expect(() => parse(['--model'])).toThrow(/--model needs a value/);
  });

  it('checks numbers, amounts, pairs and log levels with a message naming the flag', () => {
    expect(parseCount('3', '--concurrency')).toBe(3);
    expect(() => parseCount('0', '--concurrency')).toThrow(/--concurrency takes a whole number of at least 1, not "0"/);
    expect(() => parseCount('2.5', '--concurrency')).toThrow(/not "2.5"/);
    expect(parseAmount('0.50', '--budget-usd')).toBe(0.5);
    expect(() => parseAmount('five', '--budget-usd')).toThrow(/--budget-usd takes an amount in US dollars/);
    expect(parsePairs(['model=gpt-4', 'url=https://x/?a=b'], '--config')).toEqual({ model: 'gpt-4', url: 'https://x/?a=b' });
    expect(() => parsePairs(['model'], '--config')).toThrow(/--config takes key=value, not "model"/);
    expect(parseLogLevel(undefined, { ORCHESTRATE_LOG_LEVEL: 'debug' })).toBe('debug');
    expect(parseLogLevel('warn', { ORCHESTRATE_LOG_LEVEL: 'debug' })).toBe('warn');
    expect(() => parseLogLevel('verbose', {})).toThrow(/unknown log level "verbose"/);
    expect(() => parseLogLevel('debg', {})).toThrow(/did you mean debug\?/);
  });
});
