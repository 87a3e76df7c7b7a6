import { inspect } from 'node:util';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  DuplicateOrderError,
  InvalidRequestError,
  OrderStatusUnknownError,
  PermissionError,
  ResponseVerificationError,
  SignatureError,
} from '../../src/core/errors';
import type { BeforeRequestInfo } from '../../src/core/transport';
import {
  ThbCollectClient,
  type ThbCollectClientOptions,
  type ThbCreateCollectionInput,
  type ThbCreatePayoutInput,
} from '../../src/thb-collect';
import { THB_TEST_SEAMS } from '../../src/thb-collect/client';
import {
  bareBase64,
  MERCHANT_PRIVATE_PEM,
  MERCHANT_PUBLIC_PEM,
  PLATFORM,
  platformSigned,
  referenceVerify,
  SECRET_KEY,
  STRANGER,
} from './helpers';

const BASE = 'https://uat-interface.haipay.asia';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

function client(options: Partial<ThbCollectClientOptions> = {}): ThbCollectClient {
  return new ThbCollectClient({
    appId: 1054,
    secretKey: SECRET_KEY,
    privateKey: MERCHANT_PRIVATE_PEM,
    platformPublicKey: PLATFORM.publicPem,
    baseUrl: BASE,
    resendDelayMs: 0,
    ...options,
    // Instant waits between retries: the tests prove behaviour, never timing.
    [THB_TEST_SEAMS]: { sleep: async () => {} },
  } as ThbCollectClientOptions);
}

type Answer = (body: Record<string, unknown>) => Response | Promise<Response>;

/** Answer each POST to `path` with the next answer (the last repeats); record the JSON bodies sent. */
function serve(path: string, ...answers: Answer[]): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  server.use(
    http.post(`${BASE}${path}`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      return answers[Math.min(bodies.length - 1, answers.length - 1)]!(body);
    }),
  );
  return bodies;
}

const ok =
  (
    data: Record<string, unknown>,
    sign: (d: Record<string, unknown>) => Record<string, unknown> = platformSigned,
  ) =>
  () =>
    HttpResponse.json({ status: '1', error: '00000000', msg: '', data: sign(data) });
const refused =
  (msg: string, error = '10000001') =>
  () =>
    HttpResponse.json({ status: '0', error, msg, data: null });
const hang = async () => {
  await delay('infinite');
  return HttpResponse.json({});
};
/**
 * An answer that never comes (the client's `timeoutMs` ends the wait): the request was sent, so its outcome
 * is unknown. msw's `HttpResponse.error()` fails before any socket, which now proves nothing left.
 */
const lost = async () => {
  await delay('infinite');
  return HttpResponse.json({});
};

