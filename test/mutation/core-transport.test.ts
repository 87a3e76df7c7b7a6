/**
 * Tests written against mutants of src/core/transport.ts (MUTATION.md), through its public interface only:
 * the exported helpers, and `Transport` with a `fetch` of the test's own (the documented option) and the
 * documented test seams (`sleep`, `random`, `now`), so they hold whatever carrier sends underneath.
 * Covered: Retry-After and path joining on their edges, the GET guard, the deadline checked between
 * attempts (at the exact ms), zero waits, and what the onError hook is told.
 */
import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import { joinUrl, parseRetryAfter, Transport, type TransportOptions } from '../../src/core/transport';

describe('parseRetryAfter and joinUrl on their edges', () => {
  it('reads whole and fractional delta-seconds, and nothing with trailing text', () => {
    expect(parseRetryAfter('1.25', 0)).toBe(1250);
    expect(parseRetryAfter(' 2 ', 0)).toBe(2000);
    expect(parseRetryAfter('3abc', 0)).toBeUndefined();
    expect(parseRetryAfter('', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });

  it('joins a path without a leading slash, with several, and an empty one', () => {
    expect(joinUrl('https://x.test/api', 'order/query')).toBe('https://x.test/api/order/query');
    expect(joinUrl('https://x.test/api/', '//order/query')).toBe('https://x.test/api/order/query');
    expect(joinUrl('https://x.test/api/', '/')).toBe('https://x.test/api');
    expect(joinUrl('https://x.test/api', '')).toBe('https://x.test/api');
  });
});

/** A transport on a fake fetch and a fake clock; `answers` are served in turn (the last one repeats). */
function rig(
  answers: (() => Response | Promise<Response>)[],
  options: Partial<TransportOptions> = {},
  clock: { t: number } = { t: 0 },
) {
  const urls: string[] = [];
  const sleeps: number[] = [];
  const fetch = (async (url: string | URL | Request) => {
    urls.push(String(url));
    const answer = answers[Math.min(urls.length - 1, answers.length - 1)];
    if (answer === undefined) throw new Error('no answer');
    return answer();
  }) as typeof globalThis.fetch;
  const transport = new Transport(
    { baseUrl: 'https://gateway.test/api/', fetch, maxRetries: 3, deadlineMs: 10_000, ...options },
    {
      now: () => clock.t,
      random: () => 0,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.t += ms;
      },
    },
  );
  return { transport, urls, sleeps, clock };
}

const json =
  (status: number, headers: Record<string, string> = {}) =>
  () =>
    new Response('{"ok":1}', { status, headers: { 'content-type': 'application/json', ...headers } });

function issuesOf(error: unknown): unknown {
  expect(error).toBeInstanceOf(InvalidRequestError);
  return (error as InvalidRequestError).issues;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('Transport.send: requests', () => {
  it('sends to the base URL joined with the path, whatever its leading slashes', async () => {
    const { transport, urls } = rig([json(200)]);
    for (const path of ['order/query', '//order/query', '/', '']) {
      expect((await transport.send({ method: 'GET', path, retry: false })).status).toBe(200);
    }
    expect(urls).toEqual([
      'https://gateway.test/api/order/query',
      'https://gateway.test/api/order/query',
      'https://gateway.test/api',
      'https://gateway.test/api',
    ]);
  });

  it('refuses a GET with a signer or a body, and a bad per-call timeout, naming the field, sending nothing', async () => {
    const { transport, urls } = rig([json(200)]);
    const get = [{ field: 'body', rule: 'a GET request carries no body; send it as a POST' }];
    expect(
      issuesOf(await rejection(transport.send({ method: 'GET', path: '/q', retry: true, sign: (b) => b }))),
    ).toEqual(get);
    expect(
      issuesOf(await rejection(transport.send({ method: 'GET', path: '/q', retry: true, body: {} }))),
    ).toEqual(get);
    expect(
      issuesOf(await rejection(transport.send({ method: 'GET', path: '/q', retry: true, timeoutMs: 0 }))),
    ).toEqual([{ field: 'timeoutMs', rule: 'must be a number of milliseconds from 1 to 2147483647' }]);
    expect(urls).toEqual([]);
  });
});

describe('Transport.send: waits and the deadline', () => {
  it('a zero backoff retries at once, without calling sleep', async () => {
    const { transport, urls, sleeps } = rig([json(503), json(200)]);
    expect((await transport.send({ method: 'GET', path: '/q', retry: true })).status).toBe(200);
    expect(urls).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('a Retry-After that would end exactly at the deadline is not waited for: the last answer is returned', async () => {
    const { transport, urls, sleeps } = rig([json(503, { 'retry-after': '10' }), json(200)]);
    const response = await transport.send({ method: 'GET', path: '/q', retry: true });
    expect([response.status, response.attempts]).toEqual([503, 1]);
    expect(urls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    // One ms earlier it is waited for, and the retry is made.
    const early = rig([json(503, { 'retry-after': '9.999' }), json(200)]);
    const retried = await early.transport.send({ method: 'GET', path: '/q', retry: true });
    expect([retried.status, retried.attempts]).toEqual([200, 2]);
    expect(early.sleeps).toEqual([9999]);
  });

  it('time spent in the onError hook counts: at the deadline (to the ms) no further attempt is made', async () => {
    for (const [spent, attempts] of [
      [10_000, 1],
      [9_999, 2],
    ] as const) {
      const clock = { t: 0 };
      const told: unknown[] = [];
      const { transport, urls } = rig(
        [
          () => {
            throw new TypeError('fetch failed');
          },
          json(200),
        ],
        {
          hooks: {
            onError: (info) => {
              told.push([info.attempt, info.willRetry, info.durationMs]);
              clock.t += spent;
            },
          },
        },
        clock,
      );
      const result = await transport.send({ method: 'GET', path: '/q', retry: true }).then(
        (r) => r.status,
        (e: Error) => e.name,
      );
      expect(urls).toHaveLength(attempts);
      expect(result).toBe(attempts === 1 ? 'ConnectionError' : 200);
      expect(told).toEqual([[1, true, 0]]);
    }
  });

  it('tells onError how long the attempt took, and never calls it for HTTP answers', async () => {
    const clock = { t: 1_000 };
    const told: unknown[] = [];
    const fetch = (async () => {
      clock.t += 7;
      throw new TypeError('fetch failed');
    }) as unknown as typeof globalThis.fetch;
    const transport = new Transport(
      {
        baseUrl: 'https://gateway.test/api',
        fetch,
        maxRetries: 0,
        hooks: {
          onError: (info) => {
            told.push([info.attempt, info.willRetry, info.durationMs, info.error.name]);
          },
        },
      },
      { now: () => clock.t, random: () => 0, sleep: async () => undefined },
    );
    expect(await rejection(transport.send({ method: 'GET', path: '/q', retry: true }))).toBeInstanceOf(Error);
    expect(told).toEqual([[1, false, 7, 'ConnectionError']]);

    const answers: unknown[] = [];
    const { transport: http } = rig([json(503), json(503), json(503), json(503)], {
      hooks: {
        onError: (info) => {
          // Recorded first: a throwing hook is ignored, so reading a missing error must not hide the call.
          answers.push(info.attempt);
        },
      },
    });
    const last = await http.send({ method: 'GET', path: '/q', retry: true });
    expect([last.status, last.attempts]).toEqual([503, 4]);
    expect(answers).toEqual([]);
  });

  it('an abort during the wait between attempts says the request was sent', async () => {
    const controller = new AbortController();
    const transport = new Transport(
      {
        baseUrl: 'https://gateway.test/api',
        fetch: (async () => json(503)()) as unknown as typeof globalThis.fetch,
        maxRetries: 2,
      },
      {
        now: () => 0,
        random: () => 0.5,
        sleep: async () => {
          controller.abort(new Error('shutting down'));
          throw new Error('aborted');
        },
      },
    );
    const error = (await rejection(
      transport.send({ method: 'GET', path: '/q', retry: true, signal: controller.signal }),
    )) as { name: string; code: string; message: string };
    expect([error.name, error.code, error.message]).toEqual([
      'ThaiPayError',
      'aborted',
      'GET https://gateway.test/api/q was aborted by the caller. The request was sent and may or may not have reached the provider.',
    ]);
  });

  it('an earlier deadlineAt from the caller bounds the retries; a later one does not extend them', async () => {
    const passed = rig([json(200)]);
    const error = await rejection(
      passed.transport.send({ method: 'GET', path: '/q', retry: true, deadlineAt: 0 }),
    );
    expect((error as Error).name).toBe('TimeoutError');
    expect(passed.urls).toEqual([]);
    const wait = () => json(503, { 'retry-after': '0.001' })();
    const bounded = rig([wait, json(200)]);
    const first = await bounded.transport.send({ method: 'GET', path: '/q', retry: true, deadlineAt: 1 });
    expect([first.status, first.attempts]).toEqual([503, 1]);
    const free = rig([wait, json(200)]);
    const second = await free.transport.send({ method: 'GET', path: '/q', retry: true });
    expect([second.status, second.attempts]).toEqual([200, 2]);
    const capped = rig([json(503, { 'retry-after': '10' }), json(200)]);
    const third = await capped.transport.send({ method: 'GET', path: '/q', retry: true, deadlineAt: 99_999 });
    expect([third.status, third.attempts]).toEqual([503, 1]);
  });

  it('a deadline passed before the first attempt says nothing was sent, and sends nothing', async () => {
    const { transport, urls } = rig([json(200)], {}, { t: 5_000 });
    const error = await transport
      .send({ method: 'POST', path: '/deposit', body: { a: 1 }, retry: false, deadlineAt: 4_000 })
      .catch((e: unknown) => e);
    expect(urls).toEqual([]);
    expect((error as Error).name).toBe('TimeoutError');
    expect((error as Error).message).toBe(
      'POST https://gateway.test/api/deposit got no answer within the overall deadline of 10000 ms for this call (retries and waits included) (attempt 1 of 1). The request never left: nothing reached the provider.',
    );
  });
});

/** The refusal of a construction, as plain data. */
function refusal(options: Partial<TransportOptions>): unknown {
  try {
    new Transport({ baseUrl: 'https://gateway.test/api', fetch: globalThis.fetch, ...options });
    return 'built';
  } catch (error) {
    return error instanceof InvalidRequestError ? error.issues : String(error);
  }
}

describe('Transport: its options, each refused by name and rule', () => {
  it('the numbers, on their edges', () => {
    const ms = (field: string, min: number) => [
      { field, rule: `must be a number of milliseconds from ${min} to 2147483647` },
    ];
    expect(refusal({ timeoutMs: 0 })).toEqual(ms('timeoutMs', 1));
    expect(refusal({ deadlineMs: 0 })).toEqual(ms('deadlineMs', 1));
    expect(refusal({ deadlineMs: 1 })).toBe('built');
    expect(refusal({ retryBaseDelayMs: -1 })).toEqual(ms('retryBaseDelayMs', 0));
    expect(refusal({ retryMaxDelayMs: Number.NaN })).toEqual(ms('retryMaxDelayMs', 0));
    expect(refusal({ retryBaseDelayMs: 0, retryMaxDelayMs: 0 })).toBe('built');
    expect(refusal({ maxRetries: 1.5 })).toEqual([
      { field: 'maxRetries', rule: 'must be a whole number of 0 or more' },
    ]);
    expect(refusal({ maxResponseBytes: 0 })).toEqual([
      { field: 'maxResponseBytes', rule: 'must be a whole number of bytes of 1 or more' },
    ]);
    expect(refusal({ maxResponseBytes: 1 })).toBe('built');
    expect(refusal({ fetch: 'fetch' as never })).toEqual([
      { field: 'fetch', rule: 'must be a fetch function' },
    ]);
  });

  it('http:// only for loopback, unless allowInsecureHttp is exactly true', () => {
    const clear = [
      {
        field: 'baseUrl',
        rule: 'must be https:// (the API key and signed bodies would cross the network in clear to gateway.test); http:// is accepted only for a loopback host (127.0.0.1, ::1, localhost) or with allowInsecureHttp: true',
      },
    ];
    expect(refusal({ baseUrl: 'http://gateway.test/api' })).toEqual(clear);
    expect(refusal({ baseUrl: 'http://gateway.test/api', allowInsecureHttp: 'yes' as never })).toEqual(clear);
    expect(refusal({ baseUrl: 'http://gateway.test/api', allowInsecureHttp: true })).toBe('built');
    expect(refusal({ baseUrl: 'http://127.0.0.1:8080/api' })).toBe('built');
  });
});

describe('Transport: what it sends and what its errors keep', () => {
  it('strips every trailing slash of the base URL, and GETs ask for JSON', async () => {
    const seen: { url: string; accept: string | null; type: string | null }[] = [];
    const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      seen.push({ url: String(url), accept: headers.get('accept'), type: headers.get('content-type') });
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof globalThis.fetch;
    const transport = new Transport({ baseUrl: 'https://gateway.test/api///', fetch });
    await transport.send({ method: 'GET', path: '/health', retry: true });
    expect(seen).toEqual([
      { url: 'https://gateway.test/api/health', accept: 'application/json', type: null },
    ]);
  });

  it('a network failure names its code once, keeps a scrubbed copy of the cause chain, at most 5 deep', async () => {
    const secret = 'sk_live_abcdef123456';
    let chain: unknown = new Error(`deepest ${secret}`);
    for (let i = 4; i >= 1; i--) chain = new Error(`level ${i}`, { cause: chain });
    const root = Object.assign(new TypeError(`fetch failed for ${secret}`, { cause: chain }), {});
    const inner = root.cause as Error & { code?: string };
    inner.code = 'ECONNREFUSED';
    const fetch = (async () => {
      throw root;
    }) as typeof globalThis.fetch;
    const transport = new Transport({
      baseUrl: 'https://gateway.test/api',
      fetch,
      maxRetries: 0,
      headers: { 'x-api-key': secret },
    });
    const error = (await transport
      .send({ method: 'GET', path: '/x', retry: true })
      .catch((e) => e)) as Error & {
      cause: Error & { cause?: unknown };
    };
    expect(error.name).toBe('ConnectionError');
    expect(error.message).toBe(
      // ECONNREFUSED proves nothing left.
      'GET https://gateway.test/api/x failed: fetch failed for [REDACTED] (ECONNREFUSED) (attempt 1 of 1). The request never left: nothing reached the provider.',
    );
    const names: string[] = [];
    const messages: string[] = [];
    for (let c: unknown = error.cause; c instanceof Error; c = c.cause) {
      names.push(c.name);
      messages.push(c.message);
      expect(c.stack ?? '').not.toContain(secret);
    }
    expect(names).toEqual(['TypeError', 'Error', 'Error', 'Error', 'Error']);
    expect(messages).toEqual(['fetch failed for [REDACTED]', 'level 1', 'level 2', 'level 3', 'level 4']);
    expect((error.cause.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(error.cause).not.toBe(root);
  });

  it('a thrown non-Error is named as text, and its code is not repeated when the message has it', async () => {
    const answers = [
      () => {
        throw 'socket hang up';
      },
    ];
    const first = rig(answers as never, { maxRetries: 0 });
    const error = (await first.transport
      .send({ method: 'GET', path: '/x', retry: true })
      .catch((e) => e)) as Error;
    expect(error.message).toBe(
      'GET https://gateway.test/api/x failed: socket hang up (attempt 1 of 1). The request was sent and may or may not have reached the provider.',
    );
    expect((error.cause as Error).message).toBe('socket hang up');
    const coded = Object.assign(new Error('connect ECONNRESET 127.0.0.1'), { code: 'ECONNRESET' });
    const second = rig([() => Promise.reject(coded)], { maxRetries: 0 });
    const again = (await second.transport
      .send({ method: 'GET', path: '/x', retry: true })
      .catch((e) => e)) as Error;
    expect(again.message).toBe(
      'GET https://gateway.test/api/x failed: connect ECONNRESET 127.0.0.1 (attempt 1 of 1). The request was sent and may or may not have reached the provider.',
    );
    expect((again.cause as Error & { code?: string }).code).toBe('ECONNRESET');
  });
});

describe('Transport: hooks see redacted copies, exactly', () => {
  const headers = {
    authorization: 'Bearer tok-123456',
    'proxy-authorization': 'Basic pp-654321',
    cookie: 'sid=cookie-999',
    'x-api-key': 'key-abcdef',
    'X-Token': 'tok-zzz999',
    'x-plain': 'visible',
  };

  it('beforeRequest: the always-redacted headers, redactHeaders in any case, the body scrubbed; a GET has no body', async () => {
    const seen: unknown[] = [];
    const { transport } = rig([json(200)], {
      headers,
      redactHeaders: ['X-TOKEN'],
      secrets: ['sk_secret_1'],
      hooks: { beforeRequest: (event) => void seen.push(event) },
    });
    await transport.send({ method: 'POST', path: 'p', body: { a: 'has sk_secret_1', n: 1 }, retry: false });
    await transport.send({ method: 'GET', path: 'g', retry: false });
    const shownHeaders = {
      authorization: '[REDACTED]',
      'proxy-authorization': '[REDACTED]',
      cookie: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      'x-token': '[REDACTED]',
      'x-plain': 'visible',
    };
    expect(seen[0]).toEqual({
      method: 'POST',
      url: 'https://gateway.test/api/p',
      headers: { ...shownHeaders, 'content-type': 'application/json', accept: 'application/json' },
      body: { a: 'has [REDACTED]', n: 1 },
      attempt: 1,
    });
    expect(seen[1]).toEqual({
      method: 'GET',
      url: 'https://gateway.test/api/g',
      headers: { ...shownHeaders, accept: 'application/json' },
      attempt: 1,
    });
    expect(Object.hasOwn(seen[1] as object, 'body')).toBe(false);
  });

  it("afterResponse: a redacted header's value is a secret in the answer too; a non-JSON answer is its excerpt; durationMs is the attempt's", async () => {
    const seen: { body: unknown; durationMs: number }[] = [];
    const clock = { t: 1_000 };
    const answers = [
      () => {
        clock.t += 7;
        return new Response(JSON.stringify({ echo: 'Bearer tok-123456 / tok-zzz999 / sid=cookie-999' }), {
          status: 200,
        });
      },
      () => new Response('  <html>\n  key-abcdef  </html> ', { status: 404 }),
    ];
    let i = 0;
    const { transport } = rig(
      [() => answers[i++]!()],
      { headers, redactHeaders: ['x-token'], hooks: { afterResponse: (event) => void seen.push(event) } },
      clock,
    );
    await transport.send({ method: 'POST', path: 'p', retry: false });
    await rejection(transport.send({ method: 'POST', path: 'p', retry: false }));
    expect(seen.map((event) => event.body)).toEqual([
      { echo: '[REDACTED] / [REDACTED] / [REDACTED]' },
      '<html> [REDACTED] </html>',
    ]);
    expect(seen[0]!.durationMs).toBe(7);
  });
});

describe('Transport: which answers are retried', () => {
  it('a Retry-After on an answer other than 429 and 503 is ignored: the backoff decides', async () => {
    const { transport, urls, sleeps } = rig([json(500, { 'retry-after': '5' }), json(200)]);
    expect((await transport.send({ method: 'GET', path: 'x', retry: true })).status).toBe(200);
    expect(urls).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('a body that is not JSON is retried on 500 and 429 only', async () => {
    for (const [status, sent] of [
      [500, 2],
      [429, 2],
      [499, 1],
      [200, 1],
    ] as const) {
      const { transport, urls } = rig([() => new Response('oops', { status }), json(200)]);
      await transport.send({ method: 'GET', path: 'x', retry: true }).catch(() => undefined);
      expect(urls, `HTTP ${status}`).toHaveLength(sent);
    }
  });

  it('a body over maxResponseBytes is retried on 500 and 429 only, and says so', async () => {
    const big = (status: number) => () => new Response(`{"x":"${'a'.repeat(200)}"}`, { status });
    for (const [status, sent] of [
      [500, 2],
      [503, 2],
      [429, 2],
      [499, 1],
      [200, 1],
    ] as const) {
      const { transport, urls } = rig([big(status), big(status)], { maxResponseBytes: 64, maxRetries: 1 });
      const error = await rejection(transport.send({ method: 'GET', path: 'x', retry: true }));
      expect(urls, `HTTP ${status}`).toHaveLength(sent);
      expect((error as Error).message).toBe(
        `GET https://gateway.test/api/x answered HTTP ${status} with a body over the 64-byte limit (maxResponseBytes); it was not read.`,
      );
    }
  });
});

describe('Transport: what the signer is given', () => {
  it('a fresh copy on every attempt, nested objects included; the caller’s body is never changed', async () => {
    const { transport } = rig([json(503), json(200)]);
    const body = { n: 1, nested: { b: 1 } };
    const given: unknown[] = [];
    await transport.send({
      method: 'POST',
      path: 'x',
      body,
      retry: true,
      sign: (copy) => {
        given.push(structuredClone(copy));
        (copy.nested as { b: number }).b += 1;
        copy.sign = 's';
        return copy;
      },
    });
    expect(given).toEqual([
      { n: 1, nested: { b: 1 } },
      { n: 1, nested: { b: 1 } },
    ]);
    expect(body).toEqual({ n: 1, nested: { b: 1 } });
  });
});

describe('Transport: refusals and their texts', () => {
  it('a redirect names only the scheme and host it pointed to, and is never followed', async () => {
    const cases = [
      ['https://evil.test/steal?key=1', 'https://evil.test'],
      ['/elsewhere', 'https://gateway.test'],
      [undefined, 'a location it did not disclose'],
    ] as const;
    for (const [location, target] of cases) {
      const { transport, urls } = rig([
        () => new Response(null, { status: 302, headers: location ? { location } : {} }),
      ]);
      const error = await rejection(transport.send({ method: 'POST', path: 'p', retry: true }));
      expect(urls).toHaveLength(1);
      expect(error).toMatchObject({ code: 'redirect_refused', status: 302, raw: { location: target } });
      expect((error as Error).message).toBe(
        `POST https://gateway.test/api/p answered HTTP 302 redirecting to ${target}. thaipay never follows redirects (they would carry the API key and the signed body to another host), so nothing was re-sent; check baseUrl.`,
      );
    }
  });

  it('baseUrl: credentials alone, a query or a fragment are refused with the rule; other schemes too', () => {
    const refuse = (baseUrl: string) => {
      try {
        new Transport({ baseUrl });
      } catch (error) {
        return issuesOf(error);
      }
      throw new Error(`accepted ${baseUrl}`);
    };
    const carried = [{ field: 'baseUrl', rule: 'must not carry credentials, a query or a fragment' }];
    for (const url of [
      'https://user@x.test',
      'https://:pw@x.test',
      'https://x.test/?a=1',
      'https://x.test/#f',
    ]) {
      expect(refuse(url), url).toEqual(carried);
    }
    for (const url of ['ftp://x.test', 'x.test', '']) {
      expect(refuse(url), url).toEqual([{ field: 'baseUrl', rule: 'must be an absolute https URL' }]);
    }
  });

  it('http:// to any 127.x.y.z address with up to three digits per part is loopback', () => {
    for (const host of ['127.0.0.1', '127.10.20.30', '127.255.255.254', 'localhost', '[::1]']) {
      expect(() => new Transport({ baseUrl: `http://${host}:8080` }), host).not.toThrow();
    }
    expect(() => new Transport({ baseUrl: 'http://128.0.0.1' })).toThrow(InvalidRequestError);
  });

  it('msUntil and deadlineFromNow follow the clock', () => {
    const clock = { t: 5_000 };
    const { transport } = rig([json(200)], { deadlineMs: 3_000 }, clock);
    expect(transport.deadlineFromNow()).toBe(8_000);
    expect(transport.msUntil(6_500)).toBe(1_500);
    expect(transport.msUntil(4_000)).toBe(0);
  });

  it('an abort inside beforeRequest: nothing sent on the first attempt, sent on a later one', async () => {
    for (const [failFirst, note] of [
      [false, ' Nothing was sent.'],
      [true, ' The request was sent and may or may not have reached the provider.'],
    ] as const) {
      const controller = new AbortController();
      let calls = 0;
      const { transport, urls } = rig([json(503), json(200)], {
        hooks: {
          beforeRequest: () => {
            calls += 1;
            if (calls === (failFirst ? 2 : 1)) controller.abort(new Error('stop'));
          },
        },
      });
      const error = await rejection(
        transport.send({ method: 'GET', path: 'x', retry: true, signal: controller.signal }),
      );
      expect(urls).toHaveLength(failFirst ? 1 : 0);
      expect(error).toMatchObject({ code: 'aborted' });
      expect((error as Error).message).toBe(
        `GET https://gateway.test/api/x was aborted by the caller.${note}`,
      );
      expect((error as Error & { cause: Error }).cause.message).toBe('stop');
    }
  });
});

describe('Transport on the node carrier (a loopback server)', () => {
  it('requests the base path (trailing slashes dropped) for an empty path, "/" without one; a byte order mark is dropped', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      req.on('end', () => res.end('\uFEFF{"a":1}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const withPath = new Transport({ baseUrl: `${origin}/api//` });
    const bare = new Transport({ baseUrl: origin });
    try {
      const answers = [
        await withPath.send({ method: 'GET', path: '', retry: false }),
        await withPath.send({ method: 'GET', path: '/x', retry: false }),
        await bare.send({ method: 'GET', path: '', retry: false }),
        await bare.send({ method: 'GET', path: 'y', retry: false }),
      ];
      expect(seen).toEqual(['/api', '/api/x', '/', '/y']);
      expect(answers.map((answer) => answer.body)).toEqual([{ a: 1 }, { a: 1 }, { a: 1 }, { a: 1 }]);
    } finally {
      await withPath.close();
      await bare.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('Transport: failures on their edges', () => {
  it('the timer limits at 2147483647 ms exactly', () => {
    expect(refusal({ timeoutMs: 2_147_483_647, deadlineMs: 2_147_483_647 })).toBe('built');
    expect(refusal({ timeoutMs: 2_147_483_648 })).toEqual([
      { field: 'timeoutMs', rule: 'must be a number of milliseconds from 1 to 2147483647' },
    ]);
  });

  it('a codeless failure without a cause: no "(undefined)", no made-up cause or code, its stack scrubbed', async () => {
    const secret = 'sk_live_abcdef123456';
    const failure = new TypeError(`fetch failed near ${secret}`);
    failure.stack = `TypeError: fetch failed near ${secret}\n    at somewhere`;
    const stackless = new TypeError('no stack');
    stackless.stack = undefined;
    const errors: (Error & { cause: Error })[] = [];
    for (const thrown of [failure, stackless]) {
      const transport = new Transport({
        baseUrl: 'https://gateway.test/api',
        fetch: (async () => {
          throw thrown;
        }) as typeof globalThis.fetch,
        secrets: [secret],
      });
      errors.push((await rejection(transport.send({ method: 'GET', path: 'x', retry: false }))) as never);
    }
    const [first, second] = errors as [Error & { cause: Error }, Error & { cause: Error }];
    expect(first.message).toBe(
      'GET https://gateway.test/api/x failed: fetch failed near [REDACTED] (attempt 1 of 1). The request was sent and may or may not have reached the provider; query the order before trying again.',
    );
    expect(first.cause.cause).toBeUndefined();
    expect(Object.hasOwn(first.cause, 'code')).toBe(false);
    expect(first.cause.stack).toBe('TypeError: fetch failed near [REDACTED]\n    at somewhere');
    expect(second.cause.stack).toBe('');
  });

  it('a non-JSON excerpt keeps 200 characters whole and cuts 201 to 199 and an ellipsis', async () => {
    for (const [length, excerpt] of [
      [200, 'a'.repeat(200)],
      [201, `${'a'.repeat(199)}…`],
    ] as const) {
      const { transport } = rig([() => new Response('a'.repeat(length), { status: 400 })]);
      const error = await rejection(transport.send({ method: 'GET', path: 'x', retry: false }));
      expect((error as { raw: unknown }).raw).toEqual({ excerpt });
    }
  });

  it('a redirect to an unreadable location, and an opaque one (status 0)', async () => {
    const unreadable = rig([
      () => new Response(null, { status: 301, headers: { location: 'https://[bad' } }),
    ]);
    expect(
      await rejection(unreadable.transport.send({ method: 'GET', path: 'x', retry: false })),
    ).toMatchObject({
      message:
        'GET https://gateway.test/api/x answered HTTP 301 redirecting to an unreadable location. thaipay never follows redirects (they would carry the API key and the signed body to another host), so nothing was re-sent; check baseUrl.',
      raw: { location: 'an unreadable location' },
    });
    const opaque = rig([
      () =>
        ({
          type: 'opaqueredirect',
          status: 0,
          redirected: false,
          headers: new Headers(),
          body: null,
        }) as never,
    ]);
    expect(await rejection(opaque.transport.send({ method: 'GET', path: 'x', retry: false }))).toMatchObject({
      message:
        'GET https://gateway.test/api/x answered HTTP redirect redirecting to a location it did not disclose. thaipay never follows redirects (they would carry the API key and the signed body to another host), so nothing was re-sent; check baseUrl.',
      status: 0,
    });
  });

  it('a per-attempt timeout says the request was sent', async () => {
    const fetch = ((_url: string, init: RequestInit) =>
      new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      })) as typeof globalThis.fetch;
    const transport = new Transport({ baseUrl: 'https://gateway.test/api', fetch, timeoutMs: 20 });
    const error = await rejection(transport.send({ method: 'POST', path: 'x', retry: false }));
    expect((error as Error).message).toBe(
      'POST https://gateway.test/api/x got no answer within the per-attempt timeout of 20 ms (attempt 1 of 1). The request was sent and may or may not have reached the provider; query the order before trying again.',
    );
  });

  it('the deadline passing while a later attempt is prepared: that attempt is not sent, the earlier one was', async () => {
    const clock = { t: 0 };
    let attempts = 0;
    const { transport, urls } = rig(
      [json(503)],
      {
        hooks: {
          beforeRequest: () => {
            attempts += 1;
            if (attempts === 2) clock.t += 20_000;
          },
        },
      },
      clock,
    );
    const error = await rejection(transport.send({ method: 'GET', path: 'x', retry: true }));
    expect(urls).toHaveLength(1);
    expect((error as Error).message).toBe(
      'GET https://gateway.test/api/x got no answer within the overall deadline of 10000 ms for this call (retries and waits included) (attempt 2 of 4). The request was sent and may or may not have reached the provider.',
    );
  });
});

describe('Transport: the waits between attempts on real timers', () => {
  const twice = () => {
    let n = 0;
    return (async () => {
      n += 1;
      return new Response('{"ok":1}', { status: n === 1 ? 503 : 200 });
    }) as typeof globalThis.fetch;
  };

  it('without a signal, and with one: the listener it added is gone afterwards', async () => {
    // A wait of 99 ms (backoff 100 ms, jitter 0.99) that really happens: not skipped for want of a signal.
    const bare = new Transport(
      { baseUrl: 'https://g.test', fetch: twice(), retryBaseDelayMs: 100 },
      { random: () => 0.99 },
    );
    const started = Date.now();
    expect((await bare.send({ method: 'GET', path: 'x', retry: true })).attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);

    const signal = new AbortController().signal;
    const withSignal = new Transport(
      { baseUrl: 'https://g.test', fetch: twice(), retryBaseDelayMs: 2 },
      { random: () => 0.99 },
    );
    expect((await withSignal.send({ method: 'GET', path: 'x', retry: true, signal })).attempts).toBe(2);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('an abort during the wait ends it at once and leaves no listener', async () => {
    const controller = new AbortController();
    const transport = new Transport(
      { baseUrl: 'https://g.test', fetch: twice(), retryBaseDelayMs: 60_000, retryMaxDelayMs: 60_000 },
      { random: () => 0.99 },
    );
    const started = Date.now();
    const pending = rejection(
      transport.send({ method: 'GET', path: 'x', retry: true, signal: controller.signal }),
    );
    setTimeout(() => controller.abort(new Error('stop')), 20);
    expect(await pending).toMatchObject({ code: 'aborted' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a signal aborted before the wait begins (in onError) does not wait at all', async () => {
    const controller = new AbortController();
    const transport = new Transport(
      {
        baseUrl: 'https://g.test',
        fetch: (async () => {
          throw new TypeError('fetch failed');
        }) as typeof globalThis.fetch,
        retryBaseDelayMs: 60_000,
        retryMaxDelayMs: 60_000,
        hooks: { onError: () => controller.abort(new Error('stop')) },
      },
      { random: () => 0.99 },
    );
    const started = Date.now();
    expect(
      await rejection(transport.send({ method: 'GET', path: 'x', retry: true, signal: controller.signal })),
    ).toMatchObject({ code: 'aborted' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('Transport on the node carrier: a kept-alive socket the server closed', () => {
  it('is retried at once; a failure on a new connection waits its backoff', async () => {
    const perSocket = new WeakMap<object, number>();
    const server = createServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      req.resume();
      req.on('end', () => (n === 1 ? res.end('{"ok":1}') : req.socket.destroy()));
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sleeps: number[] = [];
    const internals = { random: () => 0.5, sleep: async (ms: number) => void sleeps.push(ms) };
    const transport = new Transport({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 }, internals);
    try {
      await transport.send({ method: 'GET', path: 'a', retry: true });
      expect((await transport.send({ method: 'GET', path: 'b', retry: true })).attempts).toBe(2);
      expect(sleeps).toEqual([]);
    } finally {
      await transport.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    // Nothing listens on the port any more: refused on a new connection, retried after a backoff.
    const refused = new Transport({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 }, internals);
    await rejection(refused.send({ method: 'GET', path: 'c', retry: true }));
    expect(sleeps).toEqual([125]);
    await refused.close();
  });
});
