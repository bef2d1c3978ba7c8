/** Where the CLI writes; tests and embedders can capture it. */
export interface CliIO {
  /** One line to stdout. */
  out: (text: string) => void;
  /** One line to stderr. */
  err: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Raw text to stdout, no newline added: the live tree redraws in place with it. */
  write?: (text: string) => void;
  /** Whether stdout is a terminal (live tree, colours) or a pipe or file (plain lines). */
  isTTY?: boolean;
  /** Width of the terminal, when it is one. */
  columns?: number;
  /** Whether stdin is a terminal too: a person is there to answer an approval. */
  stdinIsTTY?: boolean;
}

export function processIO(): CliIO {
  // A closed pipe (`orchestrate ... | head`) is not an error of the run.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    write: (text) => process.stdout.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  };
}

/** A command module: parses its own arguments and returns the exit code. */
export interface Command {
  summary: string;
  /** The `--help` text: usage line, description, options and examples. */
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}
