/**
 * The inbox against a real PostgreSQL: the migration, the lease store (claim / complete / release),
 * the transactional path (handled / duplicate / in_flight / rollback), retention, and option checks.
 * Time is moved by editing the row's timestamps, never by waiting, except where PostgreSQL's own
 * idle-in-transaction timer is the thing under test.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createPostgresInbox,
  DEFAULT_INBOX_TABLE,
  InvalidRequestError,
  type PostgresInbox,
  postgresInboxMigration,
} from '../../src/postgres';
import { dedupeStoreContract } from '../core/dedupe-contract';
import { newPool, uniqueTable } from './helpers';

const KEY = 'jwt-gateway:deposit:DP1:completed';
const OPTIONS = { leaseSeconds: 30, ttlSeconds: 3600 };

interface Row {
  provider: string;
  dedupe_key: string;
  state: string;
  lease_token: string | null;
  has_lease: boolean;
  handled: boolean;
  live: boolean | null;
}

let pool: pg.Pool;
let table: string;
let inbox: PostgresInbox<pg.PoolClient>;

async function rows(): Promise<Row[]> {
  const result = await pool.query<Row>(
    `SELECT provider, dedupe_key, state, lease_token, lease_until IS NOT NULL AS has_lease,
       handled_at IS NOT NULL AS handled, expires_at > now() AS live
     FROM "${table}" ORDER BY dedupe_key`,
  );
  return result.rows;
}

/** Move a row's clock: pretend its lease, TTL or handling happened `seconds` ago. */
async function age(column: 'lease_until' | 'expires_at' | 'handled_at' | 'created_at', seconds: number) {
  await pool.query(`UPDATE "${table}" SET ${column} = now() - make_interval(secs => $1)`, [seconds]);
}

beforeEach(async () => {
  pool ??= newPool({ max: 5 });
  table = uniqueTable();
  inbox = createPostgresInbox(pool, { table });
  await inbox.migrate();
  await pool.query(`CREATE TABLE IF NOT EXISTS "${table}_orders" (id text PRIMARY KEY, paid int NOT NULL)`);
});

describe('migration', () => {
  it('creates the table keyed by provider and dedupe key, and is idempotent under concurrency', async () => {
    await Promise.all([
      inbox.migrate(),
      inbox.migrate(),
      createPostgresInbox(newPool(), { table }).migrate(),
    ]);
    const columns = await pool.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    expect(columns.rows).toStrictEqual([
      { column_name: 'provider', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'dedupe_key', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'state', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'lease_token', data_type: 'text', is_nullable: 'YES' },
      { column_name: 'lease_until', data_type: 'timestamp with time zone', is_nullable: 'YES' },
      { column_name: 'handled_at', data_type: 'timestamp with time zone', is_nullable: 'YES' },
      { column_name: 'expires_at', data_type: 'timestamp with time zone', is_nullable: 'YES' },
      { column_name: 'created_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
    ]);
    const key = await pool.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`,
      [`"${table}"`],
    );
    expect(key.rows).toStrictEqual([{ def: 'PRIMARY KEY (provider, dedupe_key)' }]);
  });

  it('exports the same SQL, usable by hand for a schema-qualified table', async () => {
    const schema = uniqueTable('schema');
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await pool.query(postgresInboxMigration(`${schema}.webhook_inbox`));
    const other = createPostgresInbox(pool, { table: `${schema}.webhook_inbox` });
    expect(await other.handleOnce(KEY, async () => undefined, OPTIONS)).toBe('handled');
    const count = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".webhook_inbox`);
    expect(count.rows).toStrictEqual([{ n: 1 }]);
    expect(postgresInboxMigration()).toContain(`CREATE TABLE IF NOT EXISTS "${DEFAULT_INBOX_TABLE}" (`);
  });

  it('is printed in the README exactly as migrate() runs it', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`sql\n${postgresInboxMigration()}\`\`\`\n`);
  });

  it('refuses a table name that is not a plain identifier, before any SQL is sent', () => {
    for (const bad of ['', 'a.b.c', 'inbox; DROP TABLE orders', 'in"box', '1inbox', 'x'.repeat(49)]) {
      expect(() => createPostgresInbox(pool, { table: bad })).toThrow(InvalidRequestError);
      expect(() => postgresInboxMigration(bad)).toThrow(/table/);
    }
  });
});

