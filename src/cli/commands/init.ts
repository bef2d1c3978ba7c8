import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../index.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { workspaceOf } from '../invoke.js';
import type { Command } from '../io.js';

const OPTIONS = { ...COMMON_OPTIONS, force: { type: 'boolean' } } as const;

/** The package files init copies, as paths relative to the package root. */
async function builtInFiles(): Promise<string[]> {
  const list = async (dir: string, ext: string) => (await readdir(path.join(PACKAGE_ROOT, dir)).catch(() => [] as string[])).filter((n) => n.endsWith(ext)).sort().map((n) => `${dir}/${n}`);
  const domains = await readdir(path.join(PACKAGE_ROOT, 'expertise')).catch(() => [] as string[]);
  return [...(await list('agents', '.md')), ...(await list('workflows', '.yaml')), ...domains.sort().map((d) => `expertise/${d}/expertise.yaml`)];
}

export const command: Command = {
  summary: 'Copy the built-in agents, workflows and seed expertise here to customise',
  usage: `Usage: orchestrate init [--force] [options]

Copies the built-in agents (agents/*.md), workflows (workflows/*.yaml) and the seed expertise
(expertise/<domain>/expertise.yaml) into the repository, so you can change them. Your copies
win over the built-in ones. Files you already have are kept unless you pass --force.

  --force      overwrite files that already exist
  --cwd <dir>  the repository to initialise (default: the current directory)
  --json       print what was copied and kept as JSON

Examples:
  orchestrate init
  orchestrate init --cwd ../my-service`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('init', argv, OPTIONS);
    noExtra(positionals, 'init');
    const workspace = workspaceOf(io, values.cwd);
    await mkdir(workspace, { recursive: true });
    const copied: string[] = [];
    const kept: string[] = [];
    if ((await realpath(workspace)) !== (await realpath(PACKAGE_ROOT))) {
      for (const file of await builtInFiles()) {
        const target = path.join(workspace, ...file.split('/'));
        await mkdir(path.dirname(target), { recursive: true });
        try {
          await copyFile(path.join(PACKAGE_ROOT, ...file.split('/')), target, values.force ? 0 : constants.COPYFILE_EXCL);
          copied.push(file);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          kept.push(file);
        }
      }
    }
    if (values.json) {
      io.out(JSON.stringify({ workspace, copied, kept }));
      return 0;
    }
    for (const file of copied) io.out(`  + ${file}`);
    for (const file of kept) io.out(`  = ${file} (yours, kept; --force overwrites)`);
    io.out(
      copied.length + kept.length === 0
        ? 'This is the orchestrate package itself: its agents, workflows and expertise are already here.'
        : `Copied ${copied.length} files${kept.length ? `, kept ${kept.length} of yours` : ''}. Edit them; "orchestrate validate" checks your changes.`,
    );
    return 0;
  },
};
