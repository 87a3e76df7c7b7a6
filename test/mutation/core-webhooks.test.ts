/**
 * Tests written against mutants of src/core/webhooks.ts (MUTATION.md): the body limits on their exact
 * edges, the parsers' refusals by their exact messages, the option and store checks by their exact issues,
 * the lease store on a fake clock, and the Node adapter driven with in-process request and response objects
 * (no socket), so every status, header and body the adapter produces is asserted whole.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidRequestError, ThaiPayError, WebhookVerificationError } from '../../src/core/errors';
import {
  bodyKindOf,
  bodyToFields,
  bodyToText,
  checkPositiveOption,
  checkStoreKey,
  checkStoreSeconds,
  checkWebhookOptions,
  createMemoryDedupeStore,
  createWebhookHandler,
  type DedupeClaim,
  jsonBodyToFields,
  type NodeLikeRequest,
  type NodeLikeResponse,
  parseFormBody,
  parseJsonBody,
  readRequestText,
  toNodeHandler,
  type WebhookDedupeStore,
} from '../../src/core/webhooks';

const FORM = 'application/x-www-form-urlencoded';

/** What a call threw, as plain data: class name, code, message and (for invalid requests) the issues. */
function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return describeError(error);
  }
  return 'did not throw';
}

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return describeError(error);
  }
  return 'did not throw';
}

function describeError(error: unknown): unknown {
  if (error instanceof InvalidRequestError)
    return { name: error.name, code: error.code, issues: error.issues };
  if (error instanceof ThaiPayError) return { name: error.name, code: error.code, message: error.message };
  return { other: String(error) };
}

const tooLarge = (max: number) => ({
  name: 'WebhookVerificationError',
  code: 'webhook_body_too_large',
  message: `Webhook body is larger than the ${max}-byte limit.`,
});

const invalid = (field: string, rule: string) => ({
  name: 'InvalidRequestError',
  code: 'invalid_request',
  issues: [{ field, rule }],
});

const verificationFailed = (message: string) => ({
  name: 'WebhookVerificationError',
  code: 'webhook_verification_failed',
  message,
});

describe('bodyToText on the edges of its limit', () => {
  it('accepts a string of exactly maxBytes UTF-8 bytes and refuses one byte more', () => {
    expect(bodyToText('abc', 3)).toBe('abc');
    expect(bodyToText('ก', 3)).toBe('ก'); // one code unit, three bytes
    expect(bodyToText('a', 3)).toBe('a');
    expect(failure(() => bodyToText('abcd', 3))).toEqual(tooLarge(3));
    expect(failure(() => bodyToText('กa', 3))).toEqual(tooLarge(3));
  });

  it('accepts bytes and an ArrayBuffer of exactly maxBytes and refuses one byte more', () => {
    expect(bodyToText(new Uint8Array([0x61, 0x62]), 2)).toBe('ab');
    expect(bodyToText(new Uint8Array([0x61, 0x62]).buffer, 2)).toBe('ab');
    expect(failure(() => bodyToText(new Uint8Array([1, 2, 3]), 2))).toEqual(tooLarge(2));
    expect(failure(() => bodyToText(new Uint8Array([1, 2, 3]).buffer, 2))).toEqual(tooLarge(2));
  });

  it('decodes malformed UTF-8 with replacement characters instead of throwing', () => {
    expect(bodyToText(new Uint8Array([0x61, 0xff, 0x62]), 10)).toBe('a\uFFFDb');
  });
});

/** A Request-shaped object whose body stream hands out `chunks` and records what was done to it. */
function fakeRequest(chunks: Uint8Array[], headers: Record<string, string> = {}) {
  const log: string[] = [];
  let index = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        log.push('read');
        const chunk = chunks[index++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
      cancel() {
        log.push('cancel');
      },
    },
    { highWaterMark: 0 },
  );
  return { request: { headers: new Headers(headers), body } as unknown as Request, log };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readRequestText', () => {
  it('joins several chunks in order', async () => {
    const { request } = fakeRequest([bytes('{"a":'), bytes('"b",'), bytes('"c":1}')]);
    expect(await readRequestText(request, 100)).toBe('{"a":"b","c":1}');
  });

  it('accepts a stream of exactly maxBytes and refuses one byte more, cancelling the stream', async () => {
    const exact = fakeRequest([bytes('abc'), bytes('de')]);
    expect(await readRequestText(exact.request, 5)).toBe('abcde');
    const over = fakeRequest([bytes('abc'), bytes('def')]);
    expect(await failureOf(() => readRequestText(over.request, 5))).toEqual(tooLarge(5));
    expect(over.log.at(-1)).toBe('cancel');
  });

  it('refuses a declared Content-Length over the limit before reading anything', async () => {
    const { request, log } = fakeRequest([bytes('ab')], { 'content-length': '6' });
    expect(await failureOf(() => readRequestText(request, 5))).toEqual(tooLarge(5));
    expect(log).toEqual([]);
    const exact = fakeRequest([bytes('ab')], { 'content-length': '5' });
    expect(await readRequestText(exact.request, 5)).toBe('ab');
  });

  it('reads a request without a body as the empty string', async () => {
    expect(await readRequestText(new Request('http://127.0.0.1/', { method: 'POST' }), 5)).toBe('');
  });
});

