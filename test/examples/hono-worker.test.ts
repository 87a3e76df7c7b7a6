/**
 * The Hono Worker receiver: fed by the sandbox over HTTP (through a loopback bridge to `app.fetch`),
 * called directly with `app.fetch(new Request(...))`, and through the Worker's default export with
 * bindings, as a Worker runtime calls it.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import worker, { createHonoApp, type WorkerBindings } from '../../examples/webhooks/hono-worker';
import { receivedPayments } from '../../examples/webhooks/settings';
import { toNodeHandler } from '../../src/core/webhooks';
import type { Sandbox } from '../../src/testing';
import {
  collectionInput,
  depositInput,
  downReceiverUrl,
  gatewayClient,
  type Listening,
  listen,
  spySettings,
  startSandbox,
  thbClient,
} from './helpers';

describe('Hono Worker receiver', () => {
  let sandbox: Sandbox;
  let settings: ReturnType<typeof spySettings>;
  let app: ReturnType<typeof createHonoApp>;
  let bindings: WorkerBindings;
  let bridge: Listening;

  beforeAll(async () => {
    sandbox = await startSandbox();
    settings = spySettings(sandbox);
    app = createHonoApp(() => settings);
    bindings = {
      GATEWAY_API_KEY: sandbox.jwtGateway.apiKey,
      THB_SECRET_KEY: sandbox.thbCollect.secretKey,
      THB_PLATFORM_PUBLIC_KEY: sandbox.thbCollect.platformPublicKey,
    };
    // The Worker runtime's part, played by node:http: every request goes to app.fetch with the bindings.
    bridge = await listen(createServer(toNodeHandler(async (request) => app.fetch(request, bindings))));
  });

  afterAll(async () => {
    await Promise.all([bridge?.close(), sandbox?.close()]);
  });

  it('verifies the sandbox callback of a paid deposit and acknowledges it', async () => {
    const deposit = await gatewayClient(sandbox).createDeposit(
      depositInput(`${bridge.url}/callbacks/gateway`),
    );
    sandbox.pay(deposit.orderNo);
    await sandbox.deliveriesSettled();

    const [delivery] = sandbox.deliveries(deposit.orderNo);
    expect(delivery?.state).toBe('acknowledged');
    expect(delivery?.attempts[0]).toMatchObject({
      statusCode: 200,
      responseExcerpt: '{"code":200,"message":"Success"}',
    });
    const calls = settings.onGatewayCallback.mock.calls.filter(([c]) => c.orderId === deposit.orderId);
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toMatchObject({ status: 'succeeded', amountSatang: 25_000 });
  });

  it('answers app.fetch(new Request(...)) with a signed notification once, then acknowledges replays', async () => {
    // The receiver is down when the sandbox tries, so the signed body is only in the delivery log.
    const collection = await thbClient(sandbox).createCollection(collectionInput(await downReceiverUrl()));
    sandbox.pay(collection.orderNo);
    await sandbox.deliveriesSettled();
    const [delivery] = sandbox.deliveries(collection.orderNo);
    expect(delivery?.state).toBe('gave-up');

    const post = () =>
      app.fetch(
        new Request('http://worker.example/callbacks/thb-collection', {
          method: 'POST',
          headers: { 'content-type': delivery!.contentType },
          body: delivery!.body,
        }),
        bindings,
      );
    const first = await post();
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('SUCCESS');
    const replay = await post();
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe('SUCCESS');

    const calls = settings.onThbNotification.mock.calls.filter(([n]) => n.orderId === collection.orderId);
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toMatchObject({ kind: 'collection', status: 'succeeded', amountSatang: 30_000 });
  });

  it('refuses a forged body with 400 and without calling onEvent', async () => {
    const before = settings.onGatewayCallback.mock.calls.length;
    const forged = JSON.stringify({
      order_no: 'DP1',
      agent_order_no: 'order-forged',
      type: 'deposit',
      amount: 250,
      status: 'completed',
      timestamp: String(Math.floor(Date.now() / 1000)),
      signature: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.AAAA',
    });
    const response = await app.fetch(
      new Request('http://worker.example/callbacks/gateway', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: forged,
      }),
      bindings,
    );
    expect(response.status).toBe(400);
    expect(settings.onGatewayCallback.mock.calls.length).toBe(before);
  });

  it('serves through the default export with keys from the bindings', async () => {
    const deposit = await gatewayClient(sandbox).createDeposit(depositInput(await downReceiverUrl()));
    sandbox.pay(deposit.orderNo);
    await sandbox.deliveriesSettled();
    const [delivery] = sandbox.deliveries(deposit.orderNo);

    const response = await worker.fetch(
      new Request('http://worker.example/callbacks/gateway', {
        method: 'POST',
        headers: { 'content-type': delivery!.contentType },
        body: delivery!.body,
      }),
      bindings,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 200, message: 'Success' });
    // The default settings record each update in the example's stand-in database.
    expect(receivedPayments.filter((p) => p.orderId === deposit.orderId)).toEqual([
      { provider: 'jwt-gateway', orderId: deposit.orderId, status: 'succeeded', amountSatang: 25_000 },
    ]);
  });
});
