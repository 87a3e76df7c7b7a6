/**
 * What a command may touch of the outside world, passed in rather than taken from `process`, so the
 * tests run every command in-process with their own streams, environment and stop signal.
 */
import { readFile } from 'node:fs/promises';

/** Where a command writes: `process.stdout`, or a test's collector. */
export interface CliOutput {
  write(text: string): unknown;
}

/** Where a command reads piped input: `process.stdin`, a test's string, or any async byte source. */
export type CliInput = (AsyncIterable<Uint8Array | string> & { isTTY?: boolean }) | string;

/** The streams, environment and stop signal of one run of the CLI. */
export interface CliIo {
  stdin: CliInput;
  stdout: CliOutput;
  stderr: CliOutput;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Stops a long-running command (`sandbox`). When absent, the command listens for SIGINT and SIGTERM
   * itself; tests pass their own signal instead of signalling the test process.
   */
  signal?: AbortSignal;
}

/**
 * A failure the user can fix: printed as one line on stderr, never with a stack. `usageOf` names the
 * command whose usage line is worth repeating.
 *
 * @example
 * ```ts
 * throw new CliError('--port must be a whole number from 0 to 65535', { usageOf: 'sandbox' }); // exit 2
 * ```
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly usageOf: string | undefined;

  constructor(message: string, options: { exitCode?: number; usageOf?: string } = {}) {
    super(message);
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 2;
    this.usageOf = options.usageOf;
  }
}

/**
 * Write lines, each ended by a newline.
 *
 * @example
 * ```ts
 * writeLines(io.stdout, ['OK', JSON.stringify(result)]);
 * ```
 */
export function writeLines(output: CliOutput, lines: readonly string[]): void {
  output.write(lines.map((line) => `${line}\n`).join(''));
}

async function readStdin(stdin: CliInput, what: string): Promise<string> {
  if (typeof stdin === 'string') return stdin;
  // A terminal would wait silently for input the user does not know is expected.
  if (stdin.isTTY) {
    throw new CliError(`no ${what} given: pass a file, or pipe it into stdin (use "-" to read stdin)`);
  }
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * Read a file, or stdin for `-` or no file at all. `what` names the input in error messages.
 *
 * @example
 * ```ts
 * const text = await readSource(positionals[0], io, 'parameters');
 * ```
 */
export async function readSource(source: string | undefined, io: CliIo, what: string): Promise<string> {
  if (source === undefined || source === '-') return readStdin(io.stdin, what);
  return readTextFile(source, what);
}

/**
 * Read a text file, turning the usual file-system failures into one-line messages that name `what`,
 * never the path.
 *
 * @example
 * ```ts
 * const pem = await readTextFile('merchant_private_key.pem', 'private key');
 * ```
 */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : 'it cannot be read';
    // The path is not repeated: a key pasted where a file name goes must not land in a terminal log.
    throw new CliError(`cannot read the ${what} file: ${reason}`);
  }
}
