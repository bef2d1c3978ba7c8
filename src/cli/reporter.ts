import type { RunEvent } from '../index.js';
import type { CliIO } from './io.js';
import { foldTree, initialTree, renderTree, type TreeOutline } from './live-tree.js';
import { progressLine } from './progress.js';
import type { Style } from './style.js';

/** How a run shows its progress: live tree, plain lines, NDJSON, or nothing. */
export type OutputMode = 'tree' | 'lines' | 'json' | 'quiet';

export interface Reporter {
  event(event: RunEvent): void;
  /** Stops redrawing and leaves the final frame on screen. Safe to call twice. */
  close(): void;
  /** Stops redrawing for a while (a question on the terminal); `resume` draws below it. */
  pause?(): void;
  resume?(): void;
}

/** `--json` wins, then `--quiet`, then a terminal gets the tree and anything else plain lines. */
export function outputMode(flags: { json?: boolean | undefined; quiet?: boolean | undefined }, io: Pick<CliIO, 'isTTY' | 'write' | 'env'>): OutputMode {
  if (flags.json) return 'json';
  if (flags.quiet) return 'quiet';
  return io.isTTY && io.write && io.env.TERM !== 'dumb' && !io.env.CI ? 'tree' : 'lines';
}

export function createReporter(mode: OutputMode, io: CliIO, style: Style, options: { verbose?: boolean | undefined; outline?: TreeOutline | undefined; now?: () => number } = {}): Reporter {
  switch (mode) {
    case 'json':
      return { event: (event) => io.out(JSON.stringify(event)), close: () => undefined };
    case 'quiet':
      return { event: () => undefined, close: () => undefined };
    case 'lines':
      return {
        event: (event) => {
          const line = progressLine(event, options.verbose);
          if (line) io.out(line);
        },
        close: () => undefined,
      };
    case 'tree':
      return treeReporter(io, style, options.outline, options.now ?? Date.now);
  }
}

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const REDRAW_MS = 100;

/** Redraws the tree in place: cursor up over the last frame, clear to the end, draw. */
function treeReporter(io: CliIO, style: Style, outline: TreeOutline | undefined, now: () => number): Reporter {
  const write = io.write!;
  const state = initialTree(outline);
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let paused = false;
  const draw = () => {
    const lines = renderTree(state, now(), style, io.columns ?? 100);
    write(`${drawn ? `\x1b[${drawn}F` : ''}\x1b[J${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  return {
    event(event) {
      if (closed) return;
      if (event.type === 'run-start') {
        io.out(style.dim(event.banner));
        write(HIDE_CURSOR);
        timer = setInterval(draw, REDRAW_MS);
        timer.unref();
      }
      foldTree(state, event);
      if (state.status !== 'starting' && !paused) draw();
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      if (drawn) draw();
      write(SHOW_CURSOR);
    },
    pause() {
      if (closed) return;
      if (timer) clearInterval(timer);
      timer = undefined;
      if (drawn) draw();
      paused = true;
      drawn = 0; // the next frame is drawn below what is printed meanwhile
      write(SHOW_CURSOR);
    },
    resume() {
      if (closed || timer) return;
      paused = false;
      write(HIDE_CURSOR);
      timer = setInterval(draw, REDRAW_MS);
      timer.unref();
    },
  };
}
