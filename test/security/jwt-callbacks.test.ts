/**
 * JWT gateway callbacks under attack. Tokens are made independently of src/ with jsonwebtoken (as a
 * gateway on Node would make them: with or without `iat`, `exp`, `nbf`), and every test ends in a refusal
 * or in `onEvent` running exactly once. The contract (src/jwt-gateway/webhooks.ts): only signed values
 * decide; order ids, status and amount must be signed; a field in both body and token must be equal;
 * `exp`/`nbf` are enforced; an untimed token is refused unless `requireTimestamp: false`.
 */
import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, WebhookVerificationError } from '../../src/core/errors';
import {
  createJwtGatewayWebhookHandler,
  type JwtGatewayCallback,
  JwtGatewayClient,
  type JwtGatewayWebhookHandlerOptions,
  verifyJwtGatewayCallback,
} from '../../src/jwt-gateway';
import { JWT_API_KEY, JWT_OLD_API_KEY, JWT_STRANGER_KEY } from '../faults/webhook-fixtures';

/** 2026-01-01T00:00:00Z: the tests' clock. */
const NOW = 1_767_225_600_000;
const NOW_S = NOW / 1000;

/** The document's callback fields, timed now. */
const FIELDS = {
  order_no: 'DP1640995200ABC123',
  agent_order_no: 'order-1001',
  type: 'deposit',
  amount: 1000,
  fee: 5,
  transfer_amount: 995,
  actual_amount: 995,
  status: 'completed',
  timestamp: String(NOW_S),
};

type Fields = Record<string, unknown>;

/** A token over `payload` made by jsonwebtoken; `iat` is jsonwebtoken's default unless `noTimestamp`. */
function token(payload: Fields, options: jwt.SignOptions = {}, key = JWT_API_KEY): string {
  return jwt.sign(payload, key, { algorithm: 'HS256', ...options });
}

function without(fields: Fields, ...names: string[]): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => !names.includes(k)));
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with any header and payload, its MAC made with the real key: only our checks can refuse it. */
function forged(header: Fields, payload: Fields, key = JWT_API_KEY): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