describe('parsers: exact refusals', () => {
  it('parseJsonBody: a blank body is "empty", malformed JSON keeps its SyntaxError as the cause', () => {
    const empty =
      'Webhook body is empty. Pass the raw request body (for example express.raw() or await request.text()).';
    expect(failure(() => parseJsonBody('  \n '))).toEqual(verificationFailed(empty));
    expect(failure(() => parseJsonBody(''))).toEqual(verificationFailed(empty));
    let cause: unknown;
    try {
      parseJsonBody('{nope');
    } catch (error) {
      expect(describeError(error)).toEqual(verificationFailed('Webhook body is not valid JSON.'));
      cause = (error as Error).cause;
    }
    expect(cause).toBeInstanceOf(SyntaxError);
    expect(failure(() => parseJsonBody('[1]'))).toEqual(
      verificationFailed('Webhook body must be a JSON object.'),
    );
  });

  it('parseFormBody: a blank body is "empty" rather than one blank field', () => {
    expect(failure(() => parseFormBody('   '))).toEqual(verificationFailed('Webhook body is empty.'));
    expect(failure(() => parseFormBody(''))).toEqual(verificationFailed('Webhook body is empty.'));
    expect(parseFormBody('a=1&b=')).toEqual({ a: '1', b: '' });
  });
});

describe('bodyKindOf', () => {
  it('reads the media type case-insensitively, around spaces and parameters', () => {
    expect(bodyKindOf('APPLICATION/JSON')).toBe('json');
    expect(bodyKindOf('  application/json  ; charset=utf-8')).toBe('json');
    expect(bodyKindOf('application/vnd.api+json')).toBe('json');
    expect(bodyKindOf(' Application/X-WWW-Form-Urlencoded ; charset=utf-8')).toBe('form');
    expect(bodyKindOf('text/plain')).toBe('unknown');
    expect(bodyKindOf('text/plain; charset=utf-8')).toBe('unknown');
    expect(bodyKindOf('')).toBe('unknown');
    expect(bodyKindOf(null)).toBe('unknown');
    expect(bodyKindOf('text/html')).toBeUndefined();
    expect(bodyKindOf('+json/x')).toBeUndefined();
  });
});

describe('bodyToFields and jsonBodyToFields', () => {
  it('refuses a missing body by name, never a TypeError', () => {
    const missing = verificationFailed('Webhook body is missing. Pass the raw request body.');
    expect(failure(() => bodyToFields(null as never))).toEqual(missing);
    expect(failure(() => bodyToFields(undefined as never))).toEqual(missing);
    expect(failure(() => jsonBodyToFields(null as never))).toEqual(missing);
  });

  it('copies a parsed object, refusing its forbidden keys', () => {
    const parsed = { a: 1 };
    const fields = bodyToFields(parsed);
    expect(fields).toStrictEqual({ a: 1 });
    expect(fields).not.toBe(parsed);
    expect(failure(() => bodyToFields(JSON.parse('{"__proto__":1}')))).toEqual(
      verificationFailed('Webhook body has a forbidden field name "__proto__".'),
    );
  });

  it('refuses an unsupported content type with its own code', () => {
    expect(failure(() => bodyToFields('{}', { contentType: 'text/html' }))).toEqual({
      name: 'WebhookVerificationError',
      code: 'webhook_unsupported_media_type',
      message: 'Webhook content type must be JSON or form-encoded.',
    });
  });

  it('without a content type, parses what looks like JSON (after leading spaces) as JSON, the rest as a form', () => {
    expect(bodyToFields('  {"a":1}', { allowForm: true })).toStrictEqual({ a: 1 });
    expect(bodyToFields('{"a":1}  ', { allowForm: true })).toStrictEqual({ a: 1 });
    expect(bodyToFields('a=1', { allowForm: true })).toStrictEqual({ a: '1' });
    expect(bodyToFields('a=1', { contentType: 'text/plain', allowForm: true })).toStrictEqual({ a: '1' });
  });

  it('a form content type is parsed as a form even when the text starts with a brace', () => {
    expect(bodyToFields('{"a":1}', { contentType: FORM, allowForm: true })).toStrictEqual({ '{"a":1}': '' });
    expect(bodyToFields('a=1', { contentType: FORM, allowForm: true })).toStrictEqual({ a: '1' });
  });

  it('without allowForm, a form body is parsed as JSON and refused', () => {
    expect(failure(() => bodyToFields('a=1', { contentType: FORM }))).toEqual(
      verificationFailed('Webhook body is not valid JSON.'),
    );
  });
});

