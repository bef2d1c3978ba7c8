/**
 * Redaction of secret values from everything a run outputs. One redactor per run, applied where
 * events, task results and run files are made, so no output can forget it.
 *
 * Two kinds of secret are cut: the values of the run's secret variables (the API key, the
 * variables the service declares), wherever they appear; and text in the shape of a known
 * credential. The shapes are those the secret scan (secretlint's recommended preset, plus the
 * Stripe live-key rule) reports, written here as plain regular expressions because the scan is
 * asynchronous and costs milliseconds per text, while redaction runs on every event: this is
 * one linear pass per string, and nothing is copied where nothing matched.
 */

export const REDACTED = '[redacted]';

/** Secret values shorter than this are not hunted in text: too likely to be ordinary words. */
const MIN_VALUE_LENGTH = 8;
/** No credential shape below is shorter than this. */
const MIN_SHAPE_LENGTH = 16;

/** Before a value assigned to a name: `=`, `:` or `=>`, with optional quotes and spaces. */
const ASSIGNED = String.raw`["']?\s*(?::|=>|=)\s*["']?`;

/**
 * Credential shapes, covering every rule of secretlint's recommended preset (11.x) and the
 * Stripe live-key rule; test/staging/redactor-preset.test.ts checks each rule's own report of a
 * sample is cut, and fails when the installed preset has a rule without a sample. Where a rule
 * reports a value by the name it is assigned to, a lookbehind keeps the name and cuts the value.
 */
const SHAPES: readonly RegExp[] = [
  /-----BEGIN[A-Z ]{0,40} PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END[A-Z ]{0,40} PRIVATE KEY( BLOCK)?-----|$)/, // privatekey, gcp (a service account's JSON holds one)
  /\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/, // aws access key id
  new RegExp(String.raw`(?<=(?:AWS|aws|Aws)?_?(?:SECRET|secret|Secret)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)${ASSIGNED})[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])`), // aws secret access key
  new RegExp(String.raw`(?<=(?:AWS|aws|Aws)?_?(?:ACCOUNT|account|Account)_?(?:ID|id|Id)?${ASSIGNED})[0-9]{4}-?[0-9]{4}-?[0-9]{4}\b`), // aws account id
  /\b[sr]k_live_[0-9a-zA-Z]{10,247}\b/, // stripe live key (ours)
  /\b(?:gh[pousr]_[A-Za-z0-9_]{36,255}|github_pat_[A-Za-z0-9_]{22,255})/, // github
  /(?<=https?:\/\/)[^\s:@/]{1,256}(?=:x-oauth-basic@github\.com\/)/, // npm: a GitHub token in a package.json URL
  /(?<=_authToken=)[^$\s]\S*/, // npm: .npmrc _authToken
  /\bnpm_[A-Za-z0-9_]{36,}/, // npm access token
  /\b(?:xox[abposr]|xapp)-(?:\d-)?(?:[a-zA-Z0-9]{1,40}-)+[a-zA-Z0-9]{1,40}\b/, // slack token
  /https:\/\/hooks\.slack\.com\/services\/T[a-zA-Z0-9]{1,40}\/B[a-zA-Z0-9]{1,40}\/[a-zA-Z0-9]{1,40}/, // slack incoming webhook
  /\bsk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{20,}/, // anthropic
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}/, // openai
  /\bSG\.\w{1,128}\.\w{1,128}[-_]?\w{1,128}/, // sendgrid
  /\bshp(?:at|ss|ca|pa)_[a-zA-Z0-9]{32,64}/, // shopify
  /\bAIza[0-9A-Za-z_-]{35}\b/, // gcp api key (ours: the preset's gcp rule reads key files)
  /\blin_api_[a-zA-Z0-9_]{32,128}/, // linear
  /\bops_ey[A-Za-z0-9+/=]{100,1280}fQ={0,2}/, // 1password service account token
];
const SHAPE = new RegExp(SHAPES.map((shape) => `(?:${shape.source})`).join('|'), 'g');
/** The password of `scheme://user:password@host` (the basicauth and database-connection-string rules). */
const URL_PASSWORD = /(\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:@/'"`]+:)([^\s@/'"`]{3,})(@)/g;

export interface Redactor {
  /** The text with every secret replaced by `[redacted]`; the same string when there was none. */
  text(text: string): string;
  /** A deep copy with every string redacted; the same object when nothing was redacted. */
  value<T>(value: T): T;
  /** Adds secret values (a variable the run declared later), for what is redacted from now on. */
  add(values: readonly string[]): void;
  /** The values added after the redactor was made: outputs written before may hold them. */
  late(): string[];
}

/**
 * A run's redactor.
 *
 * @example
 * const redactor = createRedactor(secretValues(process.env, ['TWILIO_AUTH_TOKEN']));
 * journal.append(redactor.value(event));
 */
export function createRedactor(values: readonly string[] = []): Redactor {
  let secrets: string[] = [];
  const add = (more: readonly string[]) => {
    const all = new Set([...secrets, ...more.map((v) => v.trim()).filter((v) => v.length >= MIN_VALUE_LENGTH)]);
    // Longest first, so a secret that contains another is cut whole.
    secrets = [...all].sort((a, b) => b.length - a.length);
  };
  add(values);
  const initial = new Set(secrets);

  const text = (input: string): string => {
    let out = input;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (out.length < MIN_SHAPE_LENGTH) return out;
    SHAPE.lastIndex = 0;
    if (SHAPE.test(out)) out = out.replace(SHAPE, REDACTED);
    if (out.includes('://')) out = out.replace(URL_PASSWORD, (_m, head: string, password: string, at: string) => (password === REDACTED ? _m : `${head}${REDACTED}${at}`));
    return out;
  };

  const value = <T>(input: T): T => {
    if (typeof input === 'string') return text(input) as T;
    if (Array.isArray(input)) {
      let copy: unknown[] | undefined;
      input.forEach((item, i) => {
        const redacted = value(item);
        if (redacted !== item) (copy ??= [...input])[i] = redacted;
      });
      return (copy ?? input) as T;
    }
    // Plain objects and the engine's event records (class instances such as TaskEndEvent, shaped
    // for V8): a record with a secret comes back as a plain copy, a clean one as it was.
    if (input !== null && typeof input === 'object' && !(input instanceof Date) && !ArrayBuffer.isView(input)) {
      let copy: Record<string, unknown> | undefined;
      for (const [key, item] of Object.entries(input)) {
        const redacted = value(item);
        if (redacted !== item) (copy ??= { ...(input as Record<string, unknown>) })[key] = redacted;
      }
      return (copy ?? input) as T;
    }
    return input;
  };

  return { text, value, add, late: () => secrets.filter((secret) => !initial.has(secret)) };
}
