import { generateKeyPairSync } from 'node:crypto';
import { parse } from 'promptparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, THB_ERRORS } from '../../src/testing';
import { SANDBOX_KEYS } from '../sandbox-keys';
import { collectionParams, payoutParams, thbPost, thbSign, thbSignString, thbVerify } from './helpers';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({
    thbCollect: { ...SANDBOX_KEYS, appId: 1054, secretKey: 'sandbox-secret' },
  });
});
afterAll(() => sandbox.close());

function verifies(data: Record<string, unknown>): boolean {
  return thbVerify(data, sandbox.thbCollect.secretKey, sandbox.thbCollect.platformPublicKey);
}

describe('THB collect credentials', () => {
  it('hands out bare Base64 and PEM keys that form pairs', () => {
    const { thbCollect } = sandbox;
    expect(thbCollect.appId).toBe('1054');
    expect(thbCollect.merchantPrivateKey).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(thbCollect.merchantPrivateKeyPem).toContain('-----BEGIN PRIVATE KEY-----');
    expect(thbCollect.platformPublicKey).toMatch(/^MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A/);
    expect(thbCollect.platformPublicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
    expect(thbCollect.baseUrl).toBe(sandbox.url);
  });

  it('accepts a merchant public key given as PEM and then hands out no private key', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await using box = await createSandbox({ thbCollect: { merchantPublicKey: publicPem } });
    expect(box.thbCollect.merchantPrivateKey).toBeUndefined();
    const privateBase64 = pair.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const params = collectionParams(box);
    const response = await fetch(`${box.url}/thb/collect/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, sign: thbSign(params, box.thbCollect.secretKey, privateBase64) }),
    });
    expect((await response.json()).status).toBe('1');
  });
});

describe('THB collect collection apply', () => {
  it('accepts a correctly signed request and answers a signed envelope', async () => {
    const params = collectionParams(sandbox, { amount: '300.00', notifyUrl: 'https://shop.example/notify' });
    const { status, body } = await thbPost(sandbox, '/thb/collect/apply', params);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: '1', error: '00000000', msg: '' });
    const data = body.data;
    expect(Object.keys(data).sort()).toEqual([
      'bankCode',
      'bankNo',
      'orderId',
      'orderNo',
      'payUrl',
      'qrCode',
      'sign',
    ]);
    expect(data.orderId).toBe(params.orderId);
    expect(data.orderNo).toMatch(/^6\d{15}$/);
    expect(data.payUrl).toBe(`${sandbox.url}/pay/${data.orderNo}`);
    const qr = parse(data.qrCode)!;
    expect(qr.validate('63')).toBe(true);
    expect(qr.getTagValue('54')).toBe('300.00');
    expect(verifies(data)).toBe(true);
    // The pay page exists.
    const page = await fetch(data.payUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('accepts a form-encoded request too', async () => {
    const params = collectionParams(sandbox);
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) form.append(key, String(value));
    form.append(
      'sign',
      thbSign(params, sandbox.thbCollect.secretKey, sandbox.thbCollect.merchantPrivateKey!),
    );
    const response = await fetch(`${sandbox.url}/thb/collect/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect((await response.json()).status).toBe('1');
  });

  it('leaves empty params out of the sign string', async () => {
    const params = collectionParams(sandbox, { body: '', notifyUrl: null });
    expect(thbSignString(params, 'k')).not.toContain('body=');
    expect((await thbPost(sandbox, '/thb/collect/apply', params)).body.status).toBe('1');
  });

  it('refuses a wrong sign, a wrong secret key, a wrong appId', async () => {
    const params = collectionParams(sandbox);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'der' })
      .toString('base64');
    const cases = [
      { sign: thbSign(params, sandbox.thbCollect.secretKey, otherKey) },
      { secretKey: 'not-the-secret' },
      {
        sign: thbSign(
          { ...params, amount: '301.00' },
          sandbox.thbCollect.secretKey,
          sandbox.thbCollect.merchantPrivateKey!,
        ),
      },
      { sign: '' },
    ];
    for (const options of cases) {
      const { status, body } = await thbPost(sandbox, '/thb/collect/apply', params, options);
      expect(status).toBe(200);
      expect(body).toEqual({ status: '0', error: THB_ERRORS.signError, msg: 'sign error', data: null });
    }
    const wrongApp = await thbPost(sandbox, '/thb/collect/apply', { ...params, appId: 9999 });
    expect(wrongApp.body).toEqual({
      status: '0',
      error: THB_ERRORS.appIdNotFound,
      msg: 'appId not found',
      data: null,
    });
  });

  it('refuses a duplicate orderId', async () => {
    const params = collectionParams(sandbox);
    expect((await thbPost(sandbox, '/thb/collect/apply', params)).body.status).toBe('1');
    const again = await thbPost(sandbox, '/thb/collect/apply', params);
    expect(again.body).toEqual({
      status: '0',
      error: THB_ERRORS.duplicateOrder,
      msg: 'orderId already exists',
      data: null,
    });
  });

  it.each([
    [{ amount: '300' }, THB_ERRORS.invalidParameter, /amount format/],
    [{ amount: '300.0' }, THB_ERRORS.invalidParameter, /amount format/],
    [{ amount: '1,000.00' }, THB_ERRORS.invalidParameter, /amount format/],
    [{ amount: '8000.01' }, THB_ERRORS.amountOutOfRange, /QR 1-8000/],
    [{ amount: '0.99' }, THB_ERRORS.amountOutOfRange, /QR 1-8000/],
    [
      { payType: 'PAYMENT_GATEWAY', inBankCode: 'TM', amount: '1000.01' },
      THB_ERRORS.amountOutOfRange,
      /TM 1-1000/,
    ],
    [{ payType: 'PAYMENT_GATEWAY', inBankCode: 'QR' }, THB_ERRORS.unsupportedChannel, /inBankCode/],
    [{ payType: 'QR', inBankCode: 'TM' }, THB_ERRORS.unsupportedChannel, /inBankCode/],
    [{ payType: 'CARD', inBankCode: 'CARD' }, THB_ERRORS.unsupportedChannel, /payType/],
    [{ orderId: 'x'.repeat(49) }, THB_ERRORS.invalidParameter, /orderId must be at most 48/],
    [{ phone: '081234567' }, THB_ERRORS.invalidParameter, /phone/],
    [{ name: 'สมชาย' }, THB_ERRORS.invalidParameter, /name/],
    [{ subject: undefined }, THB_ERRORS.invalidParameter, /subject is required/],
    [{ partnerUserId: 'a b' }, THB_ERRORS.invalidParameter, /partnerUserId/],
  ])('validates %o', async (overrides, error, msg) => {
    const { body } = await thbPost(sandbox, '/thb/collect/apply', collectionParams(sandbox, overrides));
    expect(body.status).toBe('0');
    expect(body.error).toBe(error);
    expect(body.msg).toMatch(msg);
    expect(body.data).toBeNull();
  });

  it('accepts the boundary amounts and the three channel pairs', async () => {
    for (const overrides of [
      { amount: '1.00' },
      { amount: '8000.00' },
      { payType: 'PAYMENT_GATEWAY', inBankCode: 'TM', amount: '1000.00' },
      { payType: 'CASHIER', inBankCode: 'CASHIER' },
    ]) {
      const { body } = await thbPost(sandbox, '/thb/collect/apply', collectionParams(sandbox, overrides));
      expect(body.status, JSON.stringify(body)).toBe('1');
    }
  });
});

