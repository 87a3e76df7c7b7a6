/**
 * `thaipay verify`: saved bodies signed here with jsonwebtoken / node:crypto are verified (exit 0 with
 * the typed result) or refused with the verification message (exit 1).
 */

import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerJwt, type RsaPair, rsaPair, rsaSign, run, tempDir } from './helpers';

const apiKey = 'verify-test-api-key-5d21';
const secretKey = 'verify-test-secret-0c4e';

const callbackFields = {
  order_no: 'DP1640995200ABC123',
  agent_order_no: 'T1',
  type: 'deposit',
  amount: 1000,
  fee: 5,
  transfer_amount: 995,
  actual_amount: 995,
  status: 'completed',
  timestamp: '1640995380',
};
const callback = { ...callbackFields, signature: providerJwt(callbackFields, apiKey) };

const notificationFields = {
  amount: '300.00',
  appId: '1054',
  currency: 'THB',
  errorMsg: '',
  fee: '3.00',
  orderId: 'M1',
  orderNo: '6023071013539074',
  payTime: '2024-01-01 19:03:00',
  status: '2',
};
const notificationSignString = `amount=300.00&appId=1054&currency=THB&fee=3.00&orderId=M1&orderNo=6023071013539074&payTime=2024-01-01 19:03:00&status=2&key=${secretKey}`;

let files: Awaited<ReturnType<typeof tempDir>>;
let platform: RsaPair;
let platformKeyFile: string;
let notification: Record<string, string>;

beforeAll(async () => {
  files = await tempDir();
  platform = rsaPair();
  platformKeyFile = await files.file('platform_public_key.pem', platform.publicPem);
  notification = { ...notificationFields, sign: rsaSign(notificationSignString, platform.privateKey) };
});

afterAll(() => files.remove());

