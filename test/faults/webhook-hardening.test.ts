/**
 * Webhook hardening, for both providers' handlers and verify functions: a body size limit enforced
 * before parsing (and before buffering a streamed body), no prototype pollution, JSON and form only,
 * a two-sided timestamp window, several keys for rotation, and refusals that tell an attacker nothing.
 */

import jwt from 'jsonwebtoken';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InvalidRequestError,
  ResponseVerificationError,
  WebhookVerificationError,
} from '../../src/core/errors';
import { DEFAULT_MAX_BODY_BYTES, type NodeLikeResponse, toNodeHandler } from '../../src/core/webhooks';
import { createJwtGatewayWebhookHandler, verifyJwtGatewayCallback } from '../../src/jwt-gateway';
import { createSandbox } from '../../src/testing';
import { createThbWebhookHandler, ThbCollectClient, verifyThbNotification } from '../../src/thb-collect';
import { MERCHANT_PRIVATE_PEM, PLATFORM_PRIVATE_PEM } from './matrix';
import {
  formBody,
  JWT_API_KEY,
  JWT_OLD_API_KEY,
  JWT_STRANGER_KEY,
  jwtCallbackFields,
  jwtSigned,
  THB_PLATFORM,
  THB_PLATFORM_OLD,
  THB_SECRET_KEY,
  THB_STRANGER,
  thbNotificationFields,
  thbSigned,
  webhookRequest,
} from './webhook-fixtures';

const thbKeys = { secretKey: THB_SECRET_KEY, platformPublicKey: THB_PLATFORM.publicPem };

/** Both handlers, with what they were given to handle. */
function handlers() {
  const events: { provider: string; event: unknown }[] = [];
  const errors: unknown[] = [];
  return {
    events,
    errors,
    jwt: createJwtGatewayWebhookHandler({
      apiKey: JWT_API_KEY,
      onEvent: (event) => void events.push({ provider: 'jwt', event }),
      onError: (error) => void errors.push(error),
    }),
    thb: createThbWebhookHandler({
      ...thbKeys,
      onEvent: (event) => void events.push({ provider: 'thb', event }),
      onError: (error) => void errors.push(error),
    }),
  };
}

const genuine = {
  jwt: () => JSON.stringify(jwtSigned(jwtCallbackFields())),
  thb: () => JSON.stringify(thbSigned(thbNotificationFields())),
};

/** A stream of `total` bytes of JSON-ish filler that counts what was pulled from it. */
function countingStream(
  total: number,
  chunkBytes = 16 * 1024,
): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunk = new TextEncoder().encode(`{"a":"${'x'.repeat(chunkBytes - 8)}",`);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) {
        controller.close();
        return;
      }
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

const TEN_MB = 10 * 1024 * 1024;

