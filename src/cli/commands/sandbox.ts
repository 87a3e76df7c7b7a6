/**
 * `thaipay sandbox`: run the local simulator of both providers until stopped, printing everything a
 * client needs to talk to it. Credentials are printed on purpose: they are the sandbox's own, made up
 * for this run (or saved from an earlier one with `--keys FILE`), and the point of the command is to
 * hand them out.
 */
import { CONTROL_TOKEN_HEADER, createSandbox, type Sandbox } from '../../testing';
import { integerOption, noMorePositionals, parseCommandArgs, stringOption } from '../args';
import { CliError, type CliIo, writeLines } from '../io';
import {
  readSandboxKeys,
  type SandboxKeys,
  sandboxKeysOf,
  sandboxOptionsFromKeys,
  writeSandboxKeys,
} from '../sandbox-keys';
import { ENV_VARS } from '../secrets';

/** The variable that fixes the control token across restarts (random per run otherwise). */
export const CONTROL_TOKEN_ENV = 'THAIPAY_SANDBOX_TOKEN';

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
 * What the sandbox prints once it listens; `notes` go just before the "Press Ctrl-C" line.
 *
 * @example
 * ```ts
 * writeLines(io.stdout, sandboxBanner(await createSandbox()));
 * writeLines(io.stdout, sandboxBanner(sandbox, ['Keys loaded from sandbox-keys.json.']));
 * ```
 */
export function sandboxBanner(sandbox: Sandbox, notes: readonly string[] = []): string[] {
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
    'Controls (pay, fail, expire, inject a fault) from a script: send the control token in a header.',
    `  control token  ${sandbox.controlToken}`,
    `  curl -X POST -H '${CONTROL_TOKEN_HEADER}: ${sandbox.controlToken}' -H 'content-type: application/json' \\`,
    `    -d '{}' ${sandbox.url}/_sandbox/orders/ORDER_ID/pay`,
    '',
    'Example environment variables (the thaipay CLI reads the key ones too):',
    ...env.filter(([, value]) => value !== undefined).map(([name, value]) => `  export ${name}=${value}`),
    '',
    ...(notes.length > 0 ? [...notes, ''] : []),
    'Press Ctrl-C to stop.',
  ];
}

/** Save the generated keys on a first run; say which happened. */
async function keysNote(
  path: string | undefined,
  saved: SandboxKeys | undefined,
  sandbox: Sandbox,
): Promise<string[]> {
  if (path === undefined) return [];
  if (saved) return [`Keys loaded from ${path}: the variables above are the same as last time.`];
  await writeSandboxKeys(path, sandboxKeysOf(sandbox));
  return [`Keys saved to ${path} (mode 0600): "--keys ${path}" starts the sandbox with them again.`];
}

/**
 * Run `thaipay sandbox` until `io.signal` aborts (or SIGINT / SIGTERM without one); resolves to the
 * exit code once the sandbox is closed. With `--keys FILE`, credentials come from FILE when it exists
 * and are saved to it (mode 0600) when it does not.
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
  const args = parseCommandArgs('sandbox', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    keys: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
  });
  noMorePositionals('sandbox', args.positionals, 0);
  const port = integerOption('sandbox', args, 'port', 0, 65535) ?? 0;
  const host = stringOption(args, 'host') ?? '127.0.0.1';
  const keysPath = stringOption(args, 'keys');
  const allowedHosts = args.values['allow-host'];
  if (Array.isArray(allowedHosts) && allowedHosts.some((name) => !/^[\w.\-[\]:]+$/.test(name))) {
    throw new CliError('--allow-host takes a host name (letters, digits, ".", "-", "[", "]", ":")', {
      usageOf: 'sandbox',
    });
  }
  const controlToken = io.env[CONTROL_TOKEN_ENV];
  if (controlToken !== undefined && !/^[\x21-\x7e]{16,256}$/.test(controlToken)) {
    // Named, never shown: it is a credential.
    throw new CliError(`${CONTROL_TOKEN_ENV} must be 16 to 256 visible ASCII characters`);
  }
  if (keysPath === '') throw new CliError('--keys is empty; give a file', { usageOf: 'sandbox' });
  // Read before starting anything: a bad file stops here, untouched.
  const saved = keysPath === undefined ? undefined : await readSandboxKeys(keysPath);
  const stop = stopRequested(io.signal);
  let sandbox: Sandbox;
  try {
    sandbox = await createSandbox({
      port,
      host,
      ...(Array.isArray(allowedHosts) ? { allowedHosts } : {}),
      ...(controlToken === undefined ? {} : { controlToken }),
      ...(saved ? sandboxOptionsFromKeys(saved) : {}),
    });
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
    if (error instanceof TypeError) throw new CliError(error.message, { usageOf: 'sandbox' });
    throw error;
  }
  try {
    // Saved only once the sandbox listens, so a port in use leaves no file behind.
    const notes = await keysNote(keysPath, saved, sandbox);
    writeLines(io.stdout, sandboxBanner(sandbox, notes));
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
