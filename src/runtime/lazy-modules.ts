import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type Pino from 'pino';
import type Picomatch from 'picomatch';
import type * as Tinyglobby from 'tinyglobby';
import type * as Re2 from 're2-wasm';
import type * as Sucrase from 'sucrase';

/*
 * Libraries a run may not need, loaded on first use rather than when `orchestrate` is imported:
 * a workflow of code functions reads and writes no YAML, globs nothing and (with `persist:
 * false`) logs nothing, and no agent searches with RE2, and an import of the package should not pay for them (bench/startup.mjs
 * measures it). Synchronous callers keep their signatures: these publish CommonJS builds,
 * loaded with `require`. The secret scanner, ESM-only, is imported where it scans (async).
 */
const require = createRequire(import.meta.url);

let yamlModule: typeof Yaml | undefined;
let pinoModule: typeof Pino | undefined;
let picomatchModule: typeof Picomatch | undefined;
let globModule: typeof Tinyglobby | undefined;
let re2Module: typeof Re2 | undefined;

/** The `yaml` library. */
export const yaml = (): typeof Yaml => (yamlModule ??= require('yaml') as typeof Yaml);

/** `pino`; only src/runtime/logger.ts makes loggers with it. */
export const pino = (): typeof Pino => (pinoModule ??= require('pino') as typeof Pino);

/** `picomatch`. */
export const picomatch = (): typeof Picomatch => (picomatchModule ??= require('picomatch') as typeof Picomatch);

/** `tinyglobby`'s glob. */
export const glob = (patterns: string | readonly string[], options: Tinyglobby.GlobOptions): Promise<string[]> =>
  (globModule ??= require('tinyglobby') as typeof Tinyglobby).glob(patterns, options);

/** RE2 (`re2-wasm`), for the search tool. */
export const re2 = (): typeof Re2.RE2 => (re2Module ??= require('re2-wasm') as typeof Re2).RE2;

let sucraseModule: typeof Sucrase | undefined;

/** sucrase, which turns the generated TypeScript into JavaScript for a JavaScript repository. */
export const sucrase = (): typeof Sucrase => (sucraseModule ??= require('sucrase') as typeof Sucrase);
