/**
 * A process killed inside `onEvent` loses nothing and doubles nothing: an app instance in a child
 * process updates the order inside the inbox transaction and is SIGKILLed there. PostgreSQL rolls the
 * transaction back itself (the order update and the inbox row alike), and the provider's retry, to
 * another instance, applies the event once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { THB_PLATFORM } from '../faults/webhook-fixtures';
import { newPool, uniqueTable } from './helpers';
import {
  type Delivery,
  gatewayDelivery,
  ordersTableSql,
  type Receiver,
  send,
  startReceiver,
  thbDelivery,
} from './receivers';

const children: ChildProcess[] = [];
const receivers: Receiver[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** Start the child instance; resolves with its URL and a function that waits for a line prefix. */
async function startChild(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/postgres/fixtures/receiver-child.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiters: Array<{ prefix: string; resolve: (line: string) => void }> = [];
  lines.on('line', (line) => {
    const index = waiters.findIndex((w) => line.startsWith(w.prefix));
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(line);
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_, signal) => resolve(signal)),
  );
  const waitFor = (prefix: string) =>
    Promise.race([
      new Promise<string>((resolve) => waiters.push({ prefix, resolve })),
      exited.then((signal) => {
        throw new Error(`child exited (${signal}) before printing "${prefix}":\n${stderr}`);
      }),
    ]);
  const url = (await waitFor('listening ')).slice('listening '.length);
  return { child, url, waitFor, exited };
}

/** The provider's retries: re-send until acknowledged (503 while PostgreSQL still ends the dead session). */
async function deliverUntilAcknowledged(receiver: Receiver, delivery: Delivery): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 200; attempt++) {
    const { status } = await send(receiver, delivery);
    statuses.push(status);
    if (status === 200) return statuses;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never acknowledged: ${statuses.join(',')}`);
}

describe.each([
  ['JWT gateway callback', gatewayDelivery],
  ['THB collect notification', thbDelivery],
])('a process SIGKILLed inside onEvent (%s)', (_name, makeDelivery) => {
  it('rolls back, and the retry to another instance applies the event exactly once', async () => {
    const pool: pg.Pool = newPool({ max: 2 });
    const tables = { inbox: uniqueTable('inbox'), orders: uniqueTable('orders') };
    await pool.query(ordersTableSql(tables.orders));
    await pool.query(`INSERT INTO "${tables.orders}" (id) VALUES ('order-crash'), ('order-other')`);
    const appName = uniqueTable('child');
    const child = await startChild({
      PG_PORT: String(inject('postgresPort')),
      INBOX_TABLE: tables.inbox,
      ORDERS_TABLE: tables.orders,
      HANG_ON: 'order-crash',
      APP_NAME: appName,
      THB_PLATFORM_PUBLIC_KEY: THB_PLATFORM.publicPem,
    });
    const childReceiver: Receiver = { url: child.url, close: async () => undefined };
    const delivery = makeDelivery('order-crash');

    // An unrelated event the child handles normally before the crash: committed work must survive it.
    expect(await send(childReceiver, makeDelivery('order-other'))).toStrictEqual({
      status: 200,
      text: delivery.ack,
    });

    const inFlight = send(childReceiver, delivery).then(
      () => 'answered',
      () => 'connection lost',
    );
    await child.waitFor('inside order-crash');
    // The child's update is inside its open transaction: nobody else sees it.
    const before = await pool.query(`SELECT id, status, applied FROM "${tables.orders}" ORDER BY id`);
    expect(before.rows).toStrictEqual([
      { id: 'order-crash', status: 'open', applied: 0 },
      { id: 'order-other', status: 'succeeded', applied: 1 },
    ]);

    child.child.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    expect(await inFlight).toBe('connection lost');

    // The provider retries, this time to another instance.
    const survivor = await startReceiver(newPool({ max: 2 }), tables);
    receivers.push(survivor);
    const statuses = await deliverUntilAcknowledged(survivor, delivery);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    // And again, as a provider that did not see the acknowledgement would: a duplicate, not a second update.
    expect(await send(survivor, delivery)).toStrictEqual({ status: 200, text: delivery.ack });
    expect(await send(survivor, makeDelivery('order-other'))).toStrictEqual({
      status: 200,
      text: delivery.ack,
    });

    const after = await pool.query(`SELECT id, status, applied FROM "${tables.orders}" ORDER BY id`);
    expect(after.rows).toStrictEqual([
      { id: 'order-crash', status: 'succeeded', applied: 1 },
      { id: 'order-other', status: 'succeeded', applied: 1 },
    ]);
    const inbox = await pool.query(`SELECT state, count(*)::int AS n FROM "${tables.inbox}" GROUP BY 1`);
    expect(inbox.rows).toStrictEqual([{ state: 'handled', n: 2 }]);
    // PostgreSQL ends the killed process's sessions itself (each as soon as its backend reads the EOF).
    let sessions = -1;
    for (let attempt = 0; attempt < 200 && sessions !== 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25));
      const found = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [appName],
      );
      sessions = found.rows[0]?.n ?? -1;
    }
    expect(sessions).toBe(0);
  });
});
