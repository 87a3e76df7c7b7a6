/**
 * `thaipay sandbox --keys FILE`: the first run saves its credentials (mode 0600), the next runs start
 * with them, so the variables printed the first time still sign requests the restarted sandbox
 * accepts; a bad file is refused with exit 2 and left as it was.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli';
import { HELP } from '../../src/cli/help';
import { thbSign, thbVerify } from '../testing/helpers';
import { Collector, providerJwt, run, tempDir } from './helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function scratch(): Promise<string> {
  const temp = await tempDir();
  cleanups.push(temp.remove);
  return temp.dir;
}

/** The value of `export NAME=value` in the banner. */
function exported(banner: string, name: string): string {
  const match = new RegExp(`^  export ${name}=(.+)$`, 'm').exec(banner);
  if (!match) throw new Error(`${name} not printed`);
  return match[1]!;
}

const CREDENTIAL_VARS = [
  'GATEWAY_MERCHANT_ID',
  'GATEWAY_API_KEY',
  'THB_APP_ID',
  'THB_SECRET_KEY',
  'THB_PRIVATE_KEY',
  'THB_PLATFORM_PUBLIC_KEY',
] as const;

/** Start `thaipay sandbox ...argv`, wait for its banner; `stop()` ends it and gives the exit code. */
async function startSandbox(argv: string[]): Promise<{ banner: string; stop(): Promise<number> }> {
  const stdout = new Collector();
  const stderr = new Collector();
  const controller = new AbortController();
  const done = main(['sandbox', '--port', '0', ...argv], {
    stdin: '',
    stdout,
    stderr,
    env: {},
    signal: controller.signal,
  });
  const started = await Promise.race([
    stdout.waitFor(/Press Ctrl-C to stop\./).then(() => true),
    done.then(() => false),
  ]);
  if (!started) throw new Error(`sandbox did not start: ${stderr.text}`);
  let stopped: Promise<number> | undefined;
  const stop = (): Promise<number> => {
    controller.abort();
    stopped ??= done.then((code) => {
      expect(stderr.text).toBe('');
      return code;
    });
    return stopped;
  };
  cleanups.push(async () => {
    await stop();
  });
  return { banner: stdout.text, stop };
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Listen on `port` and stop again: rejects when something still holds it. */
function listenOnce(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

function credentials(banner: string): Record<string, string> {
  return Object.fromEntries(CREDENTIAL_VARS.map((name) => [name, exported(banner, name)]));
}

describe('thaipay sandbox --keys FILE', () => {
  it('saves the credentials on the first run and starts with them again on the next', async () => {
    const dir = await scratch();
    const file = join(dir, 'nested', 'sandbox-keys.json');

    const first = await startSandbox(['--keys', file]);
    expect(first.banner).toContain(`Keys saved to ${file} (mode 0600)`);
    expect(await first.stop()).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const printed = credentials(first.banner);
    const text = await readFile(file, 'utf8');
    const saved = JSON.parse(text);
    expect(Object.keys(saved).sort()).toEqual(
      ['apiKey', 'appId', 'merchantId', 'merchantPrivateKey', 'platformPrivateKey', 'secretKey'].sort(),
    );
    expect(saved).toMatchObject({
      merchantId: printed.GATEWAY_MERCHANT_ID,
      apiKey: printed.GATEWAY_API_KEY,
      appId: printed.THB_APP_ID,
      secretKey: printed.THB_SECRET_KEY,
      merchantPrivateKey: printed.THB_PRIVATE_KEY,
    });
    const platformPublic = createPublicKey(
      createPrivateKey({
        key: Buffer.from(saved.platformPrivateKey, 'base64'),
        format: 'der',
        type: 'pkcs8',
      }),
    )
      .export({ format: 'der', type: 'spki' })
      .toString('base64');
    expect(platformPublic).toBe(printed.THB_PLATFORM_PUBLIC_KEY);

    const second = await startSandbox(['--keys', file]);
    expect(second.banner).toContain(`Keys loaded from ${file}`);
    expect(second.banner).not.toContain('Keys saved');
    expect(credentials(second.banner)).toEqual(printed);
    expect(await readFile(file, 'utf8')).toBe(text);

    // What the first run printed works against the second: a JWT gateway call signed with the API key...
    const gatewayUrl = exported(second.banner, 'GATEWAY_BASE_URL');
    const params = { merchantId: printed.GATEWAY_MERCHANT_ID, timestamp: Math.floor(Date.now() / 1000) };
    const balance = await fetch(`${gatewayUrl}/balance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': printed.GATEWAY_API_KEY! },
      body: JSON.stringify({ ...params, signature: providerJwt(params, printed.GATEWAY_API_KEY!) }),
    });
    expect(balance.status).toBe(200);
    expect((await balance.json()).data).toEqual({ balance: 50000, currency: 'THB' });

    // ...and a THB collection signed with the merchant key, answered under the same platform key.
    const collection = {
      appId: Number(printed.THB_APP_ID),
      orderId: `M${Date.now()}`,
      name: 'John Doe',
      phone: '0812345678',
      email: 'john@example.com',
      amount: '300.00',
      payType: 'QR',
      inBankCode: 'QR',
      callBackUrl: 'https://shop.example/ok',
      callBackFailUrl: 'https://shop.example/fail',
      subject: 'Order',
      partnerUserId: '149597870',
    };
    const sign = thbSign(collection, printed.THB_SECRET_KEY!, printed.THB_PRIVATE_KEY!);
    const apply = await fetch(`${exported(second.banner, 'THB_BASE_URL')}/thb/collect/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...collection, sign }),
    });
    const answer = await apply.json();
    expect(answer).toMatchObject({ status: '1', error: '00000000' });
    expect(thbVerify(answer.data, printed.THB_SECRET_KEY!, printed.THB_PLATFORM_PUBLIC_KEY!)).toBe(true);
    expect(await second.stop()).toBe(0);
  });

  it.each([
    ['not JSON', '{"apiKey": "abc", oops', 'it is not valid JSON'],
    ['not an object', '["a"]', 'it is not a JSON object'],
    [
      'a missing field',
      JSON.stringify({ merchantId: 'm', appId: '1234', secretKey: 's' }),
      'apiKey must be a non-empty string without spaces',
    ],
    [
      'a bad appId',
      JSON.stringify({ merchantId: 'm', apiKey: 'k', appId: 'x1', secretKey: 's' }),
      'appId must be digits',
    ],
    [
      'a bad key',
      JSON.stringify({
        merchantId: 'm',
        apiKey: 'k',
        appId: 1234,
        secretKey: 's',
        merchantPrivateKey: 'bm90IGEga2V5',
        platformPrivateKey: 'bm90IGEga2V5',
      }),
      'merchantPrivateKey must be an RSA private key (bare Base64 PKCS#8)',
    ],
  ])('refuses a file with %s: exit 2, file unchanged', async (_, content, reason) => {
    const dir = await scratch();
    const file = join(dir, 'keys.json');
    await writeFile(file, content);
    const result = await run(['sandbox', '--port', '0', '--keys', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `thaipay sandbox: cannot use the keys file "${file}": ${reason}; fix it, or delete it to start afresh\n`,
    );
    expect(result.stdout).toBe('');
    expect(await readFile(file, 'utf8')).toBe(content);
  });

  it('never quotes the file in its messages', async () => {
    const dir = await scratch();
    const file = join(dir, 'keys.json');
    await writeFile(file, '{"apiKey": s3cr3t-value');
    const result = await run(['sandbox', '--keys', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('s3cr3t');
  });

  it('refuses a directory, an empty --keys, and a FILE whose directory is a file', async () => {
    const dir = await scratch();
    await mkdir(join(dir, 'keys.json'));
    const directory = await run(['sandbox', '--keys', join(dir, 'keys.json')]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain('it is a directory');

    const empty = await run(['sandbox', '--keys', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--keys is empty');

    const blocker = join(dir, 'plain-file');
    await writeFile(blocker, 'x');
    const file = join(blocker, 'keys.json');
    const blocked = await run(['sandbox', '--port', '0', '--keys', file]);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain(
      `cannot use the keys file "${file}": a part of its path is not a directory`,
    );
    expect(await readFile(blocker, 'utf8')).toBe('x');
  });

  it('refuses to write through a dangling link, and closes the sandbox it started', async () => {
    const dir = await scratch();
    const target = join(dir, 'elsewhere.json');
    const file = join(dir, 'keys.json');
    await symlink(target, file);
    const port = await freePort();
    // stat follows the link and finds nothing, so this is found out only when saving, once started.
    const result = await run(['sandbox', '--port', String(port), '--keys', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `thaipay sandbox: cannot write ${file}: something is already there (a file made meanwhile, or a link); left as it is\n`,
    );
    expect(result.stdout).toBe('');
    // The sandbox had started on the port (the keys are saved only then) and let it go again.
    await listenOnce(port);
    expect(await readlink(file)).toBe(target);
    await expect(stat(target)).rejects.toThrow();
  });

  it('is documented in --help', async () => {
    const help = await run(['sandbox', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(HELP.sandbox);
    expect(help.stdout).toMatch(/^Usage: thaipay sandbox .*\[--keys FILE\]/);
    expect(help.stdout).toContain('--keys FILE       Load the credentials from FILE, or save them there');
    expect(help.stdout).toContain('(mode 0600');
    expect(help.stdout).toContain('merchantPrivateKey and platformPrivateKey');
  });
});
