/**
 * Tests written against mutants of src/core/transport.ts (MUTATION.md), through its public interface only:
 * the exported helpers, and `Transport` with a `fetch` of the test's own (the documented option) and the
 * documented test seams (`sleep`, `random`, `now`), so they hold whatever carrier sends underneath.
 * Covered: Retry-After and path joining on their edges, the GET guard, the deadline checked between
 * attempts (at the exact ms), zero waits, and what the onError hook is told.
 */
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
