/**
 * Where the CLI finds keys: a flag, a named environment variable, or the default variable (the names the examples use).
 * Environment variables keep secrets out of shell history and `ps`; messages name the variable and
 * never the value.
 */
import { redactSecrets } from '../core/redact';
import { type ParsedArgs, stringOption } from './args';
import { CliError, type CliIo, type CliOutput, readTextFile } from './io';

/** The environment variables the CLI reads by default (and `thaipay sandbox` prints). */
export const ENV_VARS = Object.freeze({
  gatewayBaseUrl: 'GATEWAY_BASE_URL',
  gatewayMerchantId: 'GATEWAY_MERCHANT_ID',
  apiKey: 'GATEWAY_API_KEY',
  thbBaseUrl: 'THB_BASE_URL',
  thbAppId: 'THB_APP_ID',
  secretKey: 'THB_SECRET_KEY',
  privateKey: 'THB_PRIVATE_KEY',
  platformPublicKey: 'THB_PLATFORM_PUBLIC_KEY',
});

/** Where one string secret (API key, secret key) may come from. */
export interface SecretSource {
  /** The value of a flag such as `--key`. */
  value: string | undefined;
  /** The flag's name, for messages. */
  flag: string;
  /** The variable named by `--key-env`, if given. */
  envName: string | undefined;
  /** The variable read when nothing else is given. */
  defaultEnv: string;
  /** What the secret is, e.g. `API key`. */
  label: string;
}

/**
 * The secret from the flag, else the variable named by `--key-env`, else the default variable;
 * `undefined` when none is set.
 *
 * @example
 * ```ts
 * findSecret(io, { value: values.key, flag: '--key', envName: values['key-env'], defaultEnv: 'GATEWAY_API_KEY', label: 'API key' });
 * ```
 */
export function findSecret(io: CliIo, source: SecretSource): string | undefined {
  if (source.value !== undefined) {
    if (source.value === '') throw new CliError(`${source.flag} is empty; give the ${source.label}`);
    return source.value;
  }
  if (source.envName !== undefined) {
    const value = io.env[source.envName];
    if (value === undefined || value === '') {
      // Not named: a key given to --key-env instead of a variable name must not be printed.
      throw new CliError('the environment variable named by --key-env is not set or empty');
    }
    return value;
  }
  const value = io.env[source.defaultEnv];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Like {@link findSecret}, but a missing secret is an error that says every way to give it.
 *
 * @example
 * ```ts
 * const apiKey = requireSecret(io, { value: values.key, flag: '--key', envName: values['key-env'], defaultEnv: 'GATEWAY_API_KEY', label: 'API key' });
 * ```
 */
export function requireSecret(io: CliIo, source: SecretSource): string {
  const secret = findSecret(io, source);
  if (secret === undefined) {
    throw new CliError(
      `no ${source.label}: set ${source.defaultEnv}, or pass --key-env VAR (a variable holding it) or ${source.flag} VALUE`,
    );
  }
  return secret;
}

/** Text that is a key itself rather than the name of a file holding one. */
function looksLikeKeyMaterial(text: string): boolean {
  return text.includes('-----BEGIN') || /^[A-Za-z0-9+/=\s]{200,}$/.test(text);
}

/** Where each RSA key of a command comes from: its flag, its environment variable, whether inline is allowed. */
const KEY_SOURCES = {
  public: { flag: '--public-key', defaultEnv: ENV_VARS.platformPublicKey, label: 'public key', inline: true },
  private: { flag: '--private-key', defaultEnv: ENV_VARS.privateKey, label: 'private key', inline: false },
} as const;

/**
 * An RSA key from `--private-key FILE` / `--public-key FILE` (the `file` given), else from its environment
 * variable. A public key (never secret) may also be given inline, as PEM or bare Base64; a private key
 * given inline is refused without being repeated (it would sit in shell history and `ps`).
 *
 * @example
 * ```ts
 * const privateKey = await findKey(io, 'private', stringOption(args, 'private-key'));
 * ```
 */
export async function findKey(
  io: CliIo,
  which: keyof typeof KEY_SOURCES,
  file: string | undefined,
): Promise<string | undefined> {
  const source = KEY_SOURCES[which];
  if (file !== undefined) {
    if (looksLikeKeyMaterial(file)) {
      if (source.inline) return file;
      throw new CliError(
        `${source.flag} takes the path of a file holding the key, not the key itself; put it in a file (mode 0600) or ${source.defaultEnv}`,
      );
    }
    return readTextFile(file, source.label);
  }
  const value = io.env[source.defaultEnv];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The JWT gateway API key of a command: `--key`, `--key-env VAR` or GATEWAY_API_KEY.
 *
 * @example
 * ```ts
 * const apiKey = requireGatewayApiKey(io, args);
 * ```
 */
export function requireGatewayApiKey(io: CliIo, args: ParsedArgs): string {
  return requireSecret(io, {
    value: stringOption(args, 'key'),
    flag: '--key',
    envName: stringOption(args, 'key-env'),
    defaultEnv: ENV_VARS.apiKey,
    label: 'API key',
  });
}

/**
 * The THB collect secret key of a command: `--secret-key` (or `--key`), `--key-env VAR` or THB_SECRET_KEY.
 *
 * @example
 * ```ts
 * const secretKey = requireThbSecretKey(io, args);
 * ```
 */
export function requireThbSecretKey(io: CliIo, args: ParsedArgs): string {
  return requireSecret(io, {
    value: stringOption(args, 'secret-key') ?? stringOption(args, 'key'),
    flag: '--secret-key',
    envName: stringOption(args, 'key-env'),
    defaultEnv: ENV_VARS.secretKey,
    label: 'secret key',
  });
}

/** Options whose value is a secret (or the name of a variable holding one). */
const SECRET_FLAGS = new Set(['--key', '--secret-key', '--private-key', '--key-env']);

/** Shorter values are left alone: redacting them would blank out ordinary words and numbers. */
const MIN_GUARDED_LENGTH = 8;

/**
 * The secrets one run of the CLI was given: the values of `--key`, `--secret-key`, `--private-key`
 * (in either `--flag value` or `--flag=value` form), the variable `--key-env` names, and the default
 * key variables of the environment.
 *
 * @example
 * ```ts
 * givenSecrets(['sign', 'jwt', '--key', 'sk_live_1234567890'], {}); // ['sk_live_1234567890']
 * ```
 */
export function givenSecrets(argv: readonly string[], env: CliIo['env']): string[] {
  const found: Array<string | undefined> = [
    env[ENV_VARS.apiKey],
    env[ENV_VARS.secretKey],
    env[ENV_VARS.privateKey],
    env.THAIPAY_SANDBOX_TOKEN,
  ];
  argv.forEach((arg, index) => {
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (!SECRET_FLAGS.has(flag)) return;
    const value = inline ?? argv[index + 1];
    found.push(value);
    if (flag === '--key-env' && value !== undefined) found.push(env[value]);
  });
  return [
    ...new Set(
      found.filter((value): value is string => value !== undefined && value.length >= MIN_GUARDED_LENGTH),
    ),
  ];
}

/**
 * An output that scrubs `secrets` from everything written through it: the last guard, so no message
 * path, present or future, prints a key the CLI was given.
 *
 * @example
 * ```ts
 * const stderr = guardedOutput(io.stderr, givenSecrets(argv, io.env));
 * ```
 */
export function guardedOutput(output: CliOutput, secrets: readonly string[]): CliOutput {
  if (secrets.length === 0) return output;
  return { write: (text: string) => output.write(redactSecrets(text, secrets)) };
}
