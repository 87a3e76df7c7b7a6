/**
 * `thaipay explain` on the command line: inputs from files, stdin and the environment, the summary
 * sentence first, and the exit codes 0 (correct), 1 (cause found), 2 (no cause, or a usage error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerJwt, type RsaPair, rsaPair, rsaSign, run, tempDir } from './helpers';

const apiKey = 'explain-cli-api-key-11aa';
const secretKey = 'explain-cli-secret-22bb';
const deposit = { merchantId: 'M1', transactionId: 'T1', amount: 1000, timestamp: 1640995200 };
const signature = providerJwt(deposit, apiKey);
const notification = { amount: '300.00', orderId: 'M1', orderNo: 'N1', status: '2' };
const notificationSignString = `amount=300.00&orderId=M1&orderNo=N1&status=2&key=${secretKey}`;

let files: Awaited<ReturnType<typeof tempDir>>;
let platform: RsaPair;
let merchant: RsaPair;

beforeAll(async () => {
  files = await tempDir();
  platform = rsaPair();
  merchant = rsaPair();
});

afterAll(() => files.remove());

describe('thaipay explain jwt', () => {
  it('exit 0 for a correct signature read from the body in the file', async () => {
    const file = await files.file('callback.json', JSON.stringify({ ...deposit, signature }));
    const result = await run(['explain', 'jwt', '--params', file], { env: { GATEWAY_API_KEY: apiKey } });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^The signature is correct/);
    expect(result.stderr).toBe('');
  });

  it('exit 1 with the plain sentence first, from stdin and --signature, never printing the key', async () => {
    const result = await run(
      ['explain', 'jwt', '--params', '-', '--signature', signature, '--key-env', 'K'],
      {
        stdin: JSON.stringify({ ...deposit, amount: '1000' }),
        env: { K: apiKey },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe(
      'Most likely: the amount was signed as the number 1000 but sent as the string "1000".',
    );
    expect(result.stdout).toContain('Details:');
    expect(result.stdout).not.toContain(apiKey);
  });

  it('exit 2 when no known mistake reproduces the signature', async () => {
    const unrelated = providerJwt({ other: 1 }, apiKey).split('.')[2]!;
    const result = await run(['explain', 'jwt', '--params', '-', '--signature', unrelated], {
      stdin: JSON.stringify(deposit),
      env: { GATEWAY_API_KEY: apiKey },
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^No known mistake/);
  });

  it('works without a key, comparing the readable payload', async () => {
    const result = await run(['explain', 'jwt', '--params', '-', '--signature', signature], {
      stdin: JSON.stringify({ ...deposit, timestamp: 1640995230 }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('30 s later');
    expect(result.stdout).toContain('HMAC was not checked');
  });

  it('usage errors: no parameters, no signature anywhere, THB options', async () => {
    const noParams = await run(['explain', 'jwt']);
    expect(noParams.code).toBe(2);
    expect(noParams.stderr).toContain('explain needs the parameters: --params FILE');
    const noSignature = await run(['explain', 'jwt', '--params', '-'], { stdin: JSON.stringify(deposit) });
    expect(noSignature.code).toBe(2);
    expect(noSignature.stderr).toContain('signature');
    const thbOption = await run(['explain', 'jwt', '--params', '-', '--public-key', 'x'], { stdin: '{}' });
    expect(thbOption.stderr).toContain('--public-key is a THB collect option');
  });
});

describe('thaipay explain thb', () => {
  it('exit 0 for a notification, the platform key from a file, the secret from the environment', async () => {
    const body = { ...notification, sign: rsaSign(notificationSignString, platform.privateKey) };
    const params = await files.file('notification.json', JSON.stringify(body));
    const key = await files.file('platform.pem', platform.publicPem);
    const result = await run(['explain', 'thb', '--params', params, '--public-key', key], {
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^The signature is correct/);
    expect(result.stdout).toContain('key=<secret>');
    expect(result.stdout).not.toContain(secretKey);
  });

  it('exit 1 for a form body with an empty value signed, keys from THB_* variables', async () => {
    const signString = `amount=300.00&errorMsg=&orderId=M1&orderNo=N1&status=2&key=${secretKey}`;
    const form = new URLSearchParams({
      ...notification,
      errorMsg: '',
      sign: rsaSign(signString, platform.privateKey),
    });
    const result = await run(['explain', 'thb', '--params', '-'], {
      stdin: form.toString(),
      env: { THB_SECRET_KEY: secretKey, THB_PLATFORM_PUBLIC_KEY: platform.publicBase64 },
    });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toContain(
      'the empty field errorMsg was included in the sign string',
    );
  });

  it('your own request with --private-key: a PKCS#1 key gets a note, the sign is correct', async () => {
    const key = await files.file('merchant_pkcs1.pem', merchant.privatePkcs1Pem);
    const result = await run(
      [
        'explain',
        'thb',
        '--params',
        '-',
        '--private-key',
        key,
        '--secret-key',
        secretKey,
        '--signature',
        rsaSign(notificationSignString, merchant.privateKey),
      ],
      { stdin: JSON.stringify(notification) },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Notes:');
    expect(result.stdout).toContain('PKCS#1');
    expect(result.stdout).not.toContain(merchant.privatePkcs1Pem.split('\n')[1]);
  });

  it('exit 1 for a wrong key pair', async () => {
    const result = await run(['explain', 'thb', '--params', '-', '--public-key', platform.publicBase64], {
      stdin: JSON.stringify({ ...notification, sign: rsaSign(notificationSignString, merchant.privateKey) }),
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Most likely: the signature was not made with the private key/);
  });

  it('without any key or secret: exit 2 saying what to give', async () => {
    const noKey = await run(['explain', 'thb', '--params', '-'], {
      stdin: JSON.stringify(notification),
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('no key to check with');
    const noSecret = await run(['explain', 'thb', '--params', '-', '--public-key', platform.publicBase64], {
      stdin: JSON.stringify(notification),
    });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('no secret key');
  });
});
