import jwt from 'jsonwebtoken';
import { parse } from 'promptparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJwtGatewayCallback } from '../../src/jwt-gateway';
import { createSandbox, type Sandbox } from '../../src/testing';
import { SANDBOX_KEYS } from '../sandbox-keys';
import {
  depositParams,
  JWT_ACK,
  jwtPost,
  jwtSign,
  nowSeconds,
  startReceiver,
  uniqueId,
  withdrawParams,
} from './helpers';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({
    jwtGateway: { apiKey: 'test-api-key', merchantId: 'M-TEST' },
    thbCollect: SANDBOX_KEYS,
  });
});
afterAll(() => sandbox.close());

describe('JWT gateway authentication and signature', () => {
  it('accepts a deposit signed with jsonwebtoken exactly as the doc shows', async () => {
    const { status, body } = await jwtPost(sandbox, '/deposit', depositParams(sandbox));
    expect(status).toBe(200);
    expect(body.status).toBe('success');
    expect(body.message).toBe('Create Success');
  });

  it('refuses a missing or wrong x-api-key with 401', async () => {
    for (const apiKey of [null, 'wrong-key', '']) {
      const { status, body } = await jwtPost(sandbox, '/deposit', depositParams(sandbox), { apiKey });
      expect(status).toBe(401);
      expect(body).toEqual({ code: 401, message: 'Invalid API key' });
    }
  });

  it('refuses a merchantId that does not match the key with 403', async () => {
    const { status, body } = await jwtPost(
      sandbox,
      '/deposit',
      depositParams(sandbox, { merchantId: 'OTHER' }),
    );
    expect(status).toBe(403);
    expect(body).toEqual({ code: 403, message: 'merchantId does not match API key' });
  });

  it('refuses signatures by another key, over other params, unsorted, with iat, or absent', async () => {
    const params = depositParams(sandbox);
    // jsonwebtoken keeps the key order it is given: reversed keys give a different (refused) token.
    const reversed = Object.fromEntries(Object.entries(sorted(params)).reverse());
    const unsorted = jwt.sign(reversed, sandbox.jwtGateway.apiKey, { algorithm: 'HS256', noTimestamp: true });
    const withIat = jwt.sign(sorted(params), sandbox.jwtGateway.apiKey, { algorithm: 'HS256' });
    const cases = [
      { signWith: 'another-key' },
      { signature: jwtSign({ ...params, amount: 1001 }, sandbox.jwtGateway.apiKey) },
      { signature: unsorted },
      { signature: withIat },
      { signature: '' },
    ];
    for (const options of cases) {
      const { status, body } = await jwtPost(
        sandbox,
        '/deposit',
        { ...params, transactionId: uniqueId() },
        options,
      );
      expect(status).toBe(400);
      expect(body).toEqual({ code: 400, message: 'Invalid signature' });
    }
  });

  it('signs over every param received, unknown ones too', async () => {
    const params = depositParams(sandbox, { extra: 'x', nested: { b: 1, a: 2 } });
    expect((await jwtPost(sandbox, '/deposit', params)).status).toBe(200);
  });

  it('refuses a client outside the IP allow-list with 403', async () => {
    await using guarded = await createSandbox({
      jwtGateway: { allowedIps: ['10.1.2.3'] },
      thbCollect: SANDBOX_KEYS,
    });
    const { status, body } = await jwtPost(guarded, '/balance', { timestamp: nowSeconds() });
    expect(status).toBe(403);
    expect(body).toEqual({ code: 403, message: 'IP not in whitelist' });
    await using open = await createSandbox({
      jwtGateway: { allowedIps: ['127.0.0.1'] },
      thbCollect: SANDBOX_KEYS,
    });
    expect((await jwtPost(open, '/balance', { timestamp: nowSeconds() })).status).toBe(200);
  });

  it('checks the timestamp window when asked to', async () => {
    await using strict = await createSandbox({
      jwtGateway: { timestampToleranceSeconds: 60 },
      thbCollect: SANDBOX_KEYS,
    });
    const stale = await jwtPost(strict, '/balance', { timestamp: nowSeconds() - 3600 });
    expect(stale.status).toBe(400);
    expect(stale.body.message).toMatch(/timestamp/);
    expect((await jwtPost(strict, '/balance', { timestamp: nowSeconds() })).status).toBe(200);
  });
});

