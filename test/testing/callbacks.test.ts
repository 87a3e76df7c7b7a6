import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/testing';
import { SANDBOX_KEYS } from '../sandbox-keys';
import {
  collectionParams,
  depositParams,
  JWT_ACK,
  jwtPost,
  jwtSign,
  payoutParams,
  type Receiver,
  startReceiver,
  THB_ACK,
  thbPost,
  thbVerify,
  withdrawParams,
} from './helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  respond: Parameters<typeof startReceiver>[0],
  options: Parameters<typeof createSandbox>[0] = {},
): Promise<{ sandbox: Sandbox; receiver: Receiver }> {
  const receiver = await startReceiver(respond);
  const sandbox = await createSandbox({
    retryIntervalsMs: [10, 10, 10],
    ...options,
    thbCollect: { ...SANDBOX_KEYS, ...options.thbCollect },
  });
  cleanups.push(
    () => receiver.close(),
    () => sandbox.close(),
  );
  return { sandbox, receiver };
}

/** Verifies a JWT gateway callback as a merchant would: with jsonwebtoken, then re-signing the fields. */
function verifyJwtCallback(body: Record<string, unknown>, apiKey: string): boolean {
  const { signature, ...fields } = body;
  try {
    jwt.verify(String(signature), apiKey, { algorithms: ['HS256'] });
  } catch {
    return false;
  }
  return signature === jwtSign(fields, apiKey);
}

async function createDeposit(sandbox: Sandbox, receiver: Receiver, amount = 1000): Promise<string> {
  const { body } = await jwtPost(
    sandbox,
    '/deposit',
    depositParams(sandbox, { amount, callbackUrl: receiver.url }),
  );
  return body.data.referenceId;
}

async function createCollection(sandbox: Sandbox, receiver: Receiver, amount = '300.00'): Promise<string> {
  const params = collectionParams(sandbox, { amount, notifyUrl: receiver.url });
  const { body } = await thbPost(sandbox, '/thb/collect/apply', params);
  return body.data.orderNo;
}

