/**
 * The inbox table and every statement the inbox sends, built once per table name. Values always travel
 * as parameters; only the table name is spliced in, after {@link quoteTable} accepted it.
 */
import { InvalidRequestError } from '../core/errors';

/** The table used when none is given. */
export const DEFAULT_INBOX_TABLE = 'thaipay_webhook_inbox';

// Plain identifiers only, short enough that the index name derived from them stays within PostgreSQL's
// 63-byte limit (a longer name would be truncated silently, and two tables could share an index name).
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/**
 * Check a table name (`table` or `schema.table`, letters, digits and `_`) and quote it for SQL.
 *
 * @throws InvalidRequestError naming the `table` option when it is not such a name
 * @example
 * ```ts
 * quoteTable('billing.webhook_inbox'); // '"billing"."webhook_inbox"'
 * ```
 */
export function quoteTable(table: string): { quoted: string; indexName: string } {
  const parts = typeof table === 'string' ? table.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw InvalidRequestError.field(
      'table',
      'must be a table name or schema.table, each part a letter or _ then up to 47 letters, digits or _',
    );
  }
  const name = parts[parts.length - 1] as string;
  return { quoted: parts.map((part) => `"${part}"`).join('.'), indexName: `"${name}_created_idx"` };
}

/**
 * The migration that creates the inbox table, for a given table name (idempotent: `IF NOT EXISTS`).
 *
 * One row per event, keyed by provider and dedupe key. `state` is `pending` (recorded, not handled:
 * free, or held by the row lock of a transaction handling it), `processing` (leased by a dedupe-store
 * claim until `lease_until`, under `lease_token`) or `handled` (at `handled_at`; a duplicate until
 * `expires_at`). The index on `created_at` serves `inbox.prune()`.
 *
 * @example
 * ```ts
 * await pool.query(postgresInboxMigration('billing.webhook_inbox'));
 * ```
 */
export function postgresInboxMigration(table: string = DEFAULT_INBOX_TABLE): string {
  const { quoted, indexName } = quoteTable(table);
  return `CREATE TABLE IF NOT EXISTS ${quoted} (
  provider    text        NOT NULL,
  dedupe_key  text        NOT NULL,
  state       text        NOT NULL DEFAULT 'pending'
                          CHECK (state IN ('pending', 'processing', 'handled')),
  lease_token text,
  lease_until timestamptz,
  handled_at  timestamptz,
  expires_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, dedupe_key)
);
CREATE INDEX IF NOT EXISTS ${indexName} ON ${quoted} (created_at);
`;
}

/** The statements of one inbox table. */
export interface InboxStatements {
  /** $1 provider, $2 key: record the event as pending, autocommitted, unless a row exists. */
  insertPending: string;
  /** $1 provider, $2 key, $3 token, $4 lease seconds: a fresh claim, or nothing when a row exists. */
  insertClaim: string;
  /** $1 provider, $2 key: lock the row unless another transaction holds it; describe it. */
  lockRow: string;
  /** $1 provider, $2 key: the row as committed, without locking it. */
  peekRow: string;
  /** $1 provider, $2 key, $3 token, $4 lease seconds: lease a locked row. */
  leaseRow: string;
  /** $1 provider, $2 key, $3 ttl seconds, $4 xid: mark handled inside the transaction that locked it. */
  markHandled: string;
  /** $1 provider, $2 key, $3 token, $4 ttl seconds: record a store claim's success. */
  complete: string;
  /** $1 provider, $2 key, $3 token: drop a store claim that still holds this token. */
  release: string;
  /** $1 age in seconds, $2 batch size: delete rows nobody needs any more, skipping busy rows. */
  prune: string;
}

/**
 * Build the statements for a table.
 *
 * @example
 * ```ts
 * const sql = inboxStatements('thaipay_webhook_inbox');
 * ```
 */
export function inboxStatements(table: string): InboxStatements {
  const t = quoteTable(table).quoted;
  const where = 'provider = $1 AND dedupe_key = $2';
  // Computed by the server, so every app instance judges leases and TTLs by the same clock.
  const describe = `state, lease_until > now() AS leased, expires_at > now() AS live`;
  return {
    insertPending: `INSERT INTO ${t} (provider, dedupe_key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
    insertClaim: `INSERT INTO ${t} (provider, dedupe_key, state, lease_token, lease_until)
VALUES ($1, $2, 'processing', $3, now() + make_interval(secs => $4))
ON CONFLICT DO NOTHING RETURNING lease_token`,
    // SKIP LOCKED: a row held by a transaction still running its handler comes back as no row at all,
    // at once, instead of making this delivery wait for that transaction to end.
    lockRow: `SELECT ${describe}, txid_current()::text AS xid FROM ${t} WHERE ${where} FOR UPDATE SKIP LOCKED`,
    peekRow: `SELECT ${describe} FROM ${t} WHERE ${where}`,
    leaseRow: `UPDATE ${t} SET state = 'processing', lease_token = $3,
  lease_until = now() + make_interval(secs => $4), handled_at = NULL, expires_at = NULL
WHERE ${where}`,
    // The xid check fails (no row) when onEvent committed or rolled back the transaction itself: the
    // update would otherwise autocommit alone, recording an event whose effects may be gone.
    markHandled: `UPDATE ${t} SET state = 'handled', lease_token = NULL, lease_until = NULL,
  handled_at = clock_timestamp(), expires_at = clock_timestamp() + make_interval(secs => $3)
WHERE ${where} AND txid_current()::text = $4`,
    // The contract of every store: the success is kept while this token still owns the row, or when no
    // other live lease holds it (this lease ran out and nobody took the event since): the event was
    // applied, and remembering that is always right. A live lease of another claimant is left alone.
    complete: `INSERT INTO ${t} AS row (provider, dedupe_key, state, handled_at, expires_at)
VALUES ($1, $2, 'handled', now(), now() + make_interval(secs => $4))
ON CONFLICT (provider, dedupe_key) DO UPDATE SET state = 'handled', lease_token = NULL,
  lease_until = NULL, handled_at = now(), expires_at = now() + make_interval(secs => $4)
WHERE row.lease_token = $3 OR row.state = 'pending'
   OR (row.state = 'processing' AND row.lease_until <= now())
   OR (row.state = 'handled' AND row.expires_at <= now())`,
    release: `DELETE FROM ${t} WHERE ${where} AND state = 'processing' AND lease_token = $3`,
    // Only rows that no longer matter: handled ones whose TTL ended (one still inside it is what
    // answers a late duplicate), unhandled ones nobody holds. `created_at` first, for the index.
    prune: `DELETE FROM ${t} WHERE (provider, dedupe_key) IN (
  SELECT provider, dedupe_key FROM ${t}
  WHERE created_at < now() - make_interval(secs => $1)
    AND ((state = 'handled' AND expires_at <= now())
      OR state = 'pending'
      OR (state = 'processing' AND lease_until <= now()))
  LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  };
}