describe('checkPositiveOption and checkWebhookOptions', () => {
  const rule = (max: number) => `must be a finite number above 0 and at most ${max}`;

  it('accepts (0, max], gives the fallback for undefined, refuses the rest naming the option', () => {
    expect(checkPositiveOption('n', undefined, 7, 10)).toBe(7);
    expect(checkPositiveOption('n', 10, 7, 10)).toBe(10);
    expect(checkPositiveOption('n', 0.5, 7, 10)).toBe(0.5);
    expect(checkPositiveOption('n', 1, 7, 10)).toBe(1);
    for (const bad of [0, -1, -0.5, 10.5, 11, Number.NaN, Number.POSITIVE_INFINITY, '5', null]) {
      expect(failure(() => checkPositiveOption('n', bad, 7, 10))).toEqual(invalid('n', rule(10)));
    }
  });

  it('fills in the defaults and names each option it refuses', () => {
    expect(checkWebhookOptions({})).toStrictEqual({
      ttlSeconds: 604_800,
      leaseSeconds: 60,
      maxBodyBytes: 65_536,
    });
    expect(
      checkWebhookOptions({ dedupeTtlSeconds: 60, dedupeLeaseSeconds: 60, maxBodyBytes: 16_777_216 }),
    ).toEqual({
      ttlSeconds: 60,
      leaseSeconds: 60,
      maxBodyBytes: 16_777_216,
    });
    expect(failure(() => checkWebhookOptions({ maxBodyBytes: 0 }))).toEqual(
      invalid('maxBodyBytes', rule(16_777_216)),
    );
    expect(failure(() => checkWebhookOptions({ maxBodyBytes: 1.5 }))).toEqual(
      invalid('maxBodyBytes', 'must be a whole number of bytes'),
    );
    expect(failure(() => checkWebhookOptions({ dedupeLeaseSeconds: 0 }))).toEqual(
      invalid('dedupeLeaseSeconds', rule(86_400)),
    );
    expect(failure(() => checkWebhookOptions({ dedupeTtlSeconds: 0 }))).toEqual(
      invalid('dedupeTtlSeconds', rule(31_622_400)),
    );
    expect(failure(() => checkWebhookOptions({ dedupeTtlSeconds: 59, dedupeLeaseSeconds: 60 }))).toEqual(
      invalid('dedupeTtlSeconds', 'must be at least dedupeLeaseSeconds'),
    );
  });
});