function sorted(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) out[key] = params[key];
  return out;
}

describe('JWT gateway deposit', () => {
  it('answers every field of the doc example, with a valid PromptPay QR for the amount', async () => {
    const params = depositParams(sandbox, { amount: 1000 });
    const { body } = await jwtPost(sandbox, '/deposit', params);
    const data = body.data;
    expect(Object.keys(data).sort()).toEqual(
      [
        'merchantId',
        'referenceId',
        'transactionId',
        'status',
        'amount',
        'depositAmount',
        'qrcode',
        'bankAccountNumber',
        'bankAccountName',
        'bankName',
        'promptpayNumber',
        'expireDate',
        'customerData',
      ].sort(),
    );
    expect(data).toMatchObject({
      merchantId: 'M-TEST',
      transactionId: params.transactionId,
      status: 'pending',
      amount: 1000,
      depositAmount: 995,
      bankAccountNumber: '1234567890',
      bankName: 'KBANK',
      customerData: { bankAccountNumber: '1234567890', bankName: 'KBANK', name: 'John Doe' },
    });
    expect(data.referenceId).toMatch(/^DP\d{10}[A-Z0-9]{6}$/);
    expect(new Date(data.expireDate).toISOString()).toBe(data.expireDate);
    const qr = parse(data.qrcode);
    expect(qr).not.toBeNull();
    expect(qr!.validate('63')).toBe(true);
    expect(qr!.getTagValue('54')).toBe('1000.00');
    expect(qr!.getTagValue('29', '00')).toBe('A000000677010111');
    expect(qr!.getTagValue('53')).toBe('764');
    expect(qr!.getTagValue('58')).toBe('TH');
  });

  it('refuses a duplicate transactionId', async () => {
    const params = depositParams(sandbox);
    expect((await jwtPost(sandbox, '/deposit', params)).status).toBe(200);
    const again = await jwtPost(sandbox, '/deposit', { ...params, timestamp: nowSeconds() + 1 });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 400, message: 'transactionId already exists' });
  });

  it.each([
    [{ amount: '1000' }, 'amount must be a number'],
    [{ amount: 0 }, 'amount must be greater than 0'],
    [{ amount: -5 }, 'amount must be greater than 0'],
    [{ amount: 10.001 }, 'amount must have at most 2 decimal places'],
    [{ timestamp: String(nowSeconds()) }, 'timestamp must be a number'],
    [{ transactionId: undefined }, 'transactionId is required'],
    [{ name: '' }, 'name is required'],
    [{ type: 'CARD' }, 'type must be one of QR, BANK_TRANSFER'],
    [{ bankName: 'NOPE' }, 'bankName must be a supported bank code'],
    [{ callbackUrl: 'ftp://x' }, 'callbackUrl must be an http(s) URL'],
  ])('validates %o', async (overrides, message) => {
    const { status, body } = await jwtPost(sandbox, '/deposit', depositParams(sandbox, overrides));
    expect(status).toBe(400);
    expect(body).toEqual({ code: 400, message });
  });
});

