import { randomBytes } from 'node:crypto';

/** Conflict markers this long never occur in a real file, so the output parses without doubt. */
const MARKER_SIZE = 31;

/** One conflicting hunk: the 1-based line range on each side (`end < start` for an insertion). */
export interface ConflictHunk {
  ours: { start: number; end: number };
  theirs: { start: number; end: number };
  /** Both sides only added lines at the same place: nothing of the base is in question. */
  insertionsOnly: boolean;
}

/** What `git merge-file --diff3` made of three versions. */
export interface MergeOutput {
  content: Buffer;
  conflicts: ConflictHunk[];
}

/**
 * The arguments of `git merge-file` printing a diff3 merge of `ours`, `base` and `theirs`
 * (file paths) to stdout, and the labels it will use; `union` keeps both sides of each conflict.
 */
export function mergeFileArgs(files: { ours: string; base: string; theirs: string }, union = false): { args: string[]; labels: MergeLabels } {
  const nonce = randomBytes(6).toString('hex');
  const labels = { ours: `ours-${nonce}`, base: `base-${nonce}`, theirs: `theirs-${nonce}` };
  const args = ['merge-file', '--stdout', '--quiet', union ? '--union' : '--diff3', `--marker-size=${MARKER_SIZE}`, '-L', labels.ours, '-L', labels.base, '-L', labels.theirs, files.ours, files.base, files.theirs];
  return { args, labels };
}

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

/**
 * Finds the conflict hunks in merge-file's diff3 output, counting lines on each side so a
 * conflict can be named by where it is in the branch's file and in the run's.
 */
export function parseConflicts(output: string, labels: MergeLabels): ConflictHunk[] {
  const start = `${'<'.repeat(MARKER_SIZE)} ${labels.ours}`;
  const baseMark = `${'|'.repeat(MARKER_SIZE)} ${labels.base}`;
  const middle = '='.repeat(MARKER_SIZE);
  const end = `${'>'.repeat(MARKER_SIZE)} ${labels.theirs}`;
  const hunks: ConflictHunk[] = [];
  let oursLine = 0;
  let theirsLine = 0;
  let section: 'none' | 'ours' | 'base' | 'theirs' = 'none';
  let hunk: { oursStart: number; theirsStart: number; baseLines: number } | undefined;
  for (const line of output.split('\n')) {
    if (line === start) {
      section = 'ours';
      hunk = { oursStart: oursLine + 1, theirsStart: theirsLine + 1, baseLines: 0 };
    } else if (section === 'ours' && line === baseMark) section = 'base';
    else if ((section === 'ours' || section === 'base') && line === middle) section = 'theirs';
    else if (section === 'theirs' && line === end && hunk) {
      hunks.push({
        ours: { start: hunk.oursStart, end: oursLine },
        theirs: { start: hunk.theirsStart, end: theirsLine },
        insertionsOnly: hunk.baseLines === 0,
      });
      section = 'none';
      hunk = undefined;
    } else if (section === 'ours') oursLine++;
    else if (section === 'base') hunk!.baseLines++;
    else if (section === 'theirs') theirsLine++;
    else {
      oursLine++;
      theirsLine++;
    }
  }
  return hunks;
}

/** `lines 3-5`, `line 3`, or `after line 2` for an empty range. */
export function describeRange(range: { start: number; end: number }): string {
  if (range.end < range.start) return range.start > 1 ? `after line ${range.start - 1}` : 'at the start';
  return range.end === range.start ? `line ${range.start}` : `lines ${range.start}-${range.end}`;
}