describe('thaipay verify jwt', () => {
  it('prints OK and the typed callback, exit 0', async () => {
    const file = await files.file('callback.json', JSON.stringify(callback));
    const result = await run(['verify', 'jwt', file], { env: { GATEWAY_API_KEY: apiKey } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [ok, ...json] = result.stdout.split('\n');
    expect(ok).toBe('OK');
    const typed = JSON.parse(json.join('\n'));
    expect(typed).toMatchObject({
      orderNo: 'DP1640995200ABC123',
      orderId: 'T1',
      status: 'succeeded',
      providerStatus: 'completed',
      amountSatang: 100_000,
      timestamp: '2022-01-01T00:03:00.000Z',
    });
  });

  it('a changed field: the verification message on stderr, exit 1', async () => {
    const result = await run(['verify', 'jwt', '-', '--key', apiKey], {
      stdin: JSON.stringify({ ...callback, amount: 100000 }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('NOT VERIFIED: Callback field "amount" differs from the signed value.');
    expect(result.stderr).toContain('thaipay explain jwt');
  });

  it('the wrong key: exit 1', async () => {
    const result = await run(['verify', 'jwt'], {
      stdin: JSON.stringify(callback),
      env: { GATEWAY_API_KEY: 'not-the-key' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('was not made with the API key');
    expect(result.stderr).not.toContain('not-the-key');
  });

  it('--tolerance refuses an old timestamp', async () => {
    const result = await run(['verify', 'jwt', '--tolerance', '600'], {
      stdin: JSON.stringify(callback),
      env: { GATEWAY_API_KEY: apiKey },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('outside the 600 s window');
    const bad = await run(['verify', 'jwt', '--tolerance', 'soon'], { env: { GATEWAY_API_KEY: apiKey } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--tolerance must be a whole number');
  });
});

describe("thaipay verify jwt: the verifier's options, one flag each", () => {
  const env = { GATEWAY_API_KEY: apiKey };
  const { timestamp: _t, ...untimed } = callbackFields;

  it('an iat token with a body field it does not sign: OK, the field set apart in unsigned', async () => {
    const signature = jwt.sign({ ...untimed, iat: 1640995380 }, apiKey, { algorithm: 'HS256' });
    const result = await run(['verify', 'jwt', '--now', '1640995380', '--tolerance', '0'], {
      stdin: JSON.stringify({ ...untimed, remark: 'gift', signature }),
      env,
    });
    expect(result.code).toBe(0);
    const typed = JSON.parse(result.stdout.slice(result.stdout.indexOf('\n') + 1));
    expect(typed.unsigned).toStrictEqual({ remark: 'gift' });
    expect(typed.issuedAt).toBe('2022-01-01T00:03:00.000Z');
  });

  it('--no-require-timestamp accepts a token that signs neither timestamp nor iat', async () => {
    const stdin = JSON.stringify({ ...untimed, signature: providerJwt(untimed, apiKey) });
    const refused = await run(['verify', 'jwt'], { stdin, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('signs neither a timestamp (unix seconds) nor iat');
    const accepted = await run(['verify', 'jwt', '--no-require-timestamp'], { stdin, env });
    expect(accepted.code).toBe(0);
  });

  it('--now: a saved token checked at the time it arrived, not after its exp', async () => {
    const signature = jwt.sign({ ...callbackFields, exp: 1640995440 }, apiKey, {
      algorithm: 'HS256',
      noTimestamp: true,
    });
    const stdin = JSON.stringify({ ...callbackFields, signature });
    const late = await run(['verify', 'jwt'], { stdin, env });
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('Callback token expired at 2022-01-01T00:04:00.000Z (exp).');
    expect((await run(['verify', 'jwt', '--now', '2022-01-01T00:03:00Z'], { stdin, env })).code).toBe(0);
    expect((await run(['verify', 'jwt', '--now', '1640995380'], { stdin, env })).code).toBe(0);
  });

  it('--max-body-bytes refuses a larger body', async () => {
    const result = await run(['verify', 'jwt', '--max-body-bytes', '64'], {
      stdin: JSON.stringify(callback),
      env,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^NOT VERIFIED: /);
  });

  it('bad values are usage errors that never repeat the key given', async () => {
    for (const [option, value, words] of [
      ['--now', 'yesterday', '--now must be unix seconds or an ISO 8601 date'],
      ['--now', '2022-13-45T00:00:00Z', '--now must be unix seconds or an ISO 8601 date'],
      ['--max-body-bytes', '0', '--max-body-bytes must be a whole number from 1'],
      ['--tolerance', '-1', '--tolerance needs a value'],
    ] as const) {
      const result = await run(['verify', 'jwt', '--key', apiKey, option, value], { stdin: '{}' });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(words);
      expect(result.stderr).not.toContain(apiKey);
    }
  });

  it('THB refuses them, and --no-require-timestamp takes no value', async () => {
    for (const option of ['--no-require-timestamp', '--now=1', '--max-body-bytes=9']) {
      const result = await run(['verify', 'thb', option]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${option.split('=')[0]} is a JWT gateway option`);
    }
  });
});

describe('thaipay verify thb', () => {
  it('a JSON notification with the platform key from a file: OK, exit 0', async () => {
    const file = await files.file('notification.json', JSON.stringify(notification));
    const result = await run(['verify', 'thb', file, '--public-key', platformKeyFile], {
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(result.code).toBe(0);
    const typed = JSON.parse(result.stdout.slice(result.stdout.indexOf('\n') + 1));
    // A notification's signed fields do not say which kind it is: unknown unless --kind says so.
    expect(typed).toMatchObject({
      kind: 'unknown',
      orderId: 'M1',
      status: 'succeeded',
      providerStatus: '2',
    });
    expect(typed.payTime).toBe('2024-01-01T12:03:00.000Z');
    const told = await run(['verify', 'thb', file, '--public-key', platformKeyFile, '--kind', 'collection'], {
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(JSON.parse(told.stdout.slice(told.stdout.indexOf('\n') + 1)).kind).toBe('collection');
  });

  it('a form-encoded notification saved with a line end, key inline and from the environment', async () => {
    const form = `${new URLSearchParams(notification).toString()}\n`;
    const file = await files.file('notification.txt', form);
    const inline = await run([
      'verify',
      'thb',
      file,
      '--public-key',
      platform.publicBase64,
      '--secret-key',
      secretKey,
    ]);
    expect(inline.code).toBe(0);
    const fromEnv = await run(['verify', 'thb', file], {
      env: { THB_SECRET_KEY: secretKey, THB_PLATFORM_PUBLIC_KEY: platform.publicBase64 },
    });
    expect(fromEnv.code).toBe(0);
  });

  it('a changed field or another key: NOT VERIFIED, exit 1', async () => {
    const tampered = await run(['verify', 'thb', '--public-key', platformKeyFile], {
      stdin: JSON.stringify({ ...notification, amount: '3000.00' }),
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('NOT VERIFIED: THB collect notification sign does not verify');
    const otherKey = await run(['verify', 'thb', '--public-key', rsaPair().publicBase64], {
      stdin: JSON.stringify(notification),
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(otherKey.code).toBe(1);
  });

  it('without the platform public key: exit 2', async () => {
    const result = await run(['verify', 'thb'], {
      stdin: JSON.stringify(notification),
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no platform public key');
  });

  it('refuses options of the other provider and a bad --kind', async () => {
    expect((await run(['verify', 'thb', '--tolerance', '5'])).stderr).toContain(
      '--tolerance is a JWT gateway option',
    );
    expect((await run(['verify', 'jwt', '--public-key', 'x'])).stderr).toContain(
      '--public-key is a THB collect option',
    );
    expect((await run(['verify', 'thb', '--kind', 'refund'])).stderr).toContain(
      '--kind must be collection or payout',
    );
  });
});
