import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelResponder, ScriptedModel } from '../../src/testing/index.js';
import { fakeServer, tempDir } from '../helpers/loop-harness.js';
import { AWS_KEY, RSA_PRIVATE_KEY, STRIPE_LIVE } from '../helpers/planted-secrets.js';
import { BIN, offlineEnv, runFolders, tempRepo } from '../helpers/workspace.js';

const API_KEY = ['sk-ant-api03', 'plantedKeyForTheRedactionTest', '0123456789abcdef'].join('-');
const TWILIO_TOKEN = ['tw', 'auth', '9f8e7d6c5b4a3210fedcba'].join('-');
const SECRETS = { API_KEY, TWILIO_TOKEN, AWS_KEY, STRIPE_LIVE, PRIVATE_KEY: RSA_PRIVATE_KEY.split('\n')[1]! };

const WORKFLOW = `name: leak
description: one agent that tries to leak secrets through every output
kind: integration
domains: [integrations]
inputs:
  service: { type: string }
phases:
  - id: work
    name: Work
    tasks:
      - id: build
        agent: builder
        prompt: Build the {{inputs.service}} integration.
`;
const AGENT = '---\nname: builder\ndescription: builds\ntools: Read, Write\nmodel: haiku\nmaxTurns: 8\n---\n\nYou build.\n';

const leak = `Done. Key ${API_KEY}, token ${TWILIO_TOKEN}, aws ${AWS_KEY}, stripe ${STRIPE_LIVE}, and\n${RSA_PRIVATE_KEY}`;

function script(): ScriptedModel {
  return new ScriptedModel({
    build: [
      ScriptedModel.call('write_file', { path: `src/${AWS_KEY}.ts`, content: 'export {};\n' }),
      ScriptedModel.call('write_file', { path: 'src/ok.ts', content: 'export const ok = true;\n' }),
      ScriptedModel.call('record_learning', { insight: `Twilio calls work when the token is ${TWILIO_TOKEN} in the header.` }),
      ScriptedModel.call('record_learning', { insight: `Keep the Anthropic key ${API_KEY} out of the logs.`.replace(API_KEY, `${API_KEY}`) }),
      ScriptedModel.finish({ summary: leak }),
    ],
  });
}

function cli(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...offlineEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file under a directory, with its text. */
function filesUnder(dir: string): Array<[string, string]> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => [file, readFileSync(file, 'utf8')]);
}

function expectClean(where: string, text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) expect(text.includes(secret), `${name} in ${where}`).toBe(false);
}

describe('secrets never leave: a finish summary full of secrets, through every output', () => {
  it.each([['--json'], ['--verbose']])('%s: journal, report, manifest, COMMIT_MSG, run.log, expertise, its diff, the recording and the streams are clean', async (mode) => {
    const server = await fakeServer({ respond: modelResponder(script()) });
    const cwd = tempRepo({ 'README.md': '# demo\n', 'workflows/leak.yaml': WORKFLOW, 'agents/builder.md': AGENT });
    const recording = path.join(tempDir('orchestrate-recording-'), 'rec');
    const env = { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: server.url, TWILIO_AUTH_TOKEN: TWILIO_TOKEN };
    const run = await cli(['run', 'leak', '--input', 'service=twilio', mode!, '--record', recording], cwd, env);
    expect(run.code, run.stderr).toBe(0);
    const [runId] = runFolders(cwd);
    const runDir = path.join(cwd, 'pending-commits', runId!);

    expectClean('stdout', run.stdout);
    expectClean('stderr', run.stderr);
    for (const [file, text] of filesUnder(runDir).filter(([file]) => !file.includes(`${path.sep}files${path.sep}`))) expectClean(file, text);
    for (const [file, text] of filesUnder(path.join(cwd, 'expertise'))) expectClean(file, text);
    const recorded = filesUnder(recording);
    expect(recorded.length).toBeGreaterThan(1);
    for (const [file, text] of recorded) expectClean(file, text);
    const diff = await cli(['expertise', 'diff', runId!], cwd, env);
    expectClean('expertise diff', diff.stdout + diff.stderr);
    const show = await cli(['show', runId!], cwd, env);
    expectClean('show', show.stdout + show.stderr);

    // The summary is kept, with the secrets cut out of it.
    const report = readFileSync(path.join(runDir, 'report.yaml'), 'utf8');
    expect(report).toMatch(/Done\. Key \[redacted\], token \[redacted\], aws \[redacted\], stripe \[redacted\]/);
    // The file named after a secret was refused when it was written; the other one is staged.
    const manifest = JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> };
    expect(manifest.files.map((f) => f.path)).toEqual(['src/ok.ts']);
    const journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"tool":"write_file","ok":false,"detail":"path refused: it holds a secret"/);
  }, 60_000);
});

