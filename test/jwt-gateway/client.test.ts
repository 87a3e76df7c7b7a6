import { inspect } from 'node:util';
import jwt from 'jsonwebtoken';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  DuplicateOrderError,
  InvalidRequestError,
  OrderStatusUnknownError,
  PermissionError,
  SignatureError,
  ThaiPayError,
  TimeoutError,
} from '../../src/core/errors';
import { JwtGatewayClient } from '../../src/jwt-gateway/client';
import { JWT_GATEWAY_FIELDS_LOST_ON_RECONCILE } from '../../src/jwt-gateway/results';

const BASE = 'https://gateway.test/api/v1';
const API_KEY = 'gw_test_key_0123456789';
const MERCHANT = 'M-1001';
const NOW = 1_700_000_000_000;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

type Seen = { path: string; body: Record<string, unknown>; apiKey: string | null };
let seen: Seen[] = [];
afterEach(() => {
  seen = [];
});

/** Record a request and check its signature independently, with jsonwebtoken. */
async function record(request: Request): Promise<Seen> {
  const text = await request.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const entry = { path: new URL(request.url).pathname, body, apiKey: request.headers.get('x-api-key') };
  seen.push(entry);
  return entry;
}

function expectedSignature(body: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(body).sort()) if (k !== 'signature') sorted[k] = body[k];
  return jwt.sign(sorted, API_KEY, { algorithm: 'HS256', noTimestamp: true });
}

const client = (extra: Partial<ConstructorParameters<typeof JwtGatewayClient>[0]> = {}) =>
  new JwtGatewayClient({
    baseUrl: BASE,
    merchantId: MERCHANT,
    apiKey: API_KEY,
    now: () => NOW,
    timeoutMs: 200,
    resendDelayMs: 1,
    ...extra,
  });

const depositInput = {
  transactionId: 'T-1',
  bankAccountNumber: '1234567890',
  bankName: 'KBANK',
  name: 'John Doe',
  amount: '1000.50',
  callbackUrl: 'https://shop.test/callback',
  type: 'QR' as const,
};

const depositData = {
  merchantId: MERCHANT,
  referenceId: 'DP1',
  transactionId: 'T-1',
  status: 'pending',
  amount: 1000.5,
  depositAmount: 995,
  qrcode: '000201…',
  bankAccountNumber: '1234567890',
  bankAccountName: 'Platform Bank Account',
  bankName: 'KBANK',
  promptpayNumber: '0812345678',
  expireDate: '2024-01-01T12:05:00.000Z',
  customerData: { bankAccountNumber: '1234567890', bankName: 'KBANK', name: 'John Doe' },
};

const orderData = {
  order_no: 'DP1',
  agent_order_no: 'T-1',
  status: 'completed',
  amount: 1000.5,
  fee: 5,
  actual_amount: 995.5,
  created_at: '2024-01-01T12:00:00.000Z',
  completed_at: '2024-01-01T12:03:00.000Z',
};