describe('body size limit, before parsing and before buffering', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(['jwt', 'thb'] as const)(
    '%s handler: a 10 MB streamed body is refused with 413 after reading about 64 KB',
    async (provider) => {
      const h = handlers();
      const { stream, pulled } = countingStream(TEN_MB);
      const response = await h[provider](webhookRequest(stream));
      expect(response.status).toBe(413);
      expect(await response.text()).toBe('too large');
      // The limit plus at most a few chunks in flight: nowhere near the 10 MB offered.
      expect(pulled()).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES);
      expect(pulled()).toBeLessThan(DEFAULT_MAX_BODY_BYTES + 4 * 16 * 1024);
      expect(h.events).toEqual([]);
    },
  );

  it.each(['jwt', 'thb'] as const)(
    '%s handler: a declared 10 MB Content-Length is refused before reading the body',
    async (provider) => {
      const h = handlers();
      const { stream, pulled } = countingStream(TEN_MB);
      const request = webhookRequest(stream, 'application/json', {
        headers: { 'content-length': String(TEN_MB) },
      });
      const response = await h[provider](request);
      expect(response.status).toBe(413);
      // At most what the stream queued on its own when it was made, never a read of the body.
      expect(pulled()).toBeLessThanOrEqual(16 * 1024);
    },
  );

  it('the Node adapter stops reading a 10 MB request early too', async () => {
    const h = handlers();
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    const req = {
      method: 'POST',
      url: '/webhooks',
      headers: { 'content-type': 'application/json' },
      async *[Symbol.asyncIterator]() {
        while (pulled < TEN_MB) {
          pulled += chunk.byteLength;
          yield chunk;
        }
      },
    };
    const res: NodeLikeResponse & { body?: string } = {
      statusCode: 0,
      setHeader: () => undefined,
      end(body?: string) {
        this.body = body;
      },
    };
    await toNodeHandler(h.jwt)(req, res);
    expect(res.statusCode).toBe(413);
    expect(pulled).toBeLessThan(DEFAULT_MAX_BODY_BYTES + 4 * chunk.byteLength);
  });

  it('the Node adapter refuses a declared 10 MB Content-Length without reading a byte, and closes', async () => {
    const h = handlers();
    let pulled = 0;
    const req = {
      method: 'POST',
      url: '/webhooks',
      headers: { 'content-type': 'application/json', 'content-length': String(TEN_MB) },
      async *[Symbol.asyncIterator]() {
        pulled++;
        yield new Uint8Array(16);
      },
    };
    const headers: Record<string, string> = {};
    const res: NodeLikeResponse = {
      statusCode: 0,
      setHeader: (name, value) => {
        headers[name] = value;
      },
      end: () => undefined,
    };
    await toNodeHandler(h.thb)(req, res);
    expect([res.statusCode, pulled, headers.connection]).toStrictEqual([413, 0, 'close']);
  });

  it('the verify functions refuse a 10 MB body without parsing it', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const huge = `{"a":"${'x'.repeat(TEN_MB)}"}`;
    const bytes = new TextEncoder().encode(huge);
    for (const body of [huge, bytes]) {
      await expect(verifyJwtGatewayCallback(body, { apiKey: JWT_API_KEY })).rejects.toMatchObject({
        name: 'WebhookVerificationError',
        code: 'webhook_body_too_large',
      });
      await expect(verifyThbNotification(body, thbKeys)).rejects.toMatchObject({
        code: 'webhook_body_too_large',
      });
    }
    expect(parse).not.toHaveBeenCalled();
  });

  it.each(['jwt', 'thb'] as const)(
    '%s: the default limit is 64 KB exactly; maxBodyBytes changes it',
    async (provider) => {
      // A genuine message padded with JSON whitespace: the signed fields are unchanged.
      const body = genuine[provider]();
      const pad = (total: number) => `${body.slice(0, -1)}${' '.repeat(total - body.length)}}`;
      const h = handlers();
      expect((await h[provider](webhookRequest(pad(DEFAULT_MAX_BODY_BYTES)))).status).toBe(200);
      expect((await h[provider](webhookRequest(pad(DEFAULT_MAX_BODY_BYTES + 1)))).status).toBe(413);

      const small =
        provider === 'jwt'
          ? createJwtGatewayWebhookHandler({
              apiKey: JWT_API_KEY,
              onEvent: () => undefined,
              maxBodyBytes: 100,
            })
          : createThbWebhookHandler({ ...thbKeys, onEvent: () => undefined, maxBodyBytes: 100 });
      expect((await small(webhookRequest(body))).status).toBe(413);
    },
  );
});

