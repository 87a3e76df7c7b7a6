#!/usr/bin/env node
/**
 * The `thaipay` command: dispatch to one command per file, exit codes, and errors as one line on
 * stderr. `main` takes its streams and environment as arguments so the tests run it in-process.
 *
 * Exit codes: 0 success; 1 a check failed (not verified, a cause found, the sandbox could not
 * start); 2 a usage or input error (and, for `explain`, no known cause found).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import packageJson from '../../package.json' with { type: 'json' };
import { ThaiPayError } from '../core/errors';
import { runExplain } from './commands/explain';
import { runKeys } from './commands/keys';
import { runSandbox } from './commands/sandbox';
import { runSign } from './commands/sign';
import { runVerify } from './commands/verify';
import { HELP } from './help';
import { CliError, type CliIo, writeLines } from './io';
import { givenSecrets, guardedOutput } from './secrets';

type CommandName = Exclude<keyof typeof HELP, 'main'>;

const COMMANDS: Record<CommandName, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  sandbox: runSandbox,
  sign: runSign,
  verify: runVerify,
  explain: runExplain,
  keys: runKeys,
};

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** `--help` / `-h` anywhere before a `--`. */
function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** The "Usage:" lines of a help text: everything up to the first blank line. */
function usageLines(help: string): string[] {
  const end = help.indexOf('\n\n');
  return (end < 0 ? help : help.slice(0, end)).split('\n');
}

function reportError(io: CliIo, command: CommandName, error: unknown): number {
  if (error instanceof CliError) {
    writeLines(io.stderr, [`thaipay ${command}: ${error.message}`]);
    if (error.usageOf !== undefined && isCommand(error.usageOf)) {
      writeLines(io.stderr, [
        '',
        ...usageLines(HELP[error.usageOf]),
        `Run "thaipay ${error.usageOf} --help" for more.`,
      ]);
    }
    return error.exitCode;
  }
  // SDK errors (a key in the wrong format, parameters that cannot be signed) are the user's to fix;
  // their messages never hold a secret.
  if (error instanceof ThaiPayError) {
    writeLines(io.stderr, [`thaipay ${command}: ${error.message}`]);
    return 2;
  }
  const detail =
    io.env.THAIPAY_DEBUG && error instanceof Error
      ? (error.stack ?? error.message)
      : String((error as Error)?.message ?? error);
  writeLines(io.stderr, [
    `thaipay ${command}: unexpected error: ${detail}`,
    'This is likely a bug in thaipay; run with THAIPAY_DEBUG=1 for the stack trace and please report it.',
  ]);
  return 1;
}

/**
 * Run the CLI with `argv` (the arguments after `thaipay`); resolves to the exit code. Every stream
 * defaults to the process's own.
 *
 * @example
 * ```ts
 * // The bin runs main(process.argv.slice(2)); tests call it with their own streams:
 * const code = await main(['sign', 'jwt', 'deposit.json'], { env: { GATEWAY_API_KEY: 'k' } });
 * ```
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const full: CliIo = {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  };
  const [command, ...rest] = argv;
  if (command === undefined) {
    full.stderr.write(HELP.main);
    return 2;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    writeLines(full.stdout, [packageJson.version]);
    return 0;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !isCommand(topic)) {
      writeLines(full.stderr, ['thaipay help: no such command', '']);
      full.stderr.write(HELP.main);
      return 2;
    }
    full.stdout.write(topic === undefined ? HELP.main : HELP[topic]);
    return 0;
  }
  if (!isCommand(command)) {
    // Echo only what looks like a command name: a secret pasted first must not land in a log.
    const shown = /^[\w-]{1,24}$/.test(command) ? ` "${command}"` : '';
    writeLines(full.stderr, [`thaipay: unknown command${shown}`, '']);
    full.stderr.write(HELP.main);
    return 2;
  }
  if (wantsHelp(rest)) {
    full.stdout.write(HELP[command]);
    return 0;
  }
  // Every error, and the output of the commands that work with keys, go through a guard that scrubs
  // the secrets this run was given. The sandbox prints its own made-up credentials on purpose, and
  // `keys generate` a key it has just made, so their output is left alone.
  const secrets = givenSecrets(rest, full.env);
  const guarded: CliIo = {
    ...full,
    stderr: guardedOutput(full.stderr, secrets),
    stdout: command === 'sandbox' || command === 'keys' ? full.stdout : guardedOutput(full.stdout, secrets),
  };
  try {
    return await COMMANDS[command](rest, guarded);
  } catch (error) {
    return reportError(guarded, command, error);
  }
}

/** Whether this file is the program being run (also through the npm bin symlink), not an import. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `thaipay ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`thaipay: ${String((error as Error)?.message ?? error)}\n`);
      process.exitCode = 1;
    },
  );
}
