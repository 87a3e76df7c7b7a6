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
import {
  JWT_API_KEY,
  jwtCallbackFields,
  jwtSigned,
  THB_PLATFORM,
  THB_SECRET_KEY,
  thbNotificationFields,
  thbSigned,
} from '../faults/webhook-fixtures';

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

/** What differs between app instances in the tests. */
export interface ReceiverOptions {
  /** Runs inside `onEvent` after the order update, so a test can make it throw (rolled back) or hang. */
  afterUpdate?: (orderId: string) => void | Promise<void>;
  /** The THB platform public key (PEM); a child process gets the parent's through its environment. */
  thbPlatformPublicKey?: string;
}

/** One app instance, migrating its inbox at start-up as an app would. */
export async function startReceiver(
  pool: pg.Pool,
  tables: { inbox: string; orders: string },
  options: ReceiverOptions = {},
): Promise<Receiver> {
  const afterUpdate = options.afterUpdate ?? (() => undefined);
  const inbox = createPostgresInbox(pool, { table: tables.inbox });
  await inbox.migrate();
  const gateway = createJwtGatewayWebhookHandler({
    apiKey: JWT_API_KEY,
    inbox,
    onEvent: async (callback, { db }) => {
      await applyPayment(db, tables.orders, callback.orderId, callback.status);
      await afterUpdate(callback.orderId);
    },
  });
  const thb = createThbWebhookHandler({
    secretKey: THB_SECRET_KEY,
    platformPublicKey: options.thbPlatformPublicKey ?? THB_PLATFORM.publicPem,
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

/** One signed delivery, as the provider would POST it. */
export interface Delivery {
  /** Where the instance serves it. */
  path: string;
  contentType: string;
  body: string;
  orderId: string;
  ack: string;
}

/** A paid JWT gateway deposit for merchant order `orderId`. */
export function gatewayDelivery(orderId: string): Delivery {
  const fields = jwtCallbackFields({ order_no: `DP${orderId}`, agent_order_no: orderId });
  return {
    path: '/callbacks/gateway',
    contentType: 'application/json',
    body: JSON.stringify(jwtSigned(fields)),
    orderId,
    ack: '{"code":200,"message":"Success"}',
  };
}

/** A paid THB collect collection for merchant order `orderId`. */
export function thbDelivery(orderId: string): Delivery {
  const fields = thbNotificationFields({ orderId, orderNo: `60${orderId.replace(/\D/g, '')}` });
  return {
    path: '/callbacks/thb',
    contentType: 'application/json',
    body: JSON.stringify(thbSigned(fields)),
    orderId,
    ack: 'SUCCESS',
  };
}

/** POST a delivery to an instance; the status and body it answered. */
export async function send(
  receiver: Receiver,
  delivery: Delivery,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${receiver.url}${delivery.path}`, {
    method: 'POST',
    headers: { 'content-type': delivery.contentType },
    body: delivery.body,
  });
  return { status: response.status, text: await response.text() };
}