describe('prototype pollution', () => {
  const protoNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
  const before = protoNames();

  function assertUnpolluted(): void {
    expect(protoNames()).toEqual(before);
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(probe.isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
    expect(Object.prototype.toString.call(probe)).toBe('[object Object]');
  }

  const jwtBody = jwtSigned(jwtCallbackFields());
  const jwtText = JSON.stringify(jwtBody);
  const thbText = JSON.stringify(thbSigned(thbNotificationFields()));
  const inject = (text: string, extra: string) => `{${extra},${text.slice(1)}`;
  const payloads = [
    '"__proto__":{"polluted":"yes","isAdmin":true}',
    '"constructor":{"prototype":{"polluted":"yes"}}',
    '"prototype":{"polluted":"yes"}',
    '"nested":{"__proto__":{"polluted":"yes"}}',
    '"list":[{"constructor":{"prototype":{"isAdmin":true}}}]',
  ];
  const forms = [
    '__proto__[polluted]=yes',
    '__proto__=yes',
    'constructor[prototype][polluted]=yes',
    'constructor=x',
    'prototype=x',
  ];

  it('JSON bodies with __proto__ / constructor / prototype keys are refused everywhere, and pollute nothing', async () => {
    const h = handlers();
    for (const payload of payloads) {
      for (const [text, provider] of [
        [inject(jwtText, payload), 'jwt'],
        [inject(thbText, payload), 'thb'],
      ] as const) {
        const response = await h[provider](webhookRequest(text));
        expect(response.status, `${provider} ${payload}`).toBe(400);
        expect(await response.text()).toBe('invalid webhook');
        const verify =
          provider === 'jwt'
            ? verifyJwtGatewayCallback(text, { apiKey: JWT_API_KEY })
            : verifyThbNotification(text, thbKeys);
        await expect(verify).rejects.toBeInstanceOf(WebhookVerificationError);
        // A framework's own JSON.parse makes "__proto__" an own key: the object form is refused too.
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const verifyParsed =
          provider === 'jwt'
            ? verifyJwtGatewayCallback(parsed, { apiKey: JWT_API_KEY })
            : verifyThbNotification(parsed, thbKeys);
        await expect(verifyParsed).rejects.toBeInstanceOf(WebhookVerificationError);
      }
    }
    expect(h.events).toEqual([]);
    assertUnpolluted();
  });

  it('form bodies with those keys are refused, and pollute nothing', async () => {
    const h = handlers();
    const fields = formBody(thbSigned(thbNotificationFields()));
    for (const extra of forms) {
      const response = await h.thb(webhookRequest(`${extra}&${fields}`, 'application/x-www-form-urlencoded'));
      expect(response.status, extra).toBe(400);
      await expect(
        verifyThbNotification(`${fields}&${extra}`, {
          ...thbKeys,
          contentType: 'application/x-www-form-urlencoded',
        }),
      ).rejects.toBeInstanceOf(WebhookVerificationError);
    }
    expect(h.events).toEqual([]);
    assertUnpolluted();
  });

  it('even a notification genuinely signed over a "constructor" field is refused', async () => {
    const signed = JSON.stringify(thbSigned(thbNotificationFields({ constructor: 'x', prototype: 'y' })));
    await expect(verifyThbNotification(signed, thbKeys)).rejects.toThrow(/forbidden field name/);
    assertUnpolluted();
  });
});

describe('content types', () => {
  const refused = [
    'text/html',
    'application/xml',
    'text/xml',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'image/png',
    'application/javascript',
  ];

  it.each(['jwt', 'thb'] as const)(
    '%s handler answers 415 to anything but JSON and form, before reading',
    async (provider) => {
      const h = handlers();
      for (const type of refused) {
        const { stream, pulled } = countingStream(TEN_MB);
        const response = await h[provider](webhookRequest(stream, type));
        expect(response.status, type).toBe(415);
        expect(await response.text()).toBe('unsupported media type');
        expect(pulled()).toBeLessThanOrEqual(16 * 1024);
      }
      // A genuine body under a refused type is still refused: the type is checked, not sniffed.
      expect((await h[provider](webhookRequest(genuine[provider](), 'text/html'))).status).toBe(415);
      expect(h.events).toEqual([]);
    },
  );

  it('JSON (any charset, +json) and, for THB, form bodies are accepted', async () => {
    const h = handlers();
    const ok = async (request: Request, handler: (r: Request) => Promise<Response>) =>
      expect((await handler(request)).status).toBe(200);
    await ok(webhookRequest(genuine.jwt(), 'application/json; charset=utf-8'), h.jwt);
    await ok(webhookRequest(genuine.thb(), 'APPLICATION/JSON'), h.thb);
    await ok(
      webhookRequest(
        formBody(thbSigned(thbNotificationFields({ orderId: 'F1' }))),
        'application/x-www-form-urlencoded',
      ),
      h.thb,
    );
    // JWT callbacks are JSON only: a form body is refused.
    const form = formBody(jwtSigned(jwtCallbackFields()));
    expect((await h.jwt(webhookRequest(form, 'application/x-www-form-urlencoded'))).status).toBe(400);
    expect(h.events).toHaveLength(3);
  });

  it('other methods than POST are refused', async () => {
    const h = handlers();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const request = new Request('https://shop.example/webhooks', {
        method,
        ...(method === 'GET' ? {} : { body: genuine.jwt() }),
      });
      expect((await h.jwt(request)).status).toBe(405);
    }
  });
});