describe('createMemoryDedupeStore on a fake clock', () => {
  function clockedStore(maxEntries?: number) {
    let t = 1_000_000;
    const store = createMemoryDedupeStore({
      now: () => t,
      ...(maxEntries === undefined ? {} : { maxEntries }),
    });
    return {
      store,
      advance: (ms: number) => {
        t += ms;
      },
    };
  }

  const claimed = (claim: DedupeClaim) => {
    if (claim.state !== 'claimed') throw new Error(`expected a claim, got ${claim.state}`);
    return claim.token;
  };

  it('holds a lease for exactly leaseSeconds: in flight 1 ms before, claimable again at the second', async () => {
    const { store, advance } = clockedStore();
    const first = claimed(await store.claim('k', 60));
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    advance(59_999);
    expect(await store.claim('k', 60)).toEqual({ state: 'in_flight' });
    advance(1);
    const second = claimed(await store.claim('k', 60));
    expect(second).not.toBe(first);
  });

  it('remembers a completed key for exactly ttlSeconds', async () => {
    const { store, advance } = clockedStore();
    const token = claimed(await store.claim('k', 60));
    await store.complete('k', token, 120);
    advance(119_999);
    expect(await store.claim('k', 60)).toEqual({ state: 'done' });
    advance(1);
    expect((await store.claim('k', 60)).state).toBe('claimed');
  });

  it('complete keeps the key for its owner, after an expired lease nobody took, and for a key never claimed', async () => {
    const { store, advance } = clockedStore();
    await store.complete('never', 'any-token', 60);
    expect(await store.claim('never', 60)).toEqual({ state: 'done' });

    const stale = claimed(await store.claim('stale', 60));
    advance(60_000); // the lease ran out exactly now; nobody claimed the key since
    await store.complete('stale', stale, 600);
    expect(await store.claim('stale', 60)).toEqual({ state: 'done' });
  });

  it('complete with another delivery`s token leaves a live lease alone', async () => {
    const { store, advance } = clockedStore();
    const old = claimed(await store.claim('k', 60));
    advance(60_000);
    const current = claimed(await store.claim('k', 60));
    await store.complete('k', old, 600);
    expect(await store.claim('k', 60)).toEqual({ state: 'in_flight' });
    await store.complete('k', current, 600);
    expect(await store.claim('k', 60)).toEqual({ state: 'done' });
  });

  it('complete with an old token remembers the key once the other delivery`s lease ran out (at the exact ms)', async () => {
    const { store, advance } = clockedStore();
    const old = claimed(await store.claim('k', 60));
    advance(60_000);
    claimed(await store.claim('k', 60)); // a second delivery takes over, then dies inside onEvent
    advance(60_000); // its lease ends exactly now: nobody holds the key
    await store.complete('k', old, 600);
    expect(await store.claim('k', 60)).toEqual({ state: 'done' });
  });

  it('release drops only its own lease and ignores unknown keys', async () => {
    const { store } = clockedStore();
    await store.release('unknown', 'token');
    const token = claimed(await store.claim('k', 60));
    await store.release('k', 'someone-else');
    expect(await store.claim('k', 60)).toEqual({ state: 'in_flight' });
    await store.release('k', token);
    expect(store.size).toBe(0);
    expect((await store.claim('k', 60)).state).toBe('claimed');
  });

  it('keeps at most maxEntries keys (1 is allowed), dropping the oldest', async () => {
    const { store } = clockedStore(1);
    claimed(await store.claim('a', 60));
    claimed(await store.claim('b', 60));
    expect(store.size).toBe(1);
    expect((await store.claim('a', 60)).state).toBe('claimed');
    expect(failure(() => createMemoryDedupeStore({ maxEntries: 0 }))).toEqual(
      invalid('maxEntries', 'must be a positive integer'),
    );
  });

  it('refuses an empty key and a non-positive duration, naming them', async () => {
    const { store } = clockedStore();
    expect(failure(() => store.claim('', 60))).toEqual(invalid('key', 'must be a non-empty string'));
    expect(failure(() => store.claim('k', 0))).toEqual(
      invalid('leaseSeconds', 'must be a positive number of seconds'),
    );
    expect(failure(() => store.complete('k', 't', -1))).toEqual(
      invalid('ttlSeconds', 'must be a positive number of seconds'),
    );
    expect(checkStoreKey('k')).toBe('k');
    expect(failure(() => checkStoreKey(1))).toEqual(invalid('key', 'must be a non-empty string'));
    expect(checkStoreSeconds('s', 0.5)).toBe(0.5);
    for (const bad of [0, Number.NaN, Number.POSITIVE_INFINITY, '1']) {
      expect(failure(() => checkStoreSeconds('s', bad))).toEqual(
        invalid('s', 'must be a positive number of seconds'),
      );
    }
  });
});

/** The whole of a Response as plain data. */
async function answer(response: Response) {
  return { status: response.status, headers: [...response.headers], text: await response.text() };
}

const TEXT = ['content-type', 'text/plain; charset=utf-8'] as const;

function jsonRequest(body: string, init: { method?: string; contentType?: string } = {}) {
  return new Request('http://127.0.0.1/hook', {
    method: init.method ?? 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json' },
    ...(init.method === 'GET' ? {} : { body }),
  });
}

