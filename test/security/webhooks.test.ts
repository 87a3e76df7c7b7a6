/**
 * Attack replays of the webhook findings of issue 12 (#2 unsigned empty fields, #3 sign-string re-split,
 * #4 events lost under retries, #5 options that switched protections off, #6 slow bodies). Each replays
 * the attack as it was reported and asserts it is refused or handled exactly once.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidRequestError, WebhookVerificationError } from '../../src/core/errors';
import {
  createMemoryDedupeStore,
  createWebhookHandler,
  type NodeLikeRequest,
  type NodeLikeResponse,
  toNodeHandler,
} from '../../src/core/webhooks';
import { createJwtGatewayWebhookHandler } from '../../src/jwt-gateway';
import {
  createThbWebhookHandler,
  type ThbNotification,
  verifyThbNotification,
  verifyThbParams,
} from '../../src/thb-collect';
import {
  formBody,
  JWT_API_KEY,
  THB_PLATFORM,
  THB_SECRET_KEY,
  thbNotificationFields,
  thbSigned,
  thbSignString,
  webhookRequest,
} from '../faults/webhook-fixtures';

const keys = { secretKey: THB_SECRET_KEY, platformPublicKey: THB_PLATFORM.publicPem };
const FORM = 'application/x-www-form-urlencoded';

/** A genuine collection notification as the platform signs it (no `hash`: a THB collection has none). */
const { errorMsg: _noError, ...collectionFields } = thbNotificationFields();
const genuine = thbSigned(collectionFields);