describe('JWT gateway callbacks', () => {
  it('pay sends a signed "completed" callback with the doc fields; timestamp is a string', async () => {
    const { sandbox, receiver } = await setup(() => JWT_ACK);
    const orderNo = await createDeposit(sandbox, receiver);
    sandbox.pay(orderNo);
    const [message] = await receiver.waitFor(1);
    expect(message!.headers['content-type']).toContain('application/json');
    const body = JSON.parse(message!.body);
    expect(Object.keys(body)).toEqual([
      'order_no',
      'agent_order_no',
      'type',
      'amount',
      'fee',
      'transfer_amount',
      'actual_amount',
      'status',
      'timestamp',
      'signature',
    ]);
    expect(body).toMatchObject({
      order_no: orderNo,
      type: 'deposit',
      amount: 1000,
      fee: 5,
      transfer_amount: 995,
      actual_amount: 995,
      status: 'completed',
      timestamp: expect.stringMatching(/^\d{10}$/),
    });
    expect(verifyJwtCallback(body, sandbox.jwtGateway.apiKey)).toBe(true);
    expect(verifyJwtCallback({ ...body, amount: 1001 }, sandbox.jwtGateway.apiKey)).toBe(false);
    await sandbox.deliveriesSettled();
    const [delivery] = sandbox.deliveries(orderNo);
    expect(delivery).toMatchObject({ state: 'acknowledged', status: 'completed', url: receiver.url });
    expect(delivery!.attempts).toHaveLength(1);
    expect(delivery!.attempts[0]).toMatchObject({ attempt: 1, statusCode: 200, acknowledged: true });
  });

  it('fail and expire send "failed" and "expired"; withdrawals say type "withdrawal"', async () => {
    const { sandbox, receiver } = await setup(() => JWT_ACK);
    const failed = await createDeposit(sandbox, receiver);
    const expired = await createDeposit(sandbox, receiver);
    const { body } = await jwtPost(sandbox, '/withdraw', withdrawParams({ callback_url: receiver.url }));
    sandbox.fail(failed, 'customer cancelled');
    sandbox.expire(expired);
    sandbox.complete(body.data.order_no);
    const messages = (await receiver.waitFor(3)).map((m) => JSON.parse(m.body));
    const byOrder = Object.fromEntries(messages.map((m) => [m.order_no, m]));
    expect(byOrder[failed]).toMatchObject({ status: 'failed', actual_amount: 0 });
    expect(byOrder[expired]).toMatchObject({ status: 'expired' });
    expect(byOrder[body.data.order_no]).toMatchObject({
      type: 'withdrawal',
      status: 'completed',
      amount: 1000,
      fee: 15,
      transfer_amount: 985,
      actual_amount: 985,
    });
    for (const message of messages) expect(verifyJwtCallback(message, sandbox.jwtGateway.apiKey)).toBe(true);
  });

  it('retries until the answer is 2xx with {"code":200}', async () => {
    const answers = [
      { status: 500, body: 'oops' },
      { status: 200, body: 'OK' },
      { status: 200, body: '{"code":500}' },
      JWT_ACK,
    ];
    const { sandbox, receiver } = await setup((n) => answers[n - 1] ?? JWT_ACK, {
      retryIntervalsMs: [5, 5, 5, 5],
    });
    const orderNo = await createDeposit(sandbox, receiver);
    sandbox.pay(orderNo);
    await sandbox.deliveriesSettled();
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((m) => m.body)).size).toBe(1);
    const [delivery] = sandbox.deliveries(orderNo);
    expect(delivery!.state).toBe('acknowledged');
    expect(delivery!.attempts.map((a) => [a.attempt, a.statusCode, a.acknowledged])).toEqual([
      [1, 500, false],
      [2, 200, false],
      [3, 200, false],
      [4, 200, true],
    ]);
    expect(delivery!.attempts[0]!.responseExcerpt).toBe('oops');
  });

  it('gives up after the schedule runs out', async () => {
    const { sandbox, receiver } = await setup(() => ({ status: 503, body: 'down' }), {
      retryIntervalsMs: [5, 5],
    });
    const orderNo = await createDeposit(sandbox, receiver);
    sandbox.pay(orderNo);
    await sandbox.deliveriesSettled();
    expect(receiver.received).toHaveLength(3);
    expect(sandbox.deliveries(orderNo)[0]!.state).toBe('gave-up');
  });

  it('records unreachable merchants', async () => {
    const { sandbox } = await setup(() => JWT_ACK, { retryIntervalsMs: [] });
    const { body } = await jwtPost(
      sandbox,
      '/deposit',
      depositParams(sandbox, { callbackUrl: 'http://127.0.0.1:9/x' }),
    );
    sandbox.pay(body.data.referenceId);
    await sandbox.deliveriesSettled();
    const [delivery] = sandbox.deliveries(body.data.referenceId);
    expect(delivery).toMatchObject({ state: 'gave-up' });
    expect(delivery!.attempts[0]).toMatchObject({
      statusCode: null,
      acknowledged: false,
      error: expect.any(String),
    });
  });

  it('duplicate-callback sends the same signed body twice', async () => {
    const { sandbox, receiver } = await setup(() => JWT_ACK);
    sandbox.injectFault('jwt:callback', 'duplicate-callback');
    const orderNo = await createDeposit(sandbox, receiver);
    sandbox.pay(orderNo);
    const [first, second] = await receiver.waitFor(2);
    expect(second!.body).toBe(first!.body);
    await sandbox.deliveriesSettled();
    expect(sandbox.deliveries(orderNo).map((d) => d.reason)).toEqual(['status-change', 'duplicate-callback']);
    // times: 1 — the next change is delivered once.
    const next = await createDeposit(sandbox, receiver);
    sandbox.pay(next);
    await sandbox.deliveriesSettled();
    expect(sandbox.deliveries(next)).toHaveLength(1);
  });

  it('out-of-order delivers the earlier status after the later one, both validly signed', async () => {
    const { sandbox, receiver } = await setup(() => JWT_ACK);
    sandbox.injectFault('jwt:callback', 'out-of-order');
    const orderNo = await createDeposit(sandbox, receiver);
    sandbox.pay(orderNo);
    const messages = (await receiver.waitFor(2)).map((m) => JSON.parse(m.body));
    expect(messages.map((m) => m.status)).toEqual(['completed', 'pending']);
    expect(Number(messages[1].timestamp)).toBeLessThanOrEqual(Number(messages[0].timestamp));
    for (const message of messages) expect(verifyJwtCallback(message, sandbox.jwtGateway.apiKey)).toBe(true);
  });

  it('tampered-signature on callbacks changes a field after signing', async () => {
    const { sandbox, receiver } = await setup(() => JWT_ACK);
    sandbox.injectFault('jwt:callback', 'tampered-signature');
    const orderNo = await createDeposit(sandbox, receiver);
    sandbox.pay(orderNo);
    const [message] = await receiver.waitFor(1);
    const body = JSON.parse(message!.body);
    expect(body.amount).toBe(1001);
    expect(verifyJwtCallback(body, sandbox.jwtGateway.apiKey)).toBe(false);
  });

  it('the callback signature is HS256 over the sorted fields (checked by hand)', async () => {
    const { sandbox, receiver } = await setup(() => JWT_ACK);
    const orderNo = await createDeposit(sandbox, receiver);
    sandbox.pay(orderNo);
    const [message] = await receiver.waitFor(1);
    const { signature, ...fields } = JSON.parse(message!.body);
    const [header, payload, mac] = String(signature).split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Buffer.from(payload!, 'base64url').toString()).toBe(
      JSON.stringify(
        Object.fromEntries(
          Object.keys(fields)
            .sort()
            .map((k) => [k, fields[k]]),
        ),
      ),
    );
    expect(
      createHmac('sha256', sandbox.jwtGateway.apiKey).update(`${header}.${payload}`).digest('base64url'),
    ).toBe(mac);
  });
});

