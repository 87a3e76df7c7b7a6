/**
 * The THB client against what HaiPay's own public documents say: every code of the error table, the
 * examples of Thailand.mdx, the CommonApi.mdx endpoints (balance, statement, voucher) and the limits.
 * Answers are hand-made and signed here with node:crypto (helpers.ts), never by src/.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  DuplicateOrderError,
  InvalidRequestError,
  PermissionError,
  ResponseVerificationError,
  SignatureError,
  type ThaiPayError,
} from '../../src/core/errors';
import {
  THB_COLLECT_TEST_BASE_URL,
  THB_DEFAULT_LIMITS,
  THB_FIELDS_LOST_ON_RECONCILE,
  ThbCollectClient,
  type ThbCollectClientOptions,
  type ThbCollectionCreated,
  type ThbCreateCollectionInput,
  type ThbCreatePayoutInput,
} from '../../src/thb-collect';
import { THB_TEST_SEAMS } from '../../src/thb-collect/client';
import {
  MERCHANT_PRIVATE_PEM,
  MERCHANT_PUBLIC_PEM,
  PLATFORM,
  platformSigned,
  referenceVerify,
  SECRET_KEY,
} from './helpers';

const BASE = THB_COLLECT_TEST_BASE_URL;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
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
    [THB_TEST_SEAMS]: { sleep: async () => {} },
  } as ThbCollectClientOptions);
}

/** Answer each POST to `path` with the next answer (the last repeats); record the bodies sent. */
function serve(path: string, ...answers: (() => Response)[]): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  server.use(
    http.post(`${BASE}${path}`, async ({ request }) => {
      bodies.push((await request.json()) as Record<string, unknown>);
      return answers[Math.min(bodies.length - 1, answers.length - 1)]!();
    }),
  );
  return bodies;
}

const success = (data: unknown) => () => HttpResponse.json({ status: '1', error: '00000000', msg: '', data });
const refusal = (error: string, msg: string) => () =>
  HttpResponse.json({ status: '0', error, msg, data: null });

async function rejection(promise: Promise<unknown>): Promise<ThaiPayError> {
  try {
    await promise;
  } catch (error) {
    return error as ThaiPayError;
  }
  throw new Error('expected a rejection');
}

const collection: ThbCreateCollectionInput = {
  orderId: 'M233323000059',
  amount: '300',
  payType: 'QR',
  name: 'test',
  phone: '0923021931',
  email: '23423@qq.com',
  callBackUrl: 'https://shop.example/ok',
  callBackFailUrl: 'https://shop.example/fail',
  subject: 'Order M233323000059',
  partnerUserId: '149597870',
};

const payout: ThbCreatePayoutInput = {
  orderId: 'M100000450012',
  amount: '500',
  accountType: 'BANK_ACCOUNT',
  bankCode: 'KBANK',
  accountNo: '09876543210',
  name: 'john doe',
  phone: '0987654321',
  email: 'johndoe@cashfree.com',
  subject: 'iphone13',
  body: 'ProMotion technology with adaptive refresh rates up to 120Hz',
  partnerUserId: '149597870',
};