describe('JWT gateway withdraw, balance, order', () => {
  it('creates a withdrawal in the doc shape and refuses a duplicate agent_order_no', async () => {
    const params = withdrawParams();
    const { status, body } = await jwtPost(sandbox, '/withdraw', params);
    expect(status).toBe(200);
    expect(body).toEqual({
      code: 200,
      message: 'Success',
      data: {
        order_no: expect.stringMatching(/^WD\d{10}[A-Z0-9]{6}$/),
        agent_order_no: params.agent_order_no,
        amount: 1000,
        fee: 15,
        transfer_amount: 985,
        status: 'pending',
      },
    });
    const again = await jwtPost(sandbox, '/withdraw', params);
    expect(again.body).toEqual({ code: 400, message: 'agent_order_no already exists' });
  });

  it('wants the withdrawal timestamp as a string', async () => {
    const { status, body } = await jwtPost(sandbox, '/withdraw', withdrawParams({ timestamp: nowSeconds() }));
    expect(status).toBe(400);
    expect(body.message).toBe('timestamp must be a string');
  });

  it('moves the balance with completed deposits and withdrawals', async () => {
    await using box = await createSandbox({
      jwtGateway: { startingBalance: 50000 },
      thbCollect: SANDBOX_KEYS,
    });
    const balance = async () => (await jwtPost(box, '/balance', { timestamp: nowSeconds() })).body;
    expect(await balance()).toEqual({
      code: 200,
      message: 'Success',
      data: { balance: 50000, currency: 'THB' },
    });
    const deposit = await jwtPost(box, '/deposit', depositParams(box, { amount: 1000 }));
    box.pay(deposit.body.data.referenceId);
    expect((await balance()).data.balance).toBe(50995);
    const withdrawal = await jwtPost(box, '/withdraw', withdrawParams({ amount: 2000 }));
    box.complete(withdrawal.body.data.order_no);
    expect((await balance()).data.balance).toBe(48995);
    expect(box.balance()).toBe(48995);
    const tooMuch = await jwtPost(box, '/withdraw', withdrawParams({ amount: 60000 }));
    expect(tooMuch.body).toEqual({ code: 400, message: 'Insufficient balance' });
  });

  it('queries an order by order_no or agent_order_no, 404 otherwise', async () => {
    const params = depositParams(sandbox);
    const created = (await jwtPost(sandbox, '/deposit', params)).body.data;
    sandbox.pay(created.referenceId);
    const byNumber = await jwtPost(sandbox, '/order', {
      order_no: created.referenceId,
      timestamp: nowSeconds(),
    });
    expect(byNumber.body).toEqual({
      code: 200,
      message: 'Success',
      data: {
        order_no: created.referenceId,
        agent_order_no: params.transactionId,
        status: 'completed',
        amount: 1000,
        fee: 5,
        actual_amount: 995,
        created_at: expect.any(String),
        completed_at: expect.any(String),
      },
    });
    const byAgent = await jwtPost(sandbox, '/order', {
      agent_order_no: params.transactionId,
      timestamp: nowSeconds(),
    });
    expect(byAgent.body.data.order_no).toBe(created.referenceId);
    const missing = await jwtPost(sandbox, '/order', { order_no: 'DP0', timestamp: nowSeconds() });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: 404, message: 'Order not found' });
    const neither = await jwtPost(sandbox, '/order', { timestamp: nowSeconds() });
    expect(neither.status).toBe(400);
    // Both ids (each optional in the document): the order that matches both, else not found.
    const both = await jwtPost(sandbox, '/order', {
      order_no: created.referenceId,
      agent_order_no: params.transactionId,
      timestamp: nowSeconds(),
    });
    expect(both.body.data.order_no).toBe(created.referenceId);
    const mismatch = await jwtPost(sandbox, '/order', {
      order_no: created.referenceId,
      agent_order_no: 'someone-else',
      timestamp: nowSeconds(),
    });
    expect(mismatch.body).toEqual({ code: 404, message: 'Order not found' });
  });
});

