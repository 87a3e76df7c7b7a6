/**
 * A webhook inbox in the merchant's own PostgreSQL: the event's row and the merchant's order update
 * commit in one transaction, so a crash, a failed handler or a duplicate delivery can neither lose an
 * event nor apply it twice.
 */
import { InvalidRequestError } from '../core/errors';
import {
  type DedupeClaim,
  newLeaseToken,
  type TransactionalWebhookInbox,
  type WebhookDedupeStore,
} from '../core/webhooks';
import type { PgPoolClientLike, PgPoolLike, PoolClientOf } from './pool';
import { DEFAULT_INBOX_TABLE, inboxStatements, postgresInboxMigration } from './sql';

/** Options of {@link createPostgresInbox}. */
export interface PostgresInboxOptions {
  /** The inbox table, `name` or `schema.name`. Default `thaipay_webhook_inbox`. */
  table?: string;
  /**
   * How old (since it first arrived) a row must be before {@link PostgresInbox.prune} deletes it.
   * Default 30 days. A handled event is kept anyway until its dedupe TTL ended.
   */
  retentionSeconds?: number;
  /** Most rows one prune statement deletes; prune repeats until nothing is left. Default 10,000. */
  pruneBatchSize?: number;
}

/** What {@link PostgresInbox.prune} takes. */
export interface PruneOptions {
  /** Delete rows that first arrived longer ago than this. Default: the inbox's `retentionSeconds`. */
  olderThanSeconds?: number;
}

/** The inbox: a lease-based dedupe store and a transactional inbox on one table. */
export interface PostgresInbox<Db extends PgPoolClientLike = PgPoolClientLike>
  extends WebhookDedupeStore,
    TransactionalWebhookInbox<Db> {
  /** The table, as given (or the default). */
  readonly table: string;
  /** Create the table and its index when missing; safe to run from several instances at once. */
  migrate(): Promise<void>;
  /**
   * Delete rows older than `olderThanSeconds` that no delivery needs any more: handled events whose TTL
   * ended, and unhandled rows nobody holds (a failed event's row; its next delivery inserts it again).
   * A row inside its TTL, under a live lease, or locked by a running handler is kept. Resolves to how
   * many rows were deleted; deletes in batches of `pruneBatchSize`.
   */
  prune(options?: PruneOptions): Promise<number>;
}

const DAY = 24 * 3600;
// Any two-int key works for pg_advisory_xact_lock; this one only serialises concurrent migrations.
const MIGRATION_LOCK = [0x74686169, 0x70617921] as const;
// A row can vanish between the insert and the lock (prune deleted it): try again a few times.
const RETRIES = 3;

interface RowState {
  state: 'pending' | 'processing' | 'handled';
  leased: boolean | null;
  live: boolean | null;
  xid?: string;
}

/**
 * Create the inbox on a node-postgres pool. It serves two ways:
 *
 * - as a `WebhookDedupeStore` (`store:` option of the handlers): `claim` leases the event's row for a
 *   short time under a random token, `complete` marks it handled for the TTL, `release` frees it;
 * - as a `TransactionalWebhookInbox` (`inbox:` option): `handleOnce` records the event and runs
 *   `onEvent(event, { db })` in ONE transaction. A committed handled row answers later deliveries as
 *   `duplicate`; a row locked by a transaction still running answers `in_flight` at once (the handler
 *   replies with a retryable status); a throw, a failed COMMIT or a killed process rolls back the row and
 *   your writes together, so the provider's retry is handled.
 *
 * `onEvent` must finish within the handler's lease: a transaction idle for longer is ended by PostgreSQL
 * (`idle_in_transaction_session_timeout`) and its work rolled back, so a hung handler cannot hold an event
 * forever. Run {@link postgresInboxMigration} (or `inbox.migrate()`) once before use.
 *
 * @throws InvalidRequestError for a pool without `query`/`connect`, or bad options
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createJwtGatewayWebhookHandler } from 'thaipay/jwt-gateway';
 * import { createPostgresInbox } from 'thaipay/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const inbox = createPostgresInbox(pool);
 * await inbox.migrate();
 * export const handler = createJwtGatewayWebhookHandler({
 *   apiKey: process.env.GATEWAY_API_KEY!,
 *   inbox,
 *   onEvent: async (callback, { db }) => {
 *     await db.query('UPDATE orders SET status = $1 WHERE id = $2', [callback.status, callback.orderId]);
 *   },
 * });
 * ```
 */
