/**
 * Load against the sandbox and through the handlers, with figures printed for the README:
 * - 1,000 concurrent calls of each client (JWT getBalance, THB getCollection), no error;
 * - 10,000 sequential JWT getBalance calls (the cheapest call; THB's RSA signing on both sides makes
 *   10,000 of its calls too slow for the default run on 2 cores), no error, heap after GC flat;
 * - 1,000 concurrent deliveries per handler (200 distinct events, each delivered 5 times): each distinct
 *   event handled exactly once; a copy arriving while the first is in onEvent is told to retry (503) and
 *   its retry is acknowledged, as the provider would retry it.
 * Durations are printed, never asserted.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtGatewayWebhookHandler, JWT_GATEWAY_ACK, JwtGatewayClient } from '../../src/jwt-gateway';
import { createSandbox, type Sandbox } from '../../src/testing';
import { createThbWebhookHandler, THB_NOTIFICATION_ACK, ThbCollectClient } from '../../src/thb-collect';
import { MERCHANT_PRIVATE_PEM, PLATFORM_PRIVATE_PEM } from '../faults/matrix';
import {
  JWT_API_KEY,
  jwtCallbackFields,
  jwtSigned,
  THB_PLATFORM,
  THB_SECRET_KEY,
  thbNotificationFields,
  thbSigned,
  webhookRequest,
} from '../faults/webhook-fixtures';

/** A real garbage collection: vitest workers run without --expose-gc, so it is switched on here. */
function collectGarbage(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString('en-US');

/** A deterministic shuffle (a small LCG), so a failure reproduces. */
function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

let sandbox: Sandbox;
let jwt: JwtGatewayClient;
let thb: ThbCollectClient;

beforeAll(async () => {
  sandbox = await createSandbox({
    thbCollect: { merchantPrivateKey: MERCHANT_PRIVATE_PEM, platformPrivateKey: PLATFORM_PRIVATE_PEM },
  });
  // Generous limits: this measures throughput and memory, not the fault paths.
  jwt = new JwtGatewayClient({ ...sandbox.jwtGateway, timeoutMs: 30_000, deadlineMs: 60_000 });
  thb = new ThbCollectClient({
    appId: sandbox.thbCollect.appId,
    secretKey: sandbox.thbCollect.secretKey,
    privateKey: MERCHANT_PRIVATE_PEM,
    platformPublicKey: sandbox.thbCollect.platformPublicKey,
    baseUrl: sandbox.thbCollect.baseUrl,
    timeoutMs: 30_000,
    deadlineMs: 60_000,
  });
  await thb.createCollection({
    orderId: 'LOAD-1',
    amount: 300,
    payType: 'QR',
    name: 'Somchai Jaidee',
    phone: '0812345678',
    email: 'somchai@example.com',
    callBackUrl: 'https://shop.example/ok',
    callBackFailUrl: 'https://shop.example/fail',
    subject: 'Order',
    partnerUserId: 'user-42',
  });
});
afterAll(() => sandbox.close());

async function concurrently<T>(count: number, call: () => Promise<T>): Promise<{ results: T[]; ms: number }> {
  const started = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: count }, call));
  const ms = performance.now() - started;
  const failures = settled.filter((s) => s.status === 'rejected');
  expect(failures, String((failures[0] as PromiseRejectedResult | undefined)?.reason)).toHaveLength(0);
  return { results: settled.map((s) => (s as PromiseFulfilledResult<T>).value), ms };
}

describe('client load against the sandbox', () => {
  it('1,000 concurrent JWT getBalance calls: no error', async () => {
    const { results, ms } = await concurrently(1_000, () => jwt.getBalance());
    expect(results.every((r) => r.currency === 'THB' && r.balance === sandbox.balance())).toBe(true);
    console.log(
      `[load] 1,000 concurrent JWT getBalance: ${Math.round(ms)} ms (${perSecond(1_000, ms)} calls/s), 0 errors`,
    );
  }, 60_000);

  it('1,000 concurrent THB getCollection calls (RSA-signed both ways): no error', async () => {
    const { results, ms } = await concurrently(1_000, () => thb.getCollection({ orderId: 'LOAD-1' }));
    expect(results.every((r) => r.orderId === 'LOAD-1' && r.amount === '300.00')).toBe(true);
    console.log(
      `[load] 1,000 concurrent THB getCollection: ${Math.round(ms)} ms (${perSecond(1_000, ms)} calls/s), 0 errors`,
    );
  }, 60_000);

  it('10,000 sequential JWT getBalance calls: no error, heap after GC flat', async () => {
    const gc = collectGarbage();
    const total = 10_000;
    const checkpoint = 2_000;
    let heapAtCheckpoint = 0;
    let errors = 0;
    const started = performance.now();
    for (let i = 1; i <= total; i++) {
      try {
        await jwt.getBalance();
      } catch {
        errors++;
      }
      if (i === checkpoint) heapAtCheckpoint = heapAfterGc(gc);
    }
    const ms = performance.now() - started;
    const heapAtEnd = heapAfterGc(gc);
    const growth = heapAtEnd - heapAtCheckpoint;
    console.log(
      `[load] 10,000 sequential JWT getBalance: ${(ms / 1000).toFixed(1)} s (${perSecond(total, ms)} calls/s), ${errors} errors; ` +
        `heap after GC ${mb(heapAtCheckpoint)} MB at 2,000 → ${mb(heapAtEnd)} MB at 10,000 (${growth >= 0 ? '+' : ''}${mb(growth)} MB)`,
    );
    expect(errors).toBe(0);
    // The sandbox's own request log (capped at 10,000 short entries) lives in this heap too.
    expect(growth).toBeLessThan(20 * 1024 * 1024);
  }, 90_000);
});

