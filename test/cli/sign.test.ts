/**
 * `thaipay sign`: the printed canonical form and signature match the providers' recipes (jsonwebtoken,
 * node:crypto), keys come from flags, named variables or GATEWAY_* / THB_* variables, and are never printed.
 */
import { verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerJwt, type RsaPair, rsaPair, run, tempDir } from './helpers';

const apiKey = 'sign-test-api-key-93b1';
const secretKey = 'sign-test-secret-27aa';
const deposit = { merchantId: 'M1', transactionId: 'T1', amount: 1000, type: 'QR', timestamp: 1640995200 };
const collect = { appId: 1054, orderId: 'M1', amount: '300.00', name: 'John Doe', notifyUrl: '' };
const collectSignString = `amount=300.00&appId=1054&name=John Doe&orderId=M1&key=${secretKey}`;

let files: Awaited<ReturnType<typeof tempDir>>;
let merchant: RsaPair;
let depositFile: string;
let collectFile: string;
let privateKeyFile: string;

beforeAll(async () => {
  files = await tempDir();
  merchant = rsaPair();
  depositFile = await files.file('deposit.json', JSON.stringify(deposit, null, 2));
  collectFile = await files.file('collect.json', JSON.stringify(collect));
  privateKeyFile = await files.file('merchant_private_key.pem', merchant.privatePem);
});

afterAll(() => files.remove());

/** The lines after each label of the output. */
function section(output: string, label: RegExp): string {
  const lines = output.split('\n');
  const index = lines.findIndex((line) => label.test(line));
  return lines[index + 1] ?? '';
}

describe('thaipay sign jwt', () => {
  it('prints the sorted payload and the provider-identical JWT, never the key', async () => {
    const result = await run(['sign', 'jwt', depositFile, '--key-env', 'GATEWAY_API_KEY'], {
      env: { GATEWAY_API_KEY: apiKey },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(section(result.stdout, /^Payload/)).toBe(
      '{"amount":1000,"merchantId":"M1","timestamp":1640995200,"transactionId":"T1","type":"QR"}',
    );
    expect(section(result.stdout, /^Signature/)).toBe(providerJwt(deposit, apiKey));
    expect(result.stdout).not.toContain(apiKey);
  });

  it('reads the parameters from stdin ("-" or no file) and the key from GATEWAY_API_KEY', async () => {
    for (const argv of [
      ['sign', 'jwt', '-'],
      ['sign', 'jwt'],
    ]) {
      const result = await run(argv, { stdin: JSON.stringify(deposit), env: { GATEWAY_API_KEY: apiKey } });
      expect(result.code).toBe(0);
      expect(section(result.stdout, /^Signature/)).toBe(providerJwt(deposit, apiKey));
    }
  });

  it('takes --key, ahead of the environment', async () => {
    const result = await run(['sign', 'jwt', depositFile, '--key', apiKey], {
      env: { GATEWAY_API_KEY: 'another-key' },
    });
    expect(section(result.stdout, /^Signature/)).toBe(providerJwt(deposit, apiKey));
  });

  it('leaves a signature field out of what it signs', async () => {
    const result = await run(['sign', 'jwt'], {
      stdin: JSON.stringify({ ...deposit, signature: 'old' }),
      env: { GATEWAY_API_KEY: apiKey },
    });
    expect(section(result.stdout, /^Signature/)).toBe(providerJwt(deposit, apiKey));
  });

  it('without a key: says every way to give one, exit 2', async () => {
    const result = await run(['sign', 'jwt', depositFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no API key: set GATEWAY_API_KEY, or pass --key-env VAR');
  });

  it('a --key-env naming an unset variable is an error that does not repeat the name (it may be a key)', async () => {
    const result = await run(['sign', 'jwt', depositFile, '--key-env', 'MY_KEY']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'thaipay sign: the environment variable named by --key-env is not set or empty\n',
    );
  });

  it('refuses parameters that are not a JSON object', async () => {
    const env = { GATEWAY_API_KEY: apiKey };
    const broken = await run(['sign', 'jwt'], { stdin: '{"amount":', env });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('the parameters are not valid JSON');
    const array = await run(['sign', 'jwt'], { stdin: '[1,2]', env });
    expect(array.stderr).toContain('the parameters must be a JSON object of fields');
    const empty = await run(['sign', 'jwt'], { stdin: '  ', env });
    expect(empty.stderr).toContain('the parameters are empty');
  });

  it('refuses THB options', async () => {
    const result = await run(['sign', 'jwt', depositFile, '--private-key', privateKeyFile], {
      env: { GATEWAY_API_KEY: apiKey },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('THB collect options');
  });
});

describe('thaipay sign thb', () => {
  it('prints the sign string with the secret redacted and a sign that verifies', async () => {
    const result = await run(['sign', 'thb', collectFile, '--private-key', privateKeyFile], {
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(result.code).toBe(0);
    expect(section(result.stdout, /^Sign string/)).toBe(
      'amount=300.00&appId=1054&name=John Doe&orderId=M1&key=<secret>',
    );
    const sign = section(result.stdout, /^Sign \(/);
    expect(
      verify('sha256', Buffer.from(collectSignString), merchant.publicPem, Buffer.from(sign, 'base64')),
    ).toBe(true);
    expect(result.stdout).not.toContain(secretKey);
    expect(result.stdout).not.toContain(merchant.privateBase64.slice(40, 80));
  });

  it('takes the private key from THB_PRIVATE_KEY and the secret from --secret-key', async () => {
    const result = await run(['sign', 'thb', '--secret-key', secretKey], {
      stdin: JSON.stringify(collect),
      env: { THB_PRIVATE_KEY: merchant.privateBase64 },
    });
    expect(result.code).toBe(0);
    const sign = section(result.stdout, /^Sign \(/);
    expect(
      verify('sha256', Buffer.from(collectSignString), merchant.publicPem, Buffer.from(sign, 'base64')),
    ).toBe(true);
  });

  it('without a private key or secret key: exit 2 saying how to give it', async () => {
    const noPrivate = await run(['sign', 'thb', collectFile], { env: { THB_SECRET_KEY: secretKey } });
    expect(noPrivate.code).toBe(2);
    expect(noPrivate.stderr).toContain('no private key: pass --private-key FILE or set THB_PRIVATE_KEY');
    const noSecret = await run(['sign', 'thb', collectFile, '--private-key', privateKeyFile]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('no secret key: set THB_SECRET_KEY');
  });

  it('a public key given as the private key: the SDK refusal in one line, no key material', async () => {
    const publicFile = await files.file('public.pem', merchant.publicPem);
    const result = await run(['sign', 'thb', collectFile, '--private-key', publicFile], {
      env: { THB_SECRET_KEY: secretKey },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'thaipay sign: Invalid request: privateKey: is a public key; a private key is required here\n',
    );
  });
});
