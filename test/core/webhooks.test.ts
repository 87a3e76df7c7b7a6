import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, WebhookVerificationError } from '../../src/core/errors';
import {
  bodyKindOf,
  bodyToFields,
  createMemoryDedupeStore,
  createWebhookHandler,
  parseFormBody,
  parseJsonBody,
  readRequestText,
  type TransactionalWebhookInbox,
  toNodeHandler,
  type WebhookDedupeStore,
} from '../../src/core/webhooks';
import { createThbWebhookHandler } from '../../src/thb-collect';
import { dedupeStoreContract } from './dedupe-contract';

describe('body parsing', () => {
  it('parses JSON objects and refuses everything else with a WebhookVerificationError', () => {
    expect(parseJsonBody('{"a":1,"b":"x"}')).toEqual({ a: 1, b: 'x' });
    for (const bad of ['', '   ', 'null', '"str"', '[1]', '{"a":', '<html>']) {
      expect(() => parseJsonBody(bad)).toThrow(WebhookVerificationError);
    }
  });

  it('refuses prototype keys at any depth without polluting Object.prototype', () => {
    for (const text of [
      '{"__proto__":{"x":1}}',
      '{"a":{"constructor":{"prototype":{"x":1}}}}',
      '{"prototype":1}',
    ]) {
      expect(() => parseJsonBody(text)).toThrow(/forbidden field/);
    }
    expect(() => parseFormBody('__proto__=1')).toThrow(/forbidden/);
    expect(() => bodyToFields(JSON.parse('{"__proto__":1}'))).toThrow(/forbidden/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('parses form bodies and refuses repeated fields', () => {
    expect(parseFormBody('orderId=M1&amount=300.00&name=a+b%20c')).toEqual({
      orderId: 'M1',
      amount: '300.00',
      name: 'a b c',
    });
    expect(() => parseFormBody('status=2&status=3')).toThrow(/repeats/);
  });

  it('tells content types apart', () => {
    expect(bodyKindOf('application/json; charset=utf-8')).toBe('json');
    expect(bodyKindOf('application/x-www-form-urlencoded')).toBe('form');
    expect(bodyKindOf(undefined)).toBe('unknown');
    expect(bodyKindOf('text/html')).toBeUndefined();
    expect(() => bodyToFields('a=1', { contentType: 'multipart/form-data' })).toThrow(/JSON or form/);
    expect(
      bodyToFields('a=1', { contentType: 'application/x-www-form-urlencoded', allowForm: true }),
    ).toEqual({ a: '1' });
  });

  it('enforces the size limit on strings, bytes and streamed requests', async () => {
    const big = `{"a":"${'x'.repeat(100)}"}`;
    expect(() => bodyToFields(big, { maxBytes: 50 })).toThrow(/50-byte limit/);
    expect(() => bodyToFields(new TextEncoder().encode(big), { maxBytes: 50 })).toThrow(/limit/);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(20));
        controller.close();
      },
    });
    const request = new Request('http://x/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    await expect(readRequestText(request, 100)).rejects.toThrow(/limit/);
    expect(await readRequestText(new Request('http://x/', { method: 'POST', body: 'héllo' }), 100)).toBe(
      'héllo',
    );
  });
});

describe('createMemoryDedupeStore', () => {
  dedupeStoreContract(() => {
    let t = 0;
    const store = createMemoryDedupeStore({ now: () => t });
    // Past any lease or TTL the tests use.
    return {
      store,
      expire: () => {
        t += 400 * 24 * 3600 * 1000;
      },
    };
  });

  it('stays bounded, evicting the oldest keys first', async () => {
    const store = createMemoryDedupeStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) store.claim(`k${i}`, 60);
    expect(store.size).toBe(100);
    expect(await store.claim('k999', 60)).toStrictEqual({ state: 'in_flight' });
    expect((await store.claim('k0', 60)).state).toBe('claimed');
  });

  it('refuses a maxEntries that is not a positive integer, naming it', () => {
    for (const bad of [0, -1, Number.NaN, 1.5]) {
      expect(() => createMemoryDedupeStore({ maxEntries: bad })).toThrow(/maxEntries/);
    }
  });
});