describe('createWebhookHandler: answers and option checks', () => {
  const base = {
    verify: async (text: string) => parseJsonBody(text) as { id: string },
    dedupeKey: (event: { id: string }) => event.id,
    acknowledge: () => new Response('ACK'),
    onEvent: () => undefined,
  };

  it('refuses at creation what cannot work, naming the option', () => {
    const store = createMemoryDedupeStore();
    const inbox = { handleOnce: async () => 'handled' as const };
    expect(failure(() => createWebhookHandler({ ...base, store, inbox } as never))).toEqual(
      invalid('inbox', 'cannot be given together with store; pass one of them'),
    );
    expect(failure(() => createWebhookHandler({ ...base, inbox: null } as never))).toEqual(
      invalid('inbox', 'must have a handleOnce() method'),
    );
    expect(failure(() => createWebhookHandler({ ...base, store: null } as never))).toEqual(
      invalid('store', 'must have claim(), complete() and release() methods'),
    );
    expect(failure(() => createWebhookHandler({ ...base, onEvent: 'no' } as never))).toEqual(
      invalid('onEvent', 'must be a function'),
    );
  });

  it('answers 405, 415, 413 and 400 with terse plain-text bodies', async () => {
    const handler = createWebhookHandler({ ...base, maxBodyBytes: 10 });
    expect(await answer(await handler(jsonRequest('', { method: 'GET' })))).toEqual({
      status: 405,
      headers: [TEXT],
      text: 'method not allowed',
    });
    expect(await answer(await handler(jsonRequest('{}', { contentType: 'text/html' })))).toEqual({
      status: 415,
      headers: [TEXT],
      text: 'unsupported media type',
    });
    expect(await answer(await handler(jsonRequest('{"id":"0123456789"}')))).toEqual({
      status: 413,
      headers: [TEXT],
      text: 'too large',
    });
    expect(await answer(await handler(jsonRequest('[]')))).toEqual({
      status: 400,
      headers: [TEXT],
      text: 'invalid webhook',
    });
  });

  it('without onError, a failing onEvent still answers 500 (reporting nowhere is not an error)', async () => {
    const handler = createWebhookHandler({
      ...base,
      onEvent: () => {
        throw new Error('boom');
      },
    });
    expect(await answer(await handler(jsonRequest('{"id":"1"}')))).toEqual({
      status: 500,
      headers: [TEXT],
      text: 'handler failed',
    });
  });

  it('passes onEvent a context whose db is undefined without an inbox', async () => {
    const contexts: unknown[] = [];
    const handler = createWebhookHandler({
      ...base,
      onEvent: (_event, context) => {
        contexts.push(context);
      },
    });
    expect((await handler(jsonRequest('{"id":"1"}'))).status).toBe(200);
    expect(contexts).toHaveLength(1);
    expect(Object.keys(contexts[0] as object)).toEqual(['db']);
    expect(contexts[0]).toStrictEqual({ db: undefined });
  });

  function withStore(claim: () => unknown) {
    const errors: unknown[] = [];
    const events: unknown[] = [];
    const store: WebhookDedupeStore = {
      claim: claim as WebhookDedupeStore['claim'],
      complete: () => undefined,
      release: () => undefined,
    };
    const handler = createWebhookHandler({
      ...base,
      store,
      dedupeLeaseSeconds: 30.2,
      onEvent: (event) => {
        events.push(event);
      },
      onError: (error) => errors.push(error),
    });
    return { handler, errors, events };
  }

  const inFlight = {
    status: 503,
    headers: [TEXT, ['retry-after', '31']],
    text: 'in progress, retry later',
  };

  it('a store that fails to claim answers 503 "try again" and reports the error', async () => {
    const boom = new Error('store down');
    const { handler, errors, events } = withStore(() => {
      throw boom;
    });
    expect(await answer(await handler(jsonRequest('{"id":"1"}')))).toEqual({
      status: 503,
      headers: [TEXT],
      text: 'try again',
    });
    expect(errors).toEqual([boom]);
    expect(events).toEqual([]);
  });

  it('a claim that is not a claim with a token answers in flight, never runs onEvent', async () => {
    for (const claim of [
      undefined,
      null,
      { state: 'claimed' },
      { state: 'claimed', token: 1 },
      { state: 'x' },
    ]) {
      const { handler, events } = withStore(() => claim);
      expect(await answer(await handler(jsonRequest('{"id":"1"}')))).toEqual(inFlight);
      expect(events).toEqual([]);
    }
    const { handler, events } = withStore(() => ({ state: 'claimed', token: 't' }));
    expect(await answer(await handler(jsonRequest('{"id":"1"}')))).toEqual({
      status: 200,
      headers: [['content-type', 'text/plain;charset=UTF-8']],
      text: 'ACK',
    });
    expect(events).toEqual([{ id: '1' }]);
  });

  it('an inbox failing before onEvent answers 503 "try again"; onEvent failing inside it answers 500', async () => {
    const down = createWebhookHandler({
      ...base,
      inbox: {
        handleOnce: async () => {
          throw new Error('db down');
        },
      },
    });
    expect(await answer(await down(jsonRequest('{"id":"1"}')))).toEqual({
      status: 503,
      headers: [TEXT],
      text: 'try again',
    });
    const failing = createWebhookHandler({
      ...base,
      onEvent: () => {
        throw new Error('boom');
      },
      inbox: {
        handleOnce: async (_key, run) => {
          await run(undefined);
          return 'handled' as const;
        },
      },
    });
    expect(await answer(await failing(jsonRequest('{"id":"1"}')))).toEqual({
      status: 500,
      headers: [TEXT],
      text: 'handler failed',
    });
  });
});

