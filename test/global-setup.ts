import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Lists, by name and reason, the tests skipped because something outside the clone is missing. */
export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-skips-'));
  const log = path.join(dir, 'skipped.txt');
  process.env.ORCHESTRATE_SKIP_LOG = log;
  return () => {
    let lines: string[] = [];
    try {
      lines = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].sort();
    } catch {
      // nothing was skipped
    }
    rmSync(dir, { recursive: true, force: true });
    if (lines.length === 0) return;
    process.stdout.write(`\nSkipped, needing what this machine lacks (${lines.length}):\n${lines.map((l) => `  - ${l}\n`).join('')}`);
  };
}
