import { styleText } from 'node:util';
import type { CliIO } from './io.js';

// The decision to colour is made once, here (colorEnabled), so styleText is told not to re-check the stream.

type Paint = (text: string) => string;

/** The few colours the CLI uses; all identity functions when colour is off. */
export interface Style {
  enabled: boolean;
  bold: Paint;
  dim: Paint;
  green: Paint;
  red: Paint;
  yellow: Paint;
  cyan: Paint;
}

/**
 * Colour on a terminal unless `NO_COLOR` is set and not empty (no-color.org) or `--no-color`
 * is given; `FORCE_COLOR` turns it on for pipes.
 */
export function colorEnabled(io: Pick<CliIO, 'env' | 'isTTY'>, noColorFlag = false): boolean {
  if (noColorFlag) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY === true && io.env.TERM !== 'dumb';
}

export function createStyle(enabled: boolean): Style {
  const paint = (format: Parameters<typeof styleText>[0]): Paint => (enabled ? (text) => styleText(format, text, { validateStream: false }) : (text) => text);
  return { enabled, bold: paint('bold'), dim: paint('dim'), green: paint('green'), red: paint('red'), yellow: paint('yellow'), cyan: paint('cyan') };
}
