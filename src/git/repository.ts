import { isUtf8 } from 'node:buffer';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { SimpleGit } from 'simple-git';
import { UserError } from '../errors.js';
import type { RunBase } from '../schema/manifest.js';
import { mergeFileArgs, parseConflicts, type MergeOutput } from './three-way.js';

/**
 * Ambient GIT_* variables simple-git lets through: who the author is, and test isolation of
 * the user's config. Everything else (GIT_DIR, GIT_WORK_TREE...) is dropped by simple-git.
 */
const ALLOWED_ENV = [
  'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE',
  'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM',
];

/** Operations that leave a repository half-way; apply refuses to start in one. */
const IN_PROGRESS: ReadonlyArray<[marker: string, name: string, abort: string]> = [
  ['MERGE_HEAD', 'a merge', 'git merge --abort'],
  ['rebase-merge', 'a rebase', 'git rebase --abort'],
  ['rebase-apply', 'a rebase or am', 'git rebase --abort'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick', 'git cherry-pick --abort'],
  ['REVERT_HEAD', 'a revert', 'git revert --abort'],
  ['BISECT_LOG', 'a bisect', 'git bisect reset'],
];

/** One entry of `git status`: the two status letters and the path from the repository root. */
export interface StatusEntry {
  code: string;
  path: string;
}

/**
 * A git repository, through simple-git. Every command runs with `--literal-pathspecs`, so a
 * staged path such as `*.ts` or `:(glob)x` names only itself, and every path goes after `--`.
 * Callers never pass text from a run as an option; branch names are checked first with
 * {@link GitRepository.checkBranchName}.
 */
export class GitRepository {
  private constructor(
    /** The repository's top level, real path. */
    readonly root: string,
    private readonly git: SimpleGit,
  ) {}

  /** Opens the repository that contains `dir`; a directory outside git is a user error. */
  static async open(dir: string): Promise<GitRepository> {
    const probe = client(dir);
    const top = await probe.raw(['rev-parse', '--show-toplevel']).catch(() => undefined);
    if (!top?.trim()) throw new UserError('NOT_A_GIT_REPO', `${dir} is not inside a git repository; run git init (and commit once) first`);
    const root = realpathSync(top.trim());
    return new GitRepository(root, client(root));
  }

  /** Runs git with the given arguments from the repository root; returns stdout. */
  run(args: string[]): Promise<string> {
    return this.git.raw(['--literal-pathspecs', ...args]);
  }

  /** The git directory shared by every worktree of the repository, real path. */
  async commonDir(): Promise<string> {
    return realpathSync(path.resolve(this.root, (await this.run(['rev-parse', '--git-common-dir'])).trim()));
  }

  /** The half-done operation the repository is in, with how to end it, or undefined. */
  async operationInProgress(): Promise<{ name: string; abort: string } | undefined> {
    for (const [marker, name, abort] of IN_PROGRESS) {
      const file = (await this.run(['rev-parse', '--git-path', marker])).trim();
      if (existsSync(path.resolve(this.root, file))) return { name, abort };
    }
    return undefined;
  }

  /** The checked-out branch, or undefined on a detached HEAD. */
  async currentBranch(): Promise<string | undefined> {
    const name = await this.run(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '');
    return name.trim() || undefined;
  }

  /** The commit a revision names, or undefined (an unborn branch, a missing ref). */
  async resolve(revision: string): Promise<string | undefined> {
    const sha = await this.run(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).catch(() => '');
    return sha.trim() || undefined;
  }

  async branchExists(name: string): Promise<boolean> {
    return (await this.resolve(`refs/heads/${name}`)) !== undefined;
  }

  /** Refuses a name git would not accept as a branch, or that could be read as an option. */
  async checkBranchName(name: string): Promise<void> {
    const bad = () => new UserError('BAD_BRANCH', `"${name}" is not a valid branch name (see git check-ref-format)`);
    if (name.startsWith('-') || name.includes('@{') || name === 'HEAD') throw bad();
    await this.run(['check-ref-format', `refs/heads/${name}`]).catch(() => {
      throw bad();
    });
  }

  /** `git status` of the given paths (root-relative): modified, staged, untracked or deleted. */
  async status(paths: readonly string[]): Promise<StatusEntry[]> {
    if (!paths.length) return [];
    const out = await this.run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths]);
    const entries: StatusEntry[] = [];
    const fields = out.split('\0');
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (field.length < 4) continue;
      entries.push({ code: field.slice(0, 2), path: field.slice(3) });
      if (field[0] === 'R' || field[0] === 'C') i++; // a rename's source follows
    }
    return entries;
  }

  /** Untracked paths among these that .gitignore excludes. */
  async ignored(paths: readonly string[]): Promise<string[]> {
    if (!paths.length) return [];
    const out = await this.run(['check-ignore', '-z', '--', ...paths]).catch(() => '');
    return out.split('\0').filter(Boolean);
  }

  /** Object ids of the blobs at these paths in a commit (path -> id). */
  async blobIds(commit: string, paths: readonly string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    if (!paths.length) return ids;
    const out = await this.run(['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths]);
    for (const line of out.split('\0').filter(Boolean)) {
      const [meta, file] = line.split('\t');
      const id = meta?.split(' ')[2];
      if (file && id) ids.set(file, id);
    }
    return ids;
  }

  async switchBranch(name: string, create: boolean): Promise<void> {
    await this.run(create ? ['switch', '--quiet', '--create', name] : ['switch', '--quiet', name]);
  }

  /** Creates a branch at a commit (an id, never text from a run) and switches to it. */
  async createBranch(name: string, start: string): Promise<void> {
    await this.run(['switch', '--quiet', '--no-track', '--create', name, start]);
  }

  async deleteBranch(name: string): Promise<void> {
    await this.run(['branch', '--quiet', '--delete', '--force', name]);
  }

  async add(paths: readonly string[]): Promise<void> {
    if (paths.length) await this.run(['add', '--', ...paths]);
  }

  async remove(paths: readonly string[]): Promise<void> {
    if (paths.length) await this.run(['rm', '--quiet', '--ignore-unmatch', '--', ...paths]);
  }

  /** Commits exactly these paths (other staged changes stay staged); returns the commit. */
  async commit(messageFile: string, paths: readonly string[]): Promise<string> {
    await this.run(['commit', '--quiet', '--no-edit', `--file=${messageFile}`, '--only', '--', ...paths]);
    return (await this.resolve('HEAD'))!;
  }

  /**
   * Commits `paths` as they are in the working tree (like {@link GitRepository.commit}) together
   * with `blobs`, files committed with the given content whatever the working tree holds. It
   * builds the commit in a temporary index (HEAD, then these paths and blobs), so the working
   * tree, and what the person has staged in the real index, are left as they are; hooks run as
   * for any commit. Returns the new commit.
   */
  async commitWithBlobs(messageFile: string, paths: readonly string[], blobs: ReadonlyArray<{ path: string; content: Buffer }>): Promise<string> {
    const gitDir = (await this.run(['rev-parse', '--absolute-git-dir'])).trim();
    const index = path.join(gitDir, 'orchestrate-apply.index');
    const git = client(this.root, undefined, index);
    const run = (args: string[]) => git.raw(['--literal-pathspecs', ...args]);
    try {
      await rm(index, { force: true });
      await run(['read-tree', 'HEAD']);
      const present = paths.filter((p) => existsSync(path.join(this.root, ...p.split('/'))));
      const gone = paths.filter((p) => !present.includes(p));
      if (present.length) await run(['add', '--', ...present]);
      if (gone.length) await run(['rm', '--quiet', '--cached', '--ignore-unmatch', '--', ...gone]);
      for (const blob of blobs) {
        const mode = (await this.indexEntryIn(run, blob.path))?.mode ?? '100644';
        await run(['update-index', '--add', '--cacheinfo', `${mode},${await this.writeBlob(blob.content)},${blob.path}`]);
      }
      await run(['commit', '--quiet', '--no-edit', `--file=${messageFile}`]);
      return (await this.resolve('HEAD'))!;
    } finally {
      await rm(index, { force: true });
    }
  }

  /** The index's entry for a path (mode and blob id), or undefined when the index has none. */
  indexEntry(repoPath: string): Promise<{ mode: string; blob: string } | undefined> {
    return this.indexEntryIn((args) => this.run(args), repoPath);
  }

  private async indexEntryIn(run: (args: string[]) => Promise<string>, repoPath: string): Promise<{ mode: string; blob: string } | undefined> {
    const out = await run(['ls-files', '--stage', '-z', '--', repoPath]);
    const [mode, blob] = out.split('\0')[0]?.split('\t')[0]?.split(' ') ?? [];
    return mode && blob ? { mode, blob } : undefined;
  }

  /** Sets the index's entry for a path to a blob, leaving the working tree alone. */
  async setIndexEntry(repoPath: string, entry: { mode: string; blob: string }): Promise<void> {
    await this.run(['update-index', '--add', '--cacheinfo', `${entry.mode},${entry.blob},${repoPath}`]);
  }

  /** Stores content as a blob in the object database; returns its id. */
  async writeBlob(content: Buffer): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-blob-'));
    try {
      const file = path.join(dir, 'blob');
      await writeFile(file, content);
      return (await this.run(['hash-object', '-w', '--no-filters', '--', file])).trim();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The newest commit on a branch whose message has this exact line, or undefined. */
  async findCommitWithLine(branch: string, line: string): Promise<string | undefined> {
    const out = await this.run(['log', '--fixed-strings', `--grep=${line}`, '--format=%H%x00%B%x01', `refs/heads/${branch}`, '--']).catch(() => '');
    for (const entry of out.split('\x01')) {
      const [sha, body] = entry.split('\0');
      if (sha && body?.split('\n').includes(line)) return sha.trim();
    }
    return undefined;
  }

  /** The newest commit reachable from `revision` with a message line matching an extended regular expression. */
  async findCommitMatching(revision: string, pattern: string): Promise<string | undefined> {
    const out = await this.run(['log', '-1', '-E', `--grep=${pattern}`, '--format=%H', revision, '--']).catch(() => '');
    return out.trim() || undefined;
  }

  /** Puts these paths back as they are in `commit`, in the index and the working tree. */
  async restore(commit: string, paths: readonly string[]): Promise<void> {
    if (paths.length) await this.run(['restore', `--source=${commit}`, '--staged', '--worktree', '--', ...paths]);
  }

  /** The content of a blob. */
  async readBlob(id: string): Promise<Buffer> {
    return (await this.git.binaryCatFile(['blob', id])) as Buffer;
  }

  /**
   * Merges three versions of a file with `git merge-file` (diff3), changing nothing in the
   * repository; with `union`, each conflict keeps both sides. Undefined when git cannot merge
   * them (a binary file).
   */
  async mergeFile(versions: { ours: Buffer; base: Buffer; theirs: Buffer }, union = false): Promise<MergeOutput | undefined> {
    // Text only, and UTF-8 only, since the merged text comes back as a string.
    if (![versions.ours, versions.base, versions.theirs].every(isUtf8Text)) return undefined;
    const dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-merge-'));
    try {
      const files = { ours: path.join(dir, 'ours'), base: path.join(dir, 'base'), theirs: path.join(dir, 'theirs') };
      await Promise.all([writeFile(files.ours, versions.ours), writeFile(files.base, versions.base), writeFile(files.theirs, versions.theirs)]);
      const { args, labels } = mergeFileArgs(files, union);
      // merge-file exits with the number of conflicts; only a negative exit (255) is a failure.
      const output = await client(this.root, (code) => code >= 0 && code < 128).raw(args).catch(() => undefined);
      if (output === undefined) return undefined;
      return { content: Buffer.from(output, 'utf8'), conflicts: union ? [] : parseConflicts(output, labels) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Paths in a commit whose content matches an extended regular expression (`git grep -E`). */
  async grep(commit: string, pattern: string): Promise<string[]> {
    const out = await client(this.root, (code) => code === 0 || code === 1).raw(['grep', '-l', '-I', '-E', '-e', pattern, commit, '--']).catch(() => '');
    return out.split('\n').filter(Boolean).map((line) => line.slice(commit.length + 1));
  }

  /** Takes these paths out of the index without touching the working tree. */
  async unstage(paths: readonly string[]): Promise<void> {
    if (paths.length) await this.run(['rm', '--quiet', '--cached', '--ignore-unmatch', '--', ...paths]);
  }
}

function isUtf8Text(content: Buffer): boolean {
  return !content.includes(0) && isUtf8(content);
}

// Loaded on first use: importing `orchestrate` (for runWorkflow) does not pay for simple-git.
const require = createRequire(import.meta.url);

/** A simple-git client; with `indexFile`, every command uses that index instead of the repository's (GIT_INDEX_FILE). */
function client(baseDir: string, success: (exitCode: number) => boolean = (code) => code === 0, indexFile?: string): SimpleGit {
  const { simpleGit } = require('simple-git') as typeof import('simple-git');
  const git = simpleGit({
    baseDir,
    maxConcurrentProcesses: 1,
    trimmed: false,
    allowEnvironment: indexFile ? [...ALLOWED_ENV, 'GIT_INDEX_FILE'] : ALLOWED_ENV,
    // simple-git's default treats a non-zero exit with an empty stderr as success; git check-ref-format
    // and others fail exactly that way, so every non-zero exit is an error here.
    errors: (error, result) => error ?? (!success(result.exitCode) ? Buffer.concat([...result.stdErr, ...result.stdOut, Buffer.from(`git exited with code ${result.exitCode}`)]) : undefined),
  });
  if (!indexFile) return git;
  // An environment given explicitly is checked by simple-git (no unlisted GIT_*, no EDITOR...): pass what git needs only.
  const keep = [...ALLOWED_ENV, 'PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'XDG_CONFIG_HOME', 'SYSTEMROOT'];
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => keep.includes(key)));
  return git.env({ ...env, GIT_INDEX_FILE: indexFile });
}

/**
 * The commit checked out in the repository containing `dir`, with its branch (none on a
 * detached HEAD): a run's base. Undefined outside git or before the first commit.
 */
export async function repositoryHead(dir: string): Promise<RunBase | undefined> {
  const out = await client(dir).raw(['rev-parse', 'HEAD', '--symbolic-full-name', 'HEAD']).catch(() => '');
  const [commit, ref] = out.trim().split('\n');
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  return ref?.startsWith('refs/heads/') ? { commit, branch: ref.slice('refs/heads/'.length) } : { commit };
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` with the repository containing `dir`, after any other work on the same
 * repository in this process has finished: git commands for one repository never interleave.
 */
export async function withRepository<T>(dir: string, work: (repo: GitRepository) => Promise<T>): Promise<T> {
  const repo = await GitRepository.open(dir);
  const previous = queues.get(repo.root) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => work(repo));
  queues.set(repo.root, next);
  try {
    return await next;
  } finally {
    if (queues.get(repo.root) === next) queues.delete(repo.root);
  }
}

/**
 * The files of the working tree under `dir`, relative to it: tracked and untracked, without what
 * .gitignore excludes (`git ls-files -co --exclude-standard`). Undefined outside git.
 */
export async function workingTreeFiles(dir: string): Promise<string[] | undefined> {
  const out = await client(dir)
    .raw(['ls-files', '-z', '--cached', '--others', '--exclude-standard'])
    .catch(() => undefined);
  return out === undefined ? undefined : [...new Set(out.split('\0').filter(Boolean))];
}