describe('timestamps, when a window is set, are checked both ways', () => {
  const now = 1_700_000_000_000;
  const at = (offsetSeconds: number) =>
    JSON.stringify(jwtSigned(jwtCallbackFields({ timestamp: String(now / 1000 + offsetSeconds) })));

  it('verifyJwtGatewayCallback: inside the window accepted, outside refused, past or future', async () => {
    for (const offset of [0, -299, 299, -300, 300]) {
      await expect(
        verifyJwtGatewayCallback(at(offset), { apiKey: JWT_API_KEY, toleranceSeconds: 300, now }),
      ).resolves.toMatchObject({
        orderNo: 'DP1640995200ABC123',
      });
    }
    for (const offset of [-301, 301, -86_400, 86_400 * 365]) {
      await expect(
        verifyJwtGatewayCallback(at(offset), { apiKey: JWT_API_KEY, toleranceSeconds: 300, now }),
      ).rejects.toThrow(/outside the 300 s window/);
    }
    // Without a window a stale callback is accepted (the provider's retries can be hours late).
    await expect(verifyJwtGatewayCallback(at(-86_400), { apiKey: JWT_API_KEY, now })).resolves.toBeDefined();
    // No signed timestamp (nor iat) at all is refused, window or not.
    const untimed = JSON.stringify(jwtSigned(jwtCallbackFields({ timestamp: undefined })));
    await expect(
      verifyJwtGatewayCallback(untimed, { apiKey: JWT_API_KEY, toleranceSeconds: 300, now }),
    ).rejects.toThrow(/neither a timestamp/);
  });

  it('the handler applies the window with its clock', async () => {
    const events: unknown[] = [];
    const handler = createJwtGatewayWebhookHandler({
      apiKey: JWT_API_KEY,
      toleranceSeconds: 300,
      now: () => now,
      onEvent: (event) => void events.push(event),
    });
    expect((await handler(webhookRequest(at(-301)))).status).toBe(400);
    expect((await handler(webhookRequest(at(301)))).status).toBe(400);
    expect((await handler(webhookRequest(at(120)))).status).toBe(200);
    expect(events).toHaveLength(1);
  });
});

