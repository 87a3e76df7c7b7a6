/**
 * The side-by-side example against the sandbox: both providers' orders are created, paid, delivered to
 * the example's handlers and reconciled, and every step yields the same record shape.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callbackHandlers,
  createOnGateway,
  createOnThb,
  reconcileOnGateway,
  reconcileOnThb,
  type Settlement,
} from '../../examples/both-providers';
import { toNodeHandler } from '../../src/core/webhooks';
import type { Sandbox } from '../../src/testing';
import {
  collectionInput,
  depositInput,
  gatewayClient,
  type Listening,
  listen,
  startSandbox,
  thbClient,
} from './helpers';

describe('both-providers example', () => {
  let sandbox: Sandbox;
  let receiver: Listening;
  const recorded: Settlement[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
    const handlers = callbackHandlers(
      {
        gatewayApiKey: sandbox.jwtGateway.apiKey,
        thbSecretKey: sandbox.thbCollect.secretKey,
        thbPlatformPublicKey: sandbox.thbCollect.platformPublicKey,
      },
      { record: async (settlement) => void recorded.push(settlement) },
    );
    const gateway = toNodeHandler(handlers.gateway);
    const thb = toNodeHandler(handlers.thbCollection);
    receiver = await listen(
      createServer((request, response) => (request.url === '/gateway' ? gateway : thb)(request, response)),
    );
  });

  afterAll(async () => {
    await receiver?.close();
    await sandbox?.close();
  });

  it('create, callback and reconcile give the same shape for both providers', async () => {
    const gateway = gatewayClient(sandbox);
    const thb = thbClient(sandbox);
    const deposit = depositInput(`${receiver.url}/gateway`, { amount: '250.00' });
    const collection = collectionInput(`${receiver.url}/thb`, { amount: '300.00' });

    const createdJwt = await createOnGateway(gateway, deposit, { timeoutMs: 5_000 });
    const createdThb = await createOnThb(thb, collection, { timeoutMs: 5_000 });
    expect(createdJwt).toStrictEqual({
      provider: 'jwt-gateway',
      orderId: deposit.transactionId,
      orderNo: expect.any(String),
      reconciled: false,
    });
    expect(createdThb).toStrictEqual({
      provider: 'thb-collect',
      orderId: collection.orderId,
      orderNo: expect.any(String),
      reconciled: false,
    });

    sandbox.pay(createdJwt.orderNo);
    sandbox.pay(createdThb.orderNo);
    await sandbox.deliveriesSettled();

    const jwtPaid = {
      provider: 'jwt-gateway',
      orderId: deposit.transactionId,
      orderNo: createdJwt.orderNo,
      status: 'succeeded',
      amountSatang: 25_000,
    } as const;
    const thbPaid = {
      provider: 'thb-collect',
      orderId: collection.orderId,
      orderNo: createdThb.orderNo,
      status: 'succeeded',
      amountSatang: 30_000,
    } as const;
    expect(recorded.filter((s) => s.provider === 'jwt-gateway')).toStrictEqual([
      { ...jwtPaid, via: 'callback' },
    ]);
    expect(recorded.filter((s) => s.provider === 'thb-collect')).toStrictEqual([
      { ...thbPaid, via: 'callback' },
    ]);

    expect(await reconcileOnGateway(gateway, deposit.transactionId, { timeoutMs: 5_000 })).toStrictEqual({
      ...jwtPaid,
      via: 'reconcile',
    });
    expect(await reconcileOnThb(thb, collection.orderId, { timeoutMs: 5_000 })).toStrictEqual({
      ...thbPaid,
      via: 'reconcile',
    });
    await Promise.all([gateway.close(), thb.close()]);
  });
});