export function createPostgresInbox<Pool extends PgPoolLike>(
  pool: Pool,
  options: PostgresInboxOptions = {},
): PostgresInbox<PoolClientOf<Pool>> {
  if (pool === null || typeof pool !== 'object') {
    throw InvalidRequestError.field('pool', 'must be a node-postgres Pool');
  }
  if (typeof pool.query !== 'function' || typeof pool.connect !== 'function') {
    throw InvalidRequestError.field('pool', 'must have query() and connect() methods (a node-postgres Pool)');
  }
  const table = options.table ?? DEFAULT_INBOX_TABLE;
  const sql = inboxStatements(table);
  const migration = postgresInboxMigration(table);
  const retention = positive(options.retentionSeconds ?? 30 * DAY, 'retentionSeconds');
  const batch = options.pruneBatchSize ?? 10_000;
  if (!Number.isSafeInteger(batch) || batch < 1) {
    throw InvalidRequestError.field('pruneBatchSize', 'must be a positive integer');
  }

  /** Lock the event's row in the open transaction on `db` and say what may be done with it. */
  const lock = async (
    db: PgPoolClientLike,
    provider: string,
    key: string,
  ): Promise<{ verdict: 'free'; xid: string } | { verdict: 'duplicate' | 'in_flight' | 'missing' }> => {
    const locked = (await db.query(sql.lockRow, [provider, key])).rows[0] as RowState | undefined;
    if (locked) {
      if (locked.state === 'handled' && locked.live) return { verdict: 'duplicate' };
      if (locked.state === 'processing' && locked.leased) return { verdict: 'in_flight' };
      return { verdict: 'free', xid: locked.xid as string };
    }
    // No row: either another transaction holds it (it is being handled right now) or it was deleted.
    const seen = (await db.query(sql.peekRow, [provider, key])).rows[0] as RowState | undefined;
    if (!seen) return { verdict: 'missing' };
    return { verdict: seen.state === 'handled' && seen.live ? 'duplicate' : 'in_flight' };
  };

  const inbox: PostgresInbox<PoolClientOf<Pool>> = {
    table,

    async migrate() {
      await withClient(pool, async (db) => {
        await db.query('BEGIN');
        // Two instances starting together would otherwise race on CREATE TABLE IF NOT EXISTS, which is
        // not atomic against itself (a unique violation on the catalog).
        await db.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
        await db.query(migration);
        await commit(db);
      });
    },

    async claim(key, leaseSeconds): Promise<DedupeClaim> {
      const provider = providerOf(key);
      const lease = positive(leaseSeconds, 'leaseSeconds');
      for (let attempt = 0; attempt < RETRIES; attempt++) {
        const token = newLeaseToken();
        // The common case, one statement: no row yet, so this claim creates it.
        const inserted = await pool.query(sql.insertClaim, [provider, key, token, lease]);
        if (inserted.rowCount === 1) return { state: 'claimed', token };
        const outcome = await withClient(pool, async (db): Promise<DedupeClaim | undefined> => {
          await db.query('BEGIN');
          const found = await lock(db, provider, key);
          if (found.verdict !== 'free') {
            await db.query('ROLLBACK');
            if (found.verdict === 'missing') return undefined;
            return { state: found.verdict === 'duplicate' ? 'done' : 'in_flight' };
          }
          await db.query(sql.leaseRow, [provider, key, token, lease]);
          await commit(db);
          return { state: 'claimed', token };
        });
        if (outcome) return outcome;
      }
      return { state: 'in_flight' };
    },

    async complete(key, token, ttlSeconds) {
      const ttl = positive(ttlSeconds, 'ttlSeconds');
      await pool.query(sql.complete, [providerOf(key), key, checkToken(token), ttl]);
    },

    async release(key, token) {
      await pool.query(sql.release, [providerOf(key), key, checkToken(token)]);
    },

    async handleOnce(key, run, { leaseSeconds, ttlSeconds }) {
      const provider = providerOf(key);
      const lease = positive(leaseSeconds, 'leaseSeconds');
      const ttl = positive(ttlSeconds, 'ttlSeconds');
      if (typeof run !== 'function') throw InvalidRequestError.field('run', 'must be a function');
      return withClient(pool, async (db) => {
        for (let attempt = 0; attempt < RETRIES; attempt++) {
          // Autocommitted before the transaction: the row then always exists committed, so two deliveries
          // meet on a row lock (which SKIP LOCKED reads without waiting) and never on an uncommitted
          // insert (which ON CONFLICT would wait on until the first handler finished).
          await db.query(sql.insertPending, [provider, key]);
          await db.query('BEGIN ISOLATION LEVEL READ COMMITTED');
          const found = await lock(db, provider, key);
          if (found.verdict !== 'free') {
            await db.query('ROLLBACK');
            if (found.verdict === 'missing') continue;
            return found.verdict;
          }
          // The lease of a transaction: idle (awaiting something else) longer than this, PostgreSQL ends
          // the session and everything rolls back. Rounded up to whole ms, at least 1 (0 means never).
          const ms = Math.min(2_147_483_647, Math.max(1, Math.ceil(lease * 1000)));
          await db.query("SELECT set_config('idle_in_transaction_session_timeout', $1, true)", [String(ms)]);
          // A throw propagates to withClient, which rolls back (or closes a connection that cannot).
          await run(db as PoolClientOf<Pool>);
          const marked = await db.query(sql.markHandled, [provider, key, ttl, found.xid]);
          if (marked.rowCount !== 1) {
            await db.query('ROLLBACK');
            throw new InvalidRequestError([
              { field: 'onEvent', rule: 'must not commit or roll back the inbox transaction on db' },
            ]);
          }
          await commit(db);
          return 'handled';
        }
        // The row kept being deleted under us: answer as busy, the provider's retry will find it settled.
        return 'in_flight';
      });
    },

    async prune(pruneOptions = {}) {
      const olderThan = positive(pruneOptions.olderThanSeconds ?? retention, 'olderThanSeconds');
      let total = 0;
      for (;;) {
        const deleted = (await pool.query(sql.prune, [olderThan, batch])).rowCount ?? 0;
        total += deleted;
        if (deleted < batch) return total;
      }
    },
  };
  return inbox;
}