describe('several keys, for rotation', () => {
  it('JWT: an apiKey list accepts either key and still refuses a stranger', async () => {
    const keys = [JWT_API_KEY, JWT_OLD_API_KEY];
    const fields = jwtCallbackFields();
    for (const key of keys) {
      await expect(
        verifyJwtGatewayCallback(JSON.stringify(jwtSigned(fields, key)), { apiKey: keys }),
      ).resolves.toBeDefined();
    }
    await expect(
      verifyJwtGatewayCallback(JSON.stringify(jwtSigned(fields, JWT_STRANGER_KEY)), { apiKey: keys }),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
    const handler = createJwtGatewayWebhookHandler({ apiKey: keys, onEvent: () => undefined });
    expect((await handler(webhookRequest(JSON.stringify(jwtSigned(fields, JWT_OLD_API_KEY))))).status).toBe(
      200,
    );
    expect((await handler(webhookRequest(JSON.stringify(jwtSigned(fields, JWT_STRANGER_KEY))))).status).toBe(
      400,
    );
  });

  it('THB: a platformPublicKey list accepts either platform key and still refuses a stranger', async () => {
    const platformPublicKey = [THB_PLATFORM.publicPem, THB_PLATFORM_OLD.publicPem];
    const options = { secretKey: THB_SECRET_KEY, platformPublicKey };
    const fields = thbNotificationFields();
    for (const key of [THB_PLATFORM.privateKey, THB_PLATFORM_OLD.privateKey]) {
      await expect(
        verifyThbNotification(JSON.stringify(thbSigned(fields, key)), options),
      ).resolves.toMatchObject({
        orderId: 'M233323000059',
      });
    }
    await expect(
      verifyThbNotification(JSON.stringify(thbSigned(fields, THB_STRANGER.privateKey)), options),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
    // The old key alone no longer accepts what the new key signed.
    await expect(
      verifyThbNotification(JSON.stringify(thbSigned(fields)), {
        ...options,
        platformPublicKey: [THB_PLATFORM_OLD.publicPem],
      }),
    ).rejects.toBeInstanceOf(WebhookVerificationError);

    const events: unknown[] = [];
    const handler = createThbWebhookHandler({ ...options, onEvent: (e) => void events.push(e) });
    const post = (key: typeof THB_STRANGER.privateKey, orderId: string) =>
      handler(webhookRequest(JSON.stringify(thbSigned(thbNotificationFields({ orderId }), key))));
    expect((await post(THB_PLATFORM_OLD.privateKey, 'R1')).status).toBe(200);
    expect((await post(THB_PLATFORM.privateKey, 'R2')).status).toBe(200);
    expect((await post(THB_STRANGER.privateKey, 'R3')).status).toBe(400);
    expect(events).toHaveLength(2);
  });

  it('THB: an empty or bad key list is a configuration error naming the key', async () => {
    const onEvent = () => undefined;
    expect(() =>
      createThbWebhookHandler({ secretKey: THB_SECRET_KEY, platformPublicKey: [], onEvent }),
    ).toThrow(InvalidRequestError);
    expect(() =>
      createThbWebhookHandler({
        secretKey: THB_SECRET_KEY,
        platformPublicKey: [THB_PLATFORM.publicPem, 'not a key'],
        onEvent,
      }),
    ).toThrow(/platformPublicKey\[1\]/);
    await expect(
      verifyThbNotification(genuine.thb(), {
        secretKey: THB_SECRET_KEY,
        platformPublicKey: [THB_PLATFORM.publicPem, ''],
      }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('THB client: answers verify against any key of a platformPublicKey list, and against none other', async () => {
    await using sandbox = await createSandbox({
      thbCollect: { merchantPrivateKey: MERCHANT_PRIVATE_PEM, platformPrivateKey: PLATFORM_PRIVATE_PEM },
    });
    const client = (platformPublicKey: string | string[]) =>
      new ThbCollectClient({
        appId: sandbox.thbCollect.appId,
        secretKey: sandbox.thbCollect.secretKey,
        privateKey: MERCHANT_PRIVATE_PEM,
        platformPublicKey,
        baseUrl: sandbox.thbCollect.baseUrl,
        maxRetries: 0,
      });
    const order = {
      orderId: 'ROT1',
      amount: 300,
      payType: 'QR' as const,
      name: 'Somchai Jaidee',
      phone: '0812345678',
      email: 'somchai@example.com',
      callBackUrl: 'https://shop.example/ok',
      callBackFailUrl: 'https://shop.example/fail',
      subject: 'Order',
      partnerUserId: 'user-42',
    };
    await client([THB_STRANGER.publicPem, sandbox.thbCollect.platformPublicKey]).createCollection(order);
    await expect(
      client([sandbox.thbCollect.platformPublicKey, THB_STRANGER.publicPem]).getCollection({
        orderId: 'ROT1',
      }),
    ).resolves.toMatchObject({ orderId: 'ROT1' });
    await expect(client([THB_STRANGER.publicPem]).getCollection({ orderId: 'ROT1' })).rejects.toBeInstanceOf(
      ResponseVerificationError,
    );
    expect(() => client([])).toThrow(/platformPublicKey/);
  });
});

describe('refusals tell an attacker nothing', () => {
  /** Bad requests of every kind, each refused for a different reason. */
  function attacks(provider: 'jwt' | 'thb'): [string, Request][] {
    if (provider === 'jwt') {
      const fields = jwtCallbackFields();
      const good = jwtSigned(fields);
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(fields)).toString('base64url')}.`;
      return [
        ['wrong key', webhookRequest(JSON.stringify(jwtSigned(fields, JWT_STRANGER_KEY)))],
        ['bad JSON', webhookRequest(`${JSON.stringify(good).slice(0, -5)}`)],
        ['tampered field', webhookRequest(JSON.stringify({ ...good, amount: 100000 }))],
        // Fields added to or removed from the body are not refusals any more (only signed values count):
        // test/security/jwt-callbacks.test.ts covers them. Unsigned decisive fields and expiry are.
        [
          'unsigned amount',
          webhookRequest(JSON.stringify({ ...jwtSigned({ ...fields, amount: undefined }), amount: 1000 })),
        ],
        [
          'expired token',
          webhookRequest(
            JSON.stringify({ ...fields, signature: jwt.sign(fields, JWT_API_KEY, { expiresIn: -60 }) }),
          ),
        ],
        ['no signature', webhookRequest(JSON.stringify(fields))],
        ['alg none', webhookRequest(JSON.stringify({ ...fields, signature: none }))],
        ['forbidden key', webhookRequest(`{"__proto__":{"x":1},${JSON.stringify(good).slice(1)}`)],
        ['empty body', webhookRequest('')],
        ['an array', webhookRequest('[1,2,3]')],
        ['a number typed as a string', webhookRequest(JSON.stringify({ ...good, amount: '1000' }))],
      ];
    }
    const fields = thbNotificationFields();
    const good = thbSigned(fields);
    return [
      ['wrong key', webhookRequest(JSON.stringify(thbSigned(fields, THB_STRANGER.privateKey)))],
      [
        'wrong secret',
        webhookRequest(JSON.stringify(thbSigned(fields, THB_PLATFORM.privateKey, 'other-secret'))),
      ],
      ['bad JSON', webhookRequest(`${JSON.stringify(good).slice(0, -5)}`)],
      ['tampered field', webhookRequest(JSON.stringify({ ...good, amount: '3000.00' }))],
      ['added field', webhookRequest(JSON.stringify({ ...good, bonus: '1' }))],
      ['removed field', webhookRequest(JSON.stringify({ ...good, fee: undefined }))],
      ['no sign', webhookRequest(JSON.stringify(fields))],
      ['forbidden key', webhookRequest(`{"constructor":"x",${JSON.stringify(good).slice(1)}`)],
      [
        'repeated form field',
        webhookRequest(`${formBody(good)}&status=3`, 'application/x-www-form-urlencoded'),
      ],
      ['empty body', webhookRequest('')],
      ['garbage sign', webhookRequest(JSON.stringify({ ...good, sign: '!!not base64!!' }))],
    ];
  }

  it.each(['jwt', 'thb'] as const)(
    '%s: every refusal is the same 400 and the same terse body',
    async (provider) => {
      const h = handlers();
      const answers: { what: string; status: number; body: string; headers: string }[] = [];
      for (const [what, request] of attacks(provider)) {
        const response = await h[provider](request);
        answers.push({
          what,
          status: response.status,
          body: await response.text(),
          headers: JSON.stringify([...response.headers]),
        });
      }
      for (const answer of answers) {
        expect(answer, answer.what).toMatchObject({ status: 400, body: 'invalid webhook' });
        expect(answer.headers, answer.what).toBe(answers[0]?.headers);
      }
      expect(h.events).toEqual([]);
      // The reasons go to onError, for the merchant's logs: each one a typed, specific explanation.
      expect(h.errors).toHaveLength(answers.length);
      for (const error of h.errors) {
        expect(error).toBeInstanceOf(WebhookVerificationError);
        expect((error as Error).message.length).toBeGreaterThanOrEqual(20);
      }
      expect(new Set(h.errors.map((e) => (e as Error).message)).size).toBeGreaterThan(3);
    },
  );
});
