/**
 * The options of `verifyJwtGatewayCallback`, one flag each, shared by `thaipay verify jwt` and
 * `thaipay explain jwt --callback` so both check a callback exactly alike.
 */
import type { VerifyJwtGatewayCallbackOptions } from '../jwt-gateway/webhooks';
import { flag, integerOption, type ParsedArgs, stringOption } from './args';
import { CliError } from './io';

/** The verifier's options a command line sets; the API key comes apart (from --key or the environment). */
export type JwtCallbackCheckOptions = Omit<VerifyJwtGatewayCallbackOptions, 'apiKey'>;
/** The flags, for `parseCommandArgs`. */
export const JWT_CALLBACK_FLAGS = {
  tolerance: { type: 'string' },
  'no-require-timestamp': { type: 'boolean' },
  now: { type: 'string' },
  'max-body-bytes': { type: 'string' },
} as const;

/** The flag names, to refuse them where they mean nothing. */
export const JWT_CALLBACK_FLAG_NAMES = Object.keys(JWT_CALLBACK_FLAGS);

const TEN_YEARS = 10 * 365 * 24 * 3600;
const SIXTEEN_MIB = 16 * 1024 * 1024;

/**
 * `--now`: whole unix seconds or an ISO 8601 date, the clock the callback is checked at (when it
 * arrived, for a saved one).
 */
function nowOption(command: string, args: ParsedArgs): Date | undefined {
  const text = stringOption(args, 'now');
  if (text === undefined) return undefined;
  const date = /^\d{1,12}$/.test(text)
    ? new Date(Number(text) * 1000)
    : /^\d{4}-\d{2}-\d{2}T/.test(text)
      ? new Date(text)
      : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new CliError('--now must be unix seconds or an ISO 8601 date (2022-01-01T00:03:00Z)', {
      usageOf: command,
    });
  }
  return date;
}

/**
 * The verifier's options from the flags: `--tolerance` → `toleranceSeconds`, `--no-require-timestamp` →
 * `requireTimestamp: false`, `--now` → `now`, `--max-body-bytes` → `maxBodyBytes`.
 *
 * @example
 * ```ts
 * const options = jwtCallbackOptions('verify', args); // { toleranceSeconds: 600, requireTimestamp: false }
 * await verifyJwtGatewayCallback(body, { ...options, apiKey });
 * ```
 */
export function jwtCallbackOptions(command: string, args: ParsedArgs): JwtCallbackCheckOptions {
  const options: JwtCallbackCheckOptions = {};
  const tolerance = integerOption(command, args, 'tolerance', 0, TEN_YEARS);
  if (tolerance !== undefined) options.toleranceSeconds = tolerance;
  if (flag(args, 'no-require-timestamp')) options.requireTimestamp = false;
  const now = nowOption(command, args);
  if (now !== undefined) options.now = now;
  const bytes = integerOption(command, args, 'max-body-bytes', 1, SIXTEEN_MIB);
  if (bytes !== undefined) options.maxBodyBytes = bytes;
  return options;
}

/**
 * Refuse the callback flags where they do not apply.
 *
 * @example
 * ```ts
 * refuseJwtCallbackFlags('verify', args, 'a JWT gateway option');
 * ```
 */
export function refuseJwtCallbackFlags(command: string, args: ParsedArgs, why: string): void {
  for (const name of JWT_CALLBACK_FLAG_NAMES) {
    if (args.values[name] !== undefined) throw new CliError(`--${name} is ${why}`, { usageOf: command });
  }
}
