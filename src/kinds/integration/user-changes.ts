import type { LearningUpdate } from '../../expertise/merge.js';
import type { ChangesSinceApply } from '../../git/changes-since-apply.js';
import type { Role } from '../../providers/offline/script.js';

const TASK = 'repository-changes';

/**
 * What a person changed in the files of the service's last applied run, as learnings: each file
 * moved or renamed (and, when the whole integrations folder moved, where the integration files
 * live now, which the next run's layout follows: see asLearned in stack/probe.ts), deleted, or
 * edited. Only what git shows between the apply commit and the working tree; nothing from templates.
 */
export function userChangeLearnings(serviceName: string, seen: ChangesSinceApply): LearningUpdate[] {
  const context = `observed at the start of a run: commit ${seen.commit.slice(0, 12)} (the apply of run ${seen.runId}) against the working tree`;
  const learning = (insight: string, files: string[]): LearningUpdate => ({ insight, context, files_affected: files, agent: 'orchestrate', task: TASK });
  const out: LearningUpdate[] = [];
  const moves = seen.changes.filter((c) => c.kind === 'moved');
  const folder = movedFolder(moves);
  if (folder) out.push(learning(`${serviceName} integration files live in ${folder}/`, moves.map((m) => m.to)));
  for (const change of seen.changes) {
    if (change.kind === 'moved') out.push(learning(`A person moved ${change.path} to ${change.to} after run ${seen.runId} was applied`, [change.path, change.to]));
    if (change.kind === 'deleted') out.push(learning(`A person deleted ${change.path} after run ${seen.runId} was applied; later runs do not write it again`, [change.path]));
    if (change.kind === 'edited') out.push(learning(`A person edited ${change.path} after run ${seen.runId} was applied; later runs merge onto their version`, [change.path]));
    if (change.kind === 'edited-before-apply') out.push(learning(`A person edited ${change.path} in run ${seen.runId}'s staged files before applying it`, [change.path]));
    if (change.kind === 'merged-at-apply') out.push(learning(`Applying run ${seen.runId} kept the branch's own lines in ${change.path} (merged three ways)`, [change.path]));
  }
  return out;
}

/** The new integrations folder when every move kept the path below `<dir>/integrations/` and changed only `<dir>`. */
function movedFolder(moves: ReadonlyArray<{ path: string; to?: string }>): string | undefined {
  const folders = new Set<string>();
  for (const move of moves) {
    const from = /^(.*?integrations)\/(.+)$/.exec(move.path);
    const to = move.to ? /^(.*?integrations)\/(.+)$/.exec(move.to) : null;
    if (!from || !to || from[2] !== to[2] || from[1] === to[1]) return undefined;
    folders.add(to[1]!);
  }
  return folders.size === 1 ? [...folders][0] : undefined;
}

/** The files earlier runs' learnings say a person deleted after an apply. */
export function deletedByPerson(learnings: ReadonlyArray<{ insight: string }>): Set<string> {
  return new Set(learnings.flatMap(({ insight }) => /^A person deleted (\S+) after run \S+ was applied/.exec(insight)?.[1] ?? []));
}

/** A role that does not write again a file a person deleted after an earlier run was applied. */
export function keepingDeletions(role: Role): Role {
  return {
    steps: role.steps.map((step) => (state) => {
      const deleted = deletedByPerson(state.request.context.expertise.learnings);
      const calls = step(state);
      return deleted.size ? calls.filter((call) => call.name !== 'write_file' || !deleted.has(String(call.input.path))) : calls;
    }),
  };
}
