import { parse } from 'promptparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, THB_ERRORS } from '../../src/testing';
import { thbNotificationBody } from '../../src/testing/messages';
import { THB_ERROR_MESSAGES } from '../../src/testing/thb-collect-routes';
import { nextTestRsaKeyPair } from '../helpers/rsa-keys';
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
    const pair = nextTestRsaKeyPair();
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
    const otherKey = nextTestRsaKeyPair()
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
      // The error table has no signature code: 1002 "Illegal Param", naming the sign after it.
      expect(body).toEqual({
        status: '0',
        error: '1002',
        msg: 'Illegal Param: sign verify failed',
        data: null,
      });
    }
    const wrongApp = await thbPost(sandbox, '/thb/collect/apply', { ...params, appId: 9999 });
    expect(wrongApp.body).toEqual({ status: '0', error: '4011', msg: 'appId do not exit', data: null });
  });

  it('refuses a duplicate orderId', async () => {
    const params = collectionParams(sandbox);
    expect((await thbPost(sandbox, '/thb/collect/apply', params)).body.status).toBe('1');
    const again = await thbPost(sandbox, '/thb/collect/apply', params);
    expect(again.body).toEqual({ status: '0', error: '4005', msg: 'order already exit', data: null });
  });

  it.each([
    [{ amount: '300' }, '1002', /^Illegal Param: amount format/],
    [{ amount: '300.0' }, '1002', /^Illegal Param: amount format/],
    [{ amount: '1,000.00' }, '1002', /^Illegal Param: amount format/],
    [{ amount: '8000.01' }, '1002', /^Illegal Param: amount out of range: QR 1-8000/],
    [{ amount: '0.99' }, '1002', /^Illegal Param: amount out of range: QR 1-8000/],
    [
      { payType: 'PAYMENT_GATEWAY', inBankCode: 'TM', amount: '8000.01' },
      '1002',
      /^Illegal Param: amount out of range: TM 1-8000/,
    ],
    [{ payType: 'PAYMENT_GATEWAY', inBankCode: 'QR' }, '1002', /inBankCode/],
    [{ payType: 'QR', inBankCode: 'TM' }, '1002', /inBankCode/],
    [{ payType: 'CARD', inBankCode: 'CARD' }, '1002', /payType/],
    [{ orderId: 'x'.repeat(49) }, '1002', /orderId must be at most 48/],
    [{ phone: '081234567' }, '1002', /phone/],
    [{ name: 'สมชาย' }, '1002', /name/],
    [{ subject: undefined }, '1001', /^param is null: subject is required/],
    [{ partnerUserId: 'a b' }, '1002', /partnerUserId/],
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
      // Thailand.mdx's TrueMoney range, the wider of the two documents.
      { payType: 'PAYMENT_GATEWAY', inBankCode: 'TM', amount: '8000.00' },
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
    expect(unknown.body).toEqual({ status: '0', error: '4013', msg: 'order not exit', data: null });
    const params = collectionParams(sandbox);
    await thbPost(sandbox, '/thb/collect/apply', params);
    const mismatch = await thbPost(sandbox, '/thb/collect/query', {
      appId: 1054,
      orderId: params.orderId,
      orderNo: '6000000000000000',
    });
    expect(mismatch.body).toMatchObject({ error: '4013', msg: 'order not exit' });
    // A collection is not found on the payout query.
    const wrongKind = await thbPost(sandbox, '/thb/pay/query', { appId: 1054, orderId: params.orderId });
    expect(wrongKind.body).toMatchObject({ error: '4013', msg: 'order not exit' });
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
    [{ amount: '49999.01' }, '1002'],
    [{ amount: '50000.00' }, '1002'],
    [{ bankCode: 'XYZ' }, '1002'],
    [{ accountType: 'BANK_CARD' }, '1002'],
    [{ name: 'john_doe' }, '1002'],
    [{ email: 'not-an-email' }, '1002'],
    [{ partnerUserId: undefined }, '1001'],
    [{ accountNo: undefined }, '1001'],
  ])('validates payout %o', async (overrides, error) => {
    const { body } = await thbPost(sandbox, '/thb/pay/apply', payoutParams(sandbox, overrides));
    expect(body.status).toBe('0');
    expect(body.error).toBe(error);
  });

  it('refuses a duplicate payout orderId', async () => {
    const params = payoutParams(sandbox);
    await thbPost(sandbox, '/thb/pay/apply', params);
    const again = await thbPost(sandbox, '/thb/pay/apply', params);
    expect(again.body).toEqual({ status: '0', error: '4005', msg: 'order already exit', data: null });
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

describe('THB collect speaks the documented error table', () => {
  it('has exactly the codes and English responses of api_description_guide.mdx', () => {
    // Copied by hand from the provider's table, typos included: the sandbox must say what it says.
    expect(THB_ERROR_MESSAGES).toEqual({
      '1001': 'param is null',
      '1002': 'Illegal Param',
      '1003': 'system exception',
      '1004': 'system is busy',
      '4005': 'order already exit',
      '4011': 'appId do not exit',
      '4012': 'you do not have an available product, please connect admin',
      '4013': 'order not exit',
      '4014': 'order is already end status',
      '4015': 'this merchant do not have a collect bank',
      '4016': 'your account do not have enough money',
      '4031': 'ip adress is Forbidden',
      '5012': 'pay in channel not functional, please connect customer service',
    });
    expect(Object.values(THB_ERRORS).sort()).toEqual(Object.keys(THB_ERROR_MESSAGES).sort());
  });

  it('provider-error 1003/1004 on a create: the order recorded or not, as the fault says', async () => {
    for (const [providerCode, recorded] of [
      ['1003', true],
      ['1003', false],
      ['1004', true],
      ['1004', false],
    ] as const) {
      sandbox.injectFault('thb:pay/apply', 'provider-error', { providerCode, recorded });
      const params = payoutParams(sandbox);
      const { body } = await thbPost(sandbox, '/thb/pay/apply', params);
      expect(body).toEqual({
        status: '0',
        error: providerCode,
        msg: providerCode === '1003' ? 'system exception' : 'system is busy',
        data: null,
      });
      const order = sandbox.orders().find((o) => o.merchantOrderId === params.orderId);
      expect(order !== undefined, `${providerCode} recorded=${recorded}`).toBe(recorded);
      // The re-send with the same orderId: a duplicate if recorded, else the order is made now.
      const again = await thbPost(sandbox, '/thb/pay/apply', params);
      expect(again.body.error).toBe(recorded ? '4005' : '00000000');
    }
  });

  it('provider-error 4031 on any THB route; an undocumented code is refused at injection', async () => {
    sandbox.injectFault('thb:collect/query', 'provider-error', { providerCode: '4031' });
    const { body } = await thbPost(sandbox, '/thb/collect/query', { appId: 1054, orderId: 'ANY' });
    expect(body).toEqual({ status: '0', error: '4031', msg: 'ip adress is Forbidden', data: null });
    expect(() =>
      sandbox.injectFault('thb:collect/query', 'provider-error', { providerCode: '9999' as '1001' }),
    ).toThrow(/documented/);
    expect(() => sandbox.injectFault('jwt:deposit', 'provider-error')).toThrow(/does not apply/);
    expect(sandbox.injectFault('thb:account/ledger', 'provider-error')).toMatchObject({
      providerCode: '1004',
      recorded: false,
    });
    sandbox.clearFaults();
  });
});

describe('THB collect balance, statement and voucher', () => {
  it('the balance follows the orders: collections credit net of fee, open payouts freeze, 4016 beyond it', async () => {
    await using box = await createSandbox({ thbCollect: { appId: 1054 } });
    const ledger = async () => {
      const { body } = await thbPost(box, '/thb/account/ledger', { appId: 1054 });
      expect(body).toMatchObject({ status: '1', error: '00000000', msg: '' });
      expect(thbVerify(body.data, box.thbCollect.secretKey, box.thbCollect.platformPublicKey)).toBe(true);
      const { sign: _sign, ...data } = body.data;
      return data;
    };
    expect(await ledger()).toEqual({
      bal: '100000.00',
      availableBal: '100000.00',
      frzBal: '0.00',
      unSettleBal: '0.00',
    });
    const collection = collectionParams(box, { amount: '300.00' });
    await thbPost(box, '/thb/collect/apply', collection);
    box.pay(String(collection.orderId));
    const payout = payoutParams(box, { amount: '49999.00' });
    expect((await thbPost(box, '/thb/pay/apply', payout)).body.status).toBe('1');
    // 100,000 + 300 - 3 (1% fee) = 100,297; 49,999 frozen by the open payout.
    expect(await ledger()).toEqual({
      bal: '100297.00',
      availableBal: '50298.00',
      frzBal: '49999.00',
      unSettleBal: '0.00',
    });
    expect(
      (await thbPost(box, '/thb/pay/apply', payoutParams(box, { amount: '49999.00' }))).body.status,
    ).toBe('1');
    const refused = await thbPost(box, '/thb/pay/apply', payoutParams(box, { amount: '300.00' }));
    expect(refused.body).toEqual({
      status: '0',
      error: '4016',
      msg: 'your account do not have enough money',
      data: null,
    });
  });

  it('links a statement file by type and day, and serves it', async () => {
    const params = collectionParams(sandbox);
    await thbPost(sandbox, '/thb/collect/apply', params);
    const order = sandbox.orders().find((o) => o.merchantOrderId === params.orderId)!;
    const day = new Date(Date.parse(order.createdAt) + 7 * 3_600_000)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '');
    const { body } = await thbPost(sandbox, '/common/document/download', {
      appId: 1054,
      type: 20,
      date: day,
    });
    expect(body.status).toBe('1');
    expect(verifies(body.data)).toBe(true);
    const { sign: _sign, expired, ...data } = body.data;
    expect(data).toEqual({
      appId: 1054,
      type: 20,
      date: day,
      fileUrl: `${sandbox.url}/common/document/file/20-${day}.csv`,
    });
    expect(expired).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const file = await (await fetch(data.fileUrl)).text();
    expect(file.split('\n')[0]).toBe('kind,orderId,orderNo,amount,fee,status,createTime');
    expect(file).toContain(`collection,${params.orderId},${order.orderNo},`);
    const bad = await thbPost(sandbox, '/common/document/download', { appId: 1054, type: 99, date: day });
    expect(bad.body).toMatchObject({ status: '0', error: '1002' });
    const missing = await thbPost(sandbox, '/common/document/download', { appId: 1054, type: 20 });
    expect(missing.body).toMatchObject({ status: '0', error: '1001' });
  });

  it('answers a successful payout voucher as the Base64 image alone; 4013 for an unknown orderNo', async () => {
    const params = payoutParams(sandbox);
    const created = (await thbPost(sandbox, '/thb/pay/apply', params)).body.data;
    const early = await thbPost(sandbox, '/common/voucher', {
      appId: 1054,
      orderNo: Number(created.orderNo),
    });
    expect(early.body).toMatchObject({ status: '0', error: '1002' });
    sandbox.complete(created.orderNo);
    const { body } = await thbPost(sandbox, '/common/voucher', {
      appId: 1054,
      orderNo: Number(created.orderNo),
    });
    expect(body.status).toBe('1');
    expect(typeof body.data).toBe('string');
    expect(Buffer.from(body.data, 'base64').subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    const unknown = await thbPost(sandbox, '/common/voucher', { appId: 1054, orderNo: 3000000000000000 });
    expect(unknown.body).toEqual({ status: '0', error: '4013', msg: 'order not exit', data: null });
  });
});

describe('THB collect notifications', () => {
  it('a payout notification has no hash: only stablecoin payouts carry one (CommonApi.mdx)', async () => {
    const params = payoutParams(sandbox);
    const created = (await thbPost(sandbox, '/thb/pay/apply', params)).body.data;
    const done = sandbox.complete(created.orderNo);
    expect(done.hash).toBeNull();
    const pair = nextTestRsaKeyPair();
    const body = thbNotificationBody(
      { ...done, hash: 'abc' },
      { appId: '1054', secretKey: 's', platformPrivateKey: pair.privateKey },
      {},
    );
    expect(Object.keys(body).sort()).toEqual(
      ['amount', 'appId', 'currency', 'fee', 'orderId', 'orderNo', 'payTime', 'sign', 'status'].sort(),
    );
  });
});
