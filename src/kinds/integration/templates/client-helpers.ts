import type { ServiceEntry } from '../catalog/schema.js';

const mark = (confidence: string) => (confidence === 'unverified' ? ' (UNVERIFIED)' : '');

/** The module-level functions of the generated client: error fields, form encoding, Retry-After and reset waits. */
export function clientHelpers(service: ServiceEntry): string {
  const http = service.http!;
  const auth = service.auth;
  const reset = service.rateLimit.resetHeader;
  return `/** The service's error code and message from an error body (${http.errors.code ?? 'no code'} / ${http.errors.message ?? 'no message'})${mark(http.errors.confidence)}. */
function errorFields(json: unknown): [code: string | undefined, message: string | undefined] {
  const at = (path: string | undefined): string | undefined => {
    if (!path) return undefined;
    let value: unknown = json;
    for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 200) : undefined;
  };
  return [at(${JSON.stringify(http.errors.code)}), at(${JSON.stringify(http.errors.message)})];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
${auth.bodyEncoding === 'form' ? `
/** Form encoding: scalar arrays as repeated keys, objects in bracket notation (\\\`metadata[order]=1\\\`). */
function formEncode(body: Record<string, unknown>): string {
  const params = new URLSearchParams();
  const add = (key: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => (item !== null && typeof item === 'object' ? add(\`\${key}[\${index}]\`, item) : add(key, item)));
    } else if (typeof value === 'object') {
      for (const [inner, item] of Object.entries(value)) add(\`\${key}[\${inner}]\`, item);
    } else {
      params.append(key, String(value));
    }
  };
  for (const [key, value] of Object.entries(body)) add(key, value);
  return params.toString();
}
` : ''}
/** Milliseconds to wait before retrying, from Retry-After (seconds or HTTP date). */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Milliseconds until the rate limit resets${reset ? `, from ${reset.name} (${reset.unit})` : ' (no reset header is documented)'}. */
export function resetWaitMs(headers: Headers, now: number): number | undefined {
${reset ? resetSource(reset) : '  void headers;\n  void now;\n  return undefined;'}
}`;
}

function resetSource(reset: NonNullable<ServiceEntry['rateLimit']['resetHeader']>): string {
  const read = `  const reset = headers.get(${JSON.stringify(reset.name)});\n  if (!reset) return undefined;\n`;
  switch (reset.unit) {
    case 'epoch-seconds':
      return `${read}  const epochMs = Number(reset) * 1000;\n  return Number.isFinite(epochMs) ? Math.max(0, epochMs - now) : undefined;`;
    case 'seconds':
      return `${read}  const seconds = Number(reset);\n  return Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : undefined;`;
    case 'rfc3339':
      return `${read}  const at = Date.parse(reset);\n  return Number.isNaN(at) ? undefined : Math.max(0, at - now);`;
  }
}

