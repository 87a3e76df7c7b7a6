/**
 * Attack replays for secret leaks (issue 12, finding 9), over real loopback sockets where a network is
 * involved:
 * - a gateway that echoes the API key as an object KEY got it into `raw`, `toJSON`, `util.inspect` and
 *   the hooks (only string values were scrubbed);
 * - the CLI echoed a private key given inline to `--private-key` (and other misplaced secrets) in its
 *   errors;
 * - `thaipay keys generate` without `--out` printed the public key and lost the private one.
 * Each test asserts the secret never shows.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runKeys } from '../../src/cli/commands/keys';
import { givenSecrets, guardedOutput } from '../../src/cli/secrets';
import { ThaiPayError } from '../../src/core/errors';
import { redactDeep, redactSecrets } from '../../src/core/redact';
import { JwtGatewayClient } from '../../src/jwt-gateway';
import { Collector, providerJwt, run, tempDir } from '../cli/helpers';

const API_KEY = 'sk_live_0123456789abcdefLEAKME';

let server: Server | undefined;
afterEach(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  }
});

/** A fake gateway on loopback that answers every request with `status` and `body`. */
async function gatewayAnswering(status: number, body: unknown): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api/v1`;
}

describe('redaction covers object keys', () => {
  it('scrubs a key equal to or containing a secret, at any depth, and keeps every value', () => {
    const data = {
      [API_KEY]: 'value-1',
      [`x-${API_KEY}-y`]: { [API_KEY]: [API_KEY, { [`${API_KEY}`]: 2 }] },
      '[REDACTED]': 'already there',
      ordinary: API_KEY,
    };
    const scrubbed = redactDeep(data, [API_KEY]);
    expect(scrubbed).toStrictEqual({
      '[REDACTED]': 'value-1',
      'x-[REDACTED]-y': { '[REDACTED]': ['[REDACTED]', { '[REDACTED]': 2 }] },
      '[REDACTED]#2': 'already there',
      ordinary: '[REDACTED]',
    });
    expect(JSON.stringify(scrubbed)).not.toContain(API_KEY);
  });

  it('keeps `__proto__` an ordinary key of the copy, never its prototype', () => {
    const data = JSON.parse(`{"__proto__":{"polluted":"${API_KEY}"},"a":1}`) as object;
    const scrubbed = redactDeep(data, [API_KEY]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(scrubbed)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(scrubbed)).toBe('{"__proto__":{"polluted":"[REDACTED]"},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('redactSecrets still scrubs strings (and leaves short secrets alone)', () => {
    expect(redactSecrets(`key ${API_KEY}.`, [API_KEY, undefined, 'ab'])).toBe('key [REDACTED].');
  });

  it('a gateway echoing the API key as a field NAME: not in raw, toJSON, inspect, the message or hooks', async () => {
    const baseUrl = await gatewayAnswering(400, {
      code: 400,
      message: 'Invalid API key',
      data: { [API_KEY]: 'refused', tried: [{ [`key:${API_KEY}`]: true }] },
    });
    const seen: unknown[] = [];
    const client = new JwtGatewayClient({
      baseUrl,
      merchantId: 'm-1',
      apiKey: API_KEY,
      maxRetries: 0,
      hooks: {
        beforeRequest: (event) => {
          seen.push(event);
        },
        afterResponse: (event) => {
          seen.push(event);
        },
        onError: (event) => {
          seen.push(event);
        },
      },
    });
    const error = await client.getBalance().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ThaiPayError);
    const thrown = error as ThaiPayError;
    expect(thrown.raw).toStrictEqual({
      code: 400,
      message: 'Invalid API key',
      data: { '[REDACTED]': 'refused', tried: [{ 'key:[REDACTED]': true }] },
    });
    for (const shown of [
      JSON.stringify(thrown),
      JSON.stringify(thrown.raw),
      inspect(thrown, { depth: 10 }),
      thrown.message,
      String(thrown.stack),
    ]) {
      expect(shown).not.toContain(API_KEY);
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(inspect(seen, { depth: 10 })).not.toContain(API_KEY);
  });
});

describe('the CLI never prints a key it was given', () => {
  const PEM_LINES = [
    '-----BEGIN PRIVATE KEY-----',
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCwLEAKMEPRIVATEKEY',
    '-----END PRIVATE KEY-----',
  ];
  const INLINE_PEM = PEM_LINES.join('\n');
  const SECRET_MARK = 'LEAKME';
  const params = JSON.stringify({ orderId: 'M1', amount: '10.00' });

  /** Run the CLI and check no trace of the secret shows on either stream. */
  async function refusedWithoutEcho(argv: string[], env: Record<string, string> = {}, stdin = params) {
    const result = await run(argv, { stdin, env });
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET_MARK);
    return result;
  }

  it('refuses a private key given inline to --private-key without echoing it (sign, explain)', async () => {
    const secretKey = ['--secret-key', 'sk-1234'];
    const sign = await refusedWithoutEcho(['sign', 'thb', '-', ...secretKey, `--private-key=${INLINE_PEM}`]);
    expect(sign).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'thaipay sign: --private-key takes the path of a file holding the key, not the key itself; put it in a file (mode 0600) or THB_PRIVATE_KEY\n',
    });
    // As a separate argument parseArgs sees a value starting with "-": refused, and not echoed either.
    const separate = await refusedWithoutEcho([
      'sign',
      'thb',
      '-',
      ...secretKey,
      '--private-key',
      INLINE_PEM,
    ]);
    expect(separate.code).toBe(2);
    expect(separate.stderr).toContain(
      'thaipay sign: --private-key needs a value (one starting with "-" goes as --private-key=VALUE)\n',
    );
    const bare = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ${'A'.repeat(300)}${SECRET_MARK}`;
    const bareRun = await refusedWithoutEcho(['sign', 'thb', '-', ...secretKey, '--private-key', bare]);
    expect(bareRun.stderr).toContain('--private-key takes the path of a file holding the key');
    const explain = await refusedWithoutEcho([
      'explain',
      'thb',
      '--params',
      '-',
      ...secretKey,
      `--private-key=${INLINE_PEM}`,
    ]);
    expect(explain.code).toBe(2);
    expect(explain.stderr).toContain('--private-key takes the path of a file holding the key');
  });

  it('never echoes a path argument that could be a pasted key (files, --key-env)', async () => {
    const attempts: string[][] = [
      // The API key pasted where the parameters file goes.
      ['sign', 'jwt', `sk_live_${SECRET_MARK}`, '--key', 'k-1234'],
      ['verify', 'jwt', `sk_live_${SECRET_MARK}`, '--key', 'k-1234'],
      ['explain', 'jwt', '--params', `sk_live_${SECRET_MARK}`, '--key', 'k-1234'],
      // The key itself given to --key-env instead of a variable name.
      ['sign', 'jwt', '-', '--key-env', `sk_live_${SECRET_MARK}`],
      ['verify', 'thb', '-', '--key-env', `sk_live_${SECRET_MARK}`, '--public-key', 'x.pem'],
      // A short private key "file" that is in fact a key fragment.
      ['sign', 'thb', '-', '--secret-key', 's-1234', '--private-key', `MIIE${SECRET_MARK}`],
      ['verify', 'thb', '-', '--secret-key', 's-1234', '--public-key', `MIIB${SECRET_MARK}`],
      // Unknown actions and options.
      ['keys', `sk_live_${SECRET_MARK}`],
      ['sandbox', `sk_live_${SECRET_MARK}`],
      ['sign', 'jwt', `--${SECRET_MARK}`],
    ];
    for (const argv of attempts) {
      const result = await refusedWithoutEcho(argv);
      expect([argv.join(' '), result.code]).toEqual([argv.join(' '), 2]);
    }
  });

  it('explain and verify show a key variant by name, never the key', async () => {
    const apiKey = `gw-${SECRET_MARK}-key-1234`;
    const deposit = { merchantId: 'M1', transactionId: 'T1', amount: 1000, timestamp: 1640995200 };
    // Signed with the key plus a stray newline (a classic copy-paste mistake), checked with the key.
    const signature = providerJwt(deposit, `${apiKey}\n`);
    const explain = await refusedWithoutEcho(
      ['explain', 'jwt', '--params', '-', '--signature', signature],
      {
        GATEWAY_API_KEY: apiKey,
      },
      JSON.stringify(deposit),
    );
    expect(explain.code).toBe(1);
    const verify = await refusedWithoutEcho(
      ['verify', 'jwt', '-'],
      { GATEWAY_API_KEY: apiKey },
      JSON.stringify({ ...deposit, signature }),
    );
    expect(verify.code).toBe(1);
  });

  it('scrubs every secret it was given from what it writes, whatever the message path (last guard)', () => {
    const env = {
      GATEWAY_API_KEY: 'env-api-key-123456',
      MY_SECRET: 'named-by-key-env-1',
      THB_SECRET_KEY: 'short',
    };
    const secrets = givenSecrets(
      [
        'sign',
        'thb',
        '--key',
        'flag-key-12345678',
        '--private-key=./inline-or-path.pem',
        '--key-env',
        'MY_SECRET',
      ],
      env,
    );
    expect(secrets.sort()).toEqual(
      [
        './inline-or-path.pem',
        'MY_SECRET',
        'env-api-key-123456',
        'flag-key-12345678',
        'named-by-key-env-1',
      ].sort(),
    );
    const out = new Collector();
    guardedOutput(out, secrets).write('boom: flag-key-12345678 and env-api-key-123456 and short\n');
    expect(out.text).toBe('boom: [REDACTED] and [REDACTED] and short\n');
  });

  it('does not quote parameters that are not JSON (a key file given by mistake)', async () => {
    const result = await refusedWithoutEcho(
      ['sign', 'jwt', '-', '--key', 'k-1234'],
      {},
      `{"a":1,"b":sk_${SECRET_MARK}}`,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('thaipay sign: the parameters are not valid JSON\n');
  });

  it('names an unusable THAIPAY_SANDBOX_TOKEN without showing it', async () => {
    const result = await refusedWithoutEcho(['sandbox', '--port', '0'], {
      THAIPAY_SANDBOX_TOKEN: `x ${SECRET_MARK}`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'thaipay sandbox: THAIPAY_SANDBOX_TOKEN must be 16 to 256 visible ASCII characters\n',
    );
  });
});

