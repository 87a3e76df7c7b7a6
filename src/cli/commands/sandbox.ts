/**
 * `thaipay sandbox`: run the local simulator of both providers until stopped, printing everything a
 * client needs to talk to it. Credentials are printed on purpose: they are the sandbox's own, made up
 * for this run, and the point of the command is to hand them out.
 */
import { createSandbox, type Sandbox } from '../../testing';
import { integerOption, noMorePositionals, parseCommandArgs, stringOption } from '../args';
import { CliError, type CliIo, writeLines } from '../io';
import { ENV_VARS } from '../secrets';

/** Resolves when the user stops the sandbox: the given signal, or SIGINT / SIGTERM. */
function stopRequested(signal: AbortSignal | undefined): { stopped: Promise<string>; dispose(): void } {
  if (signal) {
    if (signal.aborted) return { stopped: Promise.resolve('stop'), dispose() {} };
    let onAbort = (): void => {};
    const stopped = new Promise<string>((resolve) => {
      onAbort = () => resolve('stop');
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return { stopped, dispose: () => signal.removeEventListener('abort', onAbort) };
  }
  const handlers: Array<[NodeJS.Signals, () => void]> = [];
  const listen = (name: NodeJS.Signals, handler: () => void): void => {
    handlers.push([name, handler]);
    process.once(name, handler);
  };
  const stopped = new Promise<string>((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      listen(name, () => {
        resolve(name);
        // A second Ctrl-C while closing means "now": leave without waiting for the close.
        listen(name, () => process.exit(130));
      });
    }
  });
  return {
    stopped,
    dispose: () => {
      for (const [name, handler] of handlers) process.removeListener(name, handler);
    },
  };
}

/**
 * What the sandbox prints once it listens.
 *
 * @example
 * ```ts
 * writeLines(io.stdout, sandboxBanner(await createSandbox()));
 * ```
 */
export function sandboxBanner(sandbox: Sandbox): string[] {
  const jwt = sandbox.jwtGateway;
  const thb = sandbox.thbCollect;
  const env: Array<[string, string | undefined]> = [
    [ENV_VARS.gatewayBaseUrl, jwt.baseUrl],
    [ENV_VARS.gatewayMerchantId, jwt.merchantId],
    [ENV_VARS.apiKey, jwt.apiKey],
    [ENV_VARS.thbBaseUrl, thb.baseUrl],
    [ENV_VARS.thbAppId, thb.appId],
    [ENV_VARS.secretKey, thb.secretKey],
    [ENV_VARS.privateKey, thb.merchantPrivateKey],
    [ENV_VARS.platformPublicKey, thb.platformPublicKey],
  ];
  return [
    `thaipay sandbox running at ${sandbox.url}/`,
    `  Open ${sandbox.url}/ for the orders, their QR codes, pay/fail/expire buttons and the callback log.`,
    '',
    'JWT gateway',
    `  base URL     ${jwt.baseUrl}`,
    `  merchantId   ${jwt.merchantId}`,
    `  apiKey       ${jwt.apiKey}`,
    '',
    'THB collect',
    `  base URL     ${thb.baseUrl}`,
    `  appId        ${thb.appId}`,
    `  secretKey    ${thb.secretKey}`,
    '  merchant private key (bare Base64 PKCS#8, yours to sign with):',
    `    ${thb.merchantPrivateKey ?? '(none: only a merchant public key was given)'}`,
    '  platform public key (bare Base64 X.509 SPKI, to verify answers and notifications):',
    `    ${thb.platformPublicKey}`,
    '',
    'Example environment variables (the thaipay CLI reads the key ones too):',
    ...env.filter(([, value]) => value !== undefined).map(([name, value]) => `  export ${name}=${value}`),
    '',
    'Press Ctrl-C to stop.',
  ];
}

/**
 * Run `thaipay sandbox` until `io.signal` aborts (or SIGINT / SIGTERM without one); resolves to the
 * exit code once the sandbox is closed.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const done = runSandbox(['--port', '0'], { ...io, signal: controller.signal });
 * controller.abort();
 * await done; // 0
 * ```
 */
export async function runSandbox(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('sandbox', argv, { port: { type: 'string' }, host: { type: 'string' } });
  noMorePositionals('sandbox', args.positionals, 0);
  const port = integerOption('sandbox', args, 'port', 0, 65535) ?? 0;
  const host = stringOption(args, 'host') ?? '127.0.0.1';
  const stop = stopRequested(io.signal);
  let sandbox: Sandbox;
  try {
    sandbox = await createSandbox({ port, host });
  } catch (error) {
    stop.dispose();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`cannot listen on ${host}:${port}: the port is in use`, { exitCode: 1 });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new CliError(`cannot listen on ${host}: no such local address`, { exitCode: 1 });
    }
    if (code === 'EACCES')
      throw new CliError(`cannot listen on ${host}:${port}: permission denied`, { exitCode: 1 });
    throw error;
  }
  try {
    writeLines(io.stdout, sandboxBanner(sandbox));
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
      writeLines(io.stderr, [
        `Warning: listening on ${host}: anyone who can reach it can use the sandbox and its page (no authentication).`,
      ]);
    }
    await stop.stopped;
  } finally {
    stop.dispose();
    await sandbox.close();
  }
  writeLines(io.stdout, ['Sandbox stopped.']);
  return 0;
}
