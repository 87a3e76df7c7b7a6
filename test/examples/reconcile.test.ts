/**
 * The reconciliation job against the sandbox: orders whose callbacks never arrived (the receiver was
 * down) are settled by query; creates that ended in OrderStatusUnknownError are resolved by their own id;
 * needs_review is flagged, never settled.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAndRecord, MemoryOrderRepository, reconcileOrders } from '../../examples/reconcile';
import type { JwtGatewayClient } from '../../src/jwt-gateway';
import type { Sandbox } from '../../src/testing';
import type { ThbCollectClient } from '../../src/thb-collect';
import {
  collectionInput,
  depositInput,
  downReceiverUrl,
  gatewayClient,
  payoutInput,
  startSandbox,
  thbClient,
  withdrawalInput,
} from './helpers';

/** Long after every order below was created: old enough to reconcile. */
const later = () => new Date(Date.now() + 3_600_000);

describe('reconcile example', () => {
  let sandbox: Sandbox;
  let gateway: JwtGatewayClient;
  let thb: ThbCollectClient;
  let down: string;
  let orders: MemoryOrderRepository;

  beforeAll(async () => {
    sandbox = await startSandbox();
    // No transport retries and no waits between re-sends: each injected fault decides one attempt.
    gateway = gatewayClient(sandbox, { maxRetries: 0, resendDelayMs: 0 });
    thb = thbClient(sandbox, { maxRetries: 0, resendDelayMs: 0 });
    down = await downReceiverUrl();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  beforeEach(() => {
    sandbox.clearFaults();
    orders = new MemoryOrderRepository();
  });

  it('settles orders whose callbacks failed, for both providers', async () => {
    const deposit = depositInput(down);
    const withdrawal = withdrawalInput(down);
    const collection = collectionInput(down);
    const payout = payoutInput(down);
    const failedPayout = payoutInput(down);
    const open = collectionInput(down);
    const d = await createAndRecord(
      orders,
      { provider: 'jwt-gateway', kind: 'deposit', orderId: deposit.transactionId, amountSatang: 25_000 },
      () => gateway.createDeposit(deposit),
    );
    const w = await createAndRecord(
      orders,
      { provider: 'jwt-gateway', kind: 'withdrawal', orderId: withdrawal.agentOrderNo, amountSatang: 10_000 },
      () => gateway.createWithdrawal(withdrawal),
    );
    const c = await createAndRecord(
      orders,
      { provider: 'thb-collect', kind: 'collection', orderId: collection.orderId, amountSatang: 30_000 },
      () => thb.createCollection(collection),
    );
    const p = await createAndRecord(
      orders,
      { provider: 'thb-collect', kind: 'payout', orderId: payout.orderId, amountSatang: 120_000 },
      () => thb.createPayout(payout),
    );
    const f = await createAndRecord(
      orders,
      { provider: 'thb-collect', kind: 'payout', orderId: failedPayout.orderId, amountSatang: 120_000 },
      () => thb.createPayout(failedPayout),
    );
    await createAndRecord(
      orders,
      { provider: 'thb-collect', kind: 'collection', orderId: open.orderId, amountSatang: 30_000 },
      () => thb.createCollection(open),
    );

    sandbox.pay(d!.orderNo);
    sandbox.complete(w!.orderNo);
    sandbox.pay(c!.orderNo, { amount: '299.00' });
    sandbox.complete(p!.orderNo);
    sandbox.fail(f!.orderNo, 'Account does not exist');
    await sandbox.deliveriesSettled();
    // Every callback and notification failed: the receiver was down.
    expect(
      sandbox
        .deliveries()
        .filter((x) => x.url.startsWith(down))
        .every((x) => x.state === 'gave-up'),
    ).toBe(true);
    expect(orders.get(deposit.transactionId)?.status).toBe('pending');

    const results = await reconcileOrders({ orders, gateway, thb, now: later() });
    const byId = new Map(results.map((r) => [r.orderId, r]));
    expect(byId.get(deposit.transactionId)).toMatchObject({ action: 'settled', status: 'succeeded' });
    expect(byId.get(withdrawal.agentOrderNo)).toMatchObject({ action: 'settled', status: 'succeeded' });
    expect(byId.get(collection.orderId)).toMatchObject({ action: 'settled', status: 'partially_paid' });
    expect(byId.get(payout.orderId)).toMatchObject({ action: 'settled', status: 'succeeded' });
    expect(byId.get(failedPayout.orderId)).toMatchObject({ action: 'settled', status: 'failed' });
    expect(byId.get(open.orderId)).toMatchObject({ action: 'still-open' });

    expect(orders.get(deposit.transactionId)).toMatchObject({
      status: 'succeeded',
      providerOrderNo: d!.orderNo,
    });
    expect(orders.get(collection.orderId)).toMatchObject({
      status: 'partially_paid',
      receivedSatang: 29_900,
    });
    // Settled orders are not asked about again; the open one is.
    expect((await reconcileOrders({ orders, gateway, thb, now: later() })).map((r) => r.orderId)).toEqual([
      open.orderId,
    ]);
  });

  it('leaves orders younger than minAgeMs to their callbacks', async () => {
    const deposit = depositInput(down);
    await createAndRecord(
      orders,
      { provider: 'jwt-gateway', kind: 'deposit', orderId: deposit.transactionId, amountSatang: 25_000 },
      () => gateway.createDeposit(deposit),
    );
    expect(await reconcileOrders({ orders, gateway, thb })).toEqual([]);
  });

  it('resolves a create that ended in OrderStatusUnknownError by its own id', async () => {
    // The gateway makes the order but the answer is lost; the re-sends and the lookup all fail.
    sandbox.injectFault('jwt:deposit', 'lost-response');
    sandbox.injectFault('jwt:deposit', '5xx', { times: 2 });
    sandbox.injectFault('jwt:order', '5xx');
    const deposit = depositInput(down);
    const created = await createAndRecord(
      orders,
      { provider: 'jwt-gateway', kind: 'deposit', orderId: deposit.transactionId, amountSatang: 25_000 },
      () => gateway.createDeposit(deposit),
    );
    expect(created).toBeUndefined();
    expect(orders.get(deposit.transactionId)?.status).toBe('creating');
    expect(sandbox.orders().filter((o) => o.merchantOrderId === deposit.transactionId)).toHaveLength(1);

    sandbox.pay(deposit.transactionId);
    await sandbox.deliveriesSettled();
    const [result] = await reconcileOrders({ orders, gateway, thb, now: later() });
    expect(result).toMatchObject({ orderId: deposit.transactionId, action: 'settled', status: 'succeeded' });
    expect(orders.get(deposit.transactionId)?.providerOrderNo).toMatch(/^DP/);
    // Still exactly one order at the gateway: nothing was created twice.
    expect(sandbox.orders().filter((o) => o.merchantOrderId === deposit.transactionId)).toHaveLength(1);
  });

  it('marks an unknown create the provider never received as not_created', async () => {
    // The connection breaks before THB collect reads the request, and the lookup fails too.
    sandbox.injectFault('thb:collect/apply', 'reset');
    sandbox.injectFault('thb:collect/query', '5xx');
    const collection = collectionInput(down);
    const created = await createAndRecord(
      orders,
      { provider: 'thb-collect', kind: 'collection', orderId: collection.orderId, amountSatang: 30_000 },
      () => thb.createCollection(collection),
    );
    expect(created).toBeUndefined();

    const [result] = await reconcileOrders({ orders, gateway, thb, now: later() });
    expect(result).toMatchObject({ orderId: collection.orderId, action: 'not-created' });
    expect(orders.get(collection.orderId)?.status).toBe('not_created');
    expect(sandbox.getOrder(collection.orderId)).toBeUndefined();
  });

  it('flags needs_review without settling it, and keeps asking', async () => {
    const collection = collectionInput(down);
    const c = await createAndRecord(
      orders,
      { provider: 'thb-collect', kind: 'collection', orderId: collection.orderId, amountSatang: 30_000 },
      () => thb.createCollection(collection),
    );
    sandbox.markException(c!.orderNo);
    await sandbox.deliveriesSettled();

    const [first] = await reconcileOrders({ orders, gateway, thb, now: later() });
    expect(first).toMatchObject({ action: 'needs-review', status: 'needs_review' });
    expect(orders.get(collection.orderId)).toMatchObject({ status: 'needs_review' });

    // The provider resolves the exception: the next run settles it.
    sandbox.pay(c!.orderNo);
    await sandbox.deliveriesSettled();
    const [second] = await reconcileOrders({ orders, gateway, thb, now: later() });
    expect(second).toMatchObject({ action: 'settled', status: 'succeeded' });
  });

  it('flags an order whose amount differs at the provider', async () => {
    const deposit = depositInput(down, { amount: '251.00' });
    // The merchant's row says 250.00 THB: the provider's order is for something else.
    await createAndRecord(
      orders,
      { provider: 'jwt-gateway', kind: 'deposit', orderId: deposit.transactionId, amountSatang: 25_000 },
      () => gateway.createDeposit(deposit),
    );
    const [result] = await reconcileOrders({ orders, gateway, thb, now: later() });
    expect(result).toMatchObject({ action: 'needs-review' });
    expect(orders.get(deposit.transactionId)?.reviewReason).toContain('25100');
  });

  it('keeps an order open when the query itself fails, and settles it on the next run', async () => {
    const deposit = depositInput(down);
    const d = await createAndRecord(
      orders,
      { provider: 'jwt-gateway', kind: 'deposit', orderId: deposit.transactionId, amountSatang: 25_000 },
      () => gateway.createDeposit(deposit),
    );
    sandbox.pay(d!.orderNo);
    await sandbox.deliveriesSettled();
    sandbox.injectFault('jwt:order', '5xx');

    const [failed] = await reconcileOrders({ orders, gateway, thb, now: later() });
    expect(failed).toMatchObject({ action: 'query-failed' });
    expect(orders.get(deposit.transactionId)?.status).toBe('pending');
    const [settled] = await reconcileOrders({ orders, gateway, thb, now: later() });
    expect(settled).toMatchObject({ action: 'settled', status: 'succeeded' });
  });
});