describe('the error table (api_description_guide.mdx) through the client', () => {
  // [code, documented msg, class, code on a create, code on a query]
  const TABLE: [string, string, abstract new (...a: never[]) => ThaiPayError, string][] = [
    ['1001', 'param is null', ApiError, 'missing_parameter'],
    ['1002', 'Illegal Param', ApiError, 'invalid_parameter'],
    ['1003', 'system exception', ApiError, 'provider_busy'],
    ['1004', 'system is busy', ApiError, 'provider_busy'],
    ['4005', 'order already exit', DuplicateOrderError, 'duplicate_order'],
    ['4011', 'appId do not exit', AuthenticationError, 'app_id_not_found'],
    [
      '4012',
      'you do not have an available product, please connect admin',
      PermissionError,
      'product_unavailable',
    ],
    ['4013', 'order not exit', ApiError, 'order_not_found'],
    ['4014', 'order is already end status', ApiError, 'order_already_final'],
    ['4015', 'this merchant do not have a collect bank', ApiError, 'no_collect_account'],
    ['4016', 'your account do not have enough money', ApiError, 'insufficient_balance'],
    ['4031', 'ip adress is Forbidden', PermissionError, 'ip_not_allowed'],
    [
      '5012',
      'pay in channel not functional, please connect customer service',
      ApiError,
      'channel_unavailable',
    ],
  ];

  it.each(TABLE)('%s "%s" on a query → %o, code %s, providerCode kept', async (code, msg, klass, stable) => {
    serve('/thb/collect/query', refusal(code, msg));
    const error = await rejection(client().getCollection({ orderId: 'M1' }));
    expect(error).toBeInstanceOf(klass);
    expect(error.constructor).toBe(klass);
    expect(error.code).toBe(stable);
    expect(error.providerCode).toBe(code);
    expect(error.status).toBe(200);
    expect(error.message).toContain(msg);
    expect(error.raw).toEqual({ status: '0', error: code, msg, data: null });
  });

  it.each(TABLE.filter(([code]) => code !== '1003' && code !== '1004'))(
    '%s on a create is a definite refusal: one send, no query',
    async (code, msg, klass, stable) => {
      const sends = serve('/thb/pay/apply', refusal(code, msg));
      const queries = serve('/thb/pay/query', refusal('4013', 'order not exit'));
      const error = await rejection(client().createPayout(payout));
      expect(error).toBeInstanceOf(klass);
      expect(error.code).toBe(stable);
      expect(error.providerCode).toBe(code);
      expect(sends).toHaveLength(1);
      expect(queries).toHaveLength(0);
    },
  );

  it('4031 says which allow-list to check; 4005 names the orderId', async () => {
    serve('/thb/pay/apply', refusal('4031', 'ip adress is Forbidden'));
    const forbidden = await rejection(client().createPayout(payout));
    expect(forbidden.message).toMatch(/IP whitelist of the business in the merchant backend/);
    expect(forbidden.message).toMatch(/firewall allow-list/);
    expect(forbidden.message).toMatch(/onboarding_checklist\.mdx/);
    serve('/thb/pay/apply', refusal('4005', 'order already exit'));
    const duplicate = await rejection(client().createPayout(payout));
    expect(duplicate).toMatchObject({ orderId: 'M100000450012', providerCode: '4005' });
  });

  it('a 1002 whose msg speaks of the signature is a SignatureError; codes also come as numbers or padded', async () => {
    serve('/thb/collect/query', refusal('1002', 'Illegal Param: sign verify failed'));
    const signature = await rejection(client().getCollection({ orderId: 'M1' }));
    expect(signature).toBeInstanceOf(SignatureError);
    expect(signature).toMatchObject({ code: 'signature_refused', providerCode: '1002' });
    server.use(
      http.post(`${BASE}/thb/collect/query`, () =>
        HttpResponse.json({ status: 0, error: 4013, msg: 'order not exit', data: null }),
      ),
    );
    expect(await rejection(client().getCollection({ orderId: 'M1' }))).toMatchObject({
      code: 'order_not_found',
      providerCode: '4013',
    });
    serve('/thb/collect/query', refusal('00004016', 'your account do not have enough money'));
    expect(await rejection(client().getCollection({ orderId: 'M1' }))).toMatchObject({
      code: 'insufficient_balance',
      providerCode: '00004016',
    });
  });

  it('an undocumented code falls back to the message patterns, else a plain ApiError', async () => {
    serve('/thb/pay/apply', refusal('777', 'orderId already exists'));
    expect(await rejection(client().createPayout(payout))).toMatchObject({
      code: 'duplicate_order',
      providerCode: '777',
    });
    serve('/thb/pay/apply', refusal('778', 'something else'));
    const other = await rejection(client().createPayout(payout));
    expect(other.constructor).toBe(ApiError);
    expect(other).toMatchObject({ code: 'api_error', providerCode: '778' });
  });
});

