/**
 * Exactly-once webhooks in your own PostgreSQL, on Express 5: the handlers record each verified event in
 * the `thaipay/postgres` inbox and run your `onEvent` in the SAME transaction, so your `orders` update and
 * the "handled" mark commit together or not at all. A crash, a throw or a duplicate delivery can neither
 * lose a payment nor apply it twice, however many app instances share the database.
 *
 * Run it (after `npm run build`, with the variables `thaipay sandbox` prints and a PostgreSQL to use):
 * `DATABASE_URL=postgres://localhost/shop node --import tsx examples/webhooks/postgres-inbox.ts`
 */
import { pathToFileURL } from 'node:url';
import express, { type Express } from 'express';
import pg from 'pg';
import { createJwtGatewayWebhookHandler, toNodeHandler } from 'thaipay/jwt-gateway';
import { createPostgresInbox } from 'thaipay/postgres';
import { createThbWebhookHandler } from 'thaipay/thb-collect';

/** Your orders table (yours already exists; this is the shape the example updates). */
export const ORDERS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS orders (
  id            text PRIMARY KEY,
  status        text NOT NULL DEFAULT 'open',
  amount_satang bigint NOT NULL,
  paid_satang   bigint,
  updated_at    timestamptz NOT NULL DEFAULT now()
)`;

/** The keys that verify each provider's messages. */
export interface InboxAppKeys {
  gatewayApiKey: string;
  thbSecretKey: string;
  thbPlatformPublicKey: string;
}

/**
 * Apply a verified payment update to an order, through the inbox transaction's connection.
 * Throwing rolls back this update and the inbox row together; the provider then retries.
 */
async function applyPayment(
  db: pg.PoolClient,
  orderId: string,
  status: string,
  paidSatang: number,
): Promise<void> {
  const updated = await db.query(
    'UPDATE orders SET status = $2, paid_satang = $3, updated_at = now() WHERE id = $1',
    [orderId, status, paidSatang],
  );
  // An update for an order you do not know: fail, so it is retried rather than acknowledged and lost.
  if (updated.rowCount !== 1) throw new Error(`Unknown order ${orderId}`);
}

/**
 * An Express app whose webhook routes update `orders` exactly once per provider event.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * (await createPostgresInboxApp(pool, keys)).listen(3000);
 * ```
 */
export async function createPostgresInboxApp(pool: pg.Pool, keys: InboxAppKeys): Promise<Express> {
  const inbox = createPostgresInbox(pool);
  // Creates the inbox table when missing; safe when several instances start at once.
  await inbox.migrate();

  const gateway = createJwtGatewayWebhookHandler({
    apiKey: keys.gatewayApiKey,
    toleranceSeconds: 600,
    inbox,
    // `db` is the inbox transaction: write through it, never through `pool`, or your write would commit
    // on its own and survive a rollback of the event.
    onEvent: (callback, { db }) =>
      applyPayment(db, callback.orderId, callback.status, callback.actualAmountSatang ?? 0),
    onError: (error) => console.warn('gateway callback refused or failed:', String(error)),
  });
  const collections = createThbWebhookHandler({
    secretKey: keys.thbSecretKey,
    platformPublicKey: keys.thbPlatformPublicKey,
    kind: 'collection',
    inbox,
    onEvent: (notification, { db }) =>
      applyPayment(db, notification.orderId, notification.status, notification.amountSatang),
    onError: (error) => console.warn('THB notification refused or failed:', String(error)),
  });

  const app = express();
  const rawBody = express.raw({ type: '*/*', limit: '64kb' });
  app.post('/callbacks/gateway', rawBody, toNodeHandler(gateway));
  app.post('/callbacks/thb-collection', rawBody, toNodeHandler(collections));
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`Set ${name} (see examples/README.md).`);
    return value;
  };
  const pool = new pg.Pool({ connectionString: env('DATABASE_URL') });
  await pool.query(ORDERS_TABLE_SQL);
  const app = await createPostgresInboxApp(pool, {
    gatewayApiKey: env('GATEWAY_API_KEY'),
    thbSecretKey: env('THB_SECRET_KEY'),
    thbPlatformPublicKey: env('THB_PLATFORM_PUBLIC_KEY'),
  });
  // Retention: once a day, forget events handled more than 30 days ago.
  const inbox = createPostgresInbox(pool);
  setInterval(
    () => void inbox.prune({ olderThanSeconds: 30 * 24 * 3600 }).catch(console.warn),
    86_400_000,
  ).unref();
  const port = Number(process.env.PORT ?? 3000);
  app.listen(port, () =>
    console.log(`Webhooks on http://localhost:${port}/callbacks/gateway and /callbacks/thb-collection`),
  );
}
