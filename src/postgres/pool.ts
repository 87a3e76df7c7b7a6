/**
 * The little of node-postgres (`pg`) the inbox uses, described by shape so `pg` is never imported at
 * runtime (it is an optional peer dependency): a `pg.Pool` fits, and so does any pool with the same
 * `query` / `connect` / `release` methods.
 */

/** What a `query` resolves to: the rows, how many rows the command touched, and its command tag. */
export interface PgQueryResultLike {
  /** The rows returned (by SELECT or RETURNING). */
  rows: unknown[];
  /** Rows inserted, updated, deleted or returned; `null` for commands without a count. */
  rowCount: number | null;
  /** The command tag: `INSERT`, `COMMIT`, or `ROLLBACK` when a COMMIT found the transaction failed. */
  command: string;
}

/** A connection checked out of the pool: `pg.PoolClient`. */
export interface PgPoolClientLike {
  /** Run one parameterised statement on this connection. */
  query(text: string, values?: unknown[]): Promise<PgQueryResultLike>;
  /** Give the connection back; with an error, the pool closes it instead of reusing it. */
  release(error?: Error | boolean): void;
  /** pg clients are EventEmitters: a checked-out client whose connection dies emits `error`. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  /** Removes the `error` listener added while the connection was checked out. */
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection pool: `pg.Pool`. */
export interface PgPoolLike {
  /** Run one statement on any connection, outside a transaction. */
  query(text: string, values?: unknown[]): Promise<PgQueryResultLike>;
  /** Check a connection out, for a transaction. */
  connect(): Promise<PgPoolClientLike>;
}

/**
 * The connection type a pool hands out, so `onEvent(event, { db })` is typed as your `pg.PoolClient`.
 * `pg.Pool#connect` is overloaded (a promise form and a callback form); matching both forms reads the
 * promise form's client, where plain inference would read the last overload and lose it.
 */
export type PoolClientOf<Pool> = Pool extends {
  /** The promise form. */
  connect(): Promise<infer Client>;
  /** The callback form. */
  connect(callback: never): unknown;
}
  ? Client extends PgPoolClientLike
    ? Client
    : PgPoolClientLike
  : Pool extends {
        /** A pool with the promise form only. */
        connect(): Promise<infer Client>;
      }
    ? Client extends PgPoolClientLike
      ? Client
      : PgPoolClientLike
    : PgPoolClientLike;
