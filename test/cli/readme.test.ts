import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { offlineEnv, REPO_ROOT, runFolders, tempRepo, writeTree } from '../helpers/workspace.js';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** The fenced blocks of one language in a README section (from its `## ` heading to the next). */
function blocks(section: string, lang: string): string[] {
  const start = README.indexOf(`\n## ${section}\n`);
  expect(start, `README section "${section}"`).toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + 1);
  const text = README.slice(start, end === -1 ? undefined : end);
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('README', () => {
  it('the runWorkflow() example typechecks under strict mode and runs as written', () => {
    const [example] = blocks('From code', 'ts');
    expect(example).toContain("from 'orchestrate'");
    // The example imports the package by name, as a user would: a node_modules link to this checkout.
    const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-readme-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'orchestrate'), 'dir');
    const source = path.join(dir, 'example.mts');
    writeFileSync(source, example!);

    const program = ts.createProgram([source], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
      skipLibCheck: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);

    const js = ts.transpileModule(example!, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(path.join(dir, 'example.mjs'), js);
    const repo = tempRepo();
    const run = spawnSync(process.execPath, [path.join(dir, 'example.mjs')], { cwd: repo, env: offlineEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const [runId] = runFolders(repo);
    expect(run.stdout).toMatch(/^research: done in \d+ ms$/m);
    expect(run.stdout).toContain(`complete ${runId} `);
    expect(run.stdout).toMatch(/^\d+ files staged, \$0\.0000$/m);
    expect(run.stdout).toContain('Integration Complete: twilio');
  });

  it('the agent and workflow of "Write your own agent and workflow" validate, graph and run', () => {
    const [agent] = blocks('Write your own agent and workflow', 'markdown');
    const [workflow] = blocks('Write your own agent and workflow', 'yaml');
    const cwd = tempRepo({ 'README.md': '# demo\n', 'CHANGELOG.md': '# Changelog\n' });
    writeTree(cwd, { 'agents/changelog-writer.md': agent!, 'workflows/changelog.yaml': workflow! });
    expect(runCli(['validate'], cwd)).toMatchObject({ code: 0 });
    expect(runCli(['graph', 'changelog'], cwd).stdout).toContain('t_outline --> t_entry');
    const dry = runCli(['run', 'changelog', '--input', 'change=Add dark mode', '--dry-run'], cwd);
    expect(dry.stdout).toMatch(/entry +changelog-writer/);
    const run = runCli(['run', 'changelog', '--input', 'change=Add dark mode', '-q'], cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^complete /);
  });

  it('documents every command the CLI has', () => {
    const help = runCli(['--help'], tempRepo()).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]!).filter((c) => c !== 'orchestrate');
    expect(commands.length).toBeGreaterThan(10);
    const reference = README.slice(README.indexOf('## CLI reference'), README.indexOf('\n## ', README.indexOf('## CLI reference') + 1));
    for (const command of commands) expect(reference, command).toMatch(new RegExp(`\`${command}\\b`));
  });
});