describe('safe creates answered 1003/1004 ("the order may already be recorded")', () => {
  const created = success(platformSigned({ orderId: payout.orderId, orderNo: '3023062014149637' }));
  const queried = success(
    platformSigned({
      orderId: payout.orderId,
      orderNo: '3023062014149637',
      amount: '500.00',
      fee: '0.00',
      status: 1,
    }),
  );
  const notFound = refusal('4013', 'order not exit');

  for (const [code, msg] of [
    ['1003', 'system exception'],
    ['1004', 'system is busy'],
  ] as const) {
    it(`${code}, the order was recorded: the re-send meets 4005, the query finds it: reconciled`, async () => {
      const sends = serve('/thb/pay/apply', refusal(code, msg), refusal('4005', 'order already exit'));
      const queries = serve('/thb/pay/query', queried);
      const result = await client().createPayout(payout);
      expect(sends).toHaveLength(2);
      expect(sends[1]!.orderId).toBe(sends[0]!.orderId);
      expect(queries).toHaveLength(1);
      expect(result).toEqual({
        orderId: payout.orderId,
        orderNo: '3023062014149637',
        amount: '500.00',
        amountSatang: 50_000,
        fee: '0.00',
        feeSatang: 0,
        status: 'processing',
        providerStatus: '1',
        raw: expect.objectContaining({ orderNo: '3023062014149637' }),
        reconciled: true,
      });
    });

    it(`${code}, the order was not recorded: the re-send with the same orderId makes it`, async () => {
      const sends = serve('/thb/pay/apply', refusal(code, msg), created);
      const queries = serve('/thb/pay/query', notFound);
      const result = await client().createPayout(payout);
      expect(sends.map((b) => b.orderId)).toEqual([payout.orderId, payout.orderId]);
      expect(queries).toHaveLength(0);
      expect(result).toMatchObject({ orderNo: '3023062014149637', reconciled: false });
    });

    it(`${code} on every send, the order exists: reconciled from the query`, async () => {
      const sends = serve('/thb/pay/apply', refusal(code, msg));
      serve('/thb/pay/query', queried);
      const result = await client({ maxRetries: 2 }).createPayout(payout);
      expect(sends).toHaveLength(3);
      expect(result.reconciled).toBe(true);
    });

    it(`${code} on every send, the order does not exist: OrderStatusUnknownError, never a failure`, async () => {
      serve('/thb/pay/apply', refusal(code, msg));
      serve('/thb/pay/query', notFound);
      const error = await rejection(client().createPayout(payout));
      expect(error.code).toBe('order_status_unknown');
      expect(error).toMatchObject({ orderId: payout.orderId });
      expect((error.cause as ThaiPayError).providerCode).toBe(code);
      expect(error.message).toMatch(/query it by this id/);
    });
  }
});

