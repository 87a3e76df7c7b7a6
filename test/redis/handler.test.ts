/**
 * The end-to-end proof: two app instances, each with its own handler and its own Redis connection,
 * share one Redis dedupe store and receive the same signed callbacks.
 */
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import type { JwtGatewayCallback } from '../../src/jwt-gateway/webhooks';
import { createJwtGatewayWebhookHandler, JWT_GATEWAY_ACK } from '../../src/jwt-gateway/webhooks';
import { createRedisDedupeStore, type RedisClientKind } from '../../src/redis';
import { createThbWebhookHandler, type ThbNotification } from '../../src/thb-collect';
import {
  formBody,
  THB_PLATFORM,
  THB_SECRET_KEY,
  thbNotificationFields,
  thbSigned,
  webhookRequest,
} from '../faults/webhook-fixtures';
import { clientOf, ioRedisClient, uniquePrefix } from './helpers';

const API_KEY = 'gateway-api-key-redis-suite';

/** A callback signed the way the gateway signs it, with jsonwebtoken over the fields sorted by key. */
function signedCallback(orderNo: string, status = 'completed'): string {
  const fields: Record<string, unknown> = {
    order_no: orderNo,
    agent_order_no: `merchant-${orderNo}`,
    type: 'deposit',
    amount: 1000,
    fee: 5,
    transfer_amount: 995,
    actual_amount: 995,
    status,
    timestamp: '1640995380',
  };
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(fields).sort()) sorted[key] = fields[key];
  const signature = jwt.sign(sorted, API_KEY, { algorithm: 'HS256', noTimestamp: true });
  return JSON.stringify({ ...fields, signature });
}

function delivery(body: string): Request {
  return new Request('http://merchant.test/callback', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

type Handler = (request: Request) => Promise<Response>;

interface Instances {
  a: Handler;
  b: Handler;
  /** Every callback onEvent ran for, on either instance, in order. */
  handled: Array<{ instance: 'a' | 'b'; orderNo: string }>;
}

/** Two app instances with their own client each (of the given libraries) and one shared prefix. */
async function twoInstances(
  kinds: readonly [RedisClientKind, RedisClientKind],
  onEvent: (instance: 'a' | 'b', callback: JwtGatewayCallback) => void | Promise<void> = () => undefined,
): Promise<Instances> {
  const prefix = uniquePrefix();
  const handled: Instances['handled'] = [];
  const make = async (instance: 'a' | 'b', kind: RedisClientKind) =>
    createJwtGatewayWebhookHandler({
      apiKey: API_KEY,
      store: createRedisDedupeStore(await clientOf(kind), { prefix }),
      onEvent: async (callback) => {
        handled.push({ instance, orderNo: callback.orderNo });
        await onEvent(instance, callback);
      },
    });
  return { a: await make('a', kinds[0]), b: await make('b', kinds[1]), handled };
}

async function expectAck(response: Response): Promise<void> {
  expect(response.status).toBe(200);
  expect(await response.text()).toBe(JWT_GATEWAY_ACK);
}

/**
 * A delivery that met another one still inside onEvent is told to retry (503, Retry-After), never
 * acknowledged; the gateway retries. Returns how many of the responses said so.
 */
async function expectAckOrRetry(responses: Response[]): Promise<number> {
  let retries = 0;
  for (const response of responses) {
    if (response.status === 503) {
      expect(response.headers.get('retry-after')).toBe('60');
      retries++;
    } else await expectAck(response);
  }
  return retries;
}

const PAIRS: ReadonlyArray<readonly [RedisClientKind, RedisClientKind]> = [
  ['node-redis', 'node-redis'],
  ['ioredis', 'ioredis'],
  ['node-redis', 'ioredis'],
];

describe.each(PAIRS)('two handler instances sharing Redis (%s + %s)', (...kinds) => {
  it('handle a callback delivered to both at once exactly once, and both acknowledge it', async () => {
    const { a, b, handled } = await twoInstances(kinds);
    const body = signedCallback('DP-CONCURRENT');
    const both = await Promise.all([a(delivery(body)), b(delivery(body))]);
    expect(await expectAckOrRetry(both)).toBeLessThanOrEqual(1);
    // The provider's retry of whichever was told to retry is acknowledged, without a second run.
    await expectAck(await a(delivery(body)));
    await expectAck(await b(delivery(body)));
    expect(handled).toHaveLength(1);
    expect(handled[0]?.orderNo).toBe('DP-CONCURRENT');
  });

  it('handle a callback delivered to one and then redelivered to the other exactly once', async () => {
    const { a, b, handled } = await twoInstances(kinds);
    const body = signedCallback('DP-SEQUENTIAL');
    await expectAck(await a(delivery(body)));
    await expectAck(await b(delivery(body)));
    await expectAck(await a(delivery(body)));
    expect(handled).toEqual([{ instance: 'a', orderNo: 'DP-SEQUENTIAL' }]);
  });

  it('handle 100 concurrent duplicate deliveries across the two exactly once', async () => {
    const { a, b, handled } = await twoInstances(kinds);
    const body = signedCallback('DP-STORM');
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b)(delivery(body))),
    );
    expect(await expectAckOrRetry(responses)).toBeLessThan(100);
    await expectAck(await a(delivery(body)));
    expect(handled).toHaveLength(1);
  });

  it('handle each of 50 distinct callbacks, each delivered twice to each instance, exactly once', async () => {
    const { a, b, handled } = await twoInstances(kinds);
    const orders = Array.from({ length: 50 }, (_, i) => `DP-MANY-${i}`);
    const bodies = orders.map((o) => signedCallback(o));
    const responses = await Promise.all(
      bodies.flatMap((body) => [a, b, a, b].map((handler) => handler(delivery(body)))),
    );
    await expectAckOrRetry(responses);
    // The provider retries each: every one is acknowledged now, none runs again.
    for (const body of bodies) await expectAck(await b(delivery(body)));
    expect(handled.map((h) => h.orderNo).sort()).toEqual([...orders].sort());
  });

  it('treat a new status of the same order as a new event', async () => {
    const { a, b, handled } = await twoInstances(kinds);
    await expectAck(await a(delivery(signedCallback('DP-STATUS', 'pending'))));
    await expectAck(await b(delivery(signedCallback('DP-STATUS', 'completed'))));
    await expectAck(await a(delivery(signedCallback('DP-STATUS', 'completed'))));
    expect(handled.map((h) => h.instance)).toEqual(['a', 'b']);
  });

  it('release the claim when onEvent throws, so the retry on the other instance handles it', async () => {
    let failuresLeft = 1;
    const { a, b, handled } = await twoInstances(kinds, () => {
      if (failuresLeft-- > 0) throw new Error('database down');
    });
    const body = signedCallback('DP-RETRY');
    const first = await a(delivery(body));
    expect(first.status).toBe(500);
    await expectAck(await b(delivery(body)));
    await expectAck(await a(delivery(body)));
    expect(handled).toEqual([
      { instance: 'a', orderNo: 'DP-RETRY' },
      { instance: 'b', orderNo: 'DP-RETRY' },
    ]);
  });

  it('never run onEvent for a forged callback, and do not claim its key', async () => {
    const { a, b, handled } = await twoInstances(kinds);
    const forged = JSON.parse(signedCallback('DP-FORGED')) as Record<string, unknown>;
    forged.amount = 100000;
    const response = await a(delivery(JSON.stringify(forged)));
    expect(response.status).toBe(400);
    await expectAck(await b(delivery(signedCallback('DP-FORGED'))));
    expect(handled).toEqual([{ instance: 'b', orderNo: 'DP-FORGED' }]);
  });
});