describe('1,000 concurrent deliveries through the handlers', () => {
  const DISTINCT = 200;
  const COPIES = 5;

  /**
   * Deliver every body COPIES times, shuffled, all at once; retry what was told to retry (as the provider
   * does) until everything is acknowledged; count what reached onEvent. Returns the duration and how
   * many deliveries were told to retry.
   */
  async function deliver(
    handler: (request: Request) => Promise<Response>,
    bodies: { key: string; body: string; contentType: string }[],
    handled: Map<string, number>,
    ack: string,
  ): Promise<{ ms: number; retried: number }> {
    const deliveries = shuffled(bodies.flatMap((b) => Array.from({ length: COPIES }, () => b)));
    expect(deliveries).toHaveLength(DISTINCT * COPIES);
    const started = performance.now();
    const responses = await Promise.all(
      deliveries.map((d) => handler(webhookRequest(d.body, d.contentType))),
    );
    const ms = performance.now() - started;
    const answers = await Promise.all(responses.map(async (r) => `${r.status} ${await r.text()}`));
    // In flight elsewhere: never acknowledged, a retry later.
    expect(
      [...new Set(answers)].every((a) => a === `200 ${ack}` || a === '503 in progress, retry later'),
    ).toBe(true);
    const retried = deliveries.filter((_, i) => answers[i]?.startsWith('503'));
    for (const d of retried) {
      const retry = await handler(webhookRequest(d.body, d.contentType));
      expect(`${retry.status} ${await retry.text()}`).toBe(`200 ${ack}`);
    }
    expect(handled.size).toBe(DISTINCT);
    for (const { key } of bodies) expect(handled.get(key), key).toBe(1);
    return { ms, retried: retried.length };
  }

  it('JWT gateway callbacks: each of 200 distinct events handled exactly once', async () => {
    const handled = new Map<string, number>();
    const handler = createJwtGatewayWebhookHandler({
      apiKey: JWT_API_KEY,
      onEvent: async (callback) => {
        // Still busy with the first copy while the others arrive.
        await new Promise((resolve) => setTimeout(resolve, 1));
        handled.set(callback.orderNo, (handled.get(callback.orderNo) ?? 0) + 1);
      },
    });
    const bodies = Array.from({ length: DISTINCT }, (_, i) => {
      const key = `DP${String(i).padStart(6, '0')}`;
      return {
        key,
        body: JSON.stringify(jwtSigned(jwtCallbackFields({ order_no: key, agent_order_no: `order-${i}` }))),
        contentType: 'application/json',
      };
    });
    const { ms, retried } = await deliver(handler, bodies, handled, JWT_GATEWAY_ACK);
    console.log(
      `[load] 1,000 concurrent JWT callbacks (200 distinct × 5): ${Math.round(ms)} ms, 200 handled once each, ${retried} duplicates met the first in onEvent and were told to retry, the rest acknowledged`,
    );
  }, 60_000);

  it('THB collect notifications (JSON and form): each of 200 distinct events handled exactly once', async () => {
    const handled = new Map<string, number>();
    const handler = createThbWebhookHandler({
      secretKey: THB_SECRET_KEY,
      platformPublicKey: THB_PLATFORM.publicPem,
      onEvent: async (notification) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        handled.set(notification.orderId, (handled.get(notification.orderId) ?? 0) + 1);
      },
    });
    const bodies = Array.from({ length: DISTINCT }, (_, i) => {
      const key = `M${String(i).padStart(8, '0')}`;
      const signed = thbSigned(thbNotificationFields({ orderId: key, orderNo: `60230710${i}` }));
      return i % 2 === 0
        ? { key, body: JSON.stringify(signed), contentType: 'application/json' }
        : {
            key,
            body: new URLSearchParams(Object.entries(signed).map(([k, v]) => [k, String(v)])).toString(),
            contentType: 'application/x-www-form-urlencoded',
          };
    });
    const { ms, retried } = await deliver(handler, bodies, handled, THB_NOTIFICATION_ACK);
    console.log(
      `[load] 1,000 concurrent THB notifications (200 distinct × 5): ${Math.round(ms)} ms, 200 handled once each, ${retried} duplicates met the first in onEvent and were told to retry, the rest acknowledged`,
    );
  }, 60_000);
});