describe('thaipay keys generate never loses the private key', () => {
  it('refuses to run without --out or --print-private, before generating anything', async () => {
    const result = await run(['keys', 'generate']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining(
        'thaipay keys: without --out the private key would be lost: pass --out DIR to write both keys to files, or --print-private to print both',
      ),
    });
  });

  it('with --print-private prints both keys, and they are a pair', async () => {
    const { createPrivateKey, createPublicKey } = await import('node:crypto');
    const result = await run(['keys', 'generate', '--print-private']);
    expect(result.code).toBe(0);
    const pem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(result.stdout)![0];
    const publicBase64 = /SubjectPublicKeyInfo\):\n([A-Za-z0-9+/=]+)\n/.exec(result.stdout)![1]!;
    const derived = createPublicKey(createPrivateKey(pem))
      .export({ format: 'der', type: 'spki' })
      .toString('base64');
    expect(derived).toBe(publicBase64);
    expect(result.stderr).toContain('keep it secret');
  });

  it('with --out writes both and prints only the public key', async () => {
    const dir = await tempDir();
    try {
      const stdout = new Collector();
      const stderr = new Collector();
      const code = await runKeys(['generate', '--out', dir.dir], { stdin: '', stdout, stderr, env: {} });
      expect(code).toBe(0);
      expect(stdout.text).not.toContain('PRIVATE KEY');
      expect(stdout.text).toContain('merchant_private_key.pem');
    } finally {
      await dir.remove();
    }
  });
});
