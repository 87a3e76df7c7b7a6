/**
 * JWT gateway deposits expire by themselves once `expireDate` passes: status `expired` and the same
 * signed callback as `sandbox.expire(ref)`; a paid deposit's timer is gone; withdrawals never expire.
 */
import jwt from 'jsonwebtoken';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/testing';
import { SANDBOX_KEYS } from '../sandbox-keys';
import {
  depositParams,
  JWT_ACK,
  jwtPost,
  jwtSign,
  type Receiver,
  startReceiver,
  withdrawParams,
} from './helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(depositExpiryMs: number): Promise<{ sandbox: Sandbox; receiver: Receiver }> {
  const receiver = await startReceiver(() => JWT_ACK);
  const sandbox = await createSandbox({
    jwtGateway: { depositExpiryMs },
    retryIntervalsMs: [10],
    thbCollect: SANDBOX_KEYS,
  });
  cleanups.push(
    () => receiver.close(),
    () => sandbox.close(),
  );
  return { sandbox, receiver };
}

async function createDeposit(
  sandbox: Sandbox,
  receiver: Receiver,
): Promise<{ referenceId: string; expireDate: string }> {
  const { status, body } = await jwtPost(
    sandbox,
    '/deposit',
    depositParams(sandbox, { callbackUrl: receiver.url }),
  );
  expect(status).toBe(200);
  return body.data;
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('automatic deposit expiry', () => {
  it('expires a pending deposit when its expireDate passes and sends the signed callback', async () => {
    const { sandbox, receiver } = await setup(100);
    const deposit = await createDeposit(sandbox, receiver);
    const order = sandbox.getOrder(deposit.referenceId)!;
    expect(Date.parse(deposit.expireDate) - Date.parse(order.createdAt)).toBeGreaterThanOrEqual(100);

    const [message] = await receiver.waitFor(1);
    const body = JSON.parse(message!.body);
    expect(body).toMatchObject({
      order_no: deposit.referenceId,
      agent_order_no: order.merchantOrderId,
      status: 'expired',
    });
    const { signature, ...fields } = body;
    const apiKey = sandbox.jwtGateway.apiKey;
    expect(() => jwt.verify(signature, apiKey, { algorithms: ['HS256'] })).not.toThrow();
    expect(signature).toBe(jwtSign(fields, apiKey));

    const expired = sandbox.getOrder(deposit.referenceId)!;
    expect(expired.status).toBe('expired');
    expect(expired.history.map((change) => change.status)).toEqual(['pending', 'expired']);
    expect(expired.completedAt).toBeNull();
    await sandbox.deliveriesSettled();
    const [delivery] = sandbox.deliveries(deposit.referenceId);
    expect(delivery).toMatchObject({ status: 'expired', reason: 'status-change', state: 'acknowledged' });
    expect(sandbox.balance()).toBe(50000);
  });

  it('never expires a deposit paid in time: its timer goes with the payment', async () => {
    const { sandbox, receiver } = await setup(500);
    const paid = await createDeposit(sandbox, receiver);
    sandbox.pay(paid.referenceId);
    // Created after the payment with the same expiry, so its timer fires after the paid one's would have.
    const unpaid = await createDeposit(sandbox, receiver);
    while (sandbox.getOrder(unpaid.referenceId)!.status === 'pending') {
      await receiver.waitFor(receiver.received.length + 1);
    }
    expect(sandbox.getOrder(unpaid.referenceId)!.status).toBe('expired');
    const order = sandbox.getOrder(paid.referenceId)!;
    expect(order.status).toBe('completed');
    expect(order.history.map((change) => change.status)).toEqual(['pending', 'completed']);
    await sandbox.deliveriesSettled();
    expect(sandbox.deliveries(paid.referenceId).map((d) => d.status)).toEqual(['completed']);
  });

  it('clears the timer when the order reaches a final status by hand', async () => {
    const { sandbox, receiver } = await setup(60_000);
    const failed = await createDeposit(sandbox, receiver);
    const expired = await createDeposit(sandbox, receiver);
    const waiting = timers();
    sandbox.fail(failed.referenceId, 'Customer cancelled');
    sandbox.expire(expired.referenceId);
    await receiver.waitFor(2);
    await sandbox.deliveriesSettled();
    // Both minute-long waits are gone (other timers may come and go, hence "at most").
    expect(timers()).toBeLessThanOrEqual(waiting - 2);
    expect(sandbox.deliveries(expired.referenceId).map((d) => d.status)).toEqual(['expired']);
    expect(sandbox.deliveries(failed.referenceId).map((d) => d.status)).toEqual(['failed']);
  });

  it('leaves withdrawals alone', async () => {
    const { sandbox, receiver } = await setup(100);
    const { status, body } = await jwtPost(
      sandbox,
      '/withdraw',
      withdrawParams({ callback_url: receiver.url }),
    );
    expect(status).toBe(200);
    // A deposit created afterwards expires later than a withdrawal timer would have fired.
    const deposit = await createDeposit(sandbox, receiver);
    const [message] = await receiver.waitFor(1);
    expect(JSON.parse(message!.body)).toMatchObject({ order_no: deposit.referenceId, status: 'expired' });
    expect(sandbox.getOrder(body.data.order_no)!.status).toBe('pending');
    expect(sandbox.deliveries(body.data.order_no)).toEqual([]);
  });
});
