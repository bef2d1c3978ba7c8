import { describe, expect, it } from 'vitest';
import { bubblewrapArgs, chooseSandbox, sandboxEnv, SandboxUnavailableError } from '../../src/tools/sandbox.js';
import { itNeeding } from '../helpers/needs.js';

describe('choosing the sandbox for run_tests', () => {
  it('refuses in one line, saying how to install bubblewrap and how to opt out, where none can be had', async () => {
    const missing = async () => 'bubblewrap (bwrap) is not installed';
    const refusal = await chooseSandbox(false, missing).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SandboxUnavailableError);
    const { code, message, exitCode } = refusal as SandboxUnavailableError;
    expect({ code, exitCode }).toEqual({ code: 'SANDBOX_UNAVAILABLE', exitCode: 2 });
    expect(message).not.toContain('\n');
    expect(message).toMatch(/bubblewrap \(bwrap\) is not installed; install bubblewrap \(Debian\/Ubuntu: apt-get install bubblewrap\), or opt out with --unsafe-run-tests \(or ORCHESTRATE_UNSAFE_RUN_TESTS=1\)/);
  });

  it('runs without a sandbox only when the user opted out by name, and never where the sandbox works', async () => {
    await expect(chooseSandbox(true, async () => 'no bubblewrap sandbox on darwin')).resolves.toBe('none');
    await expect(chooseSandbox(true, async () => undefined)).resolves.toBe('bubblewrap');
  });

  itNeeding(['bwrap'], 'finds the bubblewrap installed here', async () => {
    await expect(chooseSandbox(false)).resolves.toBe('bubblewrap');
  });

  it('builds the sandbox from allow lists: new namespaces, no capabilities, a read-only root, one writable folder', () => {
    const args = bubblewrapArgs({ scratch: '/tmp/scratch', readOnly: ['/opt/tool/node_modules'] }, ['node', 'x.js']);
    expect(args.slice(0, 5)).toEqual(['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL']);
    const writable = args.flatMap((arg, i) => (arg === '--bind' ? [args[i + 1]] : []));
    expect(writable).toEqual(['/tmp/scratch']);
    expect(args).toContain('--remount-ro');
    expect(args.join(' ')).toMatch(/--ro-bind \/opt\/tool\/node_modules \/opt\/tool\/node_modules/);
    expect(args.join(' ')).not.toMatch(/\/home|\/root|--share-net/);
    expect(args.slice(-3)).toEqual(['--', 'node', 'x.js']);
    expect(Object.keys(sandboxEnv('/tmp/scratch')).sort()).toEqual(['CI', 'HOME', 'LANG', 'NODE_ENV', 'NO_COLOR', 'PATH', 'TMPDIR', 'TZ']);
  });
});