/**
 * Check a connection out for `work` and give it back; a connection that failed mid-way (a statement
 * error outside `run`, the server ending the session) is closed rather than reused, since it may still
 * be inside a transaction.
 */
async function withClient<T>(pool: PgPoolLike, work: (db: PgPoolClientLike) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  let lost: Error | undefined;
  // A checked-out pg client with no `error` listener crashes the process when its connection dies.
  const onError = (error: Error) => {
    lost ??= error;
  };
  db.on?.('error', onError);
  let failed: Error | undefined;
  try {
    return await work(db);
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    // Undo whatever the transaction did (the event's row and the merchant's writes alike); a ROLLBACK
    // outside a transaction is only a warning, so this also proves the connection is still usable.
    try {
      await db.query('ROLLBACK');
      failed = undefined;
    } catch {
      // The connection is unusable; `failed` makes the pool close it.
    }
    throw error;
  } finally {
    db.removeListener?.('error', onError);
    db.release(lost ?? failed);
  }
}

/** COMMIT, refusing the answer PostgreSQL gives when the transaction had already failed: ROLLBACK. */
async function commit(db: PgPoolClientLike): Promise<void> {
  const result = await db.query('COMMIT');
  if (result.command === 'ROLLBACK') {
    throw new Error('The inbox transaction failed and was rolled back instead of committed.');
  }
}

/** The provider is the part of a dedupe key before its first `:` (`jwt-gateway:deposit:...`). */
function providerOf(key: string): string {
  if (typeof key !== 'string' || key === '') {
    throw InvalidRequestError.field('key', 'must be a non-empty string');
  }
  const colon = key.indexOf(':');
  return colon > 0 ? key.slice(0, colon) : '';
}

function checkToken(token: string): string {
  if (typeof token !== 'string' || token === '') {
    throw InvalidRequestError.field('token', 'must be the token a claim returned');
  }
  return token;
}

function positive(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw InvalidRequestError.field(name, 'must be a finite number of seconds greater than 0');
  }
  return value;
}