function fieldsOf(error: unknown): string[] {
  expect(error).toBeInstanceOf(InvalidRequestError);
  return (error as InvalidRequestError).issues.map((issue) => issue.field);
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

/** A promise with its resolve and reject outside. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('#2 an unsigned empty field must not change an event or create a second one', () => {
  const variants: Array<[string, string, string]> = [
    ['genuine (JSON)', JSON.stringify(genuine), 'application/json'],
    ['"hash":""', JSON.stringify({ ...genuine, hash: '' }), 'application/json'],
    ['"hash":null', JSON.stringify({ ...genuine, hash: null }), 'application/json'],
    ['form &hash=', `${formBody(genuine)}&hash=`, FORM],
    ['extra "" and null fields', JSON.stringify({ ...genuine, extra: '', other: null }), 'application/json'],
    ['an added sign_type', JSON.stringify({ ...genuine, sign_type: 'RSA2' }), 'application/json'],
    ['form &sign_type=RSA&hash=&note=', `${formBody(genuine)}&sign_type=RSA&hash=&note=`, FORM],
  ];

  it('verifyThbNotification returns the same event, free of the unsigned fields, for every variant', async () => {
    const events: ThbNotification[] = [];
    for (const [, body, contentType] of variants) {
      events.push(await verifyThbNotification(body, { ...keys, contentType }));
    }
    const first = events[0] as ThbNotification;
    expect(first.kind).toBe('unknown');
    expect(Object.keys(first.raw).sort()).toStrictEqual(
      ['amount', 'appId', 'currency', 'fee', 'orderId', 'orderNo', 'payTime', 'sign', 'status'].sort(),
    );
    for (const event of events.slice(1)) {
      // Form bodies carry every value as text; what the event reads from them is the same.
      expect({ ...event, raw: undefined }).toStrictEqual({ ...first, raw: undefined });
      expect(Object.keys(event.raw).sort()).toStrictEqual(Object.keys(first.raw).sort());
      expect(event).not.toHaveProperty('hash');
    }
  });

  for (const kind of [undefined, 'collection'] as const) {
    it(`the handler (${kind ?? 'no kind'}) runs onEvent exactly once across all variants, with the configured kind`, async () => {
      const seen: ThbNotification[] = [];
      const handler = createThbWebhookHandler({
        ...keys,
        ...(kind === undefined ? {} : { kind }),
        onEvent: (n) => {
          seen.push(n);
        },
      });
      for (const [name, body, contentType] of variants) {
        const response = await handler(webhookRequest(body, contentType));
        expect([name, response.status, await response.text()]).toStrictEqual([name, 200, 'SUCCESS']);
      }
      expect(seen).toHaveLength(1);
      expect(seen[0]?.kind).toBe(kind ?? 'unknown');
    });
  }

  it('an added "hash":"" no longer turns a payout handler into anything else, nor a collection into a payout', async () => {
    const collection = await verifyThbNotification(JSON.stringify({ ...genuine, hash: '' }), {
      ...keys,
      kind: 'collection',
    });
    expect(collection.kind).toBe('collection');
    const payout = await verifyThbNotification(JSON.stringify(genuine), { ...keys, kind: 'payout' });
    expect([payout.kind, payout.status]).toStrictEqual(['payout', 'succeeded']);
  });
});

describe('#3 a sign string re-split across "&" / "=" is refused', () => {
  const original = thbSigned({ ...collectionFields, currency: 'THB', fee: '3.00' });
  const { fee: _fee, ...withoutFee } = original;
  const forged = { ...withoutFee, currency: 'THB&fee=3.00' };

  it('the forged notification has the very sign string of the genuine one (the attack is real)', () => {
    expect(thbSignString(forged)).toBe(thbSignString(original));
  });

  it('verifyThbNotification refuses it, as JSON and as a form body', async () => {
    for (const [body, contentType] of [
      [JSON.stringify(forged), 'application/json'],
      [formBody(forged), FORM],
    ] as const) {
      await expect(verifyThbNotification(body, { ...keys, contentType })).rejects.toThrow(
        WebhookVerificationError,
      );
      await expect(verifyThbNotification(body, { ...keys, contentType })).rejects.toThrow(
        /could be read as other fields/,
      );
    }
  });

  it('the handler answers 400 and onEvent never runs', async () => {
    let calls = 0;
    const handler = createThbWebhookHandler({ ...keys, onEvent: () => void calls++ });
    expect((await handler(webhookRequest(JSON.stringify(forged)))).status).toBe(400);
    expect(calls).toBe(0);
  });

  it('the same shift in an API answer does not verify', async () => {
    const data = thbSigned({ orderId: 'M1', orderNo: '3023', payUrl: 'https://pay.example/x' });
    const { payUrl: _p, ...rest } = data;
    const moved = { ...rest, orderNo: '3023&payUrl=https://pay.example/x' };
    expect(thbSignString(moved)).toBe(thbSignString(data));
    const verifying = { secretKey: THB_SECRET_KEY, publicKey: THB_PLATFORM.publicPem };
    expect(await verifyThbParams(data, verifying)).toBe(true);
    expect(await verifyThbParams(moved, verifying)).toBe(false);
  });

  it('a field name holding "=" or "&" is refused too', async () => {
    // {"amount=300.00&appId": 1054} writes "amount=300.00&appId=1054": the same text as two fields.
    const { amount, appId, ...rest } = original;
    const merged = { ...rest, [`amount=${String(amount)}&appId`]: appId };
    expect(thbSignString(merged)).toBe(thbSignString(original));
    await expect(verifyThbNotification(JSON.stringify(merged), keys)).rejects.toThrow(
      /could be read as other fields/,
    );
  });
});

describe('#4 a duplicate during onEvent is not acknowledged, and a crash loses nothing', () => {
  it('duplicate while the first delivery is in onEvent: 503 + Retry-After; first fails; the retry is handled once', async () => {
    const gate = deferred();
    const handled: string[] = [];
    let attempts = 0;
    const handler = createThbWebhookHandler({
      ...keys,
      kind: 'collection',
      onEvent: async (n) => {
        attempts++;
        if (attempts === 1) {
          await gate.promise;
          throw new Error('database down');
        }
        handled.push(n.orderId);
      },
    });
    const body = JSON.stringify(genuine);
    const first = handler(webhookRequest(body));
    // Let the first delivery reach onEvent.
    while (attempts === 0) await new Promise((resolve) => setImmediate(resolve));
    const duplicate = await handler(webhookRequest(body));
    expect([duplicate.status, duplicate.headers.get('retry-after')]).toStrictEqual([503, '60']);
    expect(await duplicate.text()).not.toBe('SUCCESS');
    gate.resolve();
    expect((await first).status).toBe(500);
    const retry = await handler(webhookRequest(body));
    expect([retry.status, await retry.text()]).toStrictEqual([200, 'SUCCESS']);
    const late = await handler(webhookRequest(body));
    expect([late.status, await late.text()]).toStrictEqual([200, 'SUCCESS']);
    expect(handled).toStrictEqual([genuine.orderId]);
    expect(attempts).toBe(2);
  });

  it('a process that died inside onEvent holds only the lease: once it expires the retry is handled', async () => {
    let now = 0;
    const store = createMemoryDedupeStore({ now: () => now });
    const handled: string[] = [];
    // Instance A dies inside onEvent: its promise never settles.
    const dying = createThbWebhookHandler({ ...keys, store, onEvent: () => new Promise(() => undefined) });
    const healthy = createThbWebhookHandler({
      ...keys,
      store,
      dedupeLeaseSeconds: 30,
      onEvent: (n) => void handled.push(n.orderNo),
    });
    const body = JSON.stringify(genuine);
    void dying(webhookRequest(body));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await healthy(webhookRequest(body))).status).toBe(503);
    now += 61_000; // past A's 60 s lease, far short of the 7-day TTL
    expect((await healthy(webhookRequest(body))).status).toBe(200);
    expect((await healthy(webhookRequest(body))).status).toBe(200);
    expect(handled).toStrictEqual([genuine.orderNo]);
  });

  it('a throwing onEvent releases its lease at once: the provider retry is handled', async () => {
    let calls = 0;
    const handler = createThbWebhookHandler({
      ...keys,
      onEvent: () => {
        calls++;
        if (calls === 1) throw new Error('boom');
      },
    });
    const body = JSON.stringify(genuine);
    expect((await handler(webhookRequest(body))).status).toBe(500);
    expect((await handler(webhookRequest(body))).status).toBe(200);
    expect((await handler(webhookRequest(body))).status).toBe(200);
    expect(calls).toBe(2);
  });
});

describe('#5 option values that switched protections off are refused at construction, by name', () => {
  const onEvent = () => undefined;
  const BAD_NUMBERS = [Number.NaN, 0, -5, Number.POSITIVE_INFINITY, '60' as unknown as number];

  it('dedupeTtlSeconds, dedupeLeaseSeconds and maxBodyBytes of both handlers', () => {
    for (const option of ['dedupeTtlSeconds', 'dedupeLeaseSeconds', 'maxBodyBytes'] as const) {
      for (const bad of BAD_NUMBERS) {
        expect(
          fieldsOf(thrown(() => createThbWebhookHandler({ ...keys, onEvent, [option]: bad }))),
        ).toStrictEqual([option]);
        expect(
          fieldsOf(
            thrown(() => createJwtGatewayWebhookHandler({ apiKey: JWT_API_KEY, onEvent, [option]: bad })),
          ),
        ).toStrictEqual([option]);
      }
    }
    // Above any sane bound.
    expect(
      fieldsOf(thrown(() => createThbWebhookHandler({ ...keys, onEvent, maxBodyBytes: 2 ** 40 }))),
    ).toStrictEqual(['maxBodyBytes']);
    expect(
      fieldsOf(
        thrown(() =>
          createThbWebhookHandler({ ...keys, onEvent, dedupeTtlSeconds: 10, dedupeLeaseSeconds: 60 }),
        ),
      ),
    ).toStrictEqual(['dedupeTtlSeconds']);
  });

  it('THB secrets present and non-empty, and kind a kind', () => {
    expect(
      fieldsOf(thrown(() => createThbWebhookHandler({ ...keys, secretKey: '', onEvent }))),
    ).toStrictEqual(['secretKey']);
    expect(
      fieldsOf(
        thrown(() =>
          createThbWebhookHandler({ ...keys, secretKey: undefined as unknown as string, onEvent }),
        ),
      ),
    ).toStrictEqual(['secretKey']);
    for (const bad of ['', [], undefined]) {
      expect(
        fieldsOf(
          thrown(() =>
            createThbWebhookHandler({ ...keys, platformPublicKey: bad as unknown as string, onEvent }),
          ),
        ),
      ).toStrictEqual(['platformPublicKey']);
    }
    expect(
      fieldsOf(thrown(() => createThbWebhookHandler({ ...keys, kind: 'refund' as 'payout', onEvent }))),
    ).toStrictEqual(['kind']);
  });

  it('store and inbox together are refused', () => {
    const inbox = { handleOnce: async () => 'handled' as const };
    expect(
      fieldsOf(
        thrown(() =>
          createThbWebhookHandler({
            ...keys,
            onEvent,
            ...({ store: createMemoryDedupeStore(), inbox } as unknown as { inbox: typeof inbox }),
          }),
        ),
      ),
    ).toStrictEqual(['inbox']);
  });

  it('verifyThbNotification: maxBodyBytes NaN is a configuration error, never "no limit"', async () => {
    const big = JSON.stringify({ ...genuine, pad: 'x'.repeat(200_000) });
    for (const bad of [Number.NaN, 0, -1]) {
      await expect(verifyThbNotification(big, { ...keys, maxBodyBytes: bad })).rejects.toThrow(
        InvalidRequestError,
      );
    }
  });

  it('toNodeHandler: maxBodyBytes and bodyTimeoutMs', () => {
    const handler = async () => new Response('x');
    for (const bad of BAD_NUMBERS) {
      expect(fieldsOf(thrown(() => toNodeHandler(handler, { maxBodyBytes: bad })))).toStrictEqual([
        'maxBodyBytes',
      ]);
      expect(fieldsOf(thrown(() => toNodeHandler(handler, { bodyTimeoutMs: bad })))).toStrictEqual([
        'bodyTimeoutMs',
      ]);
    }
  });
});

describe('#6 toNodeHandler: a body-read deadline and an exact Content-Length', () => {
  let server: Server | undefined;
  let calls = 0;

  afterEach(async () => {
    const open = server;
    server = undefined;
    if (open === undefined) return;
    open.closeAllConnections();
    await new Promise((resolve) => open.close(resolve));
  });

  async function listen(bodyTimeoutMs: number): Promise<number> {
    calls = 0;
    const handler = createThbWebhookHandler({ ...keys, onEvent: () => void calls++ });
    const node = toNodeHandler(handler, { bodyTimeoutMs });
    server = createServer((req, res) => void node(req, res));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /** Open a raw socket, send `head`, then `trickle` every 50 ms until the server answers and closes. */
  function rawExchange(port: number, head: string, trickle?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      let timer: ReturnType<typeof setInterval> | undefined;
      socket.on('connect', () => {
        socket.write(head);
        if (trickle !== undefined) timer = setInterval(() => socket.write(trickle), 50);
      });
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
      });
      // Writes racing the server's close may fail; the answer is what counts.
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        answer === '' ? reject(new Error('closed without an answer')) : resolve(answer);
      });
    });
  }

  it('a chunked body trickled forever is answered 408 and the connection closed', async () => {
    const port = await listen(300);
    const answer = await rawExchange(
      port,
      'POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n',
      '1\r\n \r\n',
    );
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(calls).toBe(0);
  });

  it('a Content-Length larger than what is sent is answered 408, not waited on for 300 s', async () => {
    const port = await listen(300);
    const body = JSON.stringify(genuine);
    const answer = await rawExchange(
      port,
      `POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 100}\r\n\r\n${body}`,
    );
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(calls).toBe(0);
  });

  it('a genuine notification on the same server is still handled', async () => {
    const port = await listen(5_000);
    const body = JSON.stringify(genuine);
    const answer = await rawExchange(
      port,
      `POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(answer.endsWith('SUCCESS')).toBe(true);
    expect(calls).toBe(1);
  });

  it('a body shorter or longer than its Content-Length is refused (stream from any framework)', async () => {
    let inner = 0;
    const node = toNodeHandler(
      createWebhookHandler({
        verify: async () => ({ id: '1' }),
        dedupeKey: (e) => e.id,
        acknowledge: () => new Response('ACK'),
        onEvent: () => void inner++,
      }),
    );
    const body = new TextEncoder().encode(JSON.stringify(genuine));
    for (const declared of [body.length - 10, body.length + 10, 'abc']) {
      const req: NodeLikeRequest = {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(declared) },
        async *[Symbol.asyncIterator]() {
          yield body;
        },
      };
      const res: NodeLikeResponse & { body?: string } = {
        statusCode: 0,
        setHeader: () => undefined,
        end(text?: string) {
          res.body = text;
        },
      };
      await node(req, res);
      expect([declared, res.statusCode]).toStrictEqual([declared, 400]);
    }
    expect(inner).toBe(0);
  });
});