describe('THB collect notifications', () => {
  function verifies(sandbox: Sandbox, fields: Record<string, unknown>): boolean {
    return thbVerify(fields, sandbox.thbCollect.secretKey, sandbox.thbCollect.platformPublicKey);
  }

  it('pay sends a signed notification acknowledged only by SUCCESS', async () => {
    const answers = [{ status: 200, body: '{"code":200}' }, { status: 500, body: 'SUCCESS' }, THB_ACK];
    const { sandbox, receiver } = await setup((n) => answers[n - 1] ?? THB_ACK);
    const orderNo = await createCollection(sandbox, receiver);
    sandbox.pay(orderNo);
    await sandbox.deliveriesSettled();
    expect(receiver.received).toHaveLength(3);
    const body = JSON.parse(receiver.received[0]!.body);
    expect(body).toEqual({
      appId: Number(sandbox.thbCollect.appId),
      currency: 'THB',
      orderId: expect.any(String),
      orderNo,
      amount: '300.00',
      fee: '3.00',
      status: 2,
      payTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      sign: expect.any(String),
    });
    expect(verifies(sandbox, body)).toBe(true);
    expect(sandbox.deliveries(orderNo)[0]!.attempts.map((a) => a.acknowledged)).toEqual([false, false, true]);
  });

  it('partial and over payments give 4 and 5; fail and expire give 3 with errorMsg', async () => {
    const { sandbox, receiver } = await setup(() => THB_ACK);
    const partial = await createCollection(sandbox, receiver, '300.00');
    const over = await createCollection(sandbox, receiver, '300.00');
    const failed = await createCollection(sandbox, receiver);
    const expired = await createCollection(sandbox, receiver);
    sandbox.pay(partial, { amount: 299.5 });
    sandbox.pay(over, { amount: '350.00' });
    sandbox.fail(failed);
    sandbox.expire(expired);
    const messages = (await receiver.waitFor(4)).map((m) => JSON.parse(m.body));
    const byOrder = Object.fromEntries(messages.map((m) => [m.orderNo, m]));
    expect(byOrder[partial]).toMatchObject({ status: 4, amount: '300.00' });
    expect(byOrder[over]).toMatchObject({ status: 5 });
    expect(byOrder[failed]).toMatchObject({ status: 3, errorMsg: 'Payment failed' });
    expect(byOrder[failed].payTime).toBeUndefined();
    expect(byOrder[expired]).toMatchObject({ status: 3, errorMsg: 'Order expired' });
    for (const message of messages) expect(verifies(sandbox, message)).toBe(true);
    expect(sandbox.getOrder(partial)).toMatchObject({
      status: 4,
      paidAmountSatang: 29950,
      actualAmountSatang: 29950,
    });
  });

  it('payout notifications carry no hash: CommonApi.mdx gives it to stablecoin payouts only', async () => {
    const { sandbox, receiver } = await setup(() => THB_ACK);
    const params = payoutParams(sandbox, { notifyUrl: receiver.url });
    const { body } = await thbPost(sandbox, '/thb/pay/apply', params);
    sandbox.process(body.data.orderNo);
    sandbox.complete(body.data.orderNo);
    const messages = (await receiver.waitFor(2)).map((m) => JSON.parse(m.body));
    const processing = messages.find((m) => m.status === 1);
    const done = messages.find((m) => m.status === 2);
    expect(processing).not.toHaveProperty('hash');
    expect(done).not.toHaveProperty('hash');
    expect(verifies(sandbox, done)).toBe(true);
  });

  it('can send form-encoded notifications and extra fields, all signed', async () => {
    const { sandbox, receiver } = await setup(() => THB_ACK, {
      thbNotificationFormat: 'form',
      thbCollect: { notificationExtras: { channel: 'PROMPTPAY' } },
    });
    const orderNo = await createCollection(sandbox, receiver);
    sandbox.pay(orderNo);
    const [message] = await receiver.waitFor(1);
    expect(message!.headers['content-type']).toContain('application/x-www-form-urlencoded');
    const fields = Object.fromEntries(new URLSearchParams(message!.body));
    expect(fields).toMatchObject({ status: '2', channel: 'PROMPTPAY', currency: 'THB' });
    expect(verifies(sandbox, fields)).toBe(true);
  });

  it('out-of-order sends the older status (1) after the newer one (2)', async () => {
    const { sandbox, receiver } = await setup(() => THB_ACK);
    sandbox.injectFault('thb:notify', 'out-of-order');
    const orderNo = await createCollection(sandbox, receiver);
    sandbox.pay(orderNo);
    const messages = (await receiver.waitFor(2)).map((m) => JSON.parse(m.body));
    expect(messages.map((m) => m.status)).toEqual([2, 1]);
    expect(messages.every((m) => verifies(sandbox, m))).toBe(true);
  });

  it('tampered notifications do not verify; resend sends a fresh valid one', async () => {
    const { sandbox, receiver } = await setup(() => THB_ACK);
    sandbox.injectFault('thb:notify', 'tampered-signature');
    const orderNo = await createCollection(sandbox, receiver);
    sandbox.pay(orderNo);
    const [tampered] = await receiver.waitFor(1);
    expect(verifies(sandbox, JSON.parse(tampered!.body))).toBe(false);
    sandbox.resendNotification(orderNo);
    const [, resent] = await receiver.waitFor(2);
    expect(verifies(sandbox, JSON.parse(resent!.body))).toBe(true);
    await sandbox.deliveriesSettled();
    expect(sandbox.deliveries(orderNo).map((d) => d.reason)).toEqual(['status-change', 'resend']);
  });

  it('sends nothing for orders without notifyUrl', async () => {
    const { sandbox } = await setup(() => THB_ACK);
    const { body } = await thbPost(sandbox, '/thb/collect/apply', collectionParams(sandbox));
    sandbox.pay(body.data.orderNo);
    expect(sandbox.deliveries(body.data.orderNo)).toEqual([]);
    expect(() => sandbox.resendNotification(body.data.orderNo)).toThrow(/notifyUrl/);
  });
});
