import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, HttpResponse, http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  ConnectionError,
  InvalidRequestError,
  ThaiPayError,
  TimeoutError,
} from '../../src/core/errors';
import {
  type AfterResponseInfo,
  type BeforeRequestInfo,
  computeBackoff,
  joinUrl,
  parseRetryAfter,
  Transport,
  type TransportInternals,
  type TransportOptions,
} from '../../src/core/transport';

const BASE = 'https://gateway.test/api/v1';
const API_KEY = 'ak_live_5f2c9e1d7b3a4c6e8f0a';
const SECRET_KEY = 'sk_live_0a8f6e4c2b1d3f5a7c9e';

const server = setupServer();
const mswServer = server;
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A sleep that records each wait and returns at once, so retry tests are instant and deterministic. */
function recordingSleep(): { waits: number[]; sleep: NonNullable<TransportInternals['sleep']> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

/**
 * Every behaviour is pinned on both carriers: node:http (the default on Node; msw intercepts it) and fetch
 * (forced through the `fetch` option, as a user's fetch or a runtime without node:http would).
 */
const CARRIERS: ReadonlyArray<readonly [string, Partial<TransportOptions>]> = [
  ['node', {}],
  ['fetch', { fetch: (input, init) => globalThis.fetch(input, init) }],
];
let carrierOptions: Partial<TransportOptions> = {};

function transport(options: Partial<TransportOptions> = {}, internals: TransportInternals = {}): Transport {
  return new Transport(
    { baseUrl: BASE, retryBaseDelayMs: 1, timeoutMs: 2_000, ...carrierOptions, ...options },
    { sleep: recordingSleep().sleep, ...internals },
  );
}

/** Answer each request with the next of `answers` (the last one repeats); count the hits. */
function serve(method: 'get' | 'post', path: string, ...answers: Array<() => Response | Promise<Response>>) {
  const hits: Request[] = [];
  server.use(
    http[method](`${BASE}${path}`, ({ request }) => {
      hits.push(request.clone());
      const answer = answers[Math.min(hits.length - 1, answers.length - 1)]!;
      return answer();
    }),
  );
  return hits;
}

const cuttingServers: Server[] = [];
afterAll(async () => {
  for (const s of cuttingServers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A loopback server that reads each request whole, then destroys the connection without answering. */
async function startCuttingServer(): Promise<{ origin: string; received: () => number }> {
  let received = 0;
  const server = createServer((request) => {
    request.resume();
    request.on('end', () => {
      received++;
      request.socket.destroy();
    });
  });
  cuttingServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  // msw lets requests to this real server through.
  mswServer.use(http.all(`${origin}/*`, () => passthrough()));
  return { origin, received: () => received };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 0, 0, 0);

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter(new Date(now - 7000).toUTCString(), now)).toBe(0);
  });

  it('gives undefined for missing or unusable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('2025', now)).toBe(2_025_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('computeBackoff', () => {
  it('grows exponentially with full jitter and is capped', () => {
    expect(computeBackoff(0, 250, 5000, () => 0.5)).toBe(125);
    expect(computeBackoff(1, 250, 5000, () => 0.5)).toBe(250);
    expect(computeBackoff(3, 250, 5000, () => 0.5)).toBe(1000);
    expect(computeBackoff(10, 250, 5000, () => 0.5)).toBe(2500);
    expect(computeBackoff(60, 250, 5000, () => 0.999_999)).toBeLessThan(5000);
    expect(computeBackoff(2, 250, 5000, () => 0)).toBe(0);
  });
});

describe('joinUrl', () => {
  it.each([
    ['https://x/api/v1', '/deposit'],
    ['https://x/api/v1/', '/deposit'],
    ['https://x/api/v1', 'deposit'],
    ['https://x/api/v1//', '//deposit'],
  ])('%s + %s keeps the base path', (base, path) => {
    expect(joinUrl(base, path)).toBe('https://x/api/v1/deposit');
  });
});

