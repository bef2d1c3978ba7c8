import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

/**
 * A duration string such as `500ms`, `30s`, `5m`, `1h` or `1m30s` (Temporal-style). A negative
 * duration gets its own message, since "-1s" is a mistake of sign, not of format.
 *
 * @example
 * Duration.parse('1m30s'); durationToMs('1m30s') === 90_000
 */
export const Duration = z.string().superRefine((text, ctx) => {
  const trimmed = text.trim();
  if (trimmed.startsWith('-') && DURATION_PATTERN.test(trimmed.slice(1))) {
    ctx.addIssue({ code: 'custom', message: `negative duration "${text}"; use 0ms or more` });
  } else if (!DURATION_PATTERN.test(trimmed)) {
    ctx.addIssue({ code: 'custom', message: `unparseable duration "${text}"; expected a duration such as 500ms, 30s, 5m, 1h or 1m30s` });
  }
});
export type Duration = z.infer<typeof Duration>;

/** Converts a validated duration string to milliseconds. */
export function durationToMs(duration: Duration): number {
  const trimmed = duration.trim();
  if (!DURATION_PATTERN.test(trimmed)) throw new RangeError(`not a duration: ${duration}`);
  let ms = 0;
  for (const match of trimmed.matchAll(PART)) ms += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms;
}
