/**
 * The Next.js App Router route handler, called directly with a Request as Next.js calls it: the signed
 * bodies come from the sandbox's delivery log (its receiver was down), the keys from the environment.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST } from '../../examples/webhooks/next-app-router';
import { receivedPayments } from '../../examples/webhooks/settings';
import type { Sandbox, SandboxDelivery } from '../../src/testing';
import {
  collectionInput,
  depositInput,
  downReceiverUrl,
  gatewayClient,
  startSandbox,
  thbClient,
} from './helpers';

function call(provider: string, delivery: Pick<SandboxDelivery, 'contentType' | 'body'>): Promise<Response> {
  const request = new Request(`https://shop.example/callbacks/${provider}`, {
    method: 'POST',
    headers: { 'content-type': delivery.contentType },
    body: delivery.body,
  });
  return POST(request, { params: Promise.resolve({ provider }) });
}

describe('Next.js App Router route handler', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ thbNotificationFormat: 'form' });
    // Read on the first request, as in a deployment where the build had no secrets.
    vi.stubEnv('GATEWAY_API_KEY', sandbox.jwtGateway.apiKey);
    vi.stubEnv('THB_SECRET_KEY', sandbox.thbCollect.secretKey);
    vi.stubEnv('THB_PLATFORM_PUBLIC_KEY', sandbox.thbCollect.platformPublicKey);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await sandbox?.close();
  });

  async function signedDelivery(ref: string): Promise<SandboxDelivery> {
    await sandbox.deliveriesSettled();
    const [delivery] = sandbox.deliveries(ref);
    expect(delivery?.state).toBe('gave-up');
    return delivery!;
  }

  it('verifies a gateway callback, records it once and answers the gateway ack', async () => {
    const deposit = await gatewayClient(sandbox).createDeposit(depositInput(await downReceiverUrl()));
    sandbox.pay(deposit.orderNo);
    const delivery = await signedDelivery(deposit.orderNo);

    const response = await call('gateway', delivery);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 200, message: 'Success' });
    // The provider's retry of the same callback is acknowledged but not handled twice.
    expect((await call('gateway', delivery)).status).toBe(200);
    expect(receivedPayments.filter((p) => p.orderId === deposit.orderId)).toEqual([
      { provider: 'jwt-gateway', orderId: deposit.orderId, status: 'succeeded', amountSatang: 25_000 },
    ]);
  });

  it('verifies a form-encoded THB notification and answers SUCCESS', async () => {
    const collection = await thbClient(sandbox).createCollection(collectionInput(await downReceiverUrl()));
    sandbox.pay(collection.orderNo, { amount: '250.00' });
    const delivery = await signedDelivery(collection.orderNo);
    expect(delivery.contentType).toContain('application/x-www-form-urlencoded');

    const response = await call('thb-collection', delivery);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('SUCCESS');
    expect(receivedPayments.filter((p) => p.orderId === collection.orderId)).toEqual([
      {
        provider: 'thb-collect',
        orderId: collection.orderId,
        status: 'partially_paid',
        amountSatang: 30_000,
      },
    ]);
  });

  it('refuses a body changed after signing, and unknown providers', async () => {
    const deposit = await gatewayClient(sandbox).createDeposit(depositInput(await downReceiverUrl()));
    sandbox.pay(deposit.orderNo);
    const delivery = await signedDelivery(deposit.orderNo);
    const altered = { ...delivery, body: delivery.body.replace('"amount":250', '"amount":2500') };
    expect(altered.body).not.toBe(delivery.body);

    expect((await call('gateway', altered)).status).toBe(400);
    expect(receivedPayments.some((p) => p.orderId === deposit.orderId)).toBe(false);
    expect((await call('paypal', delivery)).status).toBe(404);
  });
});
