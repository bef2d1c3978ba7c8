import type { SecretFinding } from '../schema/manifest.js';
import { envValueRule, stripeLiveKeyRule, type EnvValueOptions } from './secret-rules.js';

/** Values shorter than this are too common to mean a leak ("true", "8080", "us-east-1"). */
const MIN_ENV_VALUE_LENGTH = 8;

/** What to scan: staged text with the path it is reported under. */
export interface ScanTarget {
  source: SecretFinding['source'];
  /** The repository path, `notes/<name>`, or `learning (task <id>)`. */
  path: string;
  content: string;
  /** The file on disk, when there is one (some rules look at binary formats by path). */
  file?: string;
}

/** Scans text for secrets; findings never contain the secret. */
export interface SecretScanner {
  scan(target: ScanTarget): Promise<SecretFinding[]>;
}

/**
 * The environment variables whose values a run's scan looks for: those declared (by the
 * workflow's kind, such as a catalog service's, and by the run's research result), and any input
 * that names a variable (`--input tokenVar=ACME_TOKEN`) for services the catalog does not know.
 */
export function declaredEnvVars(inputs: Record<string, unknown>, declared: readonly string[] = []): string[] {
  const names = new Set<string>(declared.filter(isEnvVarName));
  for (const value of Object.values(inputs)) {
    for (const item of Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : []) {
      if (typeof item === 'string' && isEnvVarName(item)) names.add(item);
    }
  }
  return [...names].sort();
}

function isEnvVarName(name: string): boolean {
  return /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(name);
}

/** The values of the named variables that are set and long enough to mean something. */
export function envValues(names: readonly string[], env: Readonly<Record<string, string | undefined>>): EnvValueOptions['values'] {
  return names
    .map((name) => ({ name, value: env[name]?.trim() ?? '' }))
    .filter(({ value }) => value.length >= MIN_ENV_VALUE_LENGTH);
}

/**
 * A scanner running secretlint's maintained recommended preset, plus the Stripe live-key rule
 * and the declared environment values.
 *
 * Two changes from the preset's defaults, both to fail closed: the AWS access key id rule is
 * switched on, and the `secretlint-disable` comment filter is left out, because the text
 * scanned is written by a model and must not be able to silence its own scan. The preset's
 * rules are registered one by one: @secretlint/core 11 ignores `disabled` on a rule inside a
 * preset, so leaving the filter out is the only way to turn it off.
 *
 * @example
 * const scanner = createSecretScanner(envValues(declaredEnvVars({}, ['TWILIO_AUTH_TOKEN']), process.env));
 * const findings = await scanner.scan({ source: 'file', path: 'src/a.ts', content });
 */
export function createSecretScanner(values: EnvValueOptions['values'] = []): SecretScanner {
  // secretlint is loaded by the first scan: a run that stages nothing never loads it.
  let loaded: Promise<Scan> | undefined;
  return {
    async scan(target) {
      const scan = await (loaded ??= loadScan(values));
      return scan(target);
    },
  };
}

type Scan = (target: ScanTarget) => Promise<SecretFinding[]>;

const NO_MARKS = { mark: () => undefined, measure: () => undefined };

async function loadScan(values: EnvValueOptions['values']): Promise<Scan> {
  const [{ lintSource }, { rules: recommendedRules }, { secretLintProfiler }] = await Promise.all([
    import('@secretlint/core'),
    import('@secretlint/secretlint-rule-preset-recommend'),
    import('@secretlint/profiler'),
  ]);
  // secretlint times every rule of every scan into a process-wide profiler that keeps every mark
  // and searches them all at each new one: quadratic CPU and unbounded memory in a process that
  // scans for hours (a queue worker, the ui). Nothing here reads it, so its marks go nowhere.
  Reflect.set(secretLintProfiler, 'perf', NO_MARKS); // a private field in its types, public at run time
  const config = {
    rules: [
      ...recommendedRules
        .filter((rule) => rule.meta.id !== '@secretlint/secretlint-rule-filter-comments')
        .map((rule) => ({ id: rule.meta.id, rule, options: rule.meta.id === '@secretlint/secretlint-rule-aws' ? { enableIDScanRule: true } : {} })),
      { id: stripeLiveKeyRule.meta.id, rule: stripeLiveKeyRule },
      ...(values.length ? [{ id: envValueRule.meta.id, rule: envValueRule, options: { values } }] : []),
    ],
  };
  return async (target) => {
    const result = await lintSource({
      source: { content: target.content, filePath: target.file ?? target.path, contentType: 'text' },
      options: { config, maskSecrets: true, noPhysicFilePath: target.file === undefined },
    });
    return result.messages.map((message) => ({
      source: target.source,
      path: target.path,
      line: message.loc.start.line,
      column: message.loc.start.column + 1,
      rule: message.ruleId,
      message: shorten(message.message),
    }));
  };
}

/** A masked private key is a line of hundreds of stars; keep messages to one readable line. */
function shorten(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').replace(/\*{8,}/g, '********');
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}

/** `src/a.ts:3:7 @secretlint/secretlint-rule-aws: found AWS Access Key ID: ********` */
export function formatFinding(finding: SecretFinding): string {
  return `${finding.path}:${finding.line}:${finding.column} ${finding.rule}: ${finding.message}`;
}