function receiver(options: Partial<JwtGatewayWebhookHandlerOptions> = {}) {
  const events: JwtGatewayCallback[] = [];
  const errors: unknown[] = [];
  const handler = createJwtGatewayWebhookHandler({
    apiKey: JWT_API_KEY,
    onEvent: (event) => {
      events.push(event);
    },
    onError: (error) => errors.push(error),
    now: () => NOW,
    ...options,
  });
  const deliver = async (body: Fields | string) => {
    const response = await handler(
      new Request('http://127.0.0.1/callbacks/gateway', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
    return { status: response.status, text: await response.text() };
  };
  return { events, errors, deliver };
}

const ACK = { status: 200, text: '{"code":200,"message":"Success"}' };
const REFUSED = { status: 400, text: 'invalid webhook' };

/** The event the document's fields verify to, apart from what a test changes. */
function expectedEvent(overrides: Partial<JwtGatewayCallback> = {}): JwtGatewayCallback {
  return {
    orderNo: 'DP1640995200ABC123',
    orderId: 'order-1001',
    kind: 'deposit',
    type: 'deposit',
    amount: 1000,
    amountSatang: 100_000,
    fee: 5,
    feeSatang: 500,
    transferAmount: 995,
    transferAmountSatang: 99_500,
    actualAmount: 995,
    actualAmountSatang: 99_500,
    status: 'succeeded',
    providerStatus: 'completed',
    timestamp: new Date(NOW),
    raw: FIELDS,
    unsigned: {},
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a refusal').toBeInstanceOf(Error);
  return error as Error;
}

describe('tokens from an independent signer interoperate, and are handled exactly once', () => {
  it('a token with iat (jsonwebtoken default) over every field: one event for three deliveries', async () => {
    const signature = token({ ...FIELDS, iat: NOW_S });
    const r = receiver({ toleranceSeconds: 300 });
    for (let i = 0; i < 3; i++) expect(await r.deliver({ ...FIELDS, signature })).toEqual(ACK);
    expect(r.events).toEqual([expectedEvent({ issuedAt: new Date(NOW), raw: { ...FIELDS, iat: NOW_S } })]);
  });

  it('a token with exp and nbf (jsonwebtoken expiresIn / notBefore), still valid: one event', async () => {
    // jsonwebtoken counts expiresIn and notBefore from the payload's iat: the tests' clock.
    const signature = token({ ...FIELDS, iat: NOW_S }, { expiresIn: 600, notBefore: -10 });
    const claims = JSON.parse(
      Buffer.from(signature.split('.')[1] as string, 'base64url').toString(),
    ) as Fields;
    expect(claims).toEqual({ ...FIELDS, iat: NOW_S, exp: NOW_S + 600, nbf: NOW_S - 10 });
    const r = receiver({ toleranceSeconds: 300 });
    expect(await r.deliver({ ...FIELDS, signature })).toEqual(ACK);
    expect(await r.deliver({ ...FIELDS, signature })).toEqual(ACK);
    expect(r.events).toEqual([
      expectedEvent({
        issuedAt: new Date(NOW),
        expiresAt: new Date(NOW + 600_000),
        raw: claims,
      }),
    ]);
  });

  it('a token that leaves out timestamp but carries iat: one event, timed by iat', async () => {
    const payload = without(FIELDS, 'timestamp');
    const signature = token({ ...payload, iat: NOW_S });
    const r = receiver({ toleranceSeconds: 300 });
    expect(await r.deliver({ ...payload, signature })).toEqual(ACK);
    expect(await r.deliver({ ...payload, signature })).toEqual(ACK);
    const { timestamp: _t, ...event } = expectedEvent({
      issuedAt: new Date(NOW),
      raw: { ...payload, iat: NOW_S },
    });
    expect(r.events).toEqual([event]);
  });

  it('body fields outside the token reach neither the event nor the dedupe key: one event', async () => {
    const payload = without(FIELDS, 'type', 'fee', 'actual_amount');
    const signature = token(payload, { noTimestamp: true });
    const r = receiver();
    // Each delivery dresses the same token differently, trying to look like another event.
    for (const extra of [
      { type: 'withdrawal', fee: 0, actual_amount: 999_999 },
      { type: 'deposit', fee: 1, bonus: true },
      { type: 'refund', note: 'second event?' },
    ]) {
      expect(await r.deliver({ ...FIELDS, ...extra, signature })).toEqual(ACK);
    }
    expect(r.events).toEqual([
      {
        orderNo: 'DP1640995200ABC123',
        orderId: 'order-1001',
        kind: 'unknown',
        amount: 1000,
        amountSatang: 100_000,
        transferAmount: 995,
        transferAmountSatang: 99_500,
        status: 'succeeded',
        providerStatus: 'completed',
        timestamp: new Date(NOW),
        raw: payload,
        unsigned: { type: 'withdrawal', fee: 0, actual_amount: 999_999 },
      },
    ]);
  });

  it('requireTimestamp: false accepts an untimed token, and a replay of it is still handled once', async () => {
    const payload = without(FIELDS, 'timestamp');
    const signature = token(payload, { noTimestamp: true });
    const r = receiver({ requireTimestamp: false, toleranceSeconds: 60 });
    for (let i = 0; i < 5; i++) expect(await r.deliver({ ...payload, signature })).toEqual(ACK);
    expect(r.events).toHaveLength(1);
  });

  it('the sandbox-style token (signed over every documented field, no iat) is handled once', async () => {
    const sorted = Object.fromEntries(Object.entries(FIELDS).sort(([a], [b]) => (a < b ? -1 : 1)));
    const signature = token(sorted, { noTimestamp: true });
    const r = receiver({ toleranceSeconds: 300 });
    expect(await r.deliver({ ...FIELDS, signature })).toEqual(ACK);
    expect(await r.deliver(JSON.stringify({ ...FIELDS, signature }))).toEqual(ACK);
    expect(r.events).toEqual([expectedEvent()]);
  });
});

describe('unsigned or contradicted decisive values are refused', () => {
  it.each(['order_no', 'agent_order_no', 'status', 'amount'])(
    'a token that does not sign %s is refused, even with the field in the body',
    async (name) => {
      const signature = token(without(FIELDS, name), { noTimestamp: true });
      const r = receiver();
      expect(await r.deliver({ ...FIELDS, signature })).toEqual(REFUSED);
      expect(r.events).toEqual([]);
      expect(String(r.errors[0])).toContain(`Callback token does not sign "${name}"`);
    },
  );

  it.each([
    ['status', 'completed', 'pending'],
    ['amount', 1000, 100_000],
    ['amount', '1000', 1000],
    ['order_no', 'DP-OTHER', FIELDS.order_no],
    ['type', 'withdrawal', 'deposit'],
    ['timestamp', String(NOW_S), String(NOW_S - 86_400)],
  ])('a body %s of %j beside a signed %j is refused', async (name, inBody, inToken) => {
    const signature = token({ ...FIELDS, [name]: inToken }, { noTimestamp: true });
    const r = receiver();
    expect(await r.deliver({ ...FIELDS, [name]: inBody, signature })).toEqual(REFUSED);
    expect(r.events).toEqual([]);
    expect(String(r.errors[0])).toContain(`Callback field "${name}" differs from the signed value.`);
  });

  it('an unsigned fresh timestamp cannot make a stale token pass the window', async () => {
    const payload = without(FIELDS, 'timestamp');
    const stale = token({ ...payload, iat: NOW_S - 3600 });
    const r = receiver({ toleranceSeconds: 300 });
    expect(await r.deliver({ ...payload, timestamp: String(NOW_S), signature: stale })).toEqual(REFUSED);
    expect(String(r.errors[0])).toContain('Callback iat is 3600 s away from now');
    // Without iat, the unsigned timestamp does not count at all.
    const untimed = token(payload, { noTimestamp: true });
    expect(await r.deliver({ ...payload, timestamp: String(NOW_S), signature: untimed })).toEqual(REFUSED);
    expect(String(r.errors[1])).toContain('signs neither a timestamp');
    expect(r.events).toEqual([]);
  });

  it('a fresh iat does not excuse a stale signed timestamp (both are checked)', async () => {
    const signature = token({ ...FIELDS, timestamp: String(NOW_S - 3600), iat: NOW_S });
    const r = receiver({ toleranceSeconds: 300 });
    expect(await r.deliver({ ...FIELDS, timestamp: String(NOW_S - 3600), signature })).toEqual(REFUSED);
    expect(String(r.errors[0])).toContain('Callback timestamp is 3600 s away from now');
    expect(r.events).toEqual([]);
  });
});

describe('registered claims are enforced', () => {
  // jsonwebtoken refuses to write a non-numeric claim, so these tokens are made with node:crypto directly.
  const at = (claims: Fields) => ({
    ...FIELDS,
    signature: forged({ alg: 'HS256', typ: 'JWT' }, { ...FIELDS, ...claims }),
  });

  it.each([
    [{ exp: NOW_S - 1 }, undefined, /expired at 2025-12-31T23:59:59.000Z \(exp\)/],
    [{ exp: NOW_S - 61 }, 60, /expired/],
    [{ nbf: NOW_S + 1 }, undefined, /not valid before 2026-01-01T00:00:01.000Z \(nbf\)/],
    [{ nbf: NOW_S + 61 }, 60, /not valid before/],
    [{ iat: NOW_S - 301 }, 300, /Callback iat is 301 s away from now, outside the 300 s window/],
    [{ iat: NOW_S + 301 }, 300, /Callback iat is 301 s away/],
    [{ exp: String(NOW_S + 600) }, undefined, /claim "exp" must be a number of seconds/],
    [{ nbf: null }, undefined, /claim "nbf" must be a number/],
    [{ iat: '1767225600' }, undefined, /claim "iat" must be a number/],
  ])('%j (tolerance %s) is refused', async (claims, toleranceSeconds, message) => {
    const r = receiver(toleranceSeconds === undefined ? {} : { toleranceSeconds });
    expect(await r.deliver(at(claims))).toEqual(REFUSED);
    expect(r.events).toEqual([]);
    expect(r.errors[0]).toBeInstanceOf(WebhookVerificationError);
    expect(String(r.errors[0])).toMatch(message);
  });

  it('exp and nbf within the tolerance are the one exception: handled once', async () => {
    const r = receiver({ toleranceSeconds: 60 });
    const body = at({ exp: NOW_S - 30, nbf: NOW_S + 30 });
    expect(await r.deliver(body)).toEqual(ACK);
    expect(await r.deliver(body)).toEqual(ACK);
    expect(r.events).toHaveLength(1);
  });

  it('an untimed token is refused by default', async () => {
    const payload = without(FIELDS, 'timestamp');
    const r = receiver();
    expect(await r.deliver({ ...payload, signature: token(payload, { noTimestamp: true }) })).toEqual(
      REFUSED,
    );
    // An unreadable timestamp counts as none.
    const odd = { ...FIELDS, timestamp: 'yesterday' };
    expect(await r.deliver({ ...odd, signature: token(odd, { noTimestamp: true }) })).toEqual(REFUSED);
    expect(r.events).toEqual([]);
  });
});

describe('the token itself', () => {
  const payload = FIELDS;

  it.each([
    ['alg none', `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`],
    ['alg hs256 (lower case)', forged({ alg: 'hs256', typ: 'JWT' }, payload)],
    ['alg RS256 with an HMAC', forged({ alg: 'RS256', typ: 'JWT' }, payload)],
    ['HS512 by jsonwebtoken', jwt.sign(payload, JWT_API_KEY, { algorithm: 'HS512', noTimestamp: true })],
    ['crit header', forged({ alg: 'HS256', crit: ['exp'] }, payload)],
    ['typ JOSE', forged({ alg: 'HS256', typ: 'JOSE' }, payload)],
    ['a stranger key', token(payload, { noTimestamp: true }, JWT_STRANGER_KEY)],
    ['the old key, no longer listed', token(payload, { noTimestamp: true }, JWT_OLD_API_KEY)],
    [
      'a signed __proto__ key',
      forged(
        { alg: 'HS256', typ: 'JWT' },
        JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(payload).slice(1)}`),
      ),
    ],
    [
      'a signed nested constructor key',
      forged(
        { alg: 'HS256', typ: 'JWT' },
        { ...payload, meta: JSON.parse('{"constructor":{"prototype":{"x":1}}}') },
      ),
    ],
    ['two parts', token(payload).split('.').slice(0, 2).join('.')],
    ['a truncated MAC', token(payload).slice(0, -2)],
  ])('%s is refused', async (_what, signature) => {
    const r = receiver();
    expect(await r.deliver({ ...payload, signature })).toEqual(REFUSED);
    expect(r.events).toEqual([]);
    expect(r.errors[0]).toBeInstanceOf(WebhookVerificationError);
    expect(({} as Fields).x).toBeUndefined();
  });

  it('an unsigned nested __proto__ in a parsed body is refused (it would be handed over as unsigned)', async () => {
    const signature = token(payload, { noTimestamp: true });
    const parsed = JSON.parse(
      `{"meta":{"__proto__":{"x":1}},${JSON.stringify({ ...payload, signature }).slice(1)}`,
    );
    await expect(verifyJwtGatewayCallback(parsed, { apiKey: JWT_API_KEY })).rejects.toThrow(
      /forbidden field name "__proto__"/,
    );
  });

  it('during a rotation either listed key verifies; the same event under both keys is handled once', async () => {
    const r = receiver({ apiKey: [JWT_API_KEY, JWT_OLD_API_KEY] });
    expect(
      await r.deliver({ ...payload, signature: token(payload, { noTimestamp: true }, JWT_OLD_API_KEY) }),
    ).toEqual(ACK);
    expect(await r.deliver({ ...payload, signature: token(payload, { noTimestamp: true }) })).toEqual(ACK);
    expect(r.events).toHaveLength(1);
  });
});

describe('options that would switch protections off are refused, typed and named', () => {
  const signature = token({ ...FIELDS, timestamp: '978307200' }, { noTimestamp: true }); // 2001-01-01
  const from2001 = { ...FIELDS, timestamp: '978307200', signature };

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, '600'])(
    'toleranceSeconds %s: the verifier refuses the call, never accepts a callback from 2001',
    async (bad) => {
      const error = await refusal(
        verifyJwtGatewayCallback(from2001, {
          apiKey: JWT_API_KEY,
          toleranceSeconds: bad as number,
          now: NOW,
        }),
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).issues).toEqual([
        { field: 'toleranceSeconds', rule: 'must be a finite number of seconds, 0 or more' },
      ]);
      // And with a sound value, the callback from 2001 is refused.
      await expect(
        verifyJwtGatewayCallback(from2001, { apiKey: JWT_API_KEY, toleranceSeconds: 600, now: NOW }),
      ).rejects.toThrow(/outside the 600 s window/);
    },
  );

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -5])(
    'toleranceSeconds %s: the handler is refused at construction',
    (bad) => {
      expect(() => receiver({ toleranceSeconds: bad })).toThrow(
        new InvalidRequestError([
          { field: 'toleranceSeconds', rule: 'must be a finite number of seconds, 0 or more' },
        ]),
      );
    },
  );

  it.each([undefined, '', [], [''], [JWT_API_KEY, undefined]])(
    'apiKey %j (an unset environment variable): InvalidRequestError naming apiKey, never a TypeError',
    async (apiKey) => {
      const rule =
        'must be a non-empty string, or a non-empty list of non-empty strings (is the environment variable set?)';
      const error = await refusal(
        verifyJwtGatewayCallback(from2001, { apiKey: apiKey as unknown as string }),
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).issues).toEqual([{ field: 'apiKey', rule }]);
      expect(() => receiver({ apiKey: apiKey as unknown as string })).toThrow(
        new InvalidRequestError([{ field: 'apiKey', rule }]),
      );
    },
  );

  it.each([undefined, ''])('JwtGatewayClient with apiKey %j: InvalidRequestError naming apiKey', (apiKey) => {
    expect(
      () =>
        new JwtGatewayClient({
          baseUrl: 'https://gateway.example/api/v1',
          merchantId: 'M1',
          apiKey: apiKey as unknown as string,
        }),
    ).toThrow(
      new InvalidRequestError([
        { field: 'apiKey', rule: 'must be a non-empty string (is the environment variable set?)' },
      ]),
    );
  });

  it('maxBodyBytes NaN and requireTimestamp "no" are refused too, all at once', () => {
    expect(() =>
      receiver({ maxBodyBytes: Number.NaN, requireTimestamp: 'no' as never, onEvent: 1 as never }),
    ).toThrow(
      new InvalidRequestError([
        { field: 'onEvent', rule: 'must be a function called with each verified callback' },
        { field: 'requireTimestamp', rule: 'must be true or false' },
        { field: 'maxBodyBytes', rule: 'must be a whole number of bytes, 1 or more' },
      ]),
    );
  });
});

describe('secrets never leave through a callback', () => {
  it('the API key in a signed or an unsigned field is redacted from raw and unsigned', async () => {
    const fields = { ...FIELDS, note: `key=${JWT_API_KEY}` };
    const signature = token(fields, { noTimestamp: true });
    const r = receiver();
    expect(await r.deliver({ ...fields, echo: { k: JWT_API_KEY }, signature })).toEqual(ACK);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]?.raw.note).toBe('key=[REDACTED]');
    expect(r.events[0]?.unsigned).toEqual({ echo: { k: '[REDACTED]' } });
    expect(JSON.stringify(r.events)).not.toContain(JWT_API_KEY);
  });

  it('a refusal naming a field never repeats the key', async () => {
    const fields = { ...FIELDS, [JWT_API_KEY]: 'x' };
    const signature = token(fields, { noTimestamp: true });
    const error = await refusal(
      verifyJwtGatewayCallback({ ...fields, [JWT_API_KEY]: 'y', signature }, { apiKey: JWT_API_KEY }),
    );
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error.message).toBe(
      'Callback field "[REDACTED]" differs from the signed value. If your framework parsed and re-serialised the body, pass the raw body (express.raw(), await request.text()).',
    );
  });
});

describe('claims out of range cannot slip past the checks', () => {
  it.each([{ iat: 1e300 }, { exp: 1e300, iat: -1 }, { nbf: 1e300 }, { iat: -5 }])(
    '%j is refused, window or not',
    async (claims) => {
      const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ ...FIELDS, ...claims })}`;
      const signature = `${input}.${createHmac('sha256', JWT_API_KEY).update(input).digest('base64url')}`;
      for (const options of [{}, { toleranceSeconds: 300 }]) {
        const r = receiver(options);
        expect(await r.deliver({ ...FIELDS, signature })).toEqual(REFUSED);
        expect(r.events).toEqual([]);
        expect(String(r.errors[0])).toMatch(/must be a number of seconds \(RFC 7519 NumericDate\)/);
      }
    },
  );
});

describe('prototype keys hidden behind JSON escapes', () => {
  it('a signed "\\u005f_proto__" key is refused like a literal one', async () => {
    const payloadText = `{"\\u005f_proto__":{"x":1},${JSON.stringify(FIELDS).slice(1)}`;
    expect(Object.keys(JSON.parse(payloadText))).toContain('__proto__');
    const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${Buffer.from(payloadText).toString('base64url')}`;
    const signature = `${input}.${createHmac('sha256', JWT_API_KEY).update(input).digest('base64url')}`;
    const r = receiver();
    expect(await r.deliver({ ...FIELDS, signature })).toEqual(REFUSED);
    expect(String(r.errors[0])).toContain('Callback token payload has a forbidden field name "__proto__".');
    expect(r.events).toEqual([]);
  });

  it('a key written with escapes in the payload is still redacted from raw', async () => {
    const escaped = JWT_API_KEY.replace(/a/g, '\\u0061');
    const payloadText = `{"note":"${escaped}",${JSON.stringify(FIELDS).slice(1)}`;
    const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${Buffer.from(payloadText).toString('base64url')}`;
    const signature = `${input}.${createHmac('sha256', JWT_API_KEY).update(input).digest('base64url')}`;
    const event = await verifyJwtGatewayCallback({ ...FIELDS, signature }, { apiKey: JWT_API_KEY });
    expect(event.raw.note).toBe('[REDACTED]');
  });
});