describe('createWebhookHandler + toNodeHandler', () => {
  const handler = createWebhookHandler<{ id: string }>({
    verify: async (text) => {
      const fields = parseJsonBody(text);
      if (fields.ok !== true) throw new WebhookVerificationError('bad');
      return { id: String(fields.id) };
    },
    dedupeKey: (e) => e.id,
    acknowledge: () => new Response('ACK'),
    onEvent: () => undefined,
    maxBodyBytes: 1024,
  });

  async function withServer(
    middleware: (req: import('node:http').IncomingMessage & { body?: unknown }) => void,
    run: (port: number) => Promise<void>,
  ) {
    const node = toNodeHandler(handler, { maxBodyBytes: 1024 });
    const server = createServer((req, res) => {
      middleware(req);
      void node(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run((server.address() as AddressInfo).port);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  function send(port: number, body: string, contentType = 'application/json') {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/hook', headers: { 'content-type': contentType } },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('reads the raw body from a node:http stream', async () => {
    await withServer(
      () => undefined,
      async (port) => {
        expect(await send(port, '{"ok":true,"id":"1"}')).toEqual({ status: 200, text: 'ACK' });
        expect((await send(port, '{"ok":false}')).status).toBe(400);
        expect((await send(port, `{"ok":true,"pad":"${'x'.repeat(2000)}"}`)).status).toBe(413);
      },
    );
  });

  it('uses a body a parser already produced (object or Buffer)', async () => {
    await withServer(
      (req) => {
        req.body = { ok: true, id: '2' };
        (req as { readable?: boolean }).readable = false;
      },
      async (port) => {
        expect(await send(port, 'ignored')).toEqual({ status: 200, text: 'ACK' });
      },
    );
    await withServer(
      (req) => {
        req.body = Buffer.from('{"ok":true,"id":"3"}');
      },
      async (port) => {
        expect((await send(port, 'ignored')).status).toBe(200);
      },
    );
  });
});

describe('createWebhookHandler with a transactional inbox', () => {
  interface Tx {
    readonly id: number;
    writes: string[];
  }

  /** An inbox that commits `run`'s writes and the key together, or neither, as a database would. */
  function fakeInbox(state: { committed: Map<string, string[]>; inFlight: Set<string>; broken?: boolean }) {
    let next = 0;
    const inbox: TransactionalWebhookInbox<Tx> = {
      async handleOnce(key, run, options) {
        expect(options).toStrictEqual({ leaseSeconds: 60, ttlSeconds: 7 * 24 * 3600 });
        if (state.broken) throw new Error('connection refused');
        if (state.committed.has(key)) return 'duplicate';
        if (state.inFlight.has(key)) return 'in_flight';
        const tx: Tx = { id: ++next, writes: [] };
        await run(tx); // a throw rolls back: nothing is recorded
        state.committed.set(key, tx.writes);
        return 'handled';
      },
    };
    return inbox;
  }

  function handlerWith(inbox: TransactionalWebhookInbox<Tx>, onEvent: (e: { id: string }, tx: Tx) => void) {
    return createWebhookHandler<{ id: string }, Tx>({
      verify: async (text) => ({ id: String(parseJsonBody(text).id) }),
      dedupeKey: (e) => e.id,
      acknowledge: () => new Response('ACK'),
      onEvent: (event, { db }) => onEvent(event, db),
      inbox,
    });
  }

  const post = (id: string) =>
    new Request('http://127.0.0.1/hook', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id }),
    });

  it('runs onEvent with the transaction, once; a duplicate is acknowledged without running it', async () => {
    const state = { committed: new Map<string, string[]>(), inFlight: new Set<string>() };
    const seen: number[] = [];
    const handler = handlerWith(fakeInbox(state), (event, tx) => {
      seen.push(tx.id);
      tx.writes.push(`order ${event.id} paid`);
    });
    expect((await handler(post('E1'))).status).toBe(200);
    expect((await handler(post('E1'))).status).toBe(200);
    expect(seen).toStrictEqual([1]);
    expect([...state.committed]).toStrictEqual([['E1', ['order E1 paid']]]);
  });

  it('in flight elsewhere: 503 with Retry-After, not acknowledged; onEvent failing: 500 and nothing recorded', async () => {
    const state = { committed: new Map<string, string[]>(), inFlight: new Set(['E2']) };
    let calls = 0;
    const handler = handlerWith(fakeInbox(state), () => {
      calls++;
      throw new Error('constraint violated');
    });
    const busy = await handler(post('E2'));
    expect([busy.status, busy.headers.get('retry-after')]).toStrictEqual([503, '60']);
    expect((await handler(post('E3'))).status).toBe(500);
    expect(calls).toBe(1);
    expect(state.committed.size).toBe(0);
  });

  it('an inbox that fails before onEvent answers 503 (retry later)', async () => {
    const errors: unknown[] = [];
    const handler = createWebhookHandler<{ id: string }, Tx>({
      verify: async () => ({ id: 'E4' }),
      dedupeKey: (e) => e.id,
      acknowledge: () => new Response('ACK'),
      onEvent: () => undefined,
      inbox: fakeInbox({ committed: new Map(), inFlight: new Set(), broken: true }),
      onError: (error) => errors.push(error),
    });
    expect((await handler(post('E4'))).status).toBe(503);
    expect(errors).toHaveLength(1);
  });

  it('refuses an inbox without handleOnce and a store without the lease methods, naming them', () => {
    const base = {
      verify: async () => ({ id: '1' }),
      dedupeKey: () => '1',
      acknowledge: () => new Response('ACK'),
      onEvent: () => undefined,
    };
    const fields = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidRequestError);
        return (error as InvalidRequestError).issues.map((i) => i.field);
      }
      return [];
    };
    expect(
      fields(() => createWebhookHandler({ ...base, inbox: {} as TransactionalWebhookInbox<undefined> })),
    ).toStrictEqual(['inbox']);
    // A store of the old boolean contract (claim + release only) is refused rather than misread.
    const oldStore = { claim: () => true, release: () => undefined } as unknown as WebhookDedupeStore;
    expect(fields(() => createWebhookHandler({ ...base, store: oldStore }))).toStrictEqual(['store']);
  });
});

