/**
 * The Express, Fastify and node:http receivers, each on a loopback port, fed real signed callbacks and
 * notifications by the sandbox: orders are created with the clients, paid in the sandbox, and the
 * sandbox's delivery log shows what the receiver answered.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createExpressApp } from '../../examples/webhooks/express';
import { createFastifyApp } from '../../examples/webhooks/fastify';
import { createWebhookServer } from '../../examples/webhooks/node-http';
import type { WebhookSettings } from '../../examples/webhooks/settings';
import type { Sandbox } from '../../src/testing';
import {
  collectionInput,
  depositInput,
  gatewayClient,
  type Listening,
  listen,
  payoutInput,
  spySettings,
  startSandbox,
  thbClient,
  withdrawalInput,
} from './helpers';

const GATEWAY_ACK = '{"code":200,"message":"Success"}';

const receivers: Array<[string, (settings: WebhookSettings) => Promise<Listening>]> = [
  ['express', (settings) => listen(createServer(createExpressApp(settings)))],
  [
    'fastify',
    async (settings) => {
      const app = createFastifyApp(settings);
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      return { url, close: () => app.close() };
    },
  ],
  ['node:http', (settings) => listen(createWebhookServer(settings))],
];

describe.each(receivers)('%s receiver', (_name, start) => {
  let json: Sandbox;
  let form: Sandbox;
  let jsonSettings: ReturnType<typeof spySettings>;
  let formSettings: ReturnType<typeof spySettings>;
  let jsonReceiver: Listening;
  let formReceiver: Listening;

  beforeAll(async () => {
    // The Express example logs refusals; keep the test output clean.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // THB collect does not document its notification content type: one sandbox sends JSON, one a form.
    [json, form] = await Promise.all([startSandbox(), startSandbox({ thbNotificationFormat: 'form' })]);
    jsonSettings = spySettings(json);
    formSettings = spySettings(form);
    [jsonReceiver, formReceiver] = await Promise.all([start(jsonSettings), start(formSettings)]);
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await Promise.all([jsonReceiver?.close(), formReceiver?.close(), json?.close(), form?.close()]);
  });

  it('verifies a paid deposit callback, runs onEvent once and acknowledges it', async () => {
    const deposit = await gatewayClient(json).createDeposit(
      depositInput(`${jsonReceiver.url}/callbacks/gateway`),
    );
    json.pay(deposit.orderNo);
    await json.deliveriesSettled();

    const calls = jsonSettings.onGatewayCallback.mock.calls.filter(
      ([callback]) => callback.orderId === deposit.orderId,
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toMatchObject({
      orderNo: deposit.orderNo,
      type: 'deposit',
      status: 'succeeded',
      providerStatus: 'completed',
      amountSatang: 25_000,
    });
    const [delivery] = json.deliveries(deposit.orderNo);
    expect(delivery?.state).toBe('acknowledged');
    expect(delivery?.attempts).toHaveLength(1);
    expect(delivery?.attempts[0]).toMatchObject({ statusCode: 200, responseExcerpt: GATEWAY_ACK });
  });

  it('runs onEvent once for a callback delivered twice, acknowledging both', async () => {
    json.injectFault('jwt:callback', 'duplicate-callback');
    const withdrawal = await gatewayClient(json).createWithdrawal(
      withdrawalInput(`${jsonReceiver.url}/callbacks/gateway`),
    );
    json.complete(withdrawal.orderNo);
    await json.deliveriesSettled();

    const deliveries = json.deliveries(withdrawal.orderNo);
    expect(deliveries.map((d) => d.reason)).toEqual(['status-change', 'duplicate-callback']);
    expect(deliveries.every((d) => d.state === 'acknowledged')).toBe(true);
    const calls = jsonSettings.onGatewayCallback.mock.calls.filter(
      ([callback]) => callback.orderId === withdrawal.orderId,
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toMatchObject({ type: 'withdrawal', status: 'succeeded' });
  });

  it('refuses a callback altered after signing: no onEvent, not acknowledged', async () => {
    json.injectFault('jwt:callback', 'tampered-signature');
    const deposit = await gatewayClient(json).createDeposit(
      depositInput(`${jsonReceiver.url}/callbacks/gateway`),
    );
    json.pay(deposit.orderNo);
    await json.deliveriesSettled();

    const [delivery] = json.deliveries(deposit.orderNo);
    expect(delivery?.state).toBe('gave-up');
    expect(delivery?.attempts.every((a) => a.statusCode === 400 && !a.acknowledged)).toBe(true);
    expect(jsonSettings.onGatewayCallback.mock.calls.some(([c]) => c.orderId === deposit.orderId)).toBe(
      false,
    );
  });

  it.each([
    ['JSON', () => ({ sandbox: json, settings: jsonSettings, receiver: jsonReceiver })],
    ['form-encoded', () => ({ sandbox: form, settings: formSettings, receiver: formReceiver })],
  ])('verifies %s THB notifications of a collection and a payout', async (_format, pick) => {
    const { sandbox, settings, receiver } = pick();
    const thb = thbClient(sandbox);
    // One notify URL per kind: the handler at each says which kind its notifications are about.
    const collection = await thb.createCollection(
      collectionInput(`${receiver.url}/callbacks/thb-collection`),
    );
    const payout = await thb.createPayout(payoutInput(`${receiver.url}/callbacks/thb-payout`));
    sandbox.pay(collection.orderNo);
    sandbox.complete(payout.orderNo);
    await sandbox.deliveriesSettled();

    for (const orderNo of [collection.orderNo, payout.orderNo]) {
      const [delivery] = sandbox.deliveries(orderNo);
      expect(delivery?.state).toBe('acknowledged');
      expect(delivery?.attempts[0]).toMatchObject({ statusCode: 200, responseExcerpt: 'SUCCESS' });
    }
    const received = settings.onThbNotification.mock.calls
      .map(([n]) => n)
      .filter((n) => n.orderId === collection.orderId || n.orderId === payout.orderId);
    expect(received).toHaveLength(2);
    expect(received.find((n) => n.orderId === collection.orderId)).toMatchObject({
      kind: 'collection',
      status: 'succeeded',
      providerStatus: '2',
      amountSatang: 30_000,
    });
    expect(received.find((n) => n.orderId === payout.orderId)).toMatchObject({
      kind: 'payout',
      status: 'succeeded',
      amountSatang: 120_000,
    });
  });

  it('answers 404 off the webhook paths and never calls onEvent for a GET', async () => {
    const before =
      jsonSettings.onGatewayCallback.mock.calls.length + jsonSettings.onThbNotification.mock.calls.length;
    expect((await fetch(`${jsonReceiver.url}/elsewhere`, { method: 'POST', body: '{}' })).status).toBe(404);
    const get = await fetch(`${jsonReceiver.url}/callbacks/gateway`);
    expect(get.status).toBeGreaterThanOrEqual(400);
    expect(
      jsonSettings.onGatewayCallback.mock.calls.length + jsonSettings.onThbNotification.mock.calls.length,
    ).toBe(before);
  });
});
