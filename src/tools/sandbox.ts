import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/**
 * The OS sandbox model-written code runs in (`run_tests`): bubblewrap, called directly.
 *
 * Why not `@anthropic-ai/sandbox-runtime` (evaluated at 0.0.83): it needs Node >= 22.12 where
 * orchestrate supports Node 20; on Linux it also needs socat and ripgrep and runs a network proxy,
 * where we want no network at all; its file model is "read everything except a deny list", where
 * we want "read nothing except an allow list"; and its `SandboxManager` is one process-wide
 * configuration, where concurrent tasks each have their own scratch copy. What it would do for
 * us on Linux is build a bubblewrap command line, which is the few lines below.
 */

/** How `run_tests` may run code: inside bubblewrap, or (opted into by name) without a sandbox. */
export type SandboxKind = 'bubblewrap' | 'none';

/** The environment variable that opts out of the sandbox, like `--unsafe-run-tests`. */
export const UNSAFE_RUN_TESTS_ENV = 'ORCHESTRATE_UNSAFE_RUN_TESTS';

/** No sandbox here, and the user did not opt out. */
export class SandboxUnavailableError extends UserError {
  constructor(why: string) {
    super(
      'SANDBOX_UNAVAILABLE',
      `run_tests runs model-written code only inside an OS sandbox, and ${why}; ` +
        `install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap), or opt out with --unsafe-run-tests (or ${UNSAFE_RUN_TESTS_ENV}=1)`,
    );
  }
}

let probe: Promise<string | undefined> | undefined;

/** Why bubblewrap cannot make a sandbox here, or undefined when it can. Probed once per process. */
export function bubblewrapProblem(): Promise<string | undefined> {
  if (process.platform !== 'linux') return Promise.resolve(`there is no bubblewrap sandbox on ${process.platform}`);
  probe ??= new Promise((resolve) => {
    const args = ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'];
    execFile('bwrap', args, { timeout: 10_000 }, (error, _stdout, stderr) => {
      if (!error) resolve(undefined);
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') resolve('bubblewrap (bwrap) is not installed');
      else resolve(`bubblewrap cannot make a sandbox here (${String(stderr).trim().split('\n')[0] || error.message})`);
    });
  });
  return probe;
}

/** The sandbox to use: bubblewrap when it works, none only when `unsafe`; otherwise a refusal. */
export async function chooseSandbox(unsafe: boolean, problemOf: () => Promise<string | undefined> = bubblewrapProblem): Promise<SandboxKind> {
  const problem = await problemOf();
  if (!problem) return 'bubblewrap';
  if (unsafe) return 'none';
  throw new SandboxUnavailableError(problem);
}

export interface SandboxPolicy {
  /** The one writable directory: the scratch copy, also HOME and the working directory. */
  scratch: string;
  /** Directories visible read-only at their own paths (the toolchain's node_modules). */
  readOnly: readonly string[];
}

/** System directories the toolchain needs; symbolic links among them (usr-merged systems) stay links. */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** Single files of /etc that the dynamic linker and Node read; the rest of /etc is not visible. */
const ETC_FILES = ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/localtime', '/etc/nsswitch.conf'];

/**
 * bubblewrap's arguments for a command: every namespace new (PID: no `/proc` of the parent;
 * network: loopback only, nothing reachable; user, IPC, UTS, cgroup), all capabilities dropped,
 * a new session (no terminal injection), killed when orchestrate dies. The file system is built
 * from an allow list: system directories, Node and the toolchain read-only, the scratch copy
 * writable (also HOME and TMPDIR), and nothing else: no home, no workspace, no `.git`, no other
 * runs, no expertise, no /tmp of the host.
 */
export function bubblewrapArgs(policy: SandboxPolicy, command: readonly string[]): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'];
  for (const dir of SYSTEM) {
    if (!existsSync(dir)) continue;
    if (lstatSync(dir).isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  for (const file of ETC_FILES) if (existsSync(file)) args.push('--ro-bind', file, file);
  // Node itself, when it lives outside /usr (nvm, volta): its install prefix, read-only.
  const node = realpathSync(process.execPath);
  if (!SYSTEM.some((dir) => node.startsWith(`${dir}/`))) {
    const prefix = path.dirname(path.dirname(node));
    args.push('--ro-bind', prefix, prefix);
  }
  args.push('--proc', '/proc', '--dev', '/dev');
  for (const dir of policy.readOnly) args.push('--ro-bind', dir, dir);
  // The root bubblewrap builds is made read-only last: the scratch copy is the one writable place.
  args.push('--bind', policy.scratch, policy.scratch, '--remount-ro', '/', '--chdir', policy.scratch, '--', ...command);
  return args;
}

/**
 * The only environment sandboxed code sees: built from nothing, so no API key, token, proxy or
 * credential of the user's shell can reach it.
 */
export function sandboxEnv(home: string): NodeJS.ProcessEnv {
  return {
    HOME: home,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    TMPDIR: path.join(home, '.tmp'),
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    NODE_ENV: 'test',
    CI: '1',
    NO_COLOR: '1',
    ...(process.platform === 'win32' && process.env.SystemRoot ? { SystemRoot: process.env.SystemRoot } : {}),
  };
}