const LATE_WORKFLOW = `name: late
description: a task leaks values whose names a later research task declares
kind: integration
domains: [integrations]
inputs:
  service: { type: string }
phases:
  - id: build
    name: Build
    tasks:
      - id: build
        agent: builder
        prompt: Build the {{inputs.service}} integration.
  - id: research
    name: Research
    tasks:
      - id: research
        agent: builder
        result: research
        prompt: Research {{inputs.service}}.
`;
/** A name that looks secret, and one that does not: both declared only by the late research task. */
const SIGNING_SECRET = ['acme', 'signing', '5e3c7a9d1b2f4e6a'].join('-');
const ACCOUNT_REF = ['acct', 'ref', '7d1e9b3c5a2f8e4d'].join('-');

function lateScript(): ScriptedModel {
  const both = `signing ${SIGNING_SECRET}, account ${ACCOUNT_REF}`;
  return new ScriptedModel({
    build: [
      ScriptedModel.call('record_learning', { insight: `Acme calls need ${both} in the headers.` }),
      ScriptedModel.finish({ summary: `Built with ${both}.` }),
    ],
    research: [
      ScriptedModel.finish({ summary: 'Acme researched.', endpoint: 'https://api.acme.test', authentication: 'HMAC', envVars: ['ACME_SIGNING_SECRET', 'ACME_ACCOUNT_REF'], capabilities: [], unknowns: [] }),
    ],
  });
}

describe('secrets declared late in a run', () => {
  it('values whose names only a later task declares are in no file; one whose name looks secret is in no stream either', async () => {
    const server = await fakeServer({ respond: modelResponder(lateScript()) });
    const cwd = tempRepo({ 'README.md': '# demo\n', 'workflows/late.yaml': LATE_WORKFLOW, 'agents/builder.md': AGENT });
    const recording = path.join(tempDir('orchestrate-recording-'), 'rec');
    const env = { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: server.url, ACME_SIGNING_SECRET: SIGNING_SECRET, ACME_ACCOUNT_REF: ACCOUNT_REF };
    const run = await cli(['run', 'late', '--input', 'service=acme', '--verbose', '--record', recording], cwd, env);
    expect(run.code, run.stderr).toBe(0);
    const [runId] = runFolders(cwd);
    const runDir = path.join(cwd, 'pending-commits', runId!);
    const files = [
      ...filesUnder(runDir).filter(([file]) => !file.includes(`${path.sep}files${path.sep}`)),
      ...filesUnder(path.join(cwd, 'expertise')),
      ...filesUnder(recording),
    ];
    expect(files.map(([file]) => path.basename(file))).toEqual(expect.arrayContaining(['journal.jsonl', 'run.log', 'report.yaml', 'manifest.json']));
    for (const [file, text] of files) {
      expect(text.includes(SIGNING_SECRET), `ACME_SIGNING_SECRET in ${file}`).toBe(false);
      expect(text.includes(ACCOUNT_REF), `ACME_ACCOUNT_REF in ${file}`).toBe(false);
    }
    // Redacted from the first event, because its name looks secret: the live stream is clean too.
    expect(run.stdout + run.stderr).not.toContain(SIGNING_SECRET);
    expect(run.stdout).toMatch(/signing \[redacted\]/);
    // The journal is still one JSON event per line after the rewrite.
    for (const line of readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').trim().split('\n')) JSON.parse(line);
    expect(readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8')).toMatch(/account \[redacted\]/);
  }, 60_000);
});
