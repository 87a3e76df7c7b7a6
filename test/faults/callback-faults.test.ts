/**
 * The callback faults, end to end: the sandbox delivers JWT gateway callbacks and THB collect
 * notifications over HTTP to the SDK's own handlers (behind `toNodeHandler` on node:http), with
 * `duplicate-callback`, `out-of-order` and `tampered-signature` injected. Each distinct event reaches
 * `onEvent` once; a stale status arrives as what it is (older timestamp, not final); a tampered message
 * never reaches `onEvent`, and the genuine resend afterwards does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNodeHandler } from '../../src/core/webhooks';
import {
  createJwtGatewayWebhookHandler,
  type JwtGatewayCallback,
  JwtGatewayClient,
} from '../../src/jwt-gateway';
import { isFinalStatus } from '../../src/status';
import { createSandbox, type Sandbox } from '../../src/testing';
import { createThbWebhookHandler, ThbCollectClient, type ThbNotification } from '../../src/thb-collect';
import { freshId, MERCHANT_PRIVATE_PEM, PLATFORM_PRIVATE_PEM } from './matrix';

let sandbox: Sandbox;
let server: Server;
let base = '';
let jwt: JwtGatewayClient;
let thb: ThbCollectClient;
const jwtEvents: JwtGatewayCallback[] = [];
const thbEvents: ThbNotification[] = [];
const refusals: unknown[] = [];

beforeAll(async () => {
  sandbox = await createSandbox({
    retryIntervalsMs: [10, 10],
    thbCollect: { merchantPrivateKey: MERCHANT_PRIVATE_PEM, platformPrivateKey: PLATFORM_PRIVATE_PEM },
  });
  const jwtHandler = toNodeHandler(
    createJwtGatewayWebhookHandler({
      apiKey: sandbox.jwtGateway.apiKey,
      onEvent: (callback) => void jwtEvents.push(callback),
      onError: (error) => void refusals.push(error),
    }),
  );
  const thbHandler = toNodeHandler(
    createThbWebhookHandler({
      secretKey: sandbox.thbCollect.secretKey,
      platformPublicKey: sandbox.thbCollect.platformPublicKey,
      onEvent: (notification) => void thbEvents.push(notification),
      onError: (error) => void refusals.push(error),
    }),
  );
  server = createServer((req, res) => void (req.url === '/jwt' ? jwtHandler : thbHandler)(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  jwt = new JwtGatewayClient(sandbox.jwtGateway);
  thb = new ThbCollectClient({
    appId: sandbox.thbCollect.appId,
    secretKey: sandbox.thbCollect.secretKey,
    privateKey: MERCHANT_PRIVATE_PEM,
    platformPublicKey: sandbox.thbCollect.platformPublicKey,
    baseUrl: sandbox.thbCollect.baseUrl,
  });
});

afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

async function deposit(): Promise<string> {
  const id = freshId('CB');
  const created = await jwt.createDeposit({
    transactionId: id,
    bankAccountNumber: '1234567890',
    bankName: 'KBANK',
    name: 'Somchai Jaidee',
    amount: 250,
    callbackUrl: `${base}/jwt`,
    type: 'QR',
  });
  return created.orderNo;
}

async function collection(): Promise<string> {
  const id = freshId('NT');
  const created = await thb.createCollection({
    orderId: id,
    amount: 300,
    payType: 'QR',
    name: 'Somchai Jaidee',
    phone: '0812345678',
    email: 'somchai@example.com',
    callBackUrl: 'https://shop.example/ok',
    callBackFailUrl: 'https://shop.example/fail',
    notifyUrl: `${base}/thb`,
    subject: 'Order',
    partnerUserId: 'user-42',
  });
  return created.orderNo;
}

const jwtFor = (orderNo: string) => jwtEvents.filter((e) => e.orderNo === orderNo);
const thbFor = (orderNo: string) => thbEvents.filter((e) => e.orderNo === orderNo);

describe('callback faults against the handlers', () => {
  it('duplicate-callback: delivered twice, handled once, both acknowledged', async () => {
    const jwtOrder = await deposit();
    const thbOrder = await collection();
    sandbox.injectFault('jwt:callback', 'duplicate-callback');
    sandbox.injectFault('thb:notify', 'duplicate-callback');
    sandbox.pay(jwtOrder);
    sandbox.pay(thbOrder);
    await sandbox.deliveriesSettled();

    for (const order of [jwtOrder, thbOrder]) {
      const deliveries = sandbox.deliveries(order);
      expect(deliveries).toHaveLength(2);
      expect(deliveries.every((d) => d.state === 'acknowledged')).toBe(true);
      expect(deliveries[0]?.body).toBe(deliveries[1]?.body);
    }
    expect(jwtFor(jwtOrder).map((e) => e.status)).toEqual(['succeeded']);
    expect(thbFor(thbOrder).map((e) => e.status)).toEqual(['succeeded']);
  });

  it('out-of-order: the stale status is handled once, as itself: older and not final', async () => {
    const jwtOrder = await deposit();
    const thbOrder = await collection();
    sandbox.injectFault('jwt:callback', 'out-of-order');
    sandbox.injectFault('thb:notify', 'out-of-order');
    sandbox.pay(jwtOrder);
    sandbox.pay(thbOrder);
    await sandbox.deliveriesSettled();

    const jwtSeen = jwtFor(jwtOrder);
    expect(new Set(jwtSeen.map((e) => e.status))).toEqual(new Set(['succeeded', 'pending']));
    expect(jwtSeen).toHaveLength(2);
    const [fresh, stale] = [
      jwtSeen.find((e) => e.status === 'succeeded'),
      jwtSeen.find((e) => e.status === 'pending'),
    ];
    // What a merchant needs to drop the regression: the stale one is not final and not newer.
    expect(isFinalStatus(stale!.status)).toBe(false);
    expect(isFinalStatus(fresh!.status)).toBe(true);
    expect(stale!.timestamp!.getTime()).toBeLessThanOrEqual(fresh!.timestamp!.getTime());

    const thbSeen = thbFor(thbOrder);
    expect(thbSeen).toHaveLength(2);
    expect(new Set(thbSeen.map((e) => e.providerStatus)).size).toBe(2);
    expect(thbSeen.filter((e) => isFinalStatus(e.status)).map((e) => e.status)).toEqual(['succeeded']);
    expect(thbSeen.filter((e) => !isFinalStatus(e.status))).toHaveLength(1);
  });

  it('tampered-signature: refused on every retry, never handled; the genuine resend is handled once', async () => {
    const jwtOrder = await deposit();
    const thbOrder = await collection();
    sandbox.injectFault('jwt:callback', 'tampered-signature');
    sandbox.injectFault('thb:notify', 'tampered-signature');
    const before = refusals.length;
    sandbox.pay(jwtOrder);
    sandbox.pay(thbOrder);
    await sandbox.deliveriesSettled();

    for (const order of [jwtOrder, thbOrder]) {
      const [delivery] = sandbox.deliveries(order);
      expect(delivery?.state).toBe('gave-up');
      // The schedule's 3 attempts, each answered with the same terse refusal.
      expect(delivery?.attempts.map((a) => `${a.statusCode} ${a.responseExcerpt}`)).toEqual([
        '400 invalid webhook',
        '400 invalid webhook',
        '400 invalid webhook',
      ]);
    }
    expect(jwtFor(jwtOrder)).toEqual([]);
    expect(thbFor(thbOrder)).toEqual([]);
    expect(refusals.length - before).toBe(6);

    sandbox.resendNotification(jwtOrder);
    sandbox.resendNotification(thbOrder);
    await sandbox.deliveriesSettled();
    expect(jwtFor(jwtOrder).map((e) => e.status)).toEqual(['succeeded']);
    expect(thbFor(thbOrder).map((e) => e.status)).toEqual(['succeeded']);
  });
});
