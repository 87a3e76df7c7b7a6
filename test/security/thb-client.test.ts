/**
 * Attacks on the THB collect client's configuration and results (issue 12): options that would switch a
 * protection off or crash later, a silent default host, secrets echoed into successful results.
 */
import { inspect } from 'node:util';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import { ThbCollectClient, type ThbCollectClientOptions } from '../../src/thb-collect';
import { MERCHANT_PRIVATE_PEM, PLATFORM, platformSigned, SECRET_KEY } from '../thb-collect/helpers';

const BASE = 'https://thb.example';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const good: ThbCollectClientOptions = {
  appId: 1054,
  secretKey: SECRET_KEY,
  privateKey: MERCHANT_PRIVATE_PEM,
  platformPublicKey: PLATFORM.publicPem,
  baseUrl: BASE,
};

function construct(options: unknown): unknown {
  try {
    return new ThbCollectClient(options as ThbCollectClientOptions);
  } catch (error) {
    return error;
  }
}

function issuesOf(error: unknown): string[] {
  expect(error).toBeInstanceOf(InvalidRequestError);
  return (error as InvalidRequestError).issues.map((issue) => issue.field);
}

describe('THB client options are validated at construction', () => {
  it('credentials from unset environment variables: a typed error naming each, never a TypeError', () => {
    const env: Record<string, string | undefined> = {};
    const error = construct({
      appId: env.THB_APP_ID,
      secretKey: env.THB_SECRET_KEY,
      privateKey: env.THB_PRIVATE_KEY,
      platformPublicKey: env.THB_PLATFORM_PUBLIC_KEY,
      baseUrl: env.THB_BASE_URL,
    });
    expect(error).not.toBeInstanceOf(TypeError);
    expect(issuesOf(error)).toEqual(['appId', 'secretKey', 'baseUrl', 'privateKey', 'platformPublicKey']);
    expect((error as Error).message).toMatch(/is its variable set\?/);
    // With those present, the missing keys are named in turn.
    expect(issuesOf(construct({ ...good, privateKey: undefined }))).toEqual(['privateKey']);
    expect(issuesOf(construct({ ...good, platformPublicKey: undefined }))).toEqual(['platformPublicKey']);
    expect(issuesOf(construct({ ...good, secretKey: '   ' }))).toEqual(['secretKey']);
    expect(issuesOf(construct(undefined))).toEqual(['options']);
  });

  it('there is no silent default host: baseUrl is required and must be an http(s) URL', () => {
    const { baseUrl: _b, ...withoutHost } = good;
    expect(issuesOf(construct(withoutHost))).toEqual(['baseUrl']);
    for (const baseUrl of ['', 'uat-interface.haipay.asia', 'ftp://x.example', 42]) {
      expect(issuesOf(construct({ ...good, baseUrl }))).toEqual(['baseUrl']);
    }
    expect((construct(good) as ThbCollectClient).baseUrl).toBe(BASE);
  });

  it('numbers that would switch a protection off are refused, each named', () => {
    const cases: [keyof ThbCollectClientOptions, unknown][] = [
      ['timeoutMs', Number.NaN],
      ['timeoutMs', Number.POSITIVE_INFINITY],
      ['timeoutMs', 0],
      ['timeoutMs', -5],
      ['deadlineMs', Number.NaN],
      ['deadlineMs', Number.POSITIVE_INFINITY],
      ['maxRetries', Number.NaN],
      ['maxRetries', -1],
      ['maxRetries', 1.5],
      ['maxRetries', 1e9],
      ['resendDelayMs', Number.NaN],
      ['resendDelayMs', -1],
      ['timeoutMs', '15000'],
    ];
    for (const [option, value] of cases) {
      expect(issuesOf(construct({ ...good, [option]: value })), `${option}=${String(value)}`).toEqual([
        option,
      ]);
    }
    // All at once: every broken option in one error.
    expect(
      issuesOf(
        construct({ ...good, appId: 'x', timeoutMs: Number.NaN, maxRetries: -1, verifyResponses: 'no' }),
      ),
    ).toEqual(['appId', 'timeoutMs', 'maxRetries', 'verifyResponses']);
  });
});

describe('successful results never carry a secret', () => {
  it('an answer echoing the secret key or a private-key line has it redacted in raw and errorMsg', async () => {
    const privateLine = MERCHANT_PRIVATE_PEM.split('\n')[3]!;
    const data = platformSigned({
      orderId: 'M1',
      orderNo: '3022111516571436',
      amount: '100.00',
      fee: '0.00',
      status: 3,
      errorMsg: `refused: key=${SECRET_KEY}`,
      note: privateLine,
    });
    server.use(
      http.post(`${BASE}/thb/pay/query`, () =>
        HttpResponse.json({ status: '1', error: '00000000', msg: '', data }),
      ),
    );
    const client = new ThbCollectClient(good);
    const order = await client.getPayout({ orderId: 'M1' });
    const shown = [JSON.stringify(order), inspect(order, { depth: 10 })];
    for (const text of shown) {
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(privateLine);
    }
    expect(order.errorMsg).toBe('refused: key=[REDACTED]');
    expect(order.raw.note).toBe('[REDACTED]');
    // The typed fields are read from the verified data, unchanged.
    expect(order).toMatchObject({ orderNo: '3022111516571436', amountSatang: 10_000, status: 'failed' });
  });

  it('raw keeps a verified sign byte for byte; with verifyResponses false a sign is scrubbed like any field', async () => {
    const data = platformSigned({ orderId: 'M1', orderNo: '3022111516571436', amount: '100.00', status: 2 });
    server.use(
      http.post(`${BASE}/thb/pay/query`, () =>
        HttpResponse.json({ status: '1', error: '00000000', msg: '', data }),
      ),
    );
    const verified = await new ThbCollectClient(good).getPayout({ orderId: 'M1' });
    expect(verified.raw).toEqual(data);
    expect(Object.keys(verified.raw)).toEqual(Object.keys(data));

    // Unverified, the sign is any text the answer holds, a secret included.
    server.use(
      http.post(`${BASE}/thb/pay/query`, () =>
        HttpResponse.json({
          status: '1',
          error: '00000000',
          msg: '',
          data: { ...data, sign: `x${SECRET_KEY}` },
        }),
      ),
    );
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const unverified = await new ThbCollectClient({ ...good, verifyResponses: false }).getPayout({
      orderId: 'M1',
    });
    warn.mockRestore();
    expect(unverified.raw).toEqual({ ...data, sign: 'x[REDACTED]' });
  });

  it('a balance answer echoing the secret key is scrubbed too', async () => {
    const data = platformSigned({
      bal: '1.00',
      availableBal: '1.00',
      frzBal: '0.00',
      unSettleBal: '0.00',
      x: SECRET_KEY,
    });
    server.use(
      http.post(`${BASE}/thb/account/ledger`, () =>
        HttpResponse.json({ status: '1', error: '00000000', msg: '', data }),
      ),
    );
    const balance = await new ThbCollectClient(good).getBalance();
    expect(JSON.stringify(balance)).not.toContain(SECRET_KEY);
    expect(balance.raw.x).toBe('[REDACTED]');
  });
});
