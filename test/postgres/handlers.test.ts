/**
 * The webhook handlers on the PostgreSQL inbox, end to end: genuinely signed JWT gateway callbacks
 * (jsonwebtoken) and THB collect notifications (node:crypto SHA256withRSA), sent as real HTTP requests to
 * two app instances on 127.0.0.1, each with its own pool, sharing one database. Whatever arrives, each
 * event reaches the merchant's orders table exactly once, in the same transaction as its inbox row.
 */
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newPool, uniqueTable } from './helpers';
import {
  type Delivery,
  gatewayDelivery,
  ordersTableSql,
  type Receiver,
  send,
  startReceiver,
  thbDelivery,
} from './receivers';

let pool: pg.Pool;
let tables: { inbox: string; orders: string };
const receivers: Receiver[] = [];

beforeEach(async () => {
  pool ??= newPool({ max: 4 });
  tables = { inbox: uniqueTable('inbox'), orders: uniqueTable('orders') };
  await pool.query(ordersTableSql(tables.orders));
});

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function twoInstances(afterUpdate?: (orderId: string) => void | Promise<void>) {
  // Each instance migrates at start-up, as an app would; both at once is safe.
  const [a, b] = await Promise.all([
    startReceiver(newPool({ max: 8 }), tables, { afterUpdate }),
    startReceiver(newPool({ max: 8 }), tables, { afterUpdate }),
  ]);
  receivers.push(a, b);
  return [a, b] as const;
}

async function orders(): Promise<Array<{ id: string; status: string; applied: number }>> {
  return (await pool.query(`SELECT id, status, applied FROM "${tables.orders}" ORDER BY id`)).rows;
}

describe('handlers on the PostgreSQL inbox, two instances on two pools', () => {
  it('1,000 concurrent deliveries of 100 distinct signed events apply each exactly once', async () => {
    const ids = Array.from({ length: 100 }, (_, n) => `order${String(n).padStart(3, '0')}`);
    await pool.query(`INSERT INTO "${tables.orders}" (id) SELECT unnest($1::text[])`, [ids]);
    // Every 7th event fails once inside onEvent, after its order update: that update must roll back.
    const failing = new Set(ids.filter((_, n) => n % 7 === 0));
    const failedOnce = new Set<string>();
    const [a, b] = await twoInstances(async (orderId) => {
      if (failing.has(orderId) && !failedOnce.has(orderId)) {
        failedOnce.add(orderId);
        throw new Error(`merchant failure for ${orderId}`);
      }
      // Hold the transaction a moment, so the copies sent alongside really meet it.
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    const events = ids.map((id, n) => (n % 2 === 0 ? gatewayDelivery(id) : thbDelivery(id)));
    // Ten copies of each, sent side by side (the way a provider's duplicates and retries bunch up).
    const deliveries = Array.from({ length: 1000 }, (_, i) => events[Math.floor(i / 10)] as Delivery);

    // The provider: send everything at once, then re-send whatever was not acknowledged.
    const statuses = new Map<number, number>();
    let pending = deliveries.map((delivery, i) => ({ delivery, target: i % 2 === 0 ? a : b }));
    let rounds = 0;
    while (pending.length > 0 && rounds < 10) {
      rounds += 1;
      const answers = await Promise.all(pending.map(({ delivery, target }) => send(target, delivery)));
      const next: typeof pending = [];
      answers.forEach((answer, i) => {
        const sent = pending[i] as (typeof pending)[number];
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 200) expect(answer.text).toBe(sent.delivery.ack);
        else next.push({ delivery: sent.delivery, target: sent.target === a ? b : a });
      });
      pending = next;
    }
    expect(pending).toStrictEqual([]);
    // Only acknowledgements, retryable in-flight answers, and one failure per failing event.
    // (503s prove copies met a delivery still inside its transaction: the race was real.)
    expect([...statuses.keys()].sort()).toStrictEqual([200, 500, 503]);
    expect(statuses.get(500)).toBe(failing.size);
    expect(failedOnce).toStrictEqual(failing);

    expect(await orders()).toStrictEqual(ids.map((id) => ({ id, status: 'succeeded', applied: 1 })));
    const inbox = await pool.query(
      `SELECT provider, state, count(*)::int AS n FROM "${tables.inbox}" GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(inbox.rows).toStrictEqual([
      { provider: 'jwt-gateway', state: 'handled', n: 50 },
      { provider: 'thb-collect', state: 'handled', n: 50 },
    ]);
  });

  it('a duplicate arriving while the first is inside onEvent gets a retryable 503, never an ack', async () => {
    await pool.query(`INSERT INTO "${tables.orders}" (id) VALUES ('order-slow')`);
    let finish!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const [a, b] = await twoInstances(async () => {
      entered();
      await gate;
    });
    const delivery = gatewayDelivery('order-slow');
    const first = send(a, delivery);
    await inside;
    const duplicate = await fetch(`${b.url}${delivery.path}`, {
      method: 'POST',
      headers: { 'content-type': delivery.contentType },
      body: delivery.body,
    });
    expect({ status: duplicate.status, retryAfter: duplicate.headers.get('retry-after') }).toStrictEqual({
      status: 503,
      retryAfter: '60',
    });
    expect(await orders()).toStrictEqual([{ id: 'order-slow', status: 'open', applied: 0 }]);
    finish();
    expect(await first).toStrictEqual({ status: 200, text: delivery.ack });
    // The provider's retry of the duplicate: acknowledged, and onEvent is not run again.
    expect(await send(b, delivery)).toStrictEqual({ status: 200, text: delivery.ack });
    expect(await orders()).toStrictEqual([{ id: 'order-slow', status: 'succeeded', applied: 1 }]);
  });

  it('a forged callback is refused and leaves no trace in the inbox or the orders', async () => {
    await pool.query(`INSERT INTO "${tables.orders}" (id) VALUES ('order-forged')`);
    const [a] = await twoInstances();
    const genuine = JSON.parse(gatewayDelivery('order-forged').body) as Record<string, unknown>;
    const forged = { ...gatewayDelivery('order-forged'), body: JSON.stringify({ ...genuine, amount: 1 }) };
    expect((await send(a, forged)).status).toBe(400);
    expect(await orders()).toStrictEqual([{ id: 'order-forged', status: 'open', applied: 0 }]);
    // The inbox is only touched for verified events.
    const rows = await pool.query(`SELECT count(*)::int AS n FROM "${tables.inbox}"`);
    expect(rows.rows).toStrictEqual([{ n: 0 }]);
  });
});