describe("Thailand.mdx's examples", () => {
  it("reads the collection create example's data: orderNo, payUrl, bankCode, bankNo, qrCode", async () => {
    const data = {
      orderId: 'M233323000059',
      orderNo: '6023071013539074',
      payUrl: 'https://a.api-uat.php.com/1L9zQS2',
      bankCode: 'GCASH_STATIC_VA',
      bankNo: 'PC0007I10000035',
      qrCode:
        '00020101021228760011ph.ppmi.p2m0111OPDVPHM1XXX0315777148000000017041652948137245442930503001520460165303608540810000.php Of Mandalu62310010ph.allbank05062110000803***88310012ph.ppmi.qrph0111OPDVPHM1XXX63042763',
    };
    const signed = platformSigned(data);
    const bodies = serve('/thb/collect/apply', success(signed));
    const result = await client().createCollection(collection);
    expect(result).toEqual({ ...data, raw: signed, reconciled: false });
    // The document's request, as the wire form: amount "300" becomes the documented "300.00".
    const { sign, ...params } = bodies[0]!;
    expect(params).toEqual({
      appId: 1054,
      orderId: 'M233323000059',
      amount: '300.00',
      payType: 'QR',
      inBankCode: 'QR',
      name: 'test',
      phone: '0923021931',
      email: '23423@qq.com',
      callBackUrl: 'https://shop.example/ok',
      callBackFailUrl: 'https://shop.example/fail',
      subject: 'Order M233323000059',
      partnerUserId: '149597870',
    });
    expect(referenceVerify(params, sign as string, MERCHANT_PUBLIC_PEM, SECRET_KEY)).toBe(true);
  });

  it('reads the collection query example and both payout query examples', async () => {
    serve(
      '/thb/collect/query',
      success(
        platformSigned({
          orderId: 'M22222000028',
          orderNo: '6023042811314347',
          amount: '50000.00',
          actualAmount: '0.00',
          fee: '0.00',
          status: 1,
        }),
      ),
    );
    const order = await client().getCollection({ orderId: 'M22222000028' });
    expect({ ...order, raw: undefined }).toEqual({
      orderId: 'M22222000028',
      orderNo: '6023042811314347',
      amount: '50000.00',
      amountSatang: 5_000_000,
      actualAmount: '0.00',
      actualAmountSatang: 0,
      fee: '0.00',
      feeSatang: 0,
      status: 'processing',
      providerStatus: '1',
      raw: undefined,
    });
    serve(
      '/thb/pay/query',
      success(
        platformSigned({
          orderId: 'M1234567111',
          orderNo: '3022111516571436',
          amount: '100000.00',
          fee: '0.00',
          status: 3,
          errorMsg: 'Đơn hàng không tồn tại',
        }),
      ),
    );
    const failed = await client().getPayout({ orderId: 'M1234567111', orderNo: '3022111516571436' });
    expect(failed).toMatchObject({
      status: 'failed',
      providerStatus: '3',
      errorMsg: 'Đơn hàng không tồn tại',
    });
    serve(
      '/thb/pay/query',
      success(
        platformSigned({
          orderId: 'M1234567112',
          orderNo: '3022111517401574',
          amount: '100000.00',
          fee: '1003.00',
          status: 2,
          payTime: '2024-03-01 23:59:59',
        }),
      ),
    );
    const paid = await client().getPayout({ orderId: 'M1234567112' });
    expect(paid.status).toBe('succeeded');
    expect(paid.feeSatang).toBe(100_300);
    // Thailand time, UTC+7.
    expect(paid.payTime?.toISOString()).toBe('2024-03-01T16:59:59.000Z');
  });

  it('the payout create example answers another orderId (M…13 for M…12): reconciled, not a failure', async () => {
    // The document's own example does this; the order may exist, so it is looked up by our orderId.
    const sends = serve(
      '/thb/pay/apply',
      success(platformSigned({ orderId: 'M100000450013', orderNo: '3023062014149637' })),
    );
    serve(
      '/thb/pay/query',
      success(
        platformSigned({
          orderId: 'M100000450012',
          orderNo: '3023062014149637',
          amount: '500.00',
          fee: '0.00',
          status: 0,
        }),
      ),
    );
    const result = await client().createPayout(payout);
    expect(sends.length).toBeGreaterThanOrEqual(1);
    expect(result).toMatchObject({ orderId: 'M100000450012', reconciled: true, providerStatus: '0' });
  });
});