describe('JwtGatewayClient requests', () => {
  it('createDeposit sends the documented wire form, signed as jsonwebtoken signs it', async () => {
    server.use(
      http.post(`${BASE}/deposit`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ status: 'success', message: 'Create Success', data: depositData });
      }),
    );
    const deposit = await client().createDeposit(depositInput);
    const [req] = seen;
    expect(req.apiKey).toBe(API_KEY);
    expect(req.body).toEqual({
      merchantId: MERCHANT,
      transactionId: 'T-1',
      bankAccountNumber: '1234567890',
      bankName: 'KBANK',
      name: 'John Doe',
      amount: 1000.5,
      callbackUrl: 'https://shop.test/callback',
      type: 'QR',
      timestamp: NOW / 1000,
      signature: expectedSignature(req.body),
    });
    expect(typeof req.body.timestamp).toBe('number');
    expect(deposit).toStrictEqual({
      orderNo: 'DP1',
      orderId: 'T-1',
      status: 'pending',
      providerStatus: 'pending',
      amount: 1000.5,
      amountSatang: 100_050,
      depositAmount: 995,
      depositAmountSatang: 99_500,
      qrcode: '000201…',
      bankAccountNumber: '1234567890',
      bankAccountName: 'Platform Bank Account',
      bankName: 'KBANK',
      promptpayNumber: '0812345678',
      expireDate: new Date('2024-01-01T12:05:00.000Z'),
      customerData: { bankAccountNumber: '1234567890', bankName: 'KBANK', name: 'John Doe' },
      raw: depositData,
      reconciled: false,
    });
  });

  it('createWithdrawal sends snake_case fields with a string timestamp', async () => {
    server.use(
      http.post(`${BASE}/withdraw`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({
          code: 200,
          message: 'Success',
          data: {
            order_no: 'WD1',
            agent_order_no: 'W-1',
            amount: 1000,
            fee: 15,
            transfer_amount: 985,
            status: 'pending',
          },
        });
      }),
    );
    const payout = await client().createWithdrawal({
      agentOrderNo: 'W-1',
      amount: 1000,
      bankCode: 'SCB',
      accountNo: '9876543210',
      accountName: 'Jane Roe',
      callbackUrl: 'https://shop.test/cb',
    });
    const [req] = seen;
    expect(req.body).toEqual({
      agent_order_no: 'W-1',
      amount: 1000,
      bank_code: 'SCB',
      account_no: '9876543210',
      account_name: 'Jane Roe',
      callback_url: 'https://shop.test/cb',
      timestamp: String(NOW / 1000),
      signature: expectedSignature(req.body),
    });
    expect(payout).toStrictEqual({
      orderNo: 'WD1',
      orderId: 'W-1',
      status: 'pending',
      providerStatus: 'pending',
      amount: 1000,
      amountSatang: 100_000,
      fee: 15,
      feeSatang: 1_500,
      transferAmount: 985,
      transferAmountSatang: 98_500,
      raw: {
        order_no: 'WD1',
        agent_order_no: 'W-1',
        amount: 1000,
        fee: 15,
        transfer_amount: 985,
        status: 'pending',
      },
      reconciled: false,
    });
  });

  it('getBalance, getOrder, signParams, listBanks and health read the documented answers', async () => {
    server.use(
      http.post(`${BASE}/balance`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({
          code: 200,
          message: 'Success',
          data: { balance: 50000, currency: 'THB' },
        });
      }),
      http.post(`${BASE}/order`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ code: 200, message: 'Success', data: orderData });
      }),
      http.post(`${BASE}/sign`, async ({ request }) => {
        const { body } = await record(request);
        return HttpResponse.json({
          code: 200,
          message: 'Success',
          data: { signature: 'eyJ.x.y', algorithm: 'HS256', payload: body.params },
        });
      }),
      http.get(`${BASE}/banks`, () =>
        HttpResponse.json({
          code: 200,
          message: 'Success',
          data: { banks: [{ code: 'KBANK', name: 'Kasikorn Bank', name_th: 'ธนาคารกสิกรไทย', active: true }] },
        }),
      ),
      http.get(`${BASE}/health`, () =>
        HttpResponse.json({
          code: 200,
          message: 'OK',
          data: { status: 'healthy', timestamp: '2024-01-01T12:00:00.000Z', uptime: 3600.5 },
        }),
      ),
    );
    const gw = client();
    expect(await gw.getBalance()).toMatchObject({
      balance: 50000,
      balanceSatang: 5_000_000,
      currency: 'THB',
    });
    expect(seen[0].body).toEqual({ timestamp: NOW / 1000, signature: expectedSignature(seen[0].body) });

    const order = await gw.getOrder({ orderNo: 'DP1' });
    expect(seen[1].body).toMatchObject({ order_no: 'DP1' });
    expect(seen[1].body.agent_order_no).toBeUndefined();
    expect(seen[1].body.signature).toBe(expectedSignature(seen[1].body));
    expect(order).toStrictEqual({
      orderNo: 'DP1',
      orderId: 'T-1',
      status: 'succeeded',
      providerStatus: 'completed',
      amount: 1000.5,
      amountSatang: 100_050,
      fee: 5,
      feeSatang: 500,
      actualAmount: 995.5,
      actualAmountSatang: 99_550,
      createdAt: new Date('2024-01-01T12:00:00.000Z'),
      completedAt: new Date('2024-01-01T12:03:00.000Z'),
      raw: orderData,
    });
    await gw.getOrder({ agentOrderNo: 'T-1' });
    expect(seen[2].body).toMatchObject({ agent_order_no: 'T-1' });

    const signed = await gw.signParams({ amount: 1000, merchantId: MERCHANT, signature: 'drop me' });
    expect(seen[3].body).toEqual({ params: { amount: 1000, merchantId: MERCHANT } });
    expect(signed).toMatchObject({ signature: 'eyJ.x.y', algorithm: 'HS256', payload: { amount: 1000 } });

    expect(await gw.listBanks()).toEqual([
      { code: 'KBANK', name: 'Kasikorn Bank', nameTh: 'ธนาคารกสิกรไทย', active: true },
    ]);
    const health = await gw.health();
    expect(health).toMatchObject({ status: 'healthy', uptime: 3600.5 });
    expect(health.timestamp?.toISOString()).toBe('2024-01-01T12:00:00.000Z');
  });

  it('honours custom paths', async () => {
    server.use(
      http.post(`${BASE}/v2/balance`, () =>
        HttpResponse.json({ code: 200, data: { balance: 1, currency: 'THB' } }),
      ),
    );
    expect((await client({ paths: { balance: '/v2/balance' } }).getBalance()).balance).toBe(1);
  });
});

