/**
 * examples/webhooks/postgres-inbox.ts against the real server, in a database of its own (the example
 * uses the default table names): signed deliveries update `orders` once, duplicates are acknowledged
 * without a second update, and an update for an unknown order is refused and left for the retry.
 */
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPostgresInboxApp, ORDERS_TABLE_SQL } from '../../examples/webhooks/postgres-inbox';
import { JWT_API_KEY, THB_PLATFORM, THB_SECRET_KEY } from '../faults/webhook-fixtures';
import { connection, newPool, uniqueTable } from './helpers';
import { gatewayDelivery, type Receiver, send, thbDelivery } from './receivers';

let pool: pg.Pool;
let receiver: Receiver;

beforeAll(async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const database = uniqueTable('example');
  await newPool({ max: 1 }).query(`CREATE DATABASE "${database}"`);
  pool = newPool({ ...connection(), database });
  await pool.query(ORDERS_TABLE_SQL);
  const app = await createPostgresInboxApp(pool, {
    gatewayApiKey: JWT_API_KEY,
    thbSecretKey: THB_SECRET_KEY,
    thbPlatformPublicKey: THB_PLATFORM.publicPem,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  receiver = {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});

afterAll(async () => {
  vi.restoreAllMocks();
  await receiver?.close();
});

it('updates each order once, in the transaction that records the event', async () => {
  await pool.query(
    "INSERT INTO orders (id, amount_satang) VALUES ('order-jwt', 100000), ('order-thb', 30000)",
  );
  const gateway = gatewayDelivery('order-jwt');
  const thb = { ...thbDelivery('order-thb'), path: '/callbacks/thb-collection' };
  for (let copy = 0; copy < 3; copy++) {
    expect(await send(receiver, gateway)).toStrictEqual({ status: 200, text: gateway.ack });
    expect(await send(receiver, thb)).toStrictEqual({
      status: 200,
      text: 'SUCCESS',
    });
  }
  const orders = await pool.query(
    'SELECT id, status, amount_satang::int AS amount, paid_satang::int AS paid FROM orders ORDER BY id',
  );
  expect(orders.rows.map((r) => [r.id, r.status, r.amount, r.paid])).toStrictEqual([
    ['order-jwt', 'succeeded', 100000, 99500],
    ['order-thb', 'succeeded', 30000, 30000],
  ]);
  const inbox = await pool.query('SELECT dedupe_key, state FROM thaipay_webhook_inbox ORDER BY 1');
  expect(inbox.rows).toStrictEqual([
    { dedupe_key: 'jwt-gateway:["deposit","DPorder-jwt","completed"]', state: 'handled' },
    { dedupe_key: 'thb-collect:collection:order-thb:60:2', state: 'handled' },
  ]);
});

it('refuses an update for an unknown order and records nothing, so the retry can apply it', async () => {
  const unknown = gatewayDelivery('order-later');
  expect((await send(receiver, unknown)).status).toBe(500);
  const rows = await pool.query(
    "SELECT state FROM thaipay_webhook_inbox WHERE dedupe_key LIKE '%order-later%'",
  );
  expect(rows.rows).toStrictEqual([{ state: 'pending' }]);
  await pool.query("INSERT INTO orders (id, amount_satang) VALUES ('order-later', 100000)");
  expect(await send(receiver, unknown)).toStrictEqual({ status: 200, text: unknown.ack });
  const order = await pool.query("SELECT status FROM orders WHERE id = 'order-later'");
  expect(order.rows).toStrictEqual([{ status: 'succeeded' }]);
});
