/**
 * `thaipay/postgres`: exactly-once webhook handling in your own PostgreSQL, on node-postgres (`pg`, an
 * optional peer dependency; bring your own pool). The event's inbox row and your order update commit
 * in one transaction.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresInbox } from 'thaipay/postgres';
 *
 * const inbox = createPostgresInbox(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await inbox.migrate();
 * ```
 *
 * @packageDocumentation
 */
export * from '../core/errors';
export type {
  DedupeClaim,
  TransactionalWebhookInbox,
  WebhookDedupeStore,
  WebhookEventContext,
} from '../core/webhooks';
export {
  createPostgresInbox,
  type PostgresInbox,
  type PostgresInboxOptions,
  type PruneOptions,
} from './inbox';
export type { PgPoolClientLike, PgPoolLike, PgQueryResultLike, PoolClientOf } from './pool';
export { DEFAULT_INBOX_TABLE, postgresInboxMigration } from './sql';