/** An in-process Node request: headers, optional parsed bodies, and a stream of `chunks`. */
function nodeRequest(
  init: {
    method?: string;
    url?: string;
    headers?: Record<string, string | string[] | undefined>;
    body?: unknown;
    rawBody?: unknown;
    readable?: boolean;
  },
  chunks: readonly (Uint8Array | string)[] | 'never' = [],
): NodeLikeRequest & { reads: number } {
  const request = {
    reads: 0,
    headers: init.headers ?? { 'content-type': 'application/json' },
    ...(init.method === undefined ? {} : { method: init.method }),
    ...(init.url === undefined ? {} : { url: init.url }),
    ...('body' in init ? { body: init.body } : {}),
    ...('rawBody' in init ? { rawBody: init.rawBody } : {}),
    ...(init.readable === undefined ? {} : { readable: init.readable }),
    [Symbol.asyncIterator]() {
      let index = 0;
      return {
        next: (): Promise<IteratorResult<Uint8Array | string>> => {
          request.reads++;
          if (chunks === 'never') return new Promise(() => undefined);
          const value = chunks[index++];
          return Promise.resolve(
            value === undefined ? { done: true, value: undefined } : { done: false, value },
          );
        },
      };
    },
  };
  return request;
}

/** A Node response recording what the adapter set. */
function nodeResponse() {
  const res = {
    statusCode: 0,
    headers: [] as [string, string][],
    body: undefined as string | undefined,
    setHeader(name: string, value: string) {
      res.headers.push([name, value]);
    },
    end(body?: string) {
      res.body = body;
    },
  };
  return res satisfies NodeLikeResponse;
}

/** A handler recording the Request it was given, answering 200 with a header of its own. */
function recorder() {
  const seen: { method: string; url: string; headers: [string, string][]; body: string | null }[] = [];
  const handler = async (request: Request) => {
    seen.push({
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body: request.body === null ? null : await request.text(),
    });
    return new Response('ok', { status: 200, headers: { 'x-seen': 'yes' } });
  };
  return { handler, seen };
}