/** The sent body's sign, checked with node:crypto over a sign string the test builds itself. */
function expectMerchantSigned(body: Record<string, unknown>): void {
  const { sign, ...params } = body;
  expect(typeof sign).toBe('string');
  expect(referenceVerify(params, sign as string, MERCHANT_PUBLIC_PEM, SECRET_KEY)).toBe(true);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const collection: ThbCreateCollectionInput = {
  orderId: 'M233323000059',
  amount: 300,
  payType: 'QR',
  name: 'Somchai Jaidee',
  phone: '0812345678',
  email: 'somchai@example.com',
  callBackUrl: 'https://shop.example/ok',
  callBackFailUrl: 'https://shop.example/fail',
  notifyUrl: 'https://shop.example/notify',
  subject: 'ชำระค่าสินค้า',
  partnerUserId: '149597870',
};

const collectionAnswer = {
  orderId: 'M233323000059',
  orderNo: '6023071013539074',
  payUrl: 'https://pay.example/1L9zQS2',
  bankCode: 'GCASH_STATIC_VA',
  bankNo: 'PC0007I10000035',
  qrCode: '00020101021229370016A000000677010111011300668123456785802TH53037645406300.006304ABCD',
};

const payout: ThbCreatePayoutInput = {
  orderId: 'M100000450012',
  amount: '500',
  accountType: 'BANK_ACCOUNT',
  bankCode: 'KBANK',
  accountNo: '1234567890',
  name: 'john doe',
  phone: '0876543210',
  email: 'johndoe@example.com',
  subject: 'iphone13',
  body: 'ProMotion technology',
  partnerUserId: '149597870',
};

const queried = (status: number, extra: Record<string, unknown> = {}) => ({
  orderId: 'M233323000059',
  orderNo: '6023071013539074',
  amount: '300.00',
  actualAmount: '0.00',
  fee: '0.00',
  status,
  ...extra,
});

describe('ThbCollectClient construction', () => {
  it('validates appId and keys up front, naming the option', () => {
    const base = {
      appId: 1054,
      secretKey: SECRET_KEY,
      privateKey: MERCHANT_PRIVATE_PEM,
      platformPublicKey: PLATFORM.publicPem,
      baseUrl: BASE,
    };
    const cases: [Partial<ThbCollectClientOptions>, RegExp][] = [
      [{ baseUrl: undefined as unknown as string }, /baseUrl: is required/],
      [{ baseUrl: '' }, /baseUrl: is required/],
      [{ appId: 'abc' }, /appId/],
      [{ appId: 0 }, /appId/],
      [{ appId: 1.5 }, /appId/],
      [{ appId: '99999999999999999' }, /appId/],
      [{ secretKey: '' }, /secretKey/],
      [{ privateKey: MERCHANT_PUBLIC_PEM }, /privateKey: is a public key/],
      [{ privateKey: 'not a key' }, /privateKey/],
      [{ platformPublicKey: PLATFORM.privatePem }, /platformPublicKey: is a private key/],
      [{ platformPublicKey: '' }, /platformPublicKey/],
      [{ baseUrl: 'ftp://x' }, /baseUrl/],
      [{ resendDelayMs: -1 }, /resendDelayMs/],
    ];
    for (const [override, message] of cases) {
      expect(() => new ThbCollectClient({ ...base, ...override } as ThbCollectClientOptions)).toThrow(
        message,
      );
    }
    expect(new ThbCollectClient({ ...base, appId: '1054' }).appId).toBe(1054);
    expect(new ThbCollectClient(base).baseUrl).toBe(BASE);
  });

  it('takes one argument: the test seams are no public API (not a parameter, not exported by the entry)', async () => {
    expectTypeOf<ConstructorParameters<typeof ThbCollectClient>>().toEqualTypeOf<[ThbCollectClientOptions]>();
    expect(ThbCollectClient.length).toBe(1);
    const entry: Record<string, unknown> = await import('../../src/thb-collect');
    expect(Object.values(entry)).not.toContain(THB_TEST_SEAMS);
    expect(Object.keys(entry).filter((name) => /seam/i.test(name))).toStrictEqual([]);
  });

  it('names broken options and limits in one error, each with its rule', () => {
    const error = (() => {
      try {
        return new ThbCollectClient({
          appId: 'x',
          secretKey: SECRET_KEY,
          privateKey: MERCHANT_PRIVATE_PEM,
          platformPublicKey: [PLATFORM.publicPem, 'not a key'],
          baseUrl: BASE,
          maxRetries: 11,
          limits: { payout: { EWALLET: { minSatang: 500, maxSatang: 100 } }, extra: {} } as never,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.field)).toStrictEqual([
      'appId',
      'platformPublicKey.1',
      'maxRetries',
      'limits.payout.EWALLET',
      'limits.extra',
    ]);
    expect((error as InvalidRequestError).issues.slice(2)).toStrictEqual([
      { field: 'maxRetries', rule: 'must be a whole number from 0 to 10' },
      { field: 'limits.payout.EWALLET', rule: 'minSatang must not be more than maxSatang' },
      { field: 'limits.extra', rule: 'is not a field of the limits (collection, payout)' },
    ]);
  });

  it('accepts bare Base64 DER keys', async () => {
    const bodies = serve('/thb/collect/query', ok(queried(1)));
    const thb = client({
      privateKey: bareBase64(MERCHANT_PRIVATE_PEM),
      platformPublicKey: bareBase64(PLATFORM.publicPem),
    });
    await expect(thb.getCollection({ orderId: 'M233323000059' })).resolves.toMatchObject({
      status: 'processing',
    });
    expectMerchantSigned(bodies[0]!);
  });

  it('shows no secret in util.inspect or JSON', () => {
    const thb = client();
    for (const text of [
      inspect(thb, { showHidden: true, depth: 10 }),
      JSON.stringify(thb),
      String(Object.keys(thb)),
    ]) {
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(bareBase64(MERCHANT_PRIVATE_PEM).slice(100, 140));
    }
    expect(JSON.parse(JSON.stringify(thb))).toEqual({ appId: 1054, baseUrl: BASE });
    expect(inspect(thb)).toContain('1054');
  });
});

describe('createCollection', () => {
  it('sends appId as a number, amount "300.00", inBankCode, and a sign node:crypto verifies', async () => {
    const bodies = serve('/thb/collect/apply', ok(collectionAnswer));
    const result = await client().createCollection(collection);
    expect(bodies).toHaveLength(1);
    const sent = bodies[0]!;
    expect(sent).toMatchObject({
      appId: 1054,
      amount: '300.00',
      payType: 'QR',
      inBankCode: 'QR',
      orderId: collection.orderId,
    });
    expect(sent).not.toHaveProperty('body');
    expectMerchantSigned(sent);
    expect(result).toEqual({ ...collectionAnswer, raw: platformSigned(collectionAnswer), reconciled: false });
  });

  it('fills inBankCode TM for TrueMoney and sends a string appId as a number', async () => {
    const bodies = serve('/thb/collect/apply', ok(collectionAnswer));
    await client({ appId: '1054' }).createCollection({
      ...collection,
      payType: 'PAYMENT_GATEWAY',
      amount: '999.5',
    });
    expect(bodies[0]).toMatchObject({
      appId: 1054,
      payType: 'PAYMENT_GATEWAY',
      inBankCode: 'TM',
      amount: '999.50',
    });
    expectMerchantSigned(bodies[0]!);
  });

  it('sends nothing for invalid input', async () => {
    const bodies = serve('/thb/collect/apply', ok(collectionAnswer));
    const error = await rejection(
      client().createCollection({ ...collection, amount: '8000.01', phone: '12' }),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.field)).toEqual(['amount', 'phone']);
    expect(bodies).toHaveLength(0);
  });

  it('maps refusals: duplicate on the first send, refused signature, other provider errors', async () => {
    const dupBodies = serve('/thb/collect/apply', refused('orderId already exists'));
    const queries = serve('/thb/collect/query', ok(queried(1)));
    const dup = await rejection(client().createCollection(collection));
    expect(dup).toBeInstanceOf(DuplicateOrderError);
    expect((dup as DuplicateOrderError).orderId).toBe(collection.orderId);
    expect(dupBodies).toHaveLength(1);
    expect(queries).toHaveLength(0);

    serve('/thb/collect/apply', refused('签名错误'));
    await expect(client().createCollection(collection)).rejects.toBeInstanceOf(SignatureError);

    serve('/thb/collect/apply', refused('java.lang.IllegalStateException: channel closed', '50000001'));
    const other = await rejection(client().createCollection(collection));
    expect(other).toBeInstanceOf(ApiError);
    expect(other).toMatchObject({ code: 'api_error', providerCode: '50000001' });
    expect((other as Error).message).toContain('channel closed');
  });

  it('maps HTTP 401 and 403 and answers that are not the envelope', async () => {
    serve('/thb/collect/apply', () => HttpResponse.json({ msg: 'unauthorized' }, { status: 401 }));
    await expect(client().createCollection(collection)).rejects.toBeInstanceOf(AuthenticationError);
    serve('/thb/collect/apply', () =>
      HttpResponse.json({ status: '0', msg: 'ip not in whitelist' }, { status: 403 }),
    );
    await expect(client().createCollection(collection)).rejects.toBeInstanceOf(PermissionError);
    serve('/thb/collect/apply', () => new HttpResponse('<html>bad gateway</html>', { status: 400 }));
    await expect(client().createCollection(collection)).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('a 2xx that is not the envelope, or an answer about another orderId, is reconciled by query', async () => {
    // Neither proves the order was refused: re-sent with the same orderId, then looked up.
    const notEnvelope = serve('/thb/collect/apply', () => HttpResponse.json({ code: 200, data: {} }));
    const queries = serve('/thb/collect/query', ok(queried(1)));
    const reconciled = await client().createCollection(collection);
    expect(notEnvelope).toHaveLength(3);
    expect(new Set(notEnvelope.map((b) => b.orderId))).toEqual(new Set(['M233323000059']));
    expect(queries).toHaveLength(1);
    expect(reconciled).toMatchObject({ reconciled: true, orderId: 'M233323000059', status: 'processing' });

    serve('/thb/collect/apply', ok({ ...collectionAnswer, orderId: 'SOMEONE-ELSE' }));
    serve('/thb/collect/query', refused('order not exit', '4013'));
    const error = await rejection(client().createCollection(collection));
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect(error).toMatchObject({ orderId: 'M233323000059' });
    expect((error as OrderStatusUnknownError).cause).toMatchObject({ code: 'ambiguous_response' });
    expect((error as Error).message).toMatch(/SOMEONE-ELSE/);
  });
});

describe('response signatures', () => {
  const cases: [string, () => Response][] = [
    [
      'a field changed after signing',
      () => {
        const data = platformSigned(collectionAnswer);
        return HttpResponse.json({
          status: '1',
          error: '00000000',
          msg: '',
          data: { ...data, payUrl: 'https://evil.example' },
        });
      },
    ],
    [
      'a field added after signing',
      () => {
        const data = platformSigned(collectionAnswer);
        return HttpResponse.json({ status: '1', error: '00000000', msg: '', data: { ...data, extra: '1' } });
      },
    ],
    [
      'a field removed after signing',
      () => {
        const { qrCode: _q, ...data } = platformSigned(collectionAnswer);
        return HttpResponse.json({ status: '1', error: '00000000', msg: '', data });
      },
    ],
    ['no sign', ok(collectionAnswer, (d) => d)],
    ['an empty sign', ok(collectionAnswer, (d) => ({ ...d, sign: '' }))],
    ['a garbage sign', ok(collectionAnswer, (d) => ({ ...d, sign: '%%%not-base64%%%' }))],
    ['signed by another key', ok(collectionAnswer, (d) => platformSigned(d, STRANGER.privateKey))],
    ['signed by the merchant key', ok(collectionAnswer, (d) => platformSigned(d, MERCHANT_PRIVATE_PEM))],
    [
      'signed with another secret',
      ok(collectionAnswer, (d) => platformSigned(d, PLATFORM.privateKey, 'other-secret')),
    ],
  ];

  for (const [what, answer] of cases) {
    it(`refuses an answer with ${what}: no re-send, the order is queried, never a false failure`, async () => {
      const bodies = serve('/thb/collect/apply', answer);
      // The query's answer is as untrustworthy as the create's: the outcome cannot be learned.
      const queries = serve('/thb/collect/query', answer);
      const error = await rejection(client().createCollection(collection));
      expect(error).toBeInstanceOf(OrderStatusUnknownError);
      expect((error as OrderStatusUnknownError).orderId).toBe(collection.orderId);
      expect((error as Error).cause).toBeInstanceOf(ResponseVerificationError);
      expect(bodies).toHaveLength(1);
      expect(queries).toHaveLength(1);
    });
  }

  it('verifies query answers too', async () => {
    serve(
      '/thb/pay/query',
      ok(queried(2), (d) => ({ ...platformSigned(d), status: 3 })),
    );
    await expect(client().getPayout({ orderId: 'M233323000059' })).rejects.toBeInstanceOf(
      ResponseVerificationError,
    );
  });

  it('verifyResponses: false accepts unsigned answers and warns once per client', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    serve(
      '/thb/collect/query',
      ok(queried(2), (d) => d),
    );
    const thb = client({ verifyResponses: false });
    await thb.getCollection({ orderId: 'M233323000059' });
    await thb.getCollection({ orderId: 'M233323000059' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/NOT checked/);
    client();
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('getCollection', () => {
  it('sends appId, orderId, orderNo and a verifiable sign; reads the answer typed', async () => {
    const bodies = serve(
      '/thb/collect/query',
      ok(
        queried(2, {
          amount: '50000.00',
          actualAmount: '50000.00',
          fee: '150.50',
          payTime: '2024-03-01 23:59:59',
        }),
      ),
    );
    const order = await client().getCollection({ orderId: 'M233323000059', orderNo: '6023071013539074' });
    expect(bodies[0]).toMatchObject({ appId: 1054, orderId: 'M233323000059', orderNo: '6023071013539074' });
    expect(Object.keys(bodies[0]!).sort()).toEqual(['appId', 'orderId', 'orderNo', 'sign']);
    expectMerchantSigned(bodies[0]!);
    expect(order).toMatchObject({
      orderId: 'M233323000059',
      orderNo: '6023071013539074',
      amount: '50000.00',
      amountSatang: 5_000_000,
      actualAmount: '50000.00',
      actualAmountSatang: 5_000_000,
      fee: '150.50',
      feeSatang: 15_050,
      status: 'succeeded',
      providerStatus: '2',
    });
    expect(order.payTime?.toISOString()).toBe('2024-03-01T16:59:59.000Z');
    expect(order.raw.sign).toEqual(expect.any(String));
  });

  it('maps every collection status code', async () => {
    const expected: [number, string][] = [
      [0, 'pending'],
      [1, 'processing'],
      [2, 'succeeded'],
      [3, 'failed'],
      [4, 'partially_paid'],
      [5, 'overpaid'],
      [-1, 'needs_review'],
    ];
    for (const [code, status] of expected) {
      serve('/thb/collect/query', ok(queried(code)));
      await expect(client().getCollection({ orderId: 'M233323000059' })).resolves.toMatchObject({
        status,
        providerStatus: String(code),
      });
    }
  });

  it('retries a 5xx, then answers', async () => {
    const bodies = serve('/thb/collect/query', () => HttpResponse.json({}, { status: 502 }), ok(queried(1)));
    await expect(client().getCollection({ orderId: 'M233323000059' })).resolves.toMatchObject({
      status: 'processing',
    });
    expect(bodies).toHaveLength(2);
    expectMerchantSigned(bodies[1]!);
  });

  it('says order_not_found for a missing order', async () => {
    serve('/thb/collect/query', refused('订单不存在'));
    const error = await rejection(client().getCollection({ orderId: 'NOPE' }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'order_not_found', providerCode: '10000001' });
  });

  it('refuses an answer whose status is not an integer', async () => {
    serve('/thb/collect/query', ok(queried(1, { status: 'paid' })));
    await expect(client().getCollection({ orderId: 'M233323000059' })).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });
});

describe('createPayout and getPayout', () => {
  it('sends the payout with amount "500.00" and a verifiable sign', async () => {
    const answer = { orderId: 'M100000450012', orderNo: '3023062014149637' };
    const bodies = serve('/thb/pay/apply', ok(answer));
    const result = await client().createPayout(payout);
    expect(bodies[0]).toMatchObject({
      appId: 1054,
      amount: '500.00',
      accountType: 'BANK_ACCOUNT',
      bankCode: 'KBANK',
    });
    expectMerchantSigned(bodies[0]!);
    expect(result).toEqual({ ...answer, raw: platformSigned(answer), reconciled: false });
  });

  it('reads the document examples: a failed payout (its "does not exist" reason is not a missing order) and a paid one', async () => {
    serve(
      '/thb/pay/query',
      ok({
        orderId: 'M1234567111',
        orderNo: '3022111516571436',
        amount: '100000.00',
        fee: '0.00',
        status: 3,
        errorMsg: 'Đơn hàng không tồn tại',
      }),
    );
    await expect(
      client().getPayout({ orderId: 'M1234567111', orderNo: '3022111516571436' }),
    ).resolves.toMatchObject({
      status: 'failed',
      providerStatus: '3',
      errorMsg: 'Đơn hàng không tồn tại',
      amountSatang: 10_000_000,
    });
    serve(
      '/thb/pay/query',
      ok({
        orderId: 'M1234567112',
        orderNo: '3022111517401574',
        amount: '100000.00',
        fee: '1003.00',
        status: 2,
        payTime: '2024-03-01 23:59:59',
      }),
    );
    const paid = await client().getPayout({ orderId: 'M1234567112' });
    expect(paid).toMatchObject({ status: 'succeeded', fee: '1003.00', feeSatang: 100_300 });
    expect(paid.payTime?.toISOString()).toBe('2024-03-01T16:59:59.000Z');
  });

  it('maps payout codes 4 and 5, which payouts do not have, to needs_review', async () => {
    serve('/thb/pay/query', ok(queried(4)));
    await expect(client().getPayout({ orderId: 'M233323000059' })).resolves.toMatchObject({
      status: 'needs_review',
    });
  });
});

describe('safe creates', () => {
  it('timeout, then duplicate on the re-send: queries and returns reconciled, never a second order', async () => {
    const applies = serve('/thb/collect/apply', hang, refused('orderId already exists'));
    const queries = serve('/thb/collect/query', ok(queried(1)));
    const result = await client({ timeoutMs: 50 }).createCollection(collection);
    expect(applies).toHaveLength(2);
    expect(applies[1]!.orderId).toBe(applies[0]!.orderId);
    expect(applies[1]).toEqual(applies[0]);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ orderId: collection.orderId });
    expect(result).toMatchObject({
      orderId: collection.orderId,
      orderNo: '6023071013539074',
      reconciled: true,
      status: 'processing',
      providerStatus: '1',
      amount: '300.00',
      amountSatang: 30_000,
    });
    expect(result.raw).toMatchObject({ status: 1 });
    expect(result.payUrl).toBeUndefined();
  });

  it('a lost answer, then the answer: re-sent with the same orderId, not reconciled', async () => {
    const applies = serve(
      '/thb/pay/apply',
      lost,
      ok({ orderId: payout.orderId, orderNo: '3023062014149637' }),
    );
    const result = await client({ timeoutMs: 100 }).createPayout(payout);
    expect(applies).toHaveLength(2);
    expect(applies[1]).toEqual(applies[0]);
    expect(result).toMatchObject({ orderNo: '3023062014149637', reconciled: false });
  });

  it('5xx and 429 are lost answers too; a payout duplicate after them is reconciled with its query status', async () => {
    const applies = serve(
      '/thb/pay/apply',
      () => HttpResponse.json({}, { status: 503 }),
      () => HttpResponse.json({}, { status: 429 }),
      refused('duplicate orderId'),
    );
    serve(
      '/thb/pay/query',
      ok({
        orderId: payout.orderId,
        orderNo: 'P9',
        amount: '500.00',
        fee: '5.00',
        status: 3,
        errorMsg: 'bank rejected',
      }),
    );
    const result = await client().createPayout(payout);
    expect(applies).toHaveLength(3);
    expect(result).toMatchObject({
      reconciled: true,
      status: 'failed',
      errorMsg: 'bank rejected',
      orderNo: 'P9',
    });
  });

  it('lost twice and the order cannot be found: OrderStatusUnknownError with the orderId', async () => {
    const applies = serve('/thb/collect/apply', hang);
    const queries = serve('/thb/collect/query', refused('order not exist'));
    const error = await rejection(client({ timeoutMs: 50, maxRetries: 1 }).createCollection(collection));
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).orderId).toBe(collection.orderId);
    expect(applies).toHaveLength(2);
    expect(queries).toHaveLength(1);
  });

  it('re-sends a lost create maxRetries times (0, 1, 3), waiting n × resendDelayMs before re-send n', async () => {
    for (const maxRetries of [0, 1, 3]) {
      const applies = serve('/thb/collect/apply', () => HttpResponse.json({}, { status: 503 }));
      const queries = serve('/thb/collect/query', refused('order not exist'));
      const waits: number[] = [];
      const thb = new ThbCollectClient({
        appId: 1054,
        secretKey: SECRET_KEY,
        privateKey: MERCHANT_PRIVATE_PEM,
        platformPublicKey: PLATFORM.publicPem,
        baseUrl: BASE,
        maxRetries,
        resendDelayMs: 10,
        [THB_TEST_SEAMS]: { sleep: async (ms: number) => void waits.push(ms) },
      } as ThbCollectClientOptions);
      const error = await rejection(thb.createCollection(collection));
      expect(error).toBeInstanceOf(OrderStatusUnknownError);
      expect(applies).toHaveLength(1 + maxRetries);
      expect(queries).toHaveLength(1);
      // The transport never retries a create itself: every wait here is a re-send's.
      expect(waits).toStrictEqual([10, 20, 30].slice(0, maxRetries));
    }
  });

  it('lost, and the query fails too: OrderStatusUnknownError', async () => {
    serve('/thb/collect/apply', () => HttpResponse.json({}, { status: 500 }));
    const queries = serve('/thb/collect/query', () => HttpResponse.json({}, { status: 500 }));
    const error = await rejection(client({ maxRetries: 1 }).createCollection(collection));
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).orderId).toBe(collection.orderId);
    // The query is a read: the transport retried it.
    expect(queries).toHaveLength(2);
  });

  it('lost, then a query answer that does not verify: OrderStatusUnknownError, not a guess', async () => {
    serve('/thb/collect/apply', lost, refused('order exists'));
    serve(
      '/thb/collect/query',
      ok(queried(2), (d) => platformSigned(d, STRANGER.privateKey)),
    );
    await expect(client({ timeoutMs: 100 }).createCollection(collection)).rejects.toBeInstanceOf(
      OrderStatusUnknownError,
    );
  });
});

describe('secrets', () => {
  it('never reach errors, hooks or JSON, even when the provider echoes them', async () => {
    const seen: BeforeRequestInfo[] = [];
    const thb = client({ hooks: { beforeRequest: (info) => void seen.push(info) } });
    const pemLine = MERCHANT_PRIVATE_PEM.split('\n')[5]!;
    serve('/thb/collect/apply', refused(`bad secret ${SECRET_KEY} key ${pemLine}`));
    const error = await rejection(thb.createCollection(collection));
    const texts = [String(error), JSON.stringify(error), inspect(error), JSON.stringify(seen)];
    for (const text of texts) {
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(pemLine);
    }
    expect((error as Error).message).toContain('[REDACTED]');
    expect(seen).toHaveLength(1);

    serve('/thb/collect/apply', hang);
    serve('/thb/collect/query', () => HttpResponse.json({}, { status: 500 }));
    const unknown = await rejection(client({ timeoutMs: 30, maxRetries: 0 }).createCollection(collection));
    expect(unknown).toBeInstanceOf(OrderStatusUnknownError);
    expect(JSON.stringify(unknown) + inspect(unknown)).not.toContain(SECRET_KEY);
  });
});
