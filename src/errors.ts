/**
 * Errors sorted by who is at fault. Each carries a stable `code`; the CLI maps the class to
 * its exit code (user error 2, everything else 1) and prints `message` as one line.
 */
export abstract class OrchestrateError extends Error {
  abstract readonly exitCode: number;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input or configuration: the user can fix it. Exit code 2. */
export class UserError extends OrchestrateError {
  readonly exitCode = 2;
}

/** One problem found while validating a file, with its location. */
export interface ValidationProblem {
  file: string;
  /** A path inside the file such as `phases[1].tasks[0].agent`, or `line 3, column 5`. */
  location: string;
  message: string;
}

/** Validation found problems; every one is listed, not only the first. Exit code 2. */
export class ValidationError extends UserError {
  constructor(readonly problems: ValidationProblem[]) {
    super('INVALID_INPUT', problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem(problem: ValidationProblem): string {
  const where = problem.location ? `${problem.file} (${problem.location})` : problem.file;
  return `${where}: ${problem.message}`;
}

/** The model did something the protocol does not allow. Exit code 1. */
export class ModelBehaviorError extends OrchestrateError {
  readonly exitCode = 1;
}

/** A task failed. Exit code 1. */
export class TaskError extends OrchestrateError {
  readonly exitCode = 1;
}

/** The machine ran out of something the command needs, such as disk space. Exit code 1. */
export class ResourceError extends OrchestrateError {
  readonly exitCode = 1;
}

/** A write that failed because the disk (or the user's quota) is full, as one line; else undefined. */
export function diskFullError(error: unknown): ResourceError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return undefined;
  const where = (error as NodeJS.ErrnoException).path;
  return new ResourceError('DISK_FULL', `no space left on the device${where ? ` writing ${where}` : ''}; free some space, then run the command again (nothing was left locked)`, { cause: error });
}

/** A bug in orchestrate itself. Exit code 1, and the message asks for a report. */
export class InternalError extends OrchestrateError {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super('INTERNAL', `${message} (this is a bug in orchestrate; please report it)`, options);
  }
}

export function errorInfo(error: unknown): { code: string; message: string } {
  if (error instanceof OrchestrateError) return { code: error.code, message: error.message };
  if (error instanceof Error && error.name === 'AbortError') return { code: 'CANCELLED', message: 'cancelled' };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
