/**
 * Option parsing on `node:util` parseArgs, with its errors turned into usage errors of the command.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed options of a command: strings and booleans by option name, and the positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parse `argv` strictly: unknown options and missing values are usage errors of `command`.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCommandArgs('sign', argv, { key: { type: 'string' } });
 * ```
 */
export function parseCommandArgs(command: string, argv: readonly string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    throw new CliError(argsProblem(error as NodeJS.ErrnoException), { usageOf: command });
  }
}

/**
 * An option name safe to repeat: `-x`, or lower-case letters and dashes (every option of the CLI); a
 * pasted key has digits, capitals or other signs.
 */
const SHOWABLE_OPTION = /^(-[a-zA-Z]|--[a-z][a-z-]{0,30})$/;

/**
 * parseArgs's complaint in one line, quoting what was typed only when it is plainly an option name:
 * an "unknown option" may be a secret pasted after a dash.
 */
function argsProblem(error: NodeJS.ErrnoException): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.replace(/ <value>$/, '');
  const shown = SHOWABLE_OPTION.test(option) ? option : undefined;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return shown
      ? `unknown option ${shown}`
      : 'unknown option (not shown: it does not look like an option name)';
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && shown) {
    if (/argument is ambiguous|argument missing/.test(error.message)) {
      return `${shown} needs a value (one starting with "-" goes as ${shown}=VALUE)`;
    }
    if (/does not take an argument/.test(error.message)) return `${shown} does not take a value`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'unexpected argument (not shown)';
  return 'invalid arguments';
}

/**
 * A string option's value, or undefined.
 *
 * @example
 * ```ts
 * stringOption(args, 'key'); // the value of --key, or undefined
 * ```
 */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether a boolean option was given.
 *
 * @example
 * ```ts
 * flag(args, 'force'); // true when --force was given
 * ```
 */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/**
 * The provider named by the first positional, `jwt` or `thb`.
 *
 * @example
 * ```ts
 * const provider = providerArgument('sign', args.positionals); // 'jwt'
 * ```
 */
export function providerArgument(command: string, positionals: readonly string[]): 'jwt' | 'thb' {
  const provider = positionals[0];
  if (provider === 'jwt' || provider === 'thb') return provider;
  throw new CliError(
    provider === undefined
      ? `${command} needs a provider: jwt or thb`
      : 'unknown provider: expected jwt or thb',
    { usageOf: command },
  );
}

/**
 * A whole number option within bounds (a port, a number of seconds).
 *
 * @example
 * ```ts
 * integerOption('sandbox', args, 'port', 0, 65535); // 4010
 * ```
 */
export function integerOption(
  command: string,
  args: ParsedArgs,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}`, { usageOf: command });
  }
  return value;
}

/**
 * Refuse positionals beyond the ones a command takes.
 *
 * @example
 * ```ts
 * noMorePositionals('sign', args.positionals, 2); // `sign jwt file` only
 * ```
 */
export function noMorePositionals(command: string, positionals: readonly string[], allowed: number): void {
  if (positionals.length > allowed) {
    // Not echoed: a key pasted in the wrong place must not land in a terminal log.
    throw new CliError(`too many arguments (${positionals.length - allowed} unexpected)`, {
      usageOf: command,
    });
  }
}
