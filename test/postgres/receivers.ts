/**
 * Merchant app instances for the PostgreSQL suite: each has its own pool, its own inbox object on the
 * shared table, a JWT gateway and a THB collect handler, and a node:http server on 127.0.0.1 — what
 * several app instances behind a load balancer sharing one database look like.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { createJwtGatewayWebhookHandler, toNodeHandler } from '../../src/jwt-gateway';
import { createPostgresInbox } from '../../src/postgres';
import { createThbWebhookHandler } from '../../src/thb-collect';
import { JWT_API_KEY, THB_PLATFORM, THB_SECRET_KEY } from '../faults/webhook-fixtures';

/** The merchant's orders table: `applied` counts how many times a payment update reached it. */
export function ordersTableSql(orders: string): string {
  return `CREATE TABLE "${orders}" (
    id text PRIMARY KEY,
    status text NOT NULL DEFAULT 'open',
    applied integer NOT NULL DEFAULT 0
  )`;
}

/**
 * The merchant's update, in the inbox transaction: mark the order with the event's status and count it.
 * `hook` runs after the update, still inside the transaction (to fail or hang there on purpose).
 */
export async function applyPayment(
  db: pg.PoolClient,
  orders: string,
  orderId: string,
  status: string,
): Promise<void> {
  const updated = await db.query(`UPDATE "${orders}" SET status = $1, applied = applied + 1 WHERE id = $2`, [
    status,
    orderId,
  ]);
  if (updated.rowCount !== 1) throw new Error(`no order ${orderId}`);
}

export interface Receiver {
  url: string;
  close(): Promise<void>;
}

/**
 * One app instance. `afterUpdate(orderId)` runs inside `onEvent` after the order update, so a test can
 * make it throw (the transaction rolls back) or hang.
 */
export async function startReceiver(
  pool: pg.Pool,
  tables: { inbox: string; orders: string },
  afterUpdate: (orderId: string) => void | Promise<void> = () => undefined,
): Promise<Receiver> {
  const inbox = createPostgresInbox(pool, { table: tables.inbox });
  await inbox.migrate();
  const gateway = createJwtGatewayWebhookHandler({
    apiKey: JWT_API_KEY,
    inbox,
    onEvent: async (callback, { db }) => {
      await applyPayment(db, tables.orders, callback.agentOrderNo, callback.status);
      await afterUpdate(callback.agentOrderNo);
    },
  });
  const thb = createThbWebhookHandler({
    secretKey: THB_SECRET_KEY,
    platformPublicKey: THB_PLATFORM.publicPem,
    kind: 'collection',
    inbox,
    onEvent: async (notification, { db }) => {
      await applyPayment(db, tables.orders, notification.orderId, notification.status);
      await afterUpdate(notification.orderId);
    },
  });
  const routes = { '/callbacks/gateway': toNodeHandler(gateway), '/callbacks/thb': toNodeHandler(thb) };
  const server = createServer((req, res) => {
    const route = routes[req.url as keyof typeof routes];
    if (!route) {
      res.statusCode = 404;
      res.end();
      return;
    }
    void route(req, res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
