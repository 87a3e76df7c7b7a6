/**
 * `thaipay verify jwt|thb`: run a saved callback or notification body through the SDK's own
 * verification, exactly as a webhook handler would, and print the verified result or the refusal.
 */
import { WebhookVerificationError } from '../../core/errors';
import { verifyJwtGatewayCallback } from '../../jwt-gateway/webhooks';
import { verifyThbNotification } from '../../thb-collect/webhooks';
import { noMorePositionals, parseCommandArgs, providerArgument, stringOption } from '../args';
import { JWT_CALLBACK_FLAGS, jwtCallbackOptions, refuseJwtCallbackFlags } from '../callback-options';
import { CliError, type CliIo, readSource, writeLines } from '../io';
import { ENV_VARS, findKey, requireGatewayApiKey, requireThbSecretKey } from '../secrets';

const OPTIONS = {
  key: { type: 'string' },
  'key-env': { type: 'string' },
  'secret-key': { type: 'string' },
  'public-key': { type: 'string' },
  kind: { type: 'string' },
  ...JWT_CALLBACK_FLAGS,
} as const;

async function verified(io: CliIo, what: string, run: () => Promise<unknown>): Promise<number> {
  let result: unknown;
  try {
    result = await run();
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    writeLines(io.stderr, [
      `NOT VERIFIED: ${error.message}`,
      `To find out why, run: thaipay explain ${what} --params FILE (with the same keys and options).`,
    ]);
    return 1;
  }
  writeLines(io.stdout, ['OK', JSON.stringify(result, null, 2)]);
  return 0;
}

/**
 * Run `thaipay verify`; resolves to the exit code (0 verified, 1 refused).
 *
 * @example
 * ```ts
 * await runVerify(['thb', 'notification.json', '--public-key', 'platform.pem'], io); // 0
 * ```
 */
export async function runVerify(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('verify', argv, OPTIONS);
  const provider = providerArgument('verify', args.positionals);
  noMorePositionals('verify', args.positionals, 2);

  if (provider === 'jwt') {
    for (const name of ['secret-key', 'public-key', 'kind']) {
      if (stringOption(args, name) !== undefined) {
        throw new CliError(`--${name} is a THB collect option`, { usageOf: 'verify' });
      }
    }
    const options = jwtCallbackOptions('verify', args);
    const apiKey = requireGatewayApiKey(io, args);
    const body = await readSource(args.positionals[1], io, 'callback body');
    return verified(io, 'jwt --callback', () => verifyJwtGatewayCallback(body, { ...options, apiKey }));
  }

  refuseJwtCallbackFlags('verify', args, 'a JWT gateway option');
  const kind = stringOption(args, 'kind');
  if (kind !== undefined && kind !== 'collection' && kind !== 'payout') {
    throw new CliError('--kind must be collection or payout', { usageOf: 'verify' });
  }
  const secretKey = requireThbSecretKey(io, args);
  const platformPublicKey = await findKey(io, 'public', stringOption(args, 'public-key'));
  if (platformPublicKey === undefined) {
    throw new CliError(
      `no platform public key: pass --public-key FILE or set ${ENV_VARS.platformPublicKey}`,
      { usageOf: 'verify' },
    );
  }
  let body = await readSource(args.positionals[1], io, 'notification body');
  // An editor adds a line end to a saved form body; the platform never sends one, and it would
  // become part of the last field's value.
  if (!body.trimStart().startsWith('{')) body = body.replace(/[\r\n]+$/, '');
  return verified(io, 'thb', () =>
    verifyThbNotification(body, {
      secretKey,
      platformPublicKey,
      ...(kind === undefined ? {} : { kind }),
    }),
  );
}
