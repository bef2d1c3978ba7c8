import { spawn } from 'node:child_process';
import { bubblewrapArgs, sandboxEnv, type SandboxKind, type SandboxPolicy } from './sandbox.js';

export interface SandboxedProcess {
  /** Node's arguments: a script and its own arguments. */
  args: readonly string[];
  sandbox: SandboxKind;
  policy: SandboxPolicy;
  /** Killed, with its whole process group, after this long. */
  timeoutMs: number;
  /** Bytes of output kept (stdout and stderr together); the rest is dropped, not buffered. */
  outputCap: number;
  signal?: AbortSignal | undefined;
}

export interface ProcessResult {
  code: number | null;
  output: string;
  timedOut: boolean;
}

/**
 * Runs Node on a script inside the sandbox (or, opted out, directly) with an environment built
 * from an allow list, a wall-clock timeout and an output cap. The child leads its own process
 * group, and the timeout or the signal kill the whole group; inside bubblewrap the PID namespace
 * also dies with its first process, so nothing the code started outlives it.
 */
export function runSandboxed(options: SandboxedProcess): Promise<ProcessResult> {
  const { policy } = options;
  const env = sandboxEnv(policy.scratch);
  const [command, args] =
    options.sandbox === 'bubblewrap'
      ? ['bwrap', bubblewrapArgs(policy, [process.execPath, ...options.args])]
      : [process.execPath, [...options.args]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: policy.scratch, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < options.outputCap) output += chunk.toString('utf8').slice(0, options.outputCap - output.length);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    if (options.signal?.aborted) kill();
    options.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (error) => {
      output += `\n${error.message}`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      resolve({ code, output, timedOut });
    });
  });
}