describe.each(['node-redis', 'ioredis'] as const)('leases over Redis (%s)', (kind) => {
  it('a duplicate while the first is inside onEvent gets 503; the first fails; the retry is handled once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let attempts = 0;
    const { a, b, handled } = await twoInstances([kind, kind], async () => {
      attempts++;
      if (attempts === 1) {
        await gate;
        throw new Error('database down');
      }
    });
    const body = signedCallback('DP-INFLIGHT');
    const first = a(delivery(body));
    while (attempts === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const duplicate = await b(delivery(body));
    expect([duplicate.status, duplicate.headers.get('retry-after')]).toStrictEqual([503, '60']);
    release();
    expect((await first).status).toBe(500);
    await expectAck(await b(delivery(body)));
    await expectAck(await a(delivery(body)));
    expect(handled.map((h) => h.instance)).toStrictEqual(['a', 'b']);
  });

  it('THB: a genuine notification with "hash":"", null, form &hash= or sign_type added runs onEvent once', async () => {
    const prefix = uniquePrefix();
    const seen: ThbNotification[] = [];
    const make = async () =>
      createThbWebhookHandler({
        secretKey: THB_SECRET_KEY,
        platformPublicKey: THB_PLATFORM.publicPem,
        store: createRedisDedupeStore(await clientOf(kind), { prefix }),
        onEvent: (n) => void seen.push(n),
      });
    const [one, two] = [await make(), await make()];
    const { errorMsg: _e, ...fields } = thbNotificationFields();
    const genuine = thbSigned(fields);
    const variants: Array<[string, string]> = [
      [JSON.stringify(genuine), 'application/json'],
      [JSON.stringify({ ...genuine, hash: '' }), 'application/json'],
      [JSON.stringify({ ...genuine, hash: null, extra: '' }), 'application/json'],
      [`${formBody(genuine)}&hash=`, 'application/x-www-form-urlencoded'],
      [JSON.stringify({ ...genuine, sign_type: 'RSA' }), 'application/json'],
    ];
    for (const [i, [body, contentType]] of variants.entries()) {
      const response = await (i % 2 === 0 ? one : two)(webhookRequest(body, contentType));
      expect([response.status, await response.text()]).toStrictEqual([200, 'SUCCESS']);
    }
    expect(seen.map((n) => `${n.kind}:${n.orderId}`)).toStrictEqual([`unknown:${String(genuine.orderId)}`]);
  });
});

describe('a handler whose Redis is unreachable', () => {
  it('answers 503 without running onEvent, so the gateway retries', async () => {
    const client = await ioRedisClient();
    let calls = 0;
    const errors: unknown[] = [];
    const handler = createJwtGatewayWebhookHandler({
      apiKey: API_KEY,
      store: createRedisDedupeStore(client, { prefix: uniquePrefix() }),
      onEvent: () => {
        calls++;
      },
      onError: (error) => errors.push(error),
    });
    await client.quit();
    const response = await handler(delivery(signedCallback('DP-NO-REDIS')));
    expect(response.status).toBe(503);
    expect(calls).toBe(0);
    expect(errors).toHaveLength(1);
  });
});
