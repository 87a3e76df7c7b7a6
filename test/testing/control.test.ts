import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_TOKEN_HEADER, createSandbox, type Sandbox, SandboxError } from '../../src/testing';
import { SANDBOX_KEYS } from '../sandbox-keys';
import {
  collectionParams,
  depositParams,
  JWT_ACK,
  jwtPost,
  startReceiver,
  thbPost,
  uniqueId,
} from './helpers';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ retryIntervalsMs: [5], thbCollect: SANDBOX_KEYS });
});
afterAll(() => sandbox.close());

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { [CONTROL_TOKEN_HEADER]: sandbox.controlToken }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('orders and references', () => {
  it('finds an order by either number and lists both providers as plain copies', async () => {
    const deposit = depositParams(sandbox);
    const created = (await jwtPost(sandbox, '/deposit', deposit)).body.data;
    const collection = collectionParams(sandbox);
    const collected = (await thbPost(sandbox, '/thb/collect/apply', collection)).body.data;
    expect(sandbox.getOrder(created.referenceId)).toEqual(sandbox.getOrder(String(deposit.transactionId)));
    expect(sandbox.getOrder(collected.orderNo)?.merchantOrderId).toBe(collection.orderId);
    const providers = new Set(sandbox.orders().map((o) => o.provider));
    expect(providers).toEqual(new Set(['jwt-gateway', 'thb-collect']));
    const copy = sandbox.getOrder(created.referenceId)!;
    copy.status = 'completed';
    expect(sandbox.getOrder(created.referenceId)!.status).toBe('pending');
    expect(copy.request).not.toHaveProperty('signature');
    expect(sandbox.getOrder(collected.orderNo)!.request).not.toHaveProperty('sign');
  });

  it('throws SandboxError on unknown refs, ambiguous refs and forbidden changes', async () => {
    expect(() => sandbox.pay('nope')).toThrow(SandboxError);
    const shared = uniqueId('SHARED');
    await jwtPost(sandbox, '/deposit', depositParams(sandbox, { transactionId: shared }));
    await thbPost(sandbox, '/thb/collect/apply', collectionParams(sandbox, { orderId: shared }));
    expect(() => sandbox.pay(shared)).toThrow(/several orders/);
    const created = (await jwtPost(sandbox, '/deposit', depositParams(sandbox))).body.data;
    sandbox.pay(created.referenceId);
    expect(() => sandbox.fail(created.referenceId)).toThrow(/final/);
    expect(() => sandbox.process(created.referenceId)).toThrow(SandboxError);
    expect(() => sandbox.pay(created.referenceId, { amount: '1.234' })).toThrow(SandboxError);
  });

  it('markException sets -1 and the order can still be settled', async () => {
    const { orderNo } = (await thbPost(sandbox, '/thb/collect/apply', collectionParams(sandbox))).body.data;
    expect(sandbox.markException(orderNo).status).toBe(-1);
    expect(sandbox.pay(orderNo).status).toBe(2);
    expect(sandbox.getOrder(orderNo)!.history.map((h) => h.status)).toEqual([1, -1, 2]);
  });
});

describe('/_sandbox control endpoints', () => {
  it('lists endpoints and state without secrets', async () => {
    expect((await control('GET', '')).body.endpoints).toContain('GET /_sandbox/orders');
    const { body } = await control('GET', '/state');
    expect(body).toMatchObject({
      url: sandbox.url,
      jwtGateway: { baseUrl: sandbox.jwtGateway.baseUrl, merchantId: sandbox.jwtGateway.merchantId },
      thbCollect: {
        appId: sandbox.thbCollect.appId,
        platformPublicKey: sandbox.thbCollect.platformPublicKey,
      },
    });
    const text = JSON.stringify(body);
    expect(text).not.toContain(sandbox.jwtGateway.apiKey);
    expect(text).not.toContain(sandbox.thbCollect.secretKey);
    expect(text).not.toContain(sandbox.thbCollect.merchantPrivateKey!);
  });

  it('drives the lifecycle and shows deliveries', async () => {
    const receiver = await startReceiver(() => JWT_ACK);
    try {
      const params = depositParams(sandbox, { callbackUrl: receiver.url });
      const created = (await jwtPost(sandbox, '/deposit', params)).body.data;
      const ref = encodeURIComponent(String(params.transactionId));
      expect((await control('GET', `/orders/${ref}`)).body.order.orderNo).toBe(created.referenceId);
      const paid = await control('POST', `/orders/${ref}/pay`, { amount: 999.5 });
      expect(paid.status).toBe(200);
      expect(paid.body.order).toMatchObject({ status: 'completed', paidAmountSatang: 99950 });
      await sandbox.deliveriesSettled();
      const deliveries = await control('GET', `/deliveries?ref=${ref}`);
      expect(deliveries.body.deliveries).toHaveLength(1);
      expect(deliveries.body.deliveries[0].state).toBe('acknowledged');
      const again = await control('POST', `/orders/${ref}/fail`, { reason: 'x' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatch(/final/);
      expect((await control('POST', `/orders/${ref}/resend`)).body.deliveries).toHaveLength(1);
      await sandbox.deliveriesSettled();
    } finally {
      await receiver.close();
    }
  });

  it('answers 404, 405 and 400 where due', async () => {
    expect((await control('GET', '/orders/unknown')).status).toBe(404);
    expect((await control('POST', '/orders/unknown/pay')).status).toBe(404);
    expect((await control('GET', '/orders/x/pay')).status).toBe(405);
    expect((await control('GET', '/nothing')).status).toBe(404);
    expect((await control('POST', '/faults', { route: 'jwt:deposit', fault: 'nope' })).status).toBe(400);
  });

  it('injects, lists and clears faults', async () => {
    const injected = await control('POST', '/faults', {
      route: 'jwt:health',
      fault: '5xx',
      times: 'Infinity',
    });
    expect(injected.body.fault).toMatchObject({ route: 'jwt:health', fault: '5xx', status: 500 });
    expect((await fetch(`${sandbox.jwtGateway.baseUrl}/health`)).status).toBe(500);
    expect((await control('GET', '/faults')).body.faults).toHaveLength(1);
    expect((await control('DELETE', '/faults?route=jwt:health')).body.faults).toEqual([]);
    expect((await fetch(`${sandbox.jwtGateway.baseUrl}/health`)).status).toBe(200);
  });

  it('serves the dashboard page at /', async () => {
    const response = await fetch(`${sandbox.url}/`);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('thaipay sandbox');
    expect(html).toContain(sandbox.orders()[0]!.orderNo);
  });
});