describe('as a lease dedupe store', () => {
  it('claims once, answers in_flight while leased, done once completed', async () => {
    const first = await inbox.claim(KEY, 30);
    expect(first.state).toBe('claimed');
    const token = first.state === 'claimed' ? first.token : '';
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(await inbox.claim(KEY, 30)).toStrictEqual({ state: 'in_flight' });
    expect(await rows()).toStrictEqual([
      {
        provider: 'jwt-gateway',
        dedupe_key: KEY,
        state: 'processing',
        lease_token: token,
        has_lease: true,
        handled: false,
        live: null,
      },
    ]);
    await inbox.complete(KEY, token, 3600);
    expect(await inbox.claim(KEY, 30)).toStrictEqual({ state: 'done' });
    expect(await rows()).toStrictEqual([
      {
        provider: 'jwt-gateway',
        dedupe_key: KEY,
        state: 'handled',
        lease_token: null,
        has_lease: false,
        handled: true,
        live: true,
      },
    ]);
  });

  it('release frees the event for the retry, but only with the token of the claim', async () => {
    const first = await inbox.claim(KEY, 30);
    if (first.state !== 'claimed') throw new Error('expected a claim');
    await inbox.release(KEY, 'not-the-token');
    expect(await inbox.claim(KEY, 30)).toStrictEqual({ state: 'in_flight' });
    await inbox.release(KEY, first.token);
    expect(await rows()).toStrictEqual([]);
    const retry = await inbox.claim(KEY, 30);
    expect(retry.state).toBe('claimed');
    expect(retry.state === 'claimed' && retry.token).not.toBe(first.token);
  });

  it('an expired lease (a crashed instance) can be claimed again, and the old token no longer releases it', async () => {
    const first = await inbox.claim(KEY, 30);
    if (first.state !== 'claimed') throw new Error('expected a claim');
    await age('lease_until', 1);
    const second = await inbox.claim(KEY, 30);
    if (second.state !== 'claimed') throw new Error(`expected a claim, got ${second.state}`);
    expect(second.token).not.toBe(first.token);
    await inbox.release(KEY, first.token);
    expect(await inbox.claim(KEY, 30)).toStrictEqual({ state: 'in_flight' });
  });

  it('complete keeps a success whose lease ran out unless another claimant holds a live lease', async () => {
    const first = await inbox.claim(KEY, 30);
    if (first.state !== 'claimed') throw new Error('expected a claim');
    await age('lease_until', 1);
    // Nobody took the event since: the success is recorded.
    await inbox.complete(KEY, first.token, 3600);
    expect(await inbox.claim(KEY, 30)).toStrictEqual({ state: 'done' });

    const other = 'jwt-gateway:deposit:DP2:completed';
    const mine = await inbox.claim(other, 30);
    if (mine.state !== 'claimed') throw new Error('expected a claim');
    await age('lease_until', 1);
    const theirs = await inbox.claim(other, 30);
    if (theirs.state !== 'claimed') throw new Error('expected a claim');
    // Another live lease: left to its holder, who completes (or releases) it.
    await inbox.complete(other, mine.token, 3600);
    expect(await inbox.claim(other, 30)).toStrictEqual({ state: 'in_flight' });
    await inbox.complete(other, theirs.token, 3600);
    expect(await inbox.claim(other, 30)).toStrictEqual({ state: 'done' });
  });

  it('a handled event is forgotten once its TTL ends', async () => {
    const first = await inbox.claim(KEY, 30);
    if (first.state !== 'claimed') throw new Error('expected a claim');
    await inbox.complete(KEY, first.token, 3600);
    await age('expires_at', 1);
    expect((await inbox.claim(KEY, 30)).state).toBe('claimed');
  });

  it('answers in_flight while a transactional handler holds the row', async () => {
    let finish!: () => void;
    let started!: () => void;
    const inside = new Promise<void>((resolve) => {
      started = resolve;
    });
    const running = inbox.handleOnce(
      KEY,
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
          started();
        }),
      OPTIONS,
    );
    await inside;
    expect(await inbox.claim(KEY, 30)).toStrictEqual({ state: 'in_flight' });
    finish();
    expect(await running).toBe('handled');
    expect(await inbox.claim(KEY, 30)).toStrictEqual({ state: 'done' });
  });

  it('refuses bad arguments with a typed error naming them', async () => {
    await expect(inbox.claim('', 30)).rejects.toThrow(/key/);
    for (const lease of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(inbox.claim(KEY, lease)).rejects.toThrow(InvalidRequestError);
      await expect(inbox.claim(KEY, lease)).rejects.toThrow(/leaseSeconds/);
    }
    await expect(inbox.complete(KEY, 'token', Number.NaN)).rejects.toThrow(/ttlSeconds/);
    await expect(inbox.release(KEY, '')).rejects.toThrow(/token/);
    expect(await rows()).toStrictEqual([]);
  });
});