describe('reconciled creates say what a query cannot restore', () => {
  it('a reconciled collection has no payUrl/qrCode/bankCode/bankNo, and the type says so', async () => {
    serve('/thb/collect/apply', () => HttpResponse.json({}, { status: 502 }));
    const queryData = platformSigned({
      orderId: 'M233323000059',
      orderNo: '6023071013539074',
      amount: '300.00',
      actualAmount: '0.00',
      fee: '0.00',
      status: 1,
    });
    serve('/thb/collect/query', success(queryData));
    const result = await client().createCollection(collection);
    expect(result).toEqual({
      orderId: 'M233323000059',
      orderNo: '6023071013539074',
      amount: '300.00',
      amountSatang: 30_000,
      actualAmount: '0.00',
      actualAmountSatang: 0,
      fee: '0.00',
      feeSatang: 0,
      status: 'processing',
      providerStatus: '1',
      raw: queryData,
      reconciled: true,
    });
    for (const field of THB_FIELDS_LOST_ON_RECONCILE.collection) expect(result).not.toHaveProperty(field);
    expect(THB_FIELDS_LOST_ON_RECONCILE).toEqual({
      collection: ['payUrl', 'qrCode', 'bankCode', 'bankNo'],
      payout: [],
    });
    if (result.reconciled) {
      expectTypeOf(result.qrCode).toEqualTypeOf<undefined>();
      expectTypeOf(result.payUrl).toEqualTypeOf<undefined>();
      expectTypeOf(result.status).not.toBeUndefined();
    } else {
      expectTypeOf(result.qrCode).toEqualTypeOf<string | undefined>();
    }
    expectTypeOf<ThbCollectionCreated['reconciled']>().toEqualTypeOf<boolean>();
  });
});

describe('CommonApi.mdx: balance, statement link, payout voucher (hand-made signed answers)', () => {
  it('getBalance: the four amounts as baht text and satang, signed request, verified answer', async () => {
    const data = platformSigned({
      bal: '1200.50',
      availableBal: '1000.00',
      frzBal: '200.50',
      unSettleBal: '-3.10',
    });
    const bodies = serve('/thb/account/ledger', success(data));
    expect(await client().getBalance()).toEqual({
      bal: '1200.50',
      balSatang: 120_050,
      availableBal: '1000.00',
      availableBalSatang: 100_000,
      frzBal: '200.50',
      frzBalSatang: 20_050,
      unSettleBal: '-3.10',
      unSettleBalSatang: -310,
      raw: data,
    });
    const { sign, ...params } = bodies[0]!;
    expect(params).toEqual({ appId: 1054 });
    expect(referenceVerify(params, sign as string, MERCHANT_PUBLIC_PEM, SECRET_KEY)).toBe(true);

    serve('/thb/account/ledger', success({ ...data, bal: '9999999.00' }));
    expect(await rejection(client().getBalance())).toBeInstanceOf(ResponseVerificationError);
    const { unSettleBal: _u, ...partial } = {
      bal: '1.00',
      availableBal: '1.00',
      frzBal: '0.00',
      unSettleBal: '0',
    };
    serve('/thb/account/ledger', success(platformSigned(partial)));
    expect(await rejection(client().getBalance())).toMatchObject({ code: 'invalid_response' });
  });

  it('getStatementLink: type as the documented number, date yyyyMMdd; the answer must be about them', async () => {
    const data = platformSigned({
      appId: 1054,
      type: 15,
      date: '20260301',
      fileUrl: 'https://files.example/s.xlsx',
      expired: '2026-03-02 14:00:00',
    });
    const bodies = serve('/common/document/download', success(data));
    expect(await client().getStatementLink({ type: 'payout', date: '20260301' })).toEqual({
      type: 15,
      date: '20260301',
      fileUrl: 'https://files.example/s.xlsx',
      expired: '2026-03-02 14:00:00',
      raw: data,
    });
    const { sign, ...params } = bodies[0]!;
    expect(params).toEqual({ appId: 1054, type: 15, date: '20260301' });
    expect(referenceVerify(params, sign as string, MERCHANT_PUBLIC_PEM, SECRET_KEY)).toBe(true);
    expect(
      await rejection(client().getStatementLink({ type: 'collection', date: '20260301' })),
    ).toMatchObject({
      code: 'invalid_response',
    });
    const bad = await rejection(client().getStatementLink({ type: 'refunds' as 'payout', date: '20260230' }));
    expect(bad).toBeInstanceOf(InvalidRequestError);
    expect((bad as InvalidRequestError).issues.map((i) => i.field)).toEqual(['type', 'date']);
  });

  it('getPayoutVoucher: the documented bare Base64 image is returned unsigned; a signed object is verified', async () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const bodies = serve('/common/voucher', success(png));
    expect(await client().getPayoutVoucher({ orderNo: '3023062014149637' })).toEqual({
      orderNo: '3023062014149637',
      imageBase64: png,
      contentType: 'image/png',
      signed: false,
    });
    const { sign, ...params } = bodies[0]!;
    expect(params).toEqual({ appId: 1054, orderNo: 3023062014149637 });
    expect(referenceVerify(params, sign as string, MERCHANT_PUBLIC_PEM, SECRET_KEY)).toBe(true);

    serve('/common/voucher', success(platformSigned({ orderNo: '3023062014149637', voucher: png })));
    expect(await client().getPayoutVoucher({ orderNo: '3023062014149637' })).toMatchObject({ signed: true });
    serve('/common/voucher', success({ orderNo: '3023062014149637', voucher: png, sign: 'forged' }));
    expect(await rejection(client().getPayoutVoucher({ orderNo: '3023062014149637' }))).toBeInstanceOf(
      ResponseVerificationError,
    );
    serve('/common/voucher', success('not an image!'));
    expect(await rejection(client().getPayoutVoucher({ orderNo: '3023062014149637' }))).toMatchObject({
      code: 'invalid_response',
    });
    expect(await rejection(client().getPayoutVoucher({ orderNo: 'P-1' }))).toBeInstanceOf(
      InvalidRequestError,
    );
  });
});