describe('THB collect queries and payouts', () => {
  it('queries a collection through its lifecycle with signed data', async () => {
    const params = collectionParams(sandbox, { amount: '300.00' });
    const created = (await thbPost(sandbox, '/thb/collect/apply', params)).body.data;
    const query = async () => {
      const { body } = await thbPost(sandbox, '/thb/collect/query', {
        appId: params.appId,
        orderId: params.orderId,
        orderNo: created.orderNo,
      });
      expect(verifies(body.data)).toBe(true);
      return body.data;
    };
    expect(await query()).toEqual({
      orderId: params.orderId,
      orderNo: created.orderNo,
      amount: '300.00',
      actualAmount: '0.00',
      fee: '0.00',
      status: 1,
      sign: expect.any(String),
    });
    sandbox.pay(String(params.orderId));
    const paid = await query();
    expect(paid).toMatchObject({ status: 2, actualAmount: '300.00', fee: '3.00' });
    expect(paid.payTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const order = sandbox.getOrder(created.orderNo)!;
    // payTime is Thailand time: seven hours ahead of UTC.
    const utc = new Date(`${paid.payTime.replace(' ', 'T')}+07:00`).getTime();
    expect(Math.abs(utc - Date.parse(order.completedAt!))).toBeLessThan(1000);
  });

  it('answers "order not found" for unknown orders or mismatched orderNo', async () => {
    const unknown = await thbPost(sandbox, '/thb/collect/query', { appId: 1054, orderId: 'NOPE' });
    expect(unknown.body).toEqual({
      status: '0',
      error: THB_ERRORS.orderNotFound,
      msg: 'order not found',
      data: null,
    });
    const params = collectionParams(sandbox);
    await thbPost(sandbox, '/thb/collect/apply', params);
    const mismatch = await thbPost(sandbox, '/thb/collect/query', {
      appId: 1054,
      orderId: params.orderId,
      orderNo: '6000000000000000',
    });
    expect(mismatch.body.msg).toBe('order not found');
    // A collection is not found on the payout query.
    const wrongKind = await thbPost(sandbox, '/thb/pay/query', { appId: 1054, orderId: params.orderId });
    expect(wrongKind.body.msg).toBe('order not found');
  });

  it('creates, queries, completes and fails payouts', async () => {
    const params = payoutParams(sandbox, { amount: '500.00' });
    const { body } = await thbPost(sandbox, '/thb/pay/apply', params);
    expect(body.status).toBe('1');
    expect(Object.keys(body.data).sort()).toEqual(['orderId', 'orderNo', 'sign']);
    expect(body.data.orderNo).toMatch(/^3\d{15}$/);
    expect(verifies(body.data)).toBe(true);
    const query = async (orderId: unknown) =>
      (await thbPost(sandbox, '/thb/pay/query', { appId: 1054, orderId })).body.data;
    expect(await query(params.orderId)).toEqual({
      orderId: params.orderId,
      orderNo: body.data.orderNo,
      amount: '500.00',
      fee: '0.00',
      status: 0,
      sign: expect.any(String),
    });
    sandbox.process(body.data.orderNo);
    expect((await query(params.orderId)).status).toBe(1);
    sandbox.complete(body.data.orderNo);
    const done = await query(params.orderId);
    expect(done).toMatchObject({ status: 2, fee: '5.00', payTime: expect.any(String) });
    expect(verifies(done)).toBe(true);

    const second = payoutParams(sandbox);
    await thbPost(sandbox, '/thb/pay/apply', second);
    sandbox.fail(String(second.orderId), 'Account does not exist');
    const failed = await query(second.orderId);
    expect(failed).toMatchObject({ status: 3, errorMsg: 'Account does not exist' });
    expect(failed.payTime).toBeUndefined();
    expect(verifies(failed)).toBe(true);
  });

  it.each([
    [{ amount: '49999.01' }, THB_ERRORS.amountOutOfRange],
    [{ amount: '50000.00' }, THB_ERRORS.amountOutOfRange],
    [{ bankCode: 'XYZ' }, THB_ERRORS.unsupportedChannel],
    [{ accountType: 'BANK_CARD' }, THB_ERRORS.invalidParameter],
    [{ accountNo: 'abc' }, THB_ERRORS.invalidParameter],
    [{ name: 'john_doe' }, THB_ERRORS.invalidParameter],
    [{ email: 'not-an-email' }, THB_ERRORS.invalidParameter],
    [{ partnerUserId: undefined }, THB_ERRORS.invalidParameter],
  ])('validates payout %o', async (overrides, error) => {
    const { body } = await thbPost(sandbox, '/thb/pay/apply', payoutParams(sandbox, overrides));
    expect(body.status).toBe('0');
    expect(body.error).toBe(error);
  });

  it('refuses a duplicate payout orderId', async () => {
    const params = payoutParams(sandbox);
    await thbPost(sandbox, '/thb/pay/apply', params);
    const again = await thbPost(sandbox, '/thb/pay/apply', params);
    expect(again.body.msg).toBe('orderId already exists');
  });
});

describe('THB collect tampered-signature fault', () => {
  it('alters data after signing: the envelope is fine, the sign no longer verifies', async () => {
    sandbox.injectFault('thb:collect/query', 'tampered-signature');
    const params = collectionParams(sandbox);
    await thbPost(sandbox, '/thb/collect/apply', params);
    const tampered = (await thbPost(sandbox, '/thb/collect/query', { appId: 1054, orderId: params.orderId }))
      .body;
    expect(tampered.status).toBe('1');
    expect(tampered.data.amount).toBe('301.00');
    expect(verifies(tampered.data)).toBe(false);
    const clean = (await thbPost(sandbox, '/thb/collect/query', { appId: 1054, orderId: params.orderId }))
      .body;
    expect(clean.data.amount).toBe('300.00');
    expect(verifies(clean.data)).toBe(true);
  });

  it('on an apply answer without amount, changes the order number', async () => {
    sandbox.injectFault('thb:pay/apply', 'tampered-signature');
    const params = payoutParams(sandbox);
    const { body } = await thbPost(sandbox, '/thb/pay/apply', params);
    expect(verifies(body.data)).toBe(false);
    expect(sandbox.getOrder(body.data.orderNo)).toBeUndefined();
    expect(sandbox.getOrder(String(params.orderId))).toBeDefined();
  });
});