describe('JWT gateway helpers', () => {
  it('/sign returns what jsonwebtoken makes, and the sorted payload', async () => {
    const params = { transactionId: 'unique_transaction_id', merchantId: 'your_merchant_id', amount: 1000 };
    const response = await fetch(`${sandbox.jwtGateway.baseUrl}/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': sandbox.jwtGateway.apiKey },
      body: JSON.stringify({ params }),
    });
    const body = await response.json();
    expect(body).toEqual({
      code: 200,
      message: 'Success',
      data: {
        signature: jwtSign(params, sandbox.jwtGateway.apiKey),
        algorithm: 'HS256',
        payload: { amount: 1000, merchantId: 'your_merchant_id', transactionId: 'unique_transaction_id' },
      },
    });
    expect(Object.keys(body.data.payload)).toEqual(['amount', 'merchantId', 'transactionId']);
    const withBodyKey = await fetch(`${sandbox.jwtGateway.baseUrl}/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ params, api_key: sandbox.jwtGateway.apiKey }),
    });
    expect(withBodyKey.status).toBe(200);
    const wrongKey = await fetch(`${sandbox.jwtGateway.baseUrl}/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ params, api_key: 'nope' }),
    });
    expect(wrongKey.status).toBe(401);
  });

  it('/banks lists the 22 banks in the doc shape; it needs the API key', async () => {
    const response = await fetch(`${sandbox.jwtGateway.baseUrl}/banks`, {
      headers: { 'x-api-key': sandbox.jwtGateway.apiKey },
    });
    const body = await response.json();
    expect(body.code).toBe(200);
    expect(body.data.banks).toHaveLength(22);
    expect(body.data.banks.find((bank: { code: string }) => bank.code === 'KBANK')).toEqual({
      code: 'KBANK',
      name: expect.stringContaining('Kasikorn'),
      name_th: expect.stringContaining('กสิกรไทย'),
      active: true,
    });
    expect((await fetch(`${sandbox.jwtGateway.baseUrl}/banks`)).status).toBe(401);
  });

  it('/health answers without authentication', async () => {
    const body = await (await fetch(`${sandbox.jwtGateway.baseUrl}/health`)).json();
    expect(body).toEqual({
      code: 200,
      message: 'OK',
      data: { status: 'healthy', timestamp: expect.any(String), uptime: expect.any(Number) },
    });
  });

  it('answers 405 on a wrong method and 404 on an unknown path', async () => {
    expect((await fetch(`${sandbox.jwtGateway.baseUrl}/deposit`)).status).toBe(405);
    expect((await fetch(`${sandbox.jwtGateway.baseUrl}/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('serves overridden paths', async () => {
    await using box = await createSandbox({
      jwtGateway: { paths: { balance: '/merchant/balance' } },
      thbCollect: SANDBOX_KEYS,
    });
    expect((await jwtPost(box, '/merchant/balance', { timestamp: nowSeconds() })).status).toBe(200);
    expect((await fetch(`${box.jwtGateway.baseUrl}/balance`, { method: 'POST' })).status).toBe(404);
  });
});

describe('JWT gateway callbacks under the SDK contract', () => {
  it('the sandbox signs every documented field (no iat), so its callbacks verify with the defaults', async () => {
    const receiver = await startReceiver(() => JWT_ACK);
    try {
      const deposit = await jwtPost(
        sandbox,
        '/deposit',
        depositParams(sandbox, { callbackUrl: receiver.url }),
      );
      const orderNo = deposit.body.data.referenceId as string;
      sandbox.pay(orderNo);
      const [message] = await receiver.waitFor(1);
      const text = message?.body ?? '';
      const { signature, ...fields } = JSON.parse(text) as Record<string, unknown>;
      // What the document's example shows: the token's payload is exactly the other fields, nothing more.
      const claims = jwt.verify(String(signature), sandbox.jwtGateway.apiKey, { algorithms: ['HS256'] });
      expect(claims).toEqual(fields);
      const event = await verifyJwtGatewayCallback(text, {
        apiKey: sandbox.jwtGateway.apiKey,
        toleranceSeconds: 600,
      });
      expect(event).toEqual({
        orderNo,
        orderId: deposit.body.data.transactionId,
        kind: 'deposit',
        type: 'deposit',
        amount: 1000,
        amountSatang: 100_000,
        fee: 5,
        feeSatang: 500,
        transferAmount: 995,
        transferAmountSatang: 99_500,
        actualAmount: 995,
        actualAmountSatang: 99_500,
        status: 'succeeded',
        providerStatus: 'completed',
        timestamp: new Date(Number(fields.timestamp) * 1000),
        raw: fields,
        unsigned: {},
      });
    } finally {
      await receiver.close();
    }
  });
});