describe('handler option types (checked by tsc -p test/tsconfig.json)', () => {
  it('onEvent gets the configured kind, `unknown` without one, and the inbox transaction as db', () => {
    const keys = { secretKey: 's', platformPublicKey: 'k' };
    const typeOnly = (_: unknown) => undefined;
    typeOnly(() =>
      createThbWebhookHandler({
        ...keys,
        onEvent: (n) => {
          const kind: 'unknown' = n.kind;
          typeOnly([kind, n.inBankCode, n.hash, n.originalAmountSatang]);
        },
      }),
    );
    typeOnly(() =>
      createThbWebhookHandler({
        ...keys,
        kind: 'payout',
        onEvent: (n) => {
          const kind: 'payout' = n.kind;
          // @ts-expect-error a payout notification has no inBankCode
          typeOnly([kind, n.hash, n.inBankCode]);
        },
      }),
    );
    typeOnly(() =>
      createThbWebhookHandler({
        ...keys,
        kind: 'collection',
        inbox: {} as TransactionalWebhookInbox<{ query(sql: string): Promise<void> }>,
        onEvent: async (n, { db }) => db.query(`update orders set status = '${n.status}'`),
      }),
    );
    typeOnly(() =>
      // @ts-expect-error store and inbox together
      createThbWebhookHandler({
        ...keys,
        store: createMemoryDedupeStore(),
        inbox: {} as TransactionalWebhookInbox<number>,
        onEvent: () => undefined,
      }),
    );
    expect(typeOnly(0)).toBeUndefined();
  });
});
