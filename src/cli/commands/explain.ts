/**
 * `thaipay explain jwt|thb`: the signature debugger on the command line. Reads the parameters and
 * keys, hands them to the pure debugger in `../explain`, prints its answer, exits with its code.
 */

import { flag, noMorePositionals, parseCommandArgs, providerArgument, stringOption } from '../args';
import { JWT_CALLBACK_FLAGS, jwtCallbackOptions, refuseJwtCallbackFlags } from '../callback-options';
import { explainJwtCallback, explainJwtSignature, explainThbSignature, formatExplanation } from '../explain';
import { CliError, type CliIo, readSource } from '../io';
import { parseParams } from '../params';
import { ENV_VARS, findKey, findSecret, requireGatewayApiKey, requireThbSecretKey } from '../secrets';

const OPTIONS = {
  params: { type: 'string' },
  signature: { type: 'string' },
  key: { type: 'string' },
  'key-env': { type: 'string' },
  'secret-key': { type: 'string' },
  'public-key': { type: 'string' },
  'private-key': { type: 'string' },
  callback: { type: 'boolean' },
  ...JWT_CALLBACK_FLAGS,
} as const;

/**
 * Run `thaipay explain`; resolves to 0 (signature correct), 1 (cause found) or 2 (no known cause).
 *
 * @example
 * ```ts
 * await runExplain(['jwt', '--params', 'request.json', '--signature', token], io); // 1
 * await runExplain(['jwt', '--callback', '--params', 'callback.json', '--now', '1640995380'], io); // 0
 * ```
 */
export async function runExplain(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('explain', argv, OPTIONS);
  const provider = providerArgument('explain', args.positionals);
  noMorePositionals('explain', args.positionals, 2);
  // Flags first: a usage error must not wait for input on stdin.
  const callback = flag(args, 'callback');
  if (provider === 'thb' && callback) {
    throw new CliError('--callback is a JWT gateway option (THB notifications need no mode)', {
      usageOf: 'explain',
    });
  }
  if (!callback) refuseJwtCallbackFlags('explain', args, 'an option of jwt --callback');
  const callbackOptions = callback ? jwtCallbackOptions('explain', args) : {};
  const paramsSource = stringOption(args, 'params') ?? args.positionals[1];
  if (paramsSource === undefined) {
    throw new CliError('explain needs the parameters: --params FILE (or "-" for stdin)', {
      usageOf: 'explain',
    });
  }
  const text = await readSource(paramsSource, io, 'parameters');
  const params = parseParams(text, { allowForm: provider === 'thb' });
  const signature = stringOption(args, 'signature');

  if (provider === 'jwt') {
    for (const name of ['secret-key', 'public-key', 'private-key']) {
      if (stringOption(args, name) !== undefined) {
        throw new CliError(`--${name} is a THB collect option; jwt uses --key`, { usageOf: 'explain' });
      }
    }
    if (callback) {
      // A received callback is judged by the SDK's verifier, with the same options `verify jwt` takes.
      const explanation = await explainJwtCallback({
        body: text.trim(),
        apiKey: requireGatewayApiKey(io, args),
        ...(signature === undefined ? {} : { signature }),
        options: callbackOptions,
      });
      io.stdout.write(formatExplanation(explanation));
      return explanation.exitCode;
    }
    const apiKey = findSecret(io, {
      value: stringOption(args, 'key'),
      flag: '--key',
      envName: stringOption(args, 'key-env'),
      defaultEnv: ENV_VARS.apiKey,
      label: 'API key',
    });
    const explanation = await explainJwtSignature({
      params,
      ...(signature === undefined ? {} : { signature }),
      ...(apiKey === undefined ? {} : { apiKey }),
    });
    io.stdout.write(formatExplanation(explanation));
    return explanation.exitCode;
  }

  const secretKey = requireThbSecretKey(io, args);
  // Explicit keys only, when any is named; both THB_* keys otherwise (the platform's and yours).
  const publicFile = stringOption(args, 'public-key');
  const privateFile = stringOption(args, 'private-key');
  const fromEnv = publicFile === undefined && privateFile === undefined;
  const publicKey = publicFile !== undefined || fromEnv ? await findKey(io, 'public', publicFile) : undefined;
  const privateKey =
    privateFile !== undefined || fromEnv ? await findKey(io, 'private', privateFile) : undefined;
  if (publicKey === undefined && privateKey === undefined) {
    throw new CliError(
      `no key to check with: pass --public-key (the platform's, for notifications) or --private-key (yours, for your requests), or set ${ENV_VARS.platformPublicKey}`,
      { usageOf: 'explain' },
    );
  }
  const explanation = await explainThbSignature({
    params,
    secretKey,
    ...(signature === undefined ? {} : { signature }),
    ...(publicKey === undefined ? {} : { publicKey }),
    ...(privateKey === undefined ? {} : { privateKey }),
  });
  io.stdout.write(formatExplanation(explanation));
  return explanation.exitCode;
}
