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

/** Credential shapes, one per secretlint rule it mirrors. */
const SHAPES: readonly RegExp[] = [
  /-----BEGIN[A-Z ]{0,40} PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END[A-Z ]{0,40} PRIVATE KEY( BLOCK)?-----|$)/, // privatekey
  /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/, // aws access key id
  /\b[sr]k_live_[0-9a-zA-Z]{10,247}\b/, // stripe live key (ours)
  /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/, // github
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/, // slack token
  /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9_/]{20,}/, // slack incoming webhook
  /\bsk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{20,}/, // anthropic
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}/, // openai
  /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{30,64}\b/, // sendgrid
  /\bnpm_[A-Za-z0-9]{36}\b/, // npm
  /\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b/, // shopify
  /\bAIza[0-9A-Za-z_-]{35}\b/, // gcp api key
  /\blin_api_[A-Za-z0-9]{40}\b/, // linear
];
const SHAPE = new RegExp(SHAPES.map((shape) => `(?:${shape.source})`).join('|'), 'g');
/** The password of `scheme://user:password@host` (basicauth, database connection strings). */
const URL_PASSWORD = /(\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:@/'"`]+:)([^\s@/'"`]{3,})(@)/g;

export interface Redactor {
  /** The text with every secret replaced by `[redacted]`; the same string when there was none. */
  text(text: string): string;
  /** A deep copy with every string redacted; the same object when nothing was redacted. */
  value<T>(value: T): T;
  /** Adds secret values (a variable the run declared later), for what is redacted from now on. */
  add(values: readonly string[]): void;
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

  const text = (input: string): string => {
    let out = input;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (out.length < MIN_SHAPE_LENGTH) return out;
    if (out.includes('://')) out = out.replace(URL_PASSWORD, (_m, head: string, password: string, at: string) => (password === REDACTED ? _m : `${head}${REDACTED}${at}`));
    SHAPE.lastIndex = 0;
    return SHAPE.test(out) ? out.replace(SHAPE, REDACTED) : out;
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

  return { text, value, add };
}