describe('JwtGatewayClient errors', () => {
  const answer = (status: number, body: unknown) =>
    server.use(
      http.post(`${BASE}/balance`, () => HttpResponse.json(body as Record<string, unknown>, { status })),
    );

  it.each([
    [400, 'Invalid signature', SignatureError, 'signature_refused'],
    [400, 'transactionId already exists', DuplicateOrderError, 'duplicate_order'],
    [401, 'Invalid API key', AuthenticationError, 'authentication_failed'],
    // The same condition as THB collect's 4031, so the same code.
    [403, 'IP not in whitelist', PermissionError, 'ip_not_allowed'],
    [403, 'merchantId does not match API key', PermissionError, 'permission_denied'],
    [429, 'Too many requests', ApiError, 'rate_limited'],
    [500, 'Internal server error', ApiError, 'api_error'],
  ] as const)('HTTP %i "%s" becomes %o', async (status, message, Cls, code) => {
    answer(status, { code: status, message });
    const error = await client({ maxRetries: 0 })
      .getBalance()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cls);
    expect((error as ThaiPayError).code).toBe(code);
    expect((error as ThaiPayError).status).toBe(status);
    expect((error as ThaiPayError).message).toContain(message);
    expect((error as ThaiPayError).raw).toEqual({ code: status, message });
  });

  it.each([
    [429, 'rate_limited'],
    [503, 'api_error'],
  ] as const)(
    'HTTP %i with a JSON body that is not an envelope is still %s, as on THB collect',
    async (status, code) => {
      answer(status, ['busy']);
      const error = await client({ maxRetries: 0 })
        .getBalance()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(code);
      expect((error as ApiError).status).toBe(status);
    },
  );

  it('an error in a 200 envelope is still an error', async () => {
    answer(200, { code: 400, message: 'Invalid signature' });
    await expect(client().getBalance()).rejects.toBeInstanceOf(SignatureError);
  });

  it('5xx is an ApiError with the status, after the read was retried', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/balance`, () => {
        calls += 1;
        return HttpResponse.json({ code: 500, message: 'Internal server error' }, { status: 500 });
      }),
    );
    const error = await client({ maxRetries: 2 })
      .getBalance()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(500);
    expect(calls).toBe(3);
  });

  it('reads retry through faults and succeed, re-signed each time', async () => {
    const stamps: unknown[] = [];
    let t = NOW;
    server.use(
      http.post(`${BASE}/balance`, async ({ request }) => {
        const { body } = await record(request);
        stamps.push(body.timestamp);
        if (seen.length === 1) return HttpResponse.error();
        if (seen.length === 2) return new HttpResponse('<html>502 Bad Gateway</html>', { status: 502 });
        return HttpResponse.json({ code: 200, data: { balance: 7, currency: 'THB' } });
      }),
    );
    const gw = client({ now: () => (t += 1000) });
    expect((await gw.getBalance()).balance).toBe(7);
    expect(new Set(stamps).size).toBe(3);
    for (const s of seen) expect(s.body.signature).toBe(expectedSignature(s.body));
  });

  it('unknown envelopes and undocumented data shapes are typed errors, not crashes', async () => {
    answer(200, { hello: 'world' });
    await expect(client().getBalance()).rejects.toMatchObject({ code: 'api_error' });
    answer(200, { code: 200, data: { balance: 'lots' } });
    const error = await client()
      .getBalance()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_response');
    expect((error as ApiError).message).toMatch(/data\.balance/);
    server.use(http.post(`${BASE}/balance`, () => new HttpResponse('not json', { status: 200 })));
    await expect(client().getBalance()).rejects.toMatchObject({ code: 'invalid_response' });
  });
});

describe('JwtGatewayClient validation (nothing is sent on bad input)', () => {
  it.each([
    [{ transactionId: '' }, 'transactionId'],
    [{ amount: 0 }, 'amount'],
    [{ amount: -5 }, 'amount'],
    [{ amount: '10.001' }, 'amount'],
    [{ amount: 0.1 + 0.2 }, 'amount'],
    [{ amount: '1,000' }, 'amount'],
    [{ type: 'CARD' }, 'type'],
    [{ callbackUrl: 'not a url' }, 'callbackUrl'],
    [{ callbackUrl: 'ftp://x.test/cb' }, 'callbackUrl'],
    [{ bankAccountNumber: '' }, 'bankAccountNumber'],
    [{ bankAccountNumber: 12345678 }, 'bankAccountNumber'],
    [{ extra: 1 }, 'input'],
    [{ name: '   ' }, 'name'],
    [{ bankName: undefined }, 'bankName'],
  ])('refuses %o naming %s', async (change, field) => {
    const error = await client()
      .createDeposit({ ...depositInput, ...change } as typeof depositInput)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.field)).toContain(field);
    expect((error as InvalidRequestError).message).toContain(field);
  });

  it('refuses bad withdrawals and order queries', async () => {
    const gw = client();
    const base = {
      agentOrderNo: 'W-1',
      amount: 10,
      bankCode: 'SCB',
      accountNo: '1234567890',
      accountName: 'Jane',
      callbackUrl: 'https://x.test',
    };
    await expect(gw.createWithdrawal({ ...base, bankCode: ' ' })).rejects.toThrow(/bankCode/);
    await expect(gw.createWithdrawal({ ...base, accountName: '' })).rejects.toThrow(/accountName/);
    await expect(gw.createWithdrawal({ ...base, amount: Number.NaN })).rejects.toThrow(/amount/);
    await expect(gw.getOrder({} as never)).rejects.toThrow(
      'Invalid request: orderNo: is required when agentOrderNo is not given',
    );
    await expect(gw.getOrder({ orderNo: '' })).rejects.toThrow('Invalid request: orderNo: must not be empty');
    expect(seen).toHaveLength(0);
  });

  it('reports every broken rule at once, the amount parsed with the rest', async () => {
    const error = await client()
      .createDeposit({ ...depositInput, bankAccountNumber: '', amount: 100.123, type: 'CARD' as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues).toEqual([
      { field: 'bankAccountNumber', rule: 'must not be empty' },
      {
        field: 'amount',
        rule: 'must be a positive amount in baht with at most 2 decimals, without thousands separators',
      },
      { field: 'type', rule: 'must be one of "QR", "BANK_TRANSFER"' },
    ]);
    // The issue's own example: amount and every missing field named, in one error.
    const partial = await client()
      .createDeposit({ bankAccountNumber: '1', amount: 100.123 } as never)
      .catch((e: unknown) => e);
    expect((partial as InvalidRequestError).issues.map((i) => i.field)).toEqual([
      'transactionId',
      'bankName',
      'name',
      'amount',
      'callbackUrl',
      'type',
    ]);
    const payout = await client()
      .createWithdrawal({ agentOrderNo: '', amount: '1,000', accountNo: '' } as never)
      .catch((e: unknown) => e);
    expect((payout as InvalidRequestError).issues.map((i) => i.field)).toEqual([
      'agentOrderNo',
      'amount',
      'bankCode',
      'accountNo',
      'accountName',
      'callbackUrl',
    ]);
    expect(seen).toHaveLength(0);
  });

  it('enforces no limit the document does not state: lengths, formats, amount ranges', async () => {
    server.use(
      http.post(`${BASE}/deposit`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ status: 'success', message: 'Create Success', data: depositData });
      }),
      http.post(`${BASE}/withdraw`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({
          code: 200,
          message: 'Success',
          data: { order_no: 'WD1', agent_order_no: 'W'.repeat(200), amount: 9_999_999, status: 'pending' },
        });
      }),
    );
    await client().createDeposit({
      ...depositInput,
      transactionId: 'T'.repeat(200),
      bankAccountNumber: '1',
      name: 'N'.repeat(300),
      bankName: 'some-bank',
    });
    await client().createWithdrawal({
      agentOrderNo: 'W'.repeat(200),
      amount: 9_999_999,
      bankCode: 'scb bank',
      accountNo: 'ewallet:0812345678',
      accountName: 'A'.repeat(300),
      callbackUrl: 'https://x.test/cb',
    });
    expect(seen.map((r) => r.path)).toEqual(['/api/v1/deposit', '/api/v1/withdraw']);
  });

  it('applies the amount limits given as options, and only those', async () => {
    const gw = client({
      limits: { deposit: { minSatang: 100, maxSatang: 500_000 }, withdrawal: { maxSatang: 100 } },
    });
    await expect(gw.createDeposit({ ...depositInput, amount: '5000.01' })).rejects.toThrow(
      'Invalid request: amount: must be between 1.00 and 5000.00 THB',
    );
    await expect(gw.createDeposit({ ...depositInput, amount: '0.99' })).rejects.toThrow(
      /between 1.00 and 5000.00/,
    );
    await expect(
      gw.createWithdrawal({
        agentOrderNo: 'W-1',
        amount: '1.01',
        bankCode: 'SCB',
        accountNo: '1',
        accountName: 'Jane',
        callbackUrl: 'https://x.test',
      }),
    ).rejects.toThrow('Invalid request: amount: must be at most 1.00 THB');
    expect(seen).toHaveLength(0);
  });

  it('getOrder with both ids sends both, as the document allows', async () => {
    server.use(
      http.post(`${BASE}/order`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ code: 200, message: 'Success', data: orderData });
      }),
    );
    await client().getOrder({ orderNo: 'DP1', agentOrderNo: 'T-1' });
    expect(seen[0]?.body).toEqual({
      order_no: 'DP1',
      agent_order_no: 'T-1',
      timestamp: NOW / 1000,
      signature: expectedSignature(seen[0]?.body ?? {}),
    });
  });

  it('refuses bad options at construction, every one named at once', () => {
    expect(() => new JwtGatewayClient({ baseUrl: 'nope', merchantId: 'm', apiKey: 'k' })).toThrow(/baseUrl/);
    expect(() => new JwtGatewayClient({ baseUrl: BASE, merchantId: '', apiKey: 'k' })).toThrow(/merchantId/);
    expect(() => new JwtGatewayClient({ baseUrl: BASE, merchantId: 'm', apiKey: '' })).toThrow(/apiKey/);
    // An unset environment variable: a typed error naming the option, never a TypeError.
    for (const apiKey of [undefined, '']) {
      const error = (() => {
        try {
          return new JwtGatewayClient({
            baseUrl: BASE,
            merchantId: 'm',
            apiKey: apiKey as unknown as string,
          });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).issues).toEqual([
        { field: 'apiKey', rule: 'must be a non-empty string (is the environment variable set?)' },
      ]);
    }
    const bad = (() => {
      try {
        return new JwtGatewayClient({
          baseUrl: BASE,
          merchantId: 'm',
          apiKey: 'k',
          timeoutMs: Number.NaN,
          deadlineMs: Number.POSITIVE_INFINITY,
          maxRetries: -1,
          resendDelayMs: Number.NaN,
          fetch: 'fetch' as never,
          now: 5 as never,
          crypto: {} as never,
          paths: { deposit: 'deposit' },
          limits: { deposit: { minSatang: 10.5 }, withdrawal: { minSatang: 5, maxSatang: 1 } },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(bad).toBeInstanceOf(InvalidRequestError);
    expect((bad as InvalidRequestError).issues.map((i) => i.field)).toEqual([
      'paths.deposit',
      'timeoutMs',
      'deadlineMs',
      'maxRetries',
      'fetch',
      'crypto',
      'now',
      'resendDelayMs',
      'limits.deposit.minSatang',
      'limits.withdrawal.minSatang',
    ]);
    expect(String(bad)).not.toContain('k"');
  });

  it("scrubs the API key from a successful result's raw and fields", async () => {
    server.use(
      http.post(`${BASE}/order`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({
          code: 200,
          message: 'Success',
          data: { ...orderData, note: `echo ${API_KEY}`, nested: { key: API_KEY } },
        });
      }),
    );
    const order = await client().getOrder({ orderNo: 'DP1' });
    expect(order.raw).toEqual({ ...orderData, note: 'echo [REDACTED]', nested: { key: '[REDACTED]' } });
    expect(JSON.stringify(order)).not.toContain(API_KEY);
  });
});

describe('JwtGatewayClient safe creates', () => {
  const orderHandler = (exists: boolean) =>
    http.post(`${BASE}/order`, async ({ request }) => {
      await record(request);
      return exists
        ? HttpResponse.json({ code: 200, message: 'Success', data: { ...orderData, status: 'pending' } })
        : HttpResponse.json({ code: 404, message: 'Order not found' }, { status: 404 });
    });

  it('a lost answer is re-sent with the same id; "already exists" is reconciled by query', async () => {
    let deposits = 0;
    server.use(
      http.post(`${BASE}/deposit`, async ({ request }) => {
        await record(request);
        deposits += 1;
        if (deposits === 1) {
          await delay(1000); // the order was made, but the answer never arrives in time
          return HttpResponse.json({ status: 'success', data: depositData });
        }
        return HttpResponse.json({ code: 400, message: 'transactionId already exists' }, { status: 400 });
      }),
      orderHandler(true),
    );
    const deposit = await client().createDeposit(depositInput);
    // Exactly the query's fields: nothing only the create answer has (qrcode, expireDate, ...) half set.
    expect(deposit).toStrictEqual({
      reconciled: true,
      orderNo: 'DP1',
      orderId: 'T-1',
      status: 'pending',
      providerStatus: 'pending',
      amount: 1000.5,
      amountSatang: 100_050,
      fee: 5,
      feeSatang: 500,
      actualAmount: 995.5,
      actualAmountSatang: 99_550,
      createdAt: new Date('2024-01-01T12:00:00.000Z'),
      completedAt: new Date('2024-01-01T12:03:00.000Z'),
      raw: { ...orderData, status: 'pending' },
    });
    for (const field of JWT_GATEWAY_FIELDS_LOST_ON_RECONCILE.deposit)
      expect(deposit).not.toHaveProperty(field);
    const sends = seen.filter((s) => s.path.endsWith('/deposit'));
    expect(sends).toHaveLength(2);
    expect(sends[0].body.transactionId).toBe(sends[1].body.transactionId);
    expect(seen.at(-1)?.body).toMatchObject({ agent_order_no: 'T-1' });
  });

  it("a reconciled withdrawal has the query's fields, each amount with its satang, none half set", async () => {
    let sends = 0;
    server.use(
      http.post(`${BASE}/withdraw`, () => {
        sends += 1;
        return sends === 1
          ? HttpResponse.json({ code: 500, message: 'Internal server error' }, { status: 500 })
          : HttpResponse.json({ code: 400, message: 'agent_order_no already exists' }, { status: 400 });
      }),
      http.post(`${BASE}/order`, () =>
        HttpResponse.json({ code: 200, data: { ...orderData, agent_order_no: 'W-9', status: 'pending' } }),
      ),
    );
    const payout = await client({ resendDelayMs: 0 }).createWithdrawal({
      agentOrderNo: 'W-9',
      amount: '1000.50',
      bankCode: 'SCB',
      accountNo: '1234567890',
      accountName: 'Jane',
      callbackUrl: 'https://x.test',
    });
    expect(payout).toStrictEqual({
      orderNo: 'DP1',
      orderId: 'W-9',
      status: 'pending',
      providerStatus: 'pending',
      amount: 1000.5,
      amountSatang: 100_050,
      fee: 5,
      feeSatang: 500,
      actualAmount: 995.5,
      actualAmountSatang: 99_550,
      createdAt: new Date('2024-01-01T12:00:00.000Z'),
      completedAt: new Date('2024-01-01T12:03:00.000Z'),
      raw: { ...orderData, agent_order_no: 'W-9', status: 'pending' },
      reconciled: true,
    });
  });

  it('a 5xx answer is followed by a re-send whose success is returned as is', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/withdraw`, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json({ code: 500, message: 'Internal server error' }, { status: 500 })
          : HttpResponse.json({
              code: 200,
              data: { order_no: 'WD1', agent_order_no: 'W-1', amount: 10, status: 'pending' },
            });
      }),
    );
    const payout = await client().createWithdrawal({
      agentOrderNo: 'W-1',
      amount: 10,
      bankCode: 'SCB',
      accountNo: '1234567890',
      accountName: 'Jane',
      callbackUrl: 'https://x.test',
    });
    expect(payout).toStrictEqual({
      reconciled: false,
      orderId: 'W-1',
      orderNo: 'WD1',
      status: 'pending',
      providerStatus: 'pending',
      amount: 10,
      amountSatang: 1000,
      raw: { order_no: 'WD1', agent_order_no: 'W-1', amount: 10, status: 'pending' },
    });
    expect(calls).toBe(2);
  });

  it('a duplicate on the first attempt is a DuplicateOrderError and is not re-sent', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/deposit`, () => {
        calls += 1;
        return HttpResponse.json({ code: 400, message: 'transactionId already exists' }, { status: 400 });
      }),
    );
    await expect(client().createDeposit(depositInput)).rejects.toBeInstanceOf(DuplicateOrderError);
    expect(calls).toBe(1);
  });

  it('when nothing can be learned, OrderStatusUnknownError carries the order id', async () => {
    // An answer that never comes: the request was sent, so its outcome is unknown.
    const silent = async () => {
      await delay('infinite');
      return HttpResponse.json({});
    };
    server.use(http.post(`${BASE}/deposit`, silent), http.post(`${BASE}/order`, silent));
    const error = await client({ maxRetries: 0, timeoutMs: 50 })
      .createDeposit(depositInput)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).orderId).toBe('T-1');
    expect((error as OrderStatusUnknownError).cause).toBeInstanceOf(TimeoutError);
  });

  it('a create whose answer was lost and is not found is unknown, never a false failure', async () => {
    server.use(
      http.post(`${BASE}/deposit`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
      orderHandler(false),
    );
    await expect(client({ timeoutMs: 50 }).createDeposit(depositInput)).rejects.toBeInstanceOf(
      OrderStatusUnknownError,
    );
  });

  it('a create that provably never left (msw: a network error before any socket) is that error', async () => {
    server.use(http.post(`${BASE}/deposit`, () => HttpResponse.error()));
    const error = await client()
      .createDeposit(depositInput)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).requestSent).toBe(false);
  });
});

describe('JwtGatewayClient secrets', () => {
  it('never shows the API key in inspect, JSON, errors or hooks', async () => {
    const hookPayloads: unknown[] = [];
    server.use(
      http.post(
        `${BASE}/balance`,
        () => new HttpResponse(`<html>bad key ${API_KEY}</html>`, { status: 401 }),
      ),
    );
    const gw = client({
      hooks: {
        beforeRequest: (info) => {
          hookPayloads.push(info);
        },
        afterResponse: (info) => {
          hookPayloads.push(info);
        },
      },
    });
    expect(inspect(gw, { depth: 10, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(gw)).not.toContain(API_KEY);
    const error = await gw.getBalance().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThaiPayError);
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect(inspect(error)).not.toContain(API_KEY);
    expect(String((error as Error).stack)).not.toContain(API_KEY);
    expect(JSON.stringify(hookPayloads)).not.toContain(API_KEY);
    expect(hookPayloads.length).toBeGreaterThan(0);
  });
});
