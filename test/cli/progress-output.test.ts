import { describe, expect, it } from 'vitest';
import { foldTree, initialTree, renderTree, type TreeOutline } from '../../src/cli/live-tree.js';
import { progressLine } from '../../src/cli/progress.js';
import { colorEnabled, createStyle } from '../../src/cli/style.js';
import type { RunEvent } from '../../src/schema/events.js';
import { emptyUsage } from '../../src/schema/usage.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const runId = 'r1';
const usage = (input: number, output: number, costUsd = 0) => ({ ...emptyUsage(), inputTokens: input, outputTokens: output, costUsd });

const OUTLINE: TreeOutline = {
  phases: [
    { id: 'research-planning', name: 'Research & Planning', tasks: [{ id: 'research', agent: 'research-manager' }, { id: 'plan', agent: 'integration-specialist' }] },
    { id: 'configuration', name: 'Configuration', tasks: [{ id: 'configure', agent: 'integration-specialist' }] },
  ],
};

const EVENTS: RunEvent[] = [
  { type: 'run-start', runId, at: at(0), workflow: 'integrate', inputs: { service: 'twilio' }, model: 'offline', provider: 'offline', banner: 'offline', taskCount: 3 },
  { type: 'phase-start', runId, at: at(0), phase: 'research-planning', name: 'Research & Planning' },
  { type: 'task-start', runId, at: at(5), phase: 'research-planning', task: 'research', agent: 'research-manager', attempt: 1 },
  { type: 'task-start', runId, at: at(5), phase: 'research-planning', task: 'plan', agent: 'integration-specialist', attempt: 1 },
  { type: 'artifact-write', runId, at: at(100), task: 'research', agent: 'research-manager', kind: 'note', path: 'notes/research.md', sha256: 'x', size: 10 },
  { type: 'task-end', runId, at: at(1205), phase: 'research-planning', task: 'research', agent: 'research-manager', status: 'done', durationMs: 1200, usage: usage(2000, 1100, 0.0123), model: 'offline' },
] as RunEvent[];

const plain = createStyle(false);

describe('live tree: a pure function of the events', () => {
  it('shows pending work from the outline, then status, time, tokens and cost as events arrive', () => {
    const state = initialTree(OUTLINE);
    expect(renderTree(state, T0, plain).join('\n')).toMatch(/· Configuration\n {2}· configure/);
    for (const event of EVENTS) foldTree(state, event);
    const lines = renderTree(state, T0 + 2000, plain, 120);
    expect(lines[0]).toMatch(/^integrate r1 {2}1\/3 tasks · 2\.0s · 3\.1k tok · \$0\.01$/);
    expect(lines[1]).toMatch(/^⠋|^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Research & Planning$/);
    expect(lines[2]).toMatch(/^ {2}✓ research +research-manager +1\.2s +3\.1k tok +\$0\.01$/);
    // A running task shows its elapsed time from the clock the renderer is given, and what it did last.
    expect(lines[3]).toMatch(/^ {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] plan +integration-specialist +2\.0s +0 tok +\$0$/);
    expect(lines[4]).toBe('· Configuration');
    expect(lines[5]).toMatch(/^ {2}· configure +integration-specialist$/);
  });

  it('marks failures with their reason, and the run as ended', () => {
    const state = initialTree(OUTLINE);
    for (const event of EVENTS) foldTree(state, event);
    foldTree(state, { type: 'task-end', runId, at: at(3000), phase: 'research-planning', task: 'plan', agent: 'integration-specialist', status: 'failed', durationMs: 2995, usage: usage(10, 10), model: 'offline', error: { code: 'X', message: 'model refused' } } as RunEvent);
    foldTree(state, { type: 'run-end', runId, at: at(3000), status: 'failed', durationMs: 3000, usage: usage(0, 0) } as RunEvent);
    const text = renderTree(state, T0 + 99_000, plain, 120).join('\n');
    expect(text).toMatch(/✗ plan .* model refused/);
    expect(text).toContain('· 3.0s ·'); // the run's time stops at run-end
    expect(state.status).toBe('failed');
  });

  it('colours only when colour is on, and never with NO_COLOR', () => {
    const state = initialTree(OUTLINE);
    for (const event of EVENTS) foldTree(state, event);
    expect(renderTree(state, T0, createStyle(true)).join('\n')).toContain('\x1b[');
    expect(renderTree(state, T0, plain).join('\n')).not.toContain('\x1b[');
    expect(colorEnabled({ env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ env: { NO_COLOR: '' }, isTTY: true })).toBe(true);
    expect(colorEnabled({ env: {}, isTTY: false })).toBe(false);
    expect(colorEnabled({ env: {}, isTTY: true }, true)).toBe(false);
  });
});

describe('plain lines: one per event, more with --verbose', () => {
  it('prints phases and tasks always, tool calls and writes only when verbose', () => {
    const quietLines = EVENTS.map((e) => progressLine(e)).filter(Boolean);
    expect(quietLines).toHaveLength(5);
    expect(quietLines[4]).toBe('  ✓ research done in 1.2s, 3.1k tok, $0.01');
    expect(progressLine(EVENTS[4]!, true)).toBe('    + research wrote note notes/research.md (10 bytes)');
  });
});