async function run(
  node: (req: NodeLikeRequest, res: NodeLikeResponse) => Promise<void>,
  req: NodeLikeRequest,
): Promise<{ status: number; headers: [string, string][]; body: string | undefined }> {
  const res = nodeResponse();
  await node(req, res);
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

const OK = {
  status: 200,
  headers: [
    ['content-type', 'text/plain;charset=UTF-8'],
    ['x-seen', 'yes'],
  ],
  body: 'ok',
};
const closed = (status: number, body: string) => ({
  status,
  headers: [[...TEXT], ['connection', 'close']],
  body,
});
const refused = { status: 400, headers: [[...TEXT]], body: 'invalid webhook' };

describe('toNodeHandler: options', () => {
  it('refuses a bad bodyTimeoutMs, maxBodyBytes or handler by name', () => {
    const { handler } = recorder();
    expect(failure(() => toNodeHandler(handler, { bodyTimeoutMs: 0 }))).toEqual(
      invalid('bodyTimeoutMs', 'must be a finite number above 0 and at most 600000'),
    );
    expect(failure(() => toNodeHandler(handler, { maxBodyBytes: -1 }))).toEqual(
      invalid('maxBodyBytes', 'must be a finite number above 0 and at most 16777216'),
    );
    expect(failure(() => toNodeHandler('no' as never))).toEqual(invalid('handler', 'must be a function'));
  });

  it('null options mean the defaults', async () => {
    const { handler, seen } = recorder();
    const node = toNodeHandler(handler, null as never);
    expect(await run(node, nodeRequest({}, ['{"a":1}']))).toEqual(OK);
    expect(seen.map((s) => s.body)).toEqual(['{"a":1}']);
  });
});

describe('toNodeHandler: the Request the handler gets', () => {
  it('copies method, url and headers; drops pseudo-headers, undefined values, length and encoding', async () => {
    const { handler, seen } = recorder();
    const node = toNodeHandler(handler);
    const req = nodeRequest(
      {
        method: 'PUT',
        url: '/hook?x=1',
        headers: {
          ':authority': '127.0.0.1',
          'content-type': 'application/json',
          'content-length': '7',
          'transfer-encoding': 'chunked',
          'x-none': undefined,
          'x-many': ['a', 'b'],
        },
      },
      ['{"a":1}'],
    );
    expect(await run(node, req)).toEqual(OK);
    expect(seen).toEqual([
      {
        method: 'PUT',
        url: 'http://localhost/hook?x=1',
        headers: [
          ['content-type', 'application/json'],
          ['x-many', 'a, b'],
        ],
        body: '{"a":1}',
      },
    ]);
  });

  it('without method and url: a POST to /', async () => {
    const { handler, seen } = recorder();
    expect(await run(toNodeHandler(handler), nodeRequest({ headers: {} }, ['x']))).toEqual(OK);
    // The Request constructor itself labels a string body text/plain.
    expect(seen).toEqual([
      {
        method: 'POST',
        url: 'http://localhost/',
        headers: [['content-type', 'text/plain;charset=UTF-8']],
        body: 'x',
      },
    ]);
  });

  it('GET and HEAD reach the handler without a body', async () => {
    const { handler, seen } = recorder();
    const node = toNodeHandler(handler);
    expect((await run(node, nodeRequest({ method: 'GET', headers: {} }))).status).toBe(200);
    expect((await run(node, nodeRequest({ method: 'HEAD', headers: {} }))).status).toBe(200);
    expect(seen).toEqual([
      { method: 'GET', url: 'http://localhost/', headers: [], body: null },
      { method: 'HEAD', url: 'http://localhost/', headers: [], body: null },
    ]);
  });

  it('prefers rawBody, then a string or Buffer body, then a parsed object (as JSON), over the stream', async () => {
    const { handler, seen } = recorder();
    const node = toNodeHandler(handler);
    const text = { 'content-type': 'text/plain' };
    const cases: (NodeLikeRequest & { reads: number })[] = [
      nodeRequest({ headers: text, rawBody: 'raw', body: 'body' }, ['stream']),
      nodeRequest({ headers: text, rawBody: Buffer.from('rawbuf'), body: { a: 1 } }, ['stream']),
      nodeRequest({ headers: text, body: 'body' }, ['stream']),
      nodeRequest({ headers: text, body: new Uint8Array(bytes('bytes')) }, ['stream']),
      nodeRequest({ headers: text, body: { a: 1 } }, ['stream']),
      nodeRequest({ headers: text, readable: false }, ['stream']),
      nodeRequest({ headers: text, body: null }, ['stream']),
    ];
    for (const req of cases) expect(await run(node, req)).toEqual(OK);
    const plainText = [['content-type', 'text/plain']];
    expect(seen.map((s) => [s.body, s.headers])).toEqual([
      ['raw', plainText],
      ['rawbuf', plainText],
      ['body', plainText],
      ['bytes', plainText],
      ['{"a":1}', [['content-type', 'application/json']]],
      ['', plainText],
      ['stream', plainText],
    ]);
    expect(cases.map((req) => req.reads)).toEqual([0, 0, 0, 0, 0, 0, 2]);
  });

  it('joins streamed chunks, strings and bytes, in order', async () => {
    const { handler, seen } = recorder();
    const node = toNodeHandler(handler);
    expect(await run(node, nodeRequest({}, ['{"a":', bytes('"ก"'), '}']))).toEqual(OK);
    expect(await run(node, nodeRequest({}, ['ab']))).toEqual(OK);
    expect(seen.map((s) => s.body)).toEqual(['{"a":"ก"}', 'ab']);
  });

  it('passes the handler`s status and headers through, without closing the connection', async () => {
    const node = toNodeHandler(
      async () => new Response('nope', { status: 418, headers: { 'x-a': '1', 'x-b': '2' } }),
    );
    expect(await run(node, nodeRequest({}, ['{}']))).toEqual({
      status: 418,
      headers: [
        ['content-type', 'text/plain;charset=UTF-8'],
        ['x-a', '1'],
        ['x-b', '2'],
      ],
      body: 'nope',
    });
  });
});

describe('toNodeHandler: limits, lengths and refusals', () => {
  it('maxBodyBytes holds for a stream, a rawBody and a parsed body: exactly the limit passes, one byte more is 413 and closes', async () => {
    const { handler, seen } = recorder();
    const node = toNodeHandler(handler, { maxBodyBytes: 5 });
    expect(await run(node, nodeRequest({}, ['ab', 'cde']))).toEqual(OK);
    expect(await run(node, nodeRequest({}, ['ab', 'cdef']))).toEqual(closed(413, 'too large'));
    expect(await run(node, nodeRequest({ rawBody: 'abcde' }))).toEqual(OK);
    expect(await run(node, nodeRequest({ rawBody: 'abcdef' }))).toEqual(closed(413, 'too large'));
    expect(await run(node, nodeRequest({ body: { a: 1 } }))).toEqual(closed(413, 'too large'));
    expect(seen.map((s) => s.body)).toEqual(['abcde', 'abcde']);
  });

  it('a declared Content-Length over the limit is 413 before any read; exactly the limit is read', async () => {
    const { handler } = recorder();
    const node = toNodeHandler(handler, { maxBodyBytes: 5 });
    const over = nodeRequest({ headers: { 'content-length': '6' } }, ['ab']);
    expect(await run(node, over)).toEqual(closed(413, 'too large'));
    expect(over.reads).toBe(0);
    expect(await run(node, nodeRequest({ headers: { 'content-length': '5' } }, ['abcde']))).toEqual({
      ...OK,
      headers: OK.headers,
    });
  });

  it('a body shorter or longer than its Content-Length is 400 and keeps the connection', async () => {
    const { handler, seen } = recorder();
    const node = toNodeHandler(handler);
    expect(await run(node, nodeRequest({ headers: { 'content-length': '10' } }, ['short']))).toEqual(refused);
    expect(await run(node, nodeRequest({ headers: { 'content-length': '2' } }, ['long']))).toEqual(refused);
    expect(seen).toEqual([]);
  });

  it('a Content-Length is one decimal integer, spaces around it allowed', async () => {
    const { handler, seen } = recorder();
    const node = toNodeHandler(handler);
    for (const bad of ['5x', 'x5', '-5', '', '1234567890123456', ['2', '3']]) {
      expect(await run(node, nodeRequest({ headers: { 'content-length': bad } }, ['abcde']))).toEqual(
        refused,
      );
    }
    // Two header lines that would read as "23" if joined without a separator: still refused.
    expect(
      await run(node, nodeRequest({ headers: { 'content-length': ['1', '0'] } }, ['0123456789'])),
    ).toEqual(refused);
    expect(seen).toEqual([]);
    expect(await run(node, nodeRequest({ headers: { 'content-length': ' 5 ' } }, ['abcde']))).toEqual(OK);
    expect(await run(node, nodeRequest({ headers: { 'content-length': ['5'] } }, ['abcde']))).toEqual(OK);
    expect(seen.map((s) => s.body)).toEqual(['abcde', 'abcde']);
  });

  it('a handler that throws is 400 "invalid webhook", connection kept', async () => {
    const node = toNodeHandler(async () => {
      throw new WebhookVerificationError('x', { code: 'webhook_body_length_mismatch' });
    });
    expect(await run(node, nodeRequest({}, ['{}']))).toEqual(refused);
    const thrower = toNodeHandler(async () => {
      throw new Error('plain');
    });
    expect(await run(thrower, nodeRequest({}, ['{}']))).toEqual(refused);
  });
});

describe('toNodeHandler: the body deadline (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a body that never finishes is 408 at bodyTimeoutMs, closing the connection, and not before', async () => {
    vi.useFakeTimers();
    const { handler, seen } = recorder();
    const node = toNodeHandler(handler, { bodyTimeoutMs: 1000 });
    const res = nodeResponse();
    let finished = false;
    const pending = node(nodeRequest({}, 'never'), res).then(() => {
      finished = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect({ status: res.statusCode, headers: res.headers, body: res.body }).toEqual(
      closed(408, 'request timeout'),
    );
    expect(seen).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a body read in time leaves no timer behind', async () => {
    vi.useFakeTimers();
    const { handler } = recorder();
    const node = toNodeHandler(handler, { bodyTimeoutMs: 1000 });
    expect(await run(node, nodeRequest({}, ['{}']))).toEqual(OK);
    expect(vi.getTimerCount()).toBe(0);
  });
});