describe('the dedupe store contract every store keeps', () => {
  dedupeStoreContract(async () => {
    const own = uniqueTable();
    const store = createPostgresInbox(pool, { table: own });
    await store.migrate();
    return {
      store,
      // What the server's clock would do: the lease and the TTL are over.
      expire: async (key: string) => {
        await pool.query(
          `UPDATE "${own}" SET lease_until = now() - interval '1 second', expires_at = now() - interval '1 second'
           WHERE dedupe_key = $1`,
          [key],
        );
      },
    };
  });
});

describe('as a transactional inbox', () => {
  const pay = (id: string) => async (db: pg.PoolClient) => {
    await db.query(
      `INSERT INTO "${table}_orders" (id, paid) VALUES ($1, 1)
      ON CONFLICT (id) DO UPDATE SET paid = "${table}_orders".paid + 1`,
      [id],
    );
  };
  const orders = async () => (await pool.query(`SELECT id, paid FROM "${table}_orders" ORDER BY id`)).rows;

  it('runs the handler once and answers later deliveries as duplicates', async () => {
    expect(await inbox.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('handled');
    expect(await inbox.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('duplicate');
    expect(await orders()).toStrictEqual([{ id: 'DP1', paid: 1 }]);
    expect(await rows()).toStrictEqual([
      {
        provider: 'jwt-gateway',
        dedupe_key: KEY,
        state: 'handled',
        lease_token: null,
        has_lease: false,
        handled: true,
        live: true,
      },
    ]);
    // A store claim sees the same truth.
    expect(await inbox.claim(KEY, 30)).toStrictEqual({ state: 'done' });
  });

  it('a throwing handler rolls back its writes with the event; the retry is handled', async () => {
    const failure = new Error('merchant bug');
    await expect(
      inbox.handleOnce(
        KEY,
        async (db) => {
          await pay('DP1')(db);
          throw failure;
        },
        OPTIONS,
      ),
    ).rejects.toBe(failure);
    expect(await orders()).toStrictEqual([]);
    expect((await rows()).map((r) => r.state)).toStrictEqual(['pending']);
    expect(await inbox.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('handled');
    expect(await orders()).toStrictEqual([{ id: 'DP1', paid: 1 }]);
  });

  it('a handler that swallowed a failed statement cannot commit half a transaction', async () => {
    await expect(
      inbox.handleOnce(
        KEY,
        async (db) => {
          await pay('DP1')(db);
          await db.query('SELECT 1/0').catch(() => undefined);
        },
        OPTIONS,
      ),
    ).rejects.toThrow(/aborted/);
    expect(await orders()).toStrictEqual([]);
    expect(await inbox.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('handled');
  });

  it('a handler that commits the inbox transaction itself is refused, and the event stays unhandled', async () => {
    await expect(
      inbox.handleOnce(
        KEY,
        async (db) => {
          await db.query('COMMIT');
        },
        OPTIONS,
      ),
    ).rejects.toThrow(/onEvent/);
    expect((await rows()).map((r) => r.state)).toStrictEqual(['pending']);
    expect(await inbox.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('handled');
  });

  it('answers in_flight at once while another pool is inside the handler, and the event is applied once', async () => {
    const other = createPostgresInbox(newPool({ max: 2 }), { table });
    let finish!: () => void;
    let started!: () => void;
    const inside = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = inbox.handleOnce(
      KEY,
      async (db) => {
        await pay('DP1')(db);
        started();
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
      OPTIONS,
    );
    await inside;
    expect(await other.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('in_flight');
    finish();
    expect(await first).toBe('handled');
    expect(await other.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('duplicate');
    expect(await orders()).toStrictEqual([{ id: 'DP1', paid: 1 }]);
  });

  it('respects a live store lease, and takes over an expired one', async () => {
    const claim = await inbox.claim(KEY, 30);
    expect(claim.state).toBe('claimed');
    expect(await inbox.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('in_flight');
    await age('lease_until', 1);
    expect(await inbox.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('handled');
    expect(await orders()).toStrictEqual([{ id: 'DP1', paid: 1 }]);
  });

  it('handles an event again once its TTL ended', async () => {
    expect(await inbox.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('handled');
    await age('expires_at', 1);
    expect(await inbox.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('handled');
    expect(await orders()).toStrictEqual([{ id: 'DP1', paid: 2 }]);
  });

  it('a handler idle past its lease is ended by PostgreSQL and rolled back; the pool stays usable', async () => {
    const small = newPool({ max: 1 });
    const leased = createPostgresInbox(small, { table });
    small.on('error', () => undefined);
    await expect(
      leased.handleOnce(
        KEY,
        async (db) => {
          await pay('DP1')(db);
          // Longer than the 0.2 s lease: the server ends this session.
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          await db.query('SELECT 1');
        },
        { leaseSeconds: 0.2, ttlSeconds: 3600 },
      ),
    ).rejects.toThrow();
    expect(await orders()).toStrictEqual([]);
    // The killed connection was discarded: the same one-connection pool handles the retry.
    expect(await leased.handleOnce(KEY, pay('DP1'), OPTIONS)).toBe('handled');
    expect(await orders()).toStrictEqual([{ id: 'DP1', paid: 1 }]);
  });

  it('returns every connection to the pool, whatever the outcome', async () => {
    const small = newPool({ max: 1 });
    const one = createPostgresInbox(small, { table });
    await one.handleOnce(KEY, pay('DP1'), OPTIONS);
    await one.handleOnce(KEY, pay('DP1'), OPTIONS);
    await one
      .handleOnce('thb-collect:x', async () => Promise.reject(new Error('no')), OPTIONS)
      .catch(() => 0);
    await one.claim('thb-collect:y', 30);
    await one.claim('thb-collect:y', 30);
    expect({ total: small.totalCount, idle: small.idleCount, waiting: small.waitingCount }).toStrictEqual({
      total: 1,
      idle: 1,
      waiting: 0,
    });
  });

  it('applies each of 50 events exactly once when two pools race 10 simultaneous deliveries of each', async () => {
    const a = createPostgresInbox(newPool({ max: 8 }), { table });
    const b = createPostgresInbox(newPool({ max: 8 }), { table });
    // The ten copies of an event are sent together, alternating pools, and each handler holds its
    // transaction a few ms: copies of one event really are inside handleOnce at the same time.
    const slowPay = (id: string) => async (db: pg.PoolClient) => {
      await pay(id)(db);
      await db.query('SELECT pg_sleep(0.005)');
    };
    const deliveries: Promise<'handled' | 'duplicate' | 'in_flight'>[] = [];
    for (let n = 0; n < 50; n++) {
      for (let copy = 0; copy < 10; copy++) {
        const target = copy % 2 === 0 ? a : b;
        deliveries.push(target.handleOnce(`jwt-gateway:deposit:O${n}:completed`, slowPay(`O${n}`), OPTIONS));
      }
    }
    const outcomes = await Promise.all(deliveries);
    // Delivery i carries event floor(i / 10): each event is handled by exactly one of its ten deliveries.
    const handledPerEvent = new Array<number>(50).fill(0);
    const counts = { handled: 0, duplicate: 0, in_flight: 0 };
    outcomes.forEach((outcome, i) => {
      counts[outcome] += 1;
      if (outcome === 'handled') handledPerEvent[Math.floor(i / 10)] += 1;
    });
    expect(handledPerEvent).toStrictEqual(new Array<number>(50).fill(1));
    expect(counts.handled + counts.duplicate + counts.in_flight).toBe(500);
    // The race did happen: copies met a transaction still running and were told to retry.
    expect(counts.in_flight).toBeGreaterThan(0);
    const applied = await orders();
    expect(applied).toHaveLength(50);
    expect(applied.every((row) => row.paid === 1)).toBe(true);
  });

  it('refuses bad arguments before touching the database', async () => {
    await expect(inbox.handleOnce(KEY, pay('DP1'), { leaseSeconds: 0, ttlSeconds: 10 })).rejects.toThrow(
      /leaseSeconds/,
    );
    await expect(
      inbox.handleOnce(KEY, pay('DP1'), { leaseSeconds: 10, ttlSeconds: Number.NaN }),
    ).rejects.toThrow(/ttlSeconds/);
    expect(await rows()).toStrictEqual([]);
  });
});

describe('retention', () => {
  it('prune deletes old rows that no longer dedupe anything, and keeps the rest', async () => {
    const handled = ['p:old-expired', 'p:old-live', 'p:recent-expired'];
    for (const key of handled) await inbox.handleOnce(key, async () => undefined, OPTIONS);
    await inbox
      .handleOnce('p:old-pending', async () => Promise.reject(new Error('x')), OPTIONS)
      .catch(() => 0);
    await inbox.claim('p:old-leased', 30);
    await inbox.claim('p:old-lease-expired', 30);
    const set = (assignment: string, keys: string[]) =>
      pool.query(`UPDATE "${table}" SET ${assignment} WHERE dedupe_key = ANY($1)`, [keys]);
    await set("expires_at = now() - interval '1 second'", ['p:old-expired', 'p:recent-expired']);
    await set("lease_until = now() - interval '1 second'", ['p:old-lease-expired']);

    await set("created_at = now() - interval '2 days'", [
      'p:old-expired',
      'p:old-live',
      'p:old-pending',
      'p:old-leased',
      'p:old-lease-expired',
    ]);
    expect(await inbox.prune({ olderThanSeconds: 24 * 3600 })).toBe(3);
    expect((await rows()).map((r) => [r.dedupe_key, r.state])).toStrictEqual([
      ['p:old-leased', 'processing'],
      ['p:old-live', 'handled'],
      ['p:recent-expired', 'handled'],
    ]);
  });

  it('never deletes a row a running handler holds, however old', async () => {
    await inbox.handleOnce('p:busy', async () => Promise.reject(new Error('x')), OPTIONS).catch(() => 0);
    await age('created_at', 2 * 24 * 3600);
    let finish!: () => void;
    let started!: () => void;
    const inside = new Promise<void>((resolve) => {
      started = resolve;
    });
    const busy = inbox.handleOnce(
      'p:busy',
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
          started();
        }),
      OPTIONS,
    );
    await inside;
    expect(await inbox.prune({ olderThanSeconds: 24 * 3600 })).toBe(0);
    finish();
    expect(await busy).toBe('handled');
    expect((await rows()).map((r) => [r.dedupe_key, r.state])).toStrictEqual([['p:busy', 'handled']]);
  });

  it('prunes in batches until nothing old is left, with the retention of the options by default', async () => {
    const batched = createPostgresInbox(pool, { table, retentionSeconds: 60, pruneBatchSize: 2 });
    for (let n = 0; n < 5; n++) await batched.handleOnce(`p:${n}`, async () => undefined, OPTIONS);
    await inbox.handleOnce('p:new', async () => undefined, OPTIONS);
    await age('expires_at', 1);
    await pool.query(
      `UPDATE "${table}" SET created_at = now() - interval '61 seconds' WHERE dedupe_key <> 'p:new'`,
    );
    expect(await batched.prune()).toBe(5);
    expect((await rows()).map((r) => r.dedupe_key)).toStrictEqual(['p:new']);
  });

  it('refuses bad retention options', () => {
    expect(() => createPostgresInbox(pool, { retentionSeconds: Number.NaN })).toThrow(/retentionSeconds/);
    expect(() => createPostgresInbox(pool, { pruneBatchSize: 0 })).toThrow(/pruneBatchSize/);
    return expect(inbox.prune({ olderThanSeconds: -1 })).rejects.toThrow(/olderThanSeconds/);
  });
});

describe('the pool', () => {
  it('must look like a node-postgres Pool', () => {
    expect(() => createPostgresInbox(null as unknown as pg.Pool)).toThrow(/pool/);
    expect(() => createPostgresInbox({ query: () => undefined } as unknown as pg.Pool)).toThrow(
      /query\(\) and connect\(\)/,
    );
  });
});