describe('Transport construction', () => {
  it('refuses a base URL that is not absolute http(s), or has a query', () => {
    expect(() => new Transport({ baseUrl: '/api/v1' })).toThrow(InvalidRequestError);
    expect(() => new Transport({ baseUrl: 'ftp://x/api' })).toThrow(InvalidRequestError);
    expect(() => new Transport({ baseUrl: 'https://x/api?key=1' })).toThrow(/baseUrl/);
    expect(() => new Transport({ baseUrl: BASE, maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => new Transport({ baseUrl: BASE, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });

  it.each([
    [0, 'maxResponseBytes'],
    [Number.NaN, 'maxResponseBytes'],
    [1.5, 'maxResponseBytes'],
  ])('refuses maxResponseBytes %s, naming it', (value, field) => {
    expect(() => new Transport({ baseUrl: BASE, maxResponseBytes: value })).toThrow(
      expect.objectContaining({ issues: [{ field, rule: 'must be a whole number of bytes of 1 or more' }] }),
    );
  });

  it('picks node:http on Node, and a given fetch over it', () => {
    expect(new Transport({ baseUrl: BASE }).carrier).toBe('node');
    expect(new Transport({ baseUrl: BASE, fetch: globalThis.fetch }).carrier).toBe('fetch');
  });
});

for (const [carrierName, options] of CARRIERS) {
  describe(`carrier ${carrierName}`, () => {
    beforeAll(() => {
      carrierOptions = options;
    });
    afterAll(() => {
      carrierOptions = {};
    });

    describe('Transport.send: the request', () => {
      it('POSTs the JSON body with the configured headers to the joined URL', async () => {
        const hits = serve('post', '/deposit', () => HttpResponse.json({ code: 200, data: { ok: true } }));
        const t = transport({ baseUrl: `${BASE}/`, headers: { 'X-Api-Key': API_KEY } });

        const res = await t.send({
          method: 'POST',
          path: '/deposit',
          body: { amount: 100, note: 'ไทย' },
          retry: false,
        });

        expect(res).toMatchObject({ status: 200, body: { code: 200, data: { ok: true } }, attempts: 1 });
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(hits).toHaveLength(1);
        const [request] = hits;
        expect(new URL(request.url).pathname).toBe('/api/v1/deposit');
        expect(request.headers.get('x-api-key')).toBe(API_KEY);
        expect(request.headers.get('content-type')).toBe('application/json');
        expect(request.headers.get('accept')).toBe('application/json');
        expect(await request.json()).toEqual({ amount: 100, note: 'ไทย' });
      });

      it('GETs without a body and refuses a GET given one', async () => {
        const hits = serve('get', '/banks', () => HttpResponse.json([{ code: 'KBANK' }]));
        const t = transport();

        const res = await t.send({ method: 'GET', path: 'banks', retry: true });

        expect(res.body).toEqual([{ code: 'KBANK' }]);
        expect(hits[0].headers.get('content-type')).toBeNull();
        await expect(t.send({ method: 'GET', path: '/banks', body: { a: 1 }, retry: true })).rejects.toThrow(
          InvalidRequestError,
        );
        expect(hits).toHaveLength(1);
      });

      it('uses the custom fetch, asking it not to follow redirects', async () => {
        const calls: string[] = [];
        const customFetch: typeof fetch = async (input, init) => {
          calls.push(`${init?.method} ${String(input)} redirect=${init?.redirect}`);
          return new Response(JSON.stringify({ from: 'custom' }), { status: 200 });
        };
        const t = transport({ fetch: customFetch });

        const res = await t.send({ method: 'POST', path: '/balance', body: {}, retry: false });

        expect(res.body).toEqual({ from: 'custom' });
        expect(calls).toEqual([`POST ${BASE}/balance redirect=manual`]);
      });
    });

    describe('Transport.send: signing per attempt', () => {
      it('calls sign before every attempt with a fresh copy of the body, so a retry is re-signed', async () => {
        const hits = serve(
          'post',
          '/order',
          () => HttpResponse.json({ code: 500 }, { status: 500 }),
          () => HttpResponse.json({ code: 500 }, { status: 502 }),
          () => HttpResponse.json({ code: 200 }),
        );
        const seen: Array<Record<string, unknown>> = [];
        let clock = 1_700_000_000;
        const t = transport();

        const res = await t.send({
          method: 'POST',
          path: '/order',
          body: { orderNo: 'A1' },
          retry: true,
          sign: (body) => {
            seen.push({ ...body });
            body.timestamp = clock++; // mutating the copy must not leak into the next attempt
            return { ...body, signature: `sig-${body.timestamp}` };
          },
        });

        expect(res.attempts).toBe(3);
        expect(seen).toEqual([{ orderNo: 'A1' }, { orderNo: 'A1' }, { orderNo: 'A1' }]);
        const sent = await Promise.all(hits.map((r) => r.json()));
        expect(sent.map((b) => b.timestamp)).toEqual([1_700_000_000, 1_700_000_001, 1_700_000_002]);
        expect(sent.map((b) => b.signature)).toEqual(['sig-1700000000', 'sig-1700000001', 'sig-1700000002']);
      });

      it('passes a signer error on unchanged, without sending', async () => {
        const hits = serve('post', '/deposit', () => HttpResponse.json({}));
        const boom = new Error('bad key');
        const t = transport();

        await expect(
          t.send({
            method: 'POST',
            path: '/deposit',
            body: {},
            retry: true,
            sign: () => {
              throw boom;
            },
          }),
        ).rejects.toBe(boom);
        expect(hits).toHaveLength(0);
      });
    });

    describe('Transport.send: retry policy', () => {
      it.each([500, 502, 503, 429])(
        'retries HTTP %i up to maxRetries, then returns the last answer',
        async (status) => {
          const hits = serve('post', '/order', () =>
            HttpResponse.json({ code: status, n: hits.length }, { status }),
          );
          const t = transport({ maxRetries: 3 });

          const res = await t.send({ method: 'POST', path: '/order', body: {}, retry: true });

          expect(hits).toHaveLength(4);
          expect(res).toMatchObject({ status, attempts: 4, body: { code: status, n: 4 } });
        },
      );

      it('stops retrying once an attempt succeeds', async () => {
        const hits = serve(
          'get',
          '/health',
          () => HttpResponse.json({ down: true }, { status: 503 }),
          () => HttpResponse.json({ up: true }),
        );
        const res = await transport().send({ method: 'GET', path: '/health', retry: true });
        expect(hits).toHaveLength(2);
        expect(res).toMatchObject({ status: 200, body: { up: true }, attempts: 2 });
      });

      it('retries network errors and ends with a ConnectionError', async () => {
        const hits = serve('post', '/order', () => HttpResponse.error());
        const error = await rejectionOf(
          transport().send({ method: 'POST', path: '/order', body: {}, retry: true }),
        );

        expect(hits).toHaveLength(3);
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as ConnectionError).code).toBe('connection_error');
        expect((error as Error).message).toMatch(/attempt 3 of 3/);
      });

      it.each([400, 401, 403, 404])('does not retry HTTP %i', async (status) => {
        const hits = serve('post', '/order', () => HttpResponse.json({ code: status }, { status }));
        const res = await transport().send({ method: 'POST', path: '/order', body: {}, retry: true });
        expect(hits).toHaveLength(1);
        expect(res).toMatchObject({ status, attempts: 1, body: { code: status } });
      });

      it('waits with jittered exponential backoff between attempts', async () => {
        serve('post', '/order', () => HttpResponse.json({}, { status: 500 }));
        const { waits, sleep } = recordingSleep();
        const t = transport(
          { maxRetries: 4, retryBaseDelayMs: 100, retryMaxDelayMs: 300 },
          { sleep, random: () => 0.5 },
        );

        await t.send({ method: 'POST', path: '/order', body: {}, retry: true });

        expect(waits).toEqual([50, 100, 150, 150]);
      });

      describe('retry: false (creates)', () => {
        it('makes exactly one attempt on HTTP 500 and returns it', async () => {
          const hits = serve('post', '/deposit', () => HttpResponse.json({ code: 500 }, { status: 500 }));
          const res = await transport().send({ method: 'POST', path: '/deposit', body: {}, retry: false });
          expect(hits).toHaveLength(1);
          expect(res).toMatchObject({ status: 500, attempts: 1 });
        });

        it('makes exactly one attempt on a connection cut after sending, saying it may have reached the provider', async () => {
          // A real loopback server: the request arrives, then the connection is cut without an answer.
          const { origin, received } = await startCuttingServer();
          const error = await rejectionOf(
            transport({ baseUrl: origin }).send({ method: 'POST', path: '/deposit', body: {}, retry: false }),
          );
          expect(received()).toBe(1);
          expect(error).toBeInstanceOf(ConnectionError);
          expect((error as ConnectionError).requestSent).toBe(true);
          expect((error as Error).message).toMatch(
            /may or may not have reached the provider; query the order before trying again\.$/,
          );
        });

        it('gives no "query the order" advice for a read cut the same way', async () => {
          const { origin, received } = await startCuttingServer();
          const error = await rejectionOf(
            transport({ baseUrl: origin, maxRetries: 0 }).send({
              method: 'POST',
              path: '/balance',
              body: {},
              retry: true,
            }),
          );
          expect(received()).toBe(1);
          expect(error).toBeInstanceOf(ConnectionError);
          expect((error as Error).message).toMatch(/may or may not have reached the provider\.$/);
        });

        it('makes exactly one attempt on a timeout', async () => {
          const hits = serve('post', '/deposit', async () => {
            await delay('infinite');
            return HttpResponse.json({});
          });
          const t = transport({ timeoutMs: 50 });
          const error = await rejectionOf(
            t.send({ method: 'POST', path: '/deposit', body: {}, retry: false }),
          );
          expect(hits).toHaveLength(1);
          expect(error).toBeInstanceOf(TimeoutError);
        });
      });
    });

    describe('Transport.send: Retry-After', () => {
      it.each([429, 503])(
        'waits the delta-seconds of Retry-After on %i instead of the backoff',
        async (status) => {
          serve(
            'post',
            '/order',
            () => HttpResponse.json({}, { status, headers: { 'Retry-After': '2' } }),
            () => HttpResponse.json({ ok: true }),
          );
          const { waits, sleep } = recordingSleep();
          const res = await transport({}, { sleep }).send({
            method: 'POST',
            path: '/order',
            body: {},
            retry: true,
          });
          expect(res.attempts).toBe(2);
          expect(waits).toEqual([2000]);
        },
      );

      it('honours the HTTP-date form', async () => {
        const now = Date.UTC(2025, 5, 1, 12, 0, 0);
        serve(
          'post',
          '/order',
          () =>
            HttpResponse.json(
              {},
              { status: 429, headers: { 'Retry-After': new Date(now + 3000).toUTCString() } },
            ),
          () => HttpResponse.json({ ok: true }),
        );
        const { waits, sleep } = recordingSleep();
        const res = await transport({}, { sleep, now: () => now }).send({
          method: 'POST',
          path: '/order',
          body: {},
          retry: true,
        });
        expect(res.attempts).toBe(2);
        expect(waits).toEqual([3000]);
      });

      it('stops early and returns the last answer when Retry-After would pass the deadline', async () => {
        const hits = serve('post', '/order', () =>
          HttpResponse.json({ code: 503 }, { status: 503, headers: { 'Retry-After': '5' } }),
        );
        const { waits, sleep } = recordingSleep();
        const res = await transport({ deadlineMs: 1000 }, { sleep }).send({
          method: 'POST',
          path: '/order',
          body: {},
          retry: true,
        });
        expect(hits).toHaveLength(1);
        expect(waits).toEqual([]);
        expect(res).toMatchObject({ status: 503, attempts: 1, body: { code: 503 } });
      });
    });

    describe('Transport.send: timeouts', () => {
      function hang(path: string) {
        return serve('post', path, async () => {
          await delay('infinite');
          return HttpResponse.json({});
        });
      }

      it('gives a TimeoutError naming the per-attempt timeout, after retrying', async () => {
        const hits = hang('/order');
        const error = await rejectionOf(
          transport({ timeoutMs: 50 }).send({ method: 'POST', path: '/order', body: {}, retry: true }),
        );
        expect(hits).toHaveLength(3);
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as TimeoutError).code).toBe('timeout');
        expect((error as Error).message).toMatch(/per-attempt timeout of 50 ms/);
      });

      it('ends a hung server with retries by the overall deadline', async () => {
        const hits = hang('/order');
        const started = Date.now();
        const error = await rejectionOf(
          new Transport({
            ...carrierOptions,
            baseUrl: BASE,
            timeoutMs: 200,
            deadlineMs: 300,
            maxRetries: 10,
            retryBaseDelayMs: 1,
          }).send({
            method: 'POST',
            path: '/order',
            body: {},
            retry: true,
          }),
        );
        expect(Date.now() - started).toBeLessThan(3000);
        expect(hits.length).toBeGreaterThanOrEqual(2);
        expect(hits.length).toBeLessThan(11);
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as Error).message).toMatch(/overall deadline of 300 ms/);
      });

      it('bounds reading a body that never ends', async () => {
        const stalling: typeof fetch = async () =>
          new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"a":')) }), {
            status: 200,
          });
        const error = await rejectionOf(
          transport({ fetch: stalling, timeoutMs: 50 }).send({
            method: 'POST',
            path: '/x',
            body: {},
            retry: false,
          }),
        );
        expect(error).toBeInstanceOf(TimeoutError);
      });
    });

    describe('Transport.send: answers that are not JSON', () => {
      const html = `<!DOCTYPE html>\n<html>\n  <head><title>502 Bad Gateway</title></head>\n  <body>\n    <h1>502   Bad Gateway</h1>\n${'    <p>nginx</p>\n'.repeat(40)}</body></html>`;

      it('turns an HTML 502 page into ApiError invalid_response with a short excerpt, after retries', async () => {
        const hits = serve('post', '/order', () => HttpResponse.html(html, { status: 502 }));
        const error = await rejectionOf(
          transport().send({ method: 'POST', path: '/order', body: {}, retry: true }),
        );

        expect(hits).toHaveLength(3);
        expect(error).toBeInstanceOf(ApiError);
        const apiError = error as ApiError;
        expect(apiError.code).toBe('invalid_response');
        expect(apiError.status).toBe(502);
        const { excerpt } = apiError.raw as { excerpt: string };
        expect(excerpt.length).toBeLessThanOrEqual(200);
        expect(excerpt).toContain('<h1>502 Bad Gateway</h1>');
        expect(excerpt).not.toMatch(/\s{2,}|\n/);
        expect(apiError.message).toContain('502 Bad Gateway');
      });

      it('turns an empty 200 body into ApiError invalid_response, not retried', async () => {
        const hits = serve('post', '/order', () => new HttpResponse(null, { status: 200 }));
        const error = await rejectionOf(
          transport().send({ method: 'POST', path: '/order', body: {}, retry: true }),
        );
        expect(hits).toHaveLength(1);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ code: 'invalid_response', status: 200, raw: { excerpt: '' } });
        expect((error as Error).message).toMatch(/empty body/);
      });

      it('turns truncated JSON into ApiError, never a raw SyntaxError', async () => {
        serve('post', '/order', () => HttpResponse.text('{"code":200,"data":{"orderNo":"A', { status: 200 }));
        const error = await rejectionOf(
          transport().send({ method: 'POST', path: '/order', body: {}, retry: false }),
        );
        expect(error).not.toBeInstanceOf(SyntaxError);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({
          code: 'invalid_response',
          raw: { excerpt: '{"code":200,"data":{"orderNo":"A' },
        });
      });
    });

    describe('Transport.send: redaction', () => {
      it('gives hooks redacted, scrubbed copies; changing them changes nothing sent', async () => {
        const hits = serve('post', '/deposit', () =>
          HttpResponse.json({ echoed: `key ${SECRET_KEY}`, list: [SECRET_KEY] }),
        );
        const before: BeforeRequestInfo[] = [];
        const after: AfterResponseInfo[] = [];
        const t = transport({
          headers: {
            'x-api-key': API_KEY,
            'X-Merchant-Token': 'merchant-token-123',
            'x-pin': '42',
            'x-trace': 'trace-1',
          },
          // x-pin is too short to scrub as a secret: only the header redaction can hide it.
          redactHeaders: ['x-MERCHANT-token', 'X-Pin'],
          secrets: [SECRET_KEY],
          hooks: {
            beforeRequest: (info) => {
              before.push(structuredClone(info));
              info.headers['x-api-key'] = 'tampered';
              (info.body as Record<string, unknown>).amount = 999;
            },
            afterResponse: (info) => void after.push(info),
          },
        });

        const res = await t.send({
          method: 'POST',
          path: '/deposit',
          body: { amount: 100, note: `contains ${SECRET_KEY}` },
          sign: (body) => ({ ...body, signature: `sig-of-${SECRET_KEY}` }),
          retry: false,
        });

        expect(before).toHaveLength(1);
        expect(before[0]).toMatchObject({ method: 'POST', url: `${BASE}/deposit`, attempt: 1 });
        expect(before[0].headers).toEqual({
          accept: 'application/json',
          'content-type': 'application/json',
          'x-api-key': '[REDACTED]',
          'x-merchant-token': '[REDACTED]',
          'x-pin': '[REDACTED]',
          'x-trace': 'trace-1',
        });
        expect(before[0].body).toEqual({
          amount: 100,
          note: 'contains [REDACTED]',
          signature: 'sig-of-[REDACTED]',
        });
        expect(after).toHaveLength(1);
        expect(after[0]).toMatchObject({
          status: 200,
          attempt: 1,
          body: { echoed: 'key [REDACTED]', list: ['[REDACTED]'] },
        });
        expect(after[0].durationMs).toBeGreaterThanOrEqual(0);
        // What was sent and what is returned are untouched by redaction and by the hook's edits.
        expect(hits[0].headers.get('x-api-key')).toBe(API_KEY);
        expect(await hits[0].json()).toMatchObject({ amount: 100, note: `contains ${SECRET_KEY}` });
        expect(res.body).toEqual({ echoed: `key ${SECRET_KEY}`, list: [SECRET_KEY] });
      });

      it('ignores hooks that throw', async () => {
        serve('post', '/deposit', () => HttpResponse.json({ ok: true }));
        const t = transport({
          hooks: {
            beforeRequest: () => {
              throw new Error('logger down');
            },
            afterResponse: async () => {
              throw new Error('metrics down');
            },
          },
        });
        await expect(
          t.send({ method: 'POST', path: '/deposit', body: {}, retry: false }),
        ).resolves.toMatchObject({
          status: 200,
        });
      });

      it('reports failed attempts to onError, saying whether it retries', async () => {
        serve('post', '/order', () => HttpResponse.error());
        const seen: Array<[number, string, boolean]> = [];
        const t = transport({
          hooks: {
            onError: ({ attempt, error, willRetry }) => void seen.push([attempt, error.code, willRetry]),
          },
        });
        await rejectionOf(t.send({ method: 'POST', path: '/order', body: {}, retry: true }));
        expect(seen).toEqual([
          [1, 'connection_error', true],
          [2, 'connection_error', true],
          [3, 'connection_error', false],
        ]);
      });

      it('keeps secrets echoed in an HTML error page out of the error message and JSON', async () => {
        serve('post', '/deposit', () =>
          HttpResponse.html(`<html><body>Bad key ${API_KEY} / secret ${SECRET_KEY}</body></html>`, {
            status: 500,
          }),
        );
        // The API key is not listed in `secrets`: as the value of a redacted header it is scrubbed anyway.
        const t = transport({ headers: { 'x-api-key': API_KEY }, secrets: [SECRET_KEY] });
        const error = await rejectionOf(t.send({ method: 'POST', path: '/deposit', body: {}, retry: false }));

        expect(error).toBeInstanceOf(ApiError);
        const text = `${(error as Error).message} ${JSON.stringify(error)}`;
        expect(text).toContain('[REDACTED]');
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(SECRET_KEY);
      });

      it('keeps header values out of connection errors', async () => {
        serve('post', '/deposit', () => HttpResponse.error());
        const t = transport({ headers: { 'x-api-key': API_KEY } });
        const error = await rejectionOf(t.send({ method: 'POST', path: '/deposit', body: {}, retry: false }));
        expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(API_KEY);
      });
    });

    describe('Transport.send: caller abort', () => {
      it('stops an attempt in flight with code aborted, and does not retry', async () => {
        const controller = new AbortController();
        const hits = serve('post', '/order', async () => {
          controller.abort();
          await delay('infinite');
          return HttpResponse.json({});
        });
        const error = await rejectionOf(
          transport().send({
            method: 'POST',
            path: '/order',
            body: {},
            retry: true,
            signal: controller.signal,
          }),
        );
        expect(hits).toHaveLength(1);
        expect(error).toBeInstanceOf(ThaiPayError);
        expect((error as ThaiPayError).code).toBe('aborted');
      });

      it('sends nothing when the signal is already aborted', async () => {
        const hits = serve('post', '/order', () => HttpResponse.json({}));
        const error = await rejectionOf(
          transport().send({
            method: 'POST',
            path: '/order',
            body: {},
            retry: true,
            signal: AbortSignal.abort(),
          }),
        );
        expect(hits).toHaveLength(0);
        expect(error).toMatchObject({ code: 'aborted' });
        expect((error as Error).message).toMatch(/Nothing was sent/);
      });

      it('cuts a backoff wait short', async () => {
        const controller = new AbortController();
        const hits = serve('post', '/order', () => HttpResponse.json({}, { status: 500 }));
        const t = new Transport(
          {
            ...carrierOptions,
            baseUrl: BASE,
            retryBaseDelayMs: 10_000,
            retryMaxDelayMs: 10_000,
            hooks: { afterResponse: () => void setTimeout(() => controller.abort(), 10) },
          },
          { random: () => 0.99 },
        );
        const started = Date.now();
        const error = await rejectionOf(
          t.send({ method: 'POST', path: '/order', body: {}, retry: true, signal: controller.signal }),
        );
        expect(Date.now() - started).toBeLessThan(5000);
        expect(hits).toHaveLength(1);
        expect(error).toMatchObject({ code: 'aborted' });
      });
    });
  });
}
