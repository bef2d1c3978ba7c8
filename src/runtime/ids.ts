import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

/** Makes run ids: sortable by time, readable, and unique: `20261122-010512-twilio-3f9a1c`. */
export type RunIdFactory = (hint: string) => string;

export function timeOrderedRunIds(clock: Clock): RunIdFactory {
  return (hint) => {
    const stamp = new Date(clock.now()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const slug = hint.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24);
    return [stamp, slug, randomBytes(3).toString('hex')].filter(Boolean).join('-');
  };
}
