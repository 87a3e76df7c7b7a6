/**
 * `thaipay sign jwt|thb`: sign parameters the way the provider checks them, showing the canonical
 * form so a signature made elsewhere can be compared step by step. Keys are never printed.
 */
import { jwtGatewayPayload, signJwtGatewayParams } from '../../jwt-gateway/signing';
import { signThbParams, thbSignString } from '../../thb-collect/signing';
import { noMorePositionals, parseCommandArgs, providerArgument, stringOption } from '../args';
import { CliError, type CliIo, readSource, writeLines } from '../io';
import { parseParams } from '../params';
import { ENV_VARS, findKey, requireGatewayApiKey, requireThbSecretKey } from '../secrets';

const OPTIONS = {
  key: { type: 'string' },
  'key-env': { type: 'string' },
  'secret-key': { type: 'string' },
  'private-key': { type: 'string' },
} as const;

/**
 * Run `thaipay sign`; resolves to the exit code.
 *
 * @example
 * ```ts
 * await runSign(['jwt', 'deposit.json'], io); // 0
 * ```
 */
export async function runSign(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('sign', argv, OPTIONS);
  const provider = providerArgument('sign', args.positionals);
  noMorePositionals('sign', args.positionals, 2);
  const params = parseParams(await readSource(args.positionals[1], io, 'parameters'), {
    what: 'parameters',
  });

  if (provider === 'jwt') {
    if (stringOption(args, 'secret-key') !== undefined || stringOption(args, 'private-key') !== undefined) {
      throw new CliError('--secret-key and --private-key are THB collect options; jwt uses --key', {
        usageOf: 'sign',
      });
    }
    const apiKey = requireGatewayApiKey(io, args);
    const payload = jwtGatewayPayload(params);
    const signature = await signJwtGatewayParams(params, apiKey);
    writeLines(io.stdout, [
      'Payload (what is signed: the parameters sorted by key, signature left out):',
      payload,
      '',
      'Signature (HS256 JWT, the "signature" field):',
      signature,
    ]);
    return 0;
  }

  if (stringOption(args, 'key') !== undefined && stringOption(args, 'secret-key') !== undefined) {
    throw new CliError('give the secret key once: --secret-key or --key', { usageOf: 'sign' });
  }
  const secretKey = requireThbSecretKey(io, args);
  const privateKey = await findKey(io, 'private', stringOption(args, 'private-key'));
  if (privateKey === undefined) {
    throw new CliError(`no private key: pass --private-key FILE or set ${ENV_VARS.privateKey}`, {
      usageOf: 'sign',
    });
  }
  // The placeholder stands where the secret goes, so the printed form shows the shape, not the secret.
  const redacted = thbSignString(params, '<secret>');
  const sign = await signThbParams(params, { secretKey, privateKey });
  writeLines(io.stdout, [
    'Sign string (what is signed; the secret key shown as <secret>):',
    redacted,
    '',
    'Sign (SHA256withRSA, Base64, the "sign" field):',
    sign,
  ]);
  return 0;
}