describe('limits are options with documented defaults', () => {
  it('defaults: QR 1-8,000, TrueMoney 1-1,000, cashier 1-8,000, payouts 1-8,000', () => {
    expect(THB_DEFAULT_LIMITS).toEqual({
      collection: {
        QR: { minSatang: 100, maxSatang: 800_000 },
        PAYMENT_GATEWAY: { minSatang: 100, maxSatang: 100_000 },
        CASHIER: { minSatang: 100, maxSatang: 800_000 },
      },
      payout: {
        BANK_ACCOUNT: { minSatang: 100, maxSatang: 800_000 },
        EWALLET: { minSatang: 100, maxSatang: 800_000 },
      },
    });
  });

  it('an override replaces its product only; nothing is sent when an amount is outside', async () => {
    const wide = client({ limits: { payout: { BANK_ACCOUNT: { minSatang: 100, maxSatang: 4_999_900 } } } });
    const bodies = serve(
      '/thb/pay/apply',
      success(platformSigned({ orderId: payout.orderId, orderNo: '3' })),
    );
    await expect(wide.createPayout({ ...payout, amount: '49999.00' })).resolves.toMatchObject({
      orderNo: '3',
    });
    expect(bodies[0]!.amount).toBe('49999.00');
    const refused = await rejection(
      wide.createPayout({ ...payout, accountType: 'EWALLET', amount: '8000.01' }),
    );
    expect((refused as InvalidRequestError).issues).toEqual([
      { field: 'amount', rule: 'must be between 1.00 and 8000.00 THB' },
    ]);
    expect(bodies).toHaveLength(1);
    const narrow = client({ limits: { collection: { QR: { minSatang: 1_000, maxSatang: 50_000 } } } });
    expect(
      ((await rejection(narrow.createCollection({ ...collection, amount: '9.99' }))) as InvalidRequestError)
        .issues,
    ).toEqual([{ field: 'amount', rule: 'must be between 10.00 and 500.00 THB' }]);
  });

  it('a bad limits option names every broken entry at construction', () => {
    let error: unknown;
    try {
      client({
        limits: {
          collection: { QR: { minSatang: 0, maxSatang: 1.5 }, CARD: { minSatang: 1, maxSatang: 2 } } as never,
          payout: { EWALLET: { minSatang: 500, maxSatang: 100 } },
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues).toEqual([
      { field: 'limits.collection.QR.minSatang', rule: 'must be a whole number of satang, 1 or more' },
      { field: 'limits.collection.QR.maxSatang', rule: 'must be a whole number of satang, 1 or more' },
      { field: 'limits.collection.CARD', rule: 'is not a product; one of QR, PAYMENT_GATEWAY, CASHIER' },
      { field: 'limits.payout.EWALLET', rule: 'minSatang must not be more than maxSatang' },
    ]);
  });

  it('every broken field at once, before any request leaves', async () => {
    const bodies = serve('/thb/pay/apply', success({}));
    const error = await rejection(
      client().createPayout({
        ...payout,
        orderId: 'x'.repeat(49),
        amount: '9000',
        bankCode: 'NOPE',
        accountNo: '',
        name: 'john_doe',
        phone: '+66812345678',
        email: 'not-an-email',
        partnerUserId: 'a b',
        notifyUrl: 'ftp://x',
      }),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.field)).toEqual([
      'orderId',
      'amount',
      'bankCode',
      'accountNo',
      'name',
      'phone',
      'email',
      'notifyUrl',
      'partnerUserId',
    ]);
    expect(bodies).toHaveLength(0);
  });
});

describe("the signature guide's demo (config_settings_and_signature_rules_guide.mdx)", () => {
  // The guide's demo key pair and secret, and its demo request { appId: "1000", orderNo: "1000" }: the
  // shape of a voucher request. RSA PKCS#1 v1.5 is deterministic, so node:crypto's signature over the
  // guide's sign string must equal the client's, byte for byte.
  const DEMO_PRIVATE_KEY =
    'MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCKqgxszb4ObuoJ5U8Ddz2ytOFFc81fmniRFo+jvNtrOegMUpd9gBPvMEaBzdeJC74Cg/HsAE7f9u24APLi0oLYZCwthhs01xTIhAis8h7IYCSdWrcbn8gpB7apSe4Ud0dS6zkuRcDTVGsLNrzNOMKHfT8S13dtsqDyDBBhSpkBwe9TkeLQB8K5ZjDYJ8uTtsrcey95eNFe22r8qAhv562yUBTG0PjZpQmiJWD0T6URLLzNYEOXEzsVVZgPKBNWSVZvMjLg32eFv/2Mw+x83n44w39FLx6E347A5hVQYWbBLuHDyFUzW/endOmMSj1YJmGDhctgEK+UIA1bNbexYo33AgMBAAECggEAZlZ6NRLjYeOZ9xO17OjkMDAu0gNVX2mx8eKkwENx7QEfsXiDNayBCdanMsWofQydf13B/lt72u9zIooQuDaFOw8zS6XeDnFudU582KcY8OmEHF4HJewW3bFDrk1R2OjvStMvsGbqmQ2EsxIC5bMuXrChDFbZXayn+/vLWwKjShetqPkN2cRHcKWaASqOnWOAnpgHm5VuGu2ttaR5K14pmMq7a0TOaj7lDYyHelWejCfqFFiWfYLefNj3oFVAfiNxwsxj8q42xWwPZ/Xzhn8p0cInja//1AMuNLIadyC4r6VR7cOIKm4F7XwCTCRCSmPbhDu5pOEA//pERFTTNtE7gQKBgQDdzbujAJRqkn0WwPtbKE7ZxR2KFjc4fM1LyPyODz4tbXhtXtZeMcjjsKn8pTpzbgj+Cfmhz9X8sKAqdxe1WJTtkgg5zbvPQ8A+Q0Su19LZMfFCuC0RCp1SX/asl4XeQe6fQZCft3AG7RgA5HjHET0/7Mpwb3C7A/xBwMfn51T0+wKBgQCgCuy9NmpG2bG/MEz1gDojYe08yKOGgTLp6v/UZcn+U6Oit37/sFe0vU7n9NMtkCLdhf2mqF1cNCUv+rzHkvtgG8FaNlsuozOMXuTNCJ6nj/IypMOnU8vV9DL9zUq5cUnny7HKwCTuS8FYZTjI75GfDDwrxIhhzOIkh2leQD+iNQKBgDV1xOgA18ToEeZOFUdfa8HpVLlXqW+gBQtjIhxLaD0iyYfy99A0R6s5hX8zg+cWemxgkx6BLZ5+I9yYX8qB00N/kyP7hmzqc4eORxutQVDATNo78gDNgiW8o4Pt8YIkehNAhk84s3O36bUtXD7+1Lh3pkN7WLx6tW5TvNsUUtHJAoGBAIYOoJ8dpYgTccAkRVKfRhO9Q2tW5SMVtgAayJCxcrGGfdseuVKT8+OBb0b83KedxJaqVf3zqcBCLaQy80543/dxSFS4k0hNjDBYjG7yeXMCMG4bdYgDuQpOsyfFfoI3UyDGjva2XDj/W8UfhKFLiz8ekIhY56SEaikPBEPerW7BAoGBAIW+5xD7BH4Z/w+GNrA5WFWNNH02+32AD/k6W59GQ+ejrFzCa9/SPa/7WEbBjKNWnzYl9pcdA0lP3LGEbKzrm6Zy+6lCHI6Hx/o4PbHaKTQg2jAIJdEUrAOKR44rjIY41a8wtgilfZA4I4zDSvJMPkMYOItIXjFCwHTxLLfw0CJp';
  const DEMO_PUBLIC_KEY =
    'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAiqoMbM2+Dm7qCeVPA3c9srThRXPNX5p4kRaPo7zbaznoDFKXfYAT7zBGgc3XiQu+AoPx7ABO3/btuADy4tKC2GQsLYYbNNcUyIQIrPIeyGAknVq3G5/IKQe2qUnuFHdHUus5LkXA01RrCza8zTjCh30/Etd3bbKg8gwQYUqZAcHvU5Hi0AfCuWYw2CfLk7bK3HsveXjRXttq/KgIb+etslAUxtD42aUJoiVg9E+lESy8zWBDlxM7FVWYDygTVklWbzIy4N9nhb/9jMPsfN5+OMN/RS8ehN+OwOYVUGFmwS7hw8hVM1v3p3TpjEo9WCZhg4XLYBCvlCANWzW3sWKN9wIDAQAB';
  const DEMO_SECRET = 'WFZflvcV75jYP2G6QIpSsMtoX1e4awxO';

  it('the client signs the demo request as node:crypto does over "appId=1000&orderNo=1000&key=<secret>"', async () => {
    const bodies = serve('/common/voucher', refusal('4013', 'order not exit'));
    const thb = client({ appId: 1000, secretKey: DEMO_SECRET, privateKey: DEMO_PRIVATE_KEY });
    await rejection(thb.getPayoutVoucher({ orderNo: '1000' }));
    const expected = nodeSign(
      'sha256',
      Buffer.from(`appId=1000&orderNo=1000&key=${DEMO_SECRET}`, 'utf8'),
      createPrivateKey({ key: Buffer.from(DEMO_PRIVATE_KEY, 'base64'), format: 'der', type: 'pkcs8' }),
    ).toString('base64');
    expect(bodies[0]).toEqual({ appId: 1000, orderNo: 1000, sign: expected });
    const pem = `-----BEGIN PUBLIC KEY-----\n${DEMO_PUBLIC_KEY}\n-----END PUBLIC KEY-----\n`;
    expect(referenceVerify({ appId: 1000, orderNo: 1000 }, expected, pem, DEMO_SECRET)).toBe(true);
  });
});

describe('a verified create answer that cannot be read', () => {
  it('is an unknown outcome: re-sent with the same orderId, then reconciled by query', async () => {
    const sends = serve('/thb/pay/apply', success(platformSigned({ orderId: payout.orderId })));
    const queries = serve(
      '/thb/pay/query',
      success(
        platformSigned({ orderId: payout.orderId, orderNo: '3023062014149637', amount: '500.00', status: 0 }),
      ),
    );
    const result = await client().createPayout(payout);
    expect(sends).toHaveLength(3);
    expect(queries).toHaveLength(1);
    expect(result).toMatchObject({ reconciled: true, orderNo: '3023062014149637', providerStatus: '0' });
  });
});
