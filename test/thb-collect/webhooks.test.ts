import { describe, expect, it, vi } from 'vitest';
import { InvalidRequestError, WebhookVerificationError } from '../../src/core/errors';
import { createMemoryDedupeStore } from '../../src/core/webhooks';
import {
  createThbWebhookHandler,
  THB_NOTIFICATION_ACK,
  type ThbNotification,
  toNodeHandler,
  verifyThbNotification,
} from '../../src/thb-collect';
import {
  MERCHANT_PRIVATE_PEM,
  MERCHANT_PUBLIC_PEM,
  PLATFORM,
  platformSigned,
  SECRET_KEY,
  STRANGER,
} from './helpers';

const keys = { secretKey: SECRET_KEY, platformPublicKey: PLATFORM.publicPem };

const collectionFields = {
  appId: 1054,
  currency: 'THB',
  orderId: 'M233323000059',
  orderNo: '6023071013539074',
  amount: '300.00',
  fee: '4.50',
  status: 2,
  payTime: '2024-03-01 23:59:59',
  errorMsg: '',
};

const payoutFields = {
  appId: 1054,
  currency: 'THB',
  orderId: 'M1234567111',
  orderNo: '3022111516571436',
  amount: '100000.00',
  fee: '0.00',
  status: 3,
  payTime: '',
  errorMsg: 'Đơn hàng không tồn tại',
  hash: '',
};

/** A form-encoded body with every value as text (what the platform would post as a form). */
function form(fields: Record<string, unknown>): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
}

async function failure(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }
  throw new Error('expected a WebhookVerificationError');
}

