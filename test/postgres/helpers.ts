/** Pools for the PostgreSQL suite, connected to the server test/postgres/setup.ts started. */
import pg from 'pg';
import { afterAll, inject } from 'vitest';

const opened: pg.Pool[] = [];

afterAll(async () => {
  await Promise.all(opened.splice(0).map((pool) => pool.end()));
});

/** Connection settings of the test server. */
export function connection(): pg.PoolConfig {
  return { host: '127.0.0.1', port: inject('postgresPort'), user: 'postgres', database: 'postgres' };
}

/** A new pool on the test server; ended after the file's tests. */
export function newPool(options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ ...connection(), ...options });
  opened.push(pool);
  return pool;
}

let sequence = 0;
/** A table name no other test uses, so tests sharing the one server never see each other's rows. */
export function uniqueTable(prefix = 'inbox'): string {
  sequence += 1;
  return `${prefix}_${process.pid}_${sequence}_${Math.random().toString(36).slice(2, 8)}`;
}
