import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** A duration string such as `500ms`, `30s`, `5m` or `1h`. */
export const Duration = z
  .string()
  .regex(DURATION_PATTERN, { message: 'expected a duration such as 500ms, 30s, 5m or 1h' });
export type Duration = z.infer<typeof Duration>;

/** Converts a validated duration string to milliseconds. */
export function durationToMs(duration: Duration): number {
  const match = DURATION_PATTERN.exec(duration);
  if (!match) throw new RangeError(`not a duration: ${duration}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