describe('verifyThbNotification', () => {
  it('verifies a collection notification given as a JSON string, bytes or a parsed object', async () => {
    const body = platformSigned(collectionFields);
    const { errorMsg: _empty, ...signed } = body;
    for (const input of [JSON.stringify(body), new TextEncoder().encode(JSON.stringify(body)), body]) {
      const n = await verifyThbNotification(input, { ...keys, kind: 'collection' });
      expect(n).toStrictEqual({
        kind: 'collection',
        orderId: 'M233323000059',
        orderNo: '6023071013539074',
        amount: '300.00',
        amountSatang: 30_000,
        fee: '4.50',
        feeSatang: 450,
        status: 'succeeded',
        providerStatus: '2',
        payTime: new Date('2024-03-01T16:59:59.000Z'),
        appId: '1054',
        currency: 'THB',
        // The signed fields and the sign; the empty errorMsg is outside the signature and left out.
        raw: signed,
      });
    }
  });

  it('reads every documented collection field, with satang twins of the amounts', async () => {
    const body = platformSigned({
      ...collectionFields,
      actualAmount: '299.50',
      originalCurrency: 'USD',
      originalAmount: '8.25',
      inBankCode: 'QR',
      bankNo: '1234567890',
      description: 'Order 1002',
      name: 'Somchai Jaidee',
      email: 'somchai@example.com',
      cardNo: '411111******1111',
    });
    const n = await verifyThbNotification(JSON.stringify(body), { ...keys, kind: 'collection' });
    const { kind, raw, payTime, ...rest } = n;
    const { errorMsg: _empty, ...signed } = body;
    expect([kind, raw, payTime]).toStrictEqual(['collection', signed, new Date('2024-03-01T16:59:59.000Z')]);
    expect(rest).toStrictEqual({
      orderId: 'M233323000059',
      orderNo: '6023071013539074',
      amount: '300.00',
      amountSatang: 30_000,
      fee: '4.50',
      feeSatang: 450,
      status: 'succeeded',
      providerStatus: '2',
      appId: '1054',
      currency: 'THB',
      actualAmount: '299.50',
      actualAmountSatang: 29_950,
      originalCurrency: 'USD',
      originalAmount: '8.25',
      originalAmountSatang: 825,
      inBankCode: 'QR',
      bankNo: '1234567890',
      description: 'Order 1002',
      name: 'Somchai Jaidee',
      email: 'somchai@example.com',
      cardNo: '411111******1111',
    });
    // An original amount with more decimals (another currency) keeps its text and gets no twin.
    const usdt = await verifyThbNotification(
      platformSigned({ ...collectionFields, originalCurrency: 'USDT', originalAmount: '8.123456' }),
      { ...keys, kind: 'collection' },
    );
    expect([usdt.originalAmount, usdt.originalAmountSatang]).toStrictEqual(['8.123456', undefined]);
  });

  it('takes the kind from the option only: never from hash, which only stablecoin payouts carry', async () => {
    const failed = JSON.stringify(platformSigned(payoutFields));
    const asPayout = await verifyThbNotification(failed, { ...keys, kind: 'payout' });
    expect([asPayout.kind, asPayout.status, asPayout.providerStatus, asPayout.errorMsg]).toStrictEqual([
      'payout',
      'failed',
      '3',
      'Đơn hàng không tồn tại',
    ]);
    expect(asPayout.payTime).toBeUndefined();
    expect(asPayout).not.toHaveProperty('hash');
    // A THB payout has no hash: without the option it is 'unknown', never a collection.
    const { hash: _none, ...thbPayout } = payoutFields;
    const unknown = await verifyThbNotification(platformSigned(thbPayout), keys);
    expect([unknown.kind, unknown.status]).toStrictEqual(['unknown', 'failed']);
    // A hash present decides nothing either.
    const stable = await verifyThbNotification(
      platformSigned({ ...payoutFields, status: 2, hash: '0xabc' }),
      keys,
    );
    expect([stable.kind, stable.status, stable.hash]).toStrictEqual(['unknown', 'succeeded', '0xabc']);
  });

  it('reads statuses 4 and 5 as documented (final partial and excess collections)', async () => {
    for (const [code, status] of [
      [4, 'partially_paid'],
      [5, 'overpaid'],
    ] as const) {
      const body = platformSigned({ ...collectionFields, status: code });
      for (const kind of ['collection', undefined] as const) {
        const n = await verifyThbNotification(body, { ...keys, ...(kind ? { kind } : {}) });
        expect([n.kind, n.status, n.providerStatus]).toStrictEqual([kind ?? 'unknown', status, String(code)]);
      }
      // Payouts have no 4 or 5: a payout URL receiving one needs a person.
      const payout = await verifyThbNotification(body, { ...keys, kind: 'payout' });
      expect(payout.status).toBe('needs_review');
    }
  });

  it('gives providerStatus as the code in text, whether it came as a JSON number or form text', async () => {
    for (const code of [-1, 0, 2]) {
      const signed = platformSigned({ ...collectionFields, status: code });
      const fromJson = await verifyThbNotification(JSON.stringify(signed), { ...keys, kind: 'collection' });
      const fromForm = await verifyThbNotification(form(signed), { ...keys, kind: 'collection' });
      expect([fromJson.providerStatus, fromForm.providerStatus]).toStrictEqual([String(code), String(code)]);
    }
    const failed = await verifyThbNotification(
      form(platformSigned({ ...collectionFields, status: -1 })),
      keys,
    );
    expect([failed.status, failed.providerStatus]).toStrictEqual(['needs_review', '-1']);
  });

  it('verifies fields the document does not list yet (signed over every field received)', async () => {
    const body = platformSigned({
      ...collectionFields,
      actualAmount: '299.00',
      channel: 'PROMPTPAY',
      'x-new': 'ใหม่',
    });
    const n = await verifyThbNotification(JSON.stringify(body), keys);
    expect(n).toMatchObject({ actualAmount: '299.00', actualAmountSatang: 29_900 });
    expect(n.raw.channel).toBe('PROMPTPAY');
  });

  it('refuses every changed field', async () => {
    const body = platformSigned(collectionFields);
    for (const field of Object.keys(collectionFields)) {
      const value = body[field];
      const changed = typeof value === 'number' ? value + 1 : value === '' ? 'x' : `${String(value)}0`;
      const error = await failure(verifyThbNotification(JSON.stringify({ ...body, [field]: changed }), keys));
      expect(error.message).toMatch(/does not verify/);
    }
  });

  it('refuses an added field, a removed field, and a changed form value', async () => {
    const body = platformSigned(collectionFields);
    await failure(verifyThbNotification(JSON.stringify({ ...body, bonus: '1' }), keys));
    const { fee: _fee, ...withoutFee } = body;
    await failure(verifyThbNotification(JSON.stringify(withoutFee), keys));
    await failure(verifyThbNotification(form({ ...body, amount: '3000.00' }), keys));
  });

  it('refuses the merchant key instead of the platform key, another key, and the wrong secret', async () => {
    await failure(verifyThbNotification(platformSigned(collectionFields, MERCHANT_PRIVATE_PEM), keys));
    await failure(verifyThbNotification(platformSigned(collectionFields, STRANGER.privateKey), keys));
    await failure(
      verifyThbNotification(platformSigned(collectionFields, PLATFORM.privateKey, 'wrong-secret'), keys),
    );
    await failure(
      verifyThbNotification(platformSigned(collectionFields), { ...keys, secretKey: 'wrong-secret' }),
    );
    // Verifying with the merchant's own public key (a common mix-up) fails too.
    await failure(
      verifyThbNotification(platformSigned(collectionFields), {
        ...keys,
        platformPublicKey: MERCHANT_PUBLIC_PEM,
      }),
    );
  });

  it('refuses missing, empty and garbage signs and malformed bodies', async () => {
    for (const body of [
      JSON.stringify(collectionFields),
      JSON.stringify({ ...collectionFields, sign: '' }),
      JSON.stringify({ ...collectionFields, sign: 'abc$%^' }),
      JSON.stringify({ ...collectionFields, sign: 12 }),
      '{"orderId":',
      '[1,2]',
      '',
      '"text"',
      '{"__proto__":{"x":1},"sign":"a"}',
    ]) {
      await failure(verifyThbNotification(body, keys));
    }
  });

  it('refuses a signed notification whose fields are unusable', async () => {
    await failure(verifyThbNotification(platformSigned({ ...collectionFields, status: 'paid' }), keys));
    await failure(verifyThbNotification(platformSigned({ ...collectionFields, amount: 'lots' }), keys));
  });

  it('throws InvalidRequestError for unusable keys, naming platformPublicKey', async () => {
    const body = platformSigned(collectionFields);
    await expect(
      verifyThbNotification(body, { ...keys, platformPublicKey: PLATFORM.privatePem }),
    ).rejects.toThrow(/platformPublicKey: is a private key/);
    await expect(verifyThbNotification(body, { ...keys, platformPublicKey: '' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(verifyThbNotification(body, { ...keys, secretKey: '' })).rejects.toThrow(/secretKey/);
  });
});

function post(body: string, contentType = 'application/json'): Request {
  return new Request('https://shop.example/thb/notify', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

describe('createThbWebhookHandler', () => {
  it('answers SUCCESS as plain text and calls onEvent once per distinct notification', async () => {
    const events: ThbNotification[] = [];
    const handler = createThbWebhookHandler({ ...keys, onEvent: (n) => void events.push(n) });
    const paid = JSON.stringify(platformSigned(collectionFields));
    for (let i = 0; i < 3; i++) {
      const response = await handler(post(paid));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(THB_NOTIFICATION_ACK);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    }
    expect(events).toHaveLength(1);
    // Same order, another status: a new event. Same orderId as a payout: a new event.
    await handler(post(JSON.stringify(platformSigned({ ...collectionFields, status: 3 }))));
    await handler(
      post(
        form(platformSigned({ ...payoutFields, orderId: collectionFields.orderId })),
        'application/x-www-form-urlencoded',
      ),
    );
    expect(events.map((e) => `${e.kind}:${e.orderNo}:${e.status}`)).toStrictEqual([
      'unknown:6023071013539074:succeeded',
      'unknown:6023071013539074:failed',
      'unknown:3022111516571436:failed',
    ]);
  });

  it('one handler per notify URL and kind; a shared store keeps their events apart', async () => {
    const store = createMemoryDedupeStore();
    const seen: string[] = [];
    const collections = createThbWebhookHandler({
      ...keys,
      kind: 'collection',
      store,
      onEvent: (n) => void seen.push(`${n.kind}:${n.orderId}:${n.inBankCode ?? '-'}`),
    });
    const payouts = createThbWebhookHandler({
      ...keys,
      kind: 'payout',
      store,
      onEvent: (n) => void seen.push(`${n.kind}:${n.orderId}:${n.hash ?? '-'}`),
    });
    // The very same signed fields posted to both URLs: two kinds, two events, each once.
    const body = JSON.stringify(platformSigned({ ...collectionFields, inBankCode: 'QR' }));
    for (let i = 0; i < 2; i++) {
      expect((await collections(post(body))).status).toBe(200);
      expect((await payouts(post(body))).status).toBe(200);
    }
    expect(seen).toStrictEqual(['collection:M233323000059:QR', 'payout:M233323000059:-']);
  });

  it('answers 400 to forged notifications without calling onEvent', async () => {
    const onEvent = vi.fn();
    const onError = vi.fn();
    const handler = createThbWebhookHandler({ ...keys, onEvent, onError });
    const forged = JSON.stringify({ ...platformSigned(collectionFields), amount: '8000.00' });
    const response = await handler(post(forged));
    expect(response.status).toBe(400);
    expect(await response.text()).not.toBe('SUCCESS');
    const byMerchantKey = JSON.stringify(platformSigned(collectionFields, MERCHANT_PRIVATE_PEM));
    expect((await handler(post(byMerchantKey))).status).toBe(400);
    expect(onEvent).not.toHaveBeenCalled();
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(WebhookVerificationError);
  });

  it('answers 500 when onEvent throws and handles the retry', async () => {
    const store = createMemoryDedupeStore();
    const onEvent = vi.fn().mockRejectedValueOnce(new Error('database down')).mockResolvedValue(undefined);
    const handler = createThbWebhookHandler({ ...keys, onEvent, store });
    const body = JSON.stringify(platformSigned(collectionFields));
    expect((await handler(post(body))).status).toBe(500);
    expect(store.size).toBe(0);
    const retry = await handler(post(body));
    expect(retry.status).toBe(200);
    expect(await retry.text()).toBe('SUCCESS');
    expect(onEvent).toHaveBeenCalledTimes(2);
  });

  it('refuses unusable keys at creation', () => {
    expect(() => createThbWebhookHandler({ ...keys, platformPublicKey: 'nope', onEvent: () => {} })).toThrow(
      /platformPublicKey/,
    );
    expect(() => createThbWebhookHandler({ ...keys, secretKey: '', onEvent: () => {} })).toThrow(/secretKey/);
  });

  it('works on Node (req, res) through toNodeHandler', async () => {
    const events: ThbNotification[] = [];
    const node = toNodeHandler(createThbWebhookHandler({ ...keys, onEvent: (n) => void events.push(n) }));
    const body = form(platformSigned(collectionFields));
    const req = {
      method: 'POST',
      url: '/thb/notify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      async *[Symbol.asyncIterator]() {
        yield new TextEncoder().encode(body);
      },
    };
    const res = { statusCode: 0, headers: {} as Record<string, string>, sent: '' };
    await node(req, {
      get statusCode() {
        return res.statusCode;
      },
      set statusCode(code: number) {
        res.statusCode = code;
      },
      setHeader: (name: string, value: string) => {
        res.headers[name] = value;
      },
      end: (text?: string) => {
        res.sent = text ?? '';
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.sent).toBe('SUCCESS');
    expect(events).toHaveLength(1);
  });
});
