/**
 * Tests written against mutants of src/jwt-gateway/webhooks.ts (MUTATION.md): every option refusal by its
 * exact issues, the body-to-token comparison on each JSON type, the token's shape and parts, the registered
 * claims and the window on their exact edges, the read-out of each signed field, redaction, and the
 * handler's wiring of its options. Tokens are made here with node:crypto's HMAC (not the module's own
 * signer), over payload text written by hand, so escapes and odd payloads can be signed too.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, ThaiPayError } from '../../src/core/errors';
import {
  createJwtGatewayWebhookHandler,
  JWT_GATEWAY_ACK,
  type JwtGatewayCallback,
  jwtGatewayDedupeKey,
  type VerifyJwtGatewayCallbackOptions,
  verifyJwtGatewayCallback,
} from '../../src/jwt-gateway/webhooks';

const KEY = 'gateway-api-key-123';
const NOW = 1_640_995_380_000; // the document's timestamp, 1640995380 s
const NOW_S = NOW / 1000;

const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** An HS256 compact JWT over exactly `payloadText` (and `headerText`), made with node:crypto. */
function token(payloadText: string, key = KEY, headerText = '{"alg":"HS256","typ":"JWT"}'): string {
  const input = `${b64url(headerText)}.${b64url(payloadText)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

const BASE = {
  order_no: 'DP1',
  agent_order_no: 'M1',
  type: 'deposit',
  amount: 1000,
  status: 'completed',
  timestamp: '1640995380',
};

/** A body signed over `payload` (as JSON), carrying the payload's fields beside the signature. */
function signedBody(payload: Record<string, unknown>, key = KEY): Record<string, unknown> {
  return { ...payload, signature: token(JSON.stringify(payload), key) };
}

const text = (body: unknown) => JSON.stringify(body);

/** The callback, or the refusal as plain data. */
async function outcome(
  body: Parameters<typeof verifyJwtGatewayCallback>[0],
  options: Omit<VerifyJwtGatewayCallbackOptions, 'apiKey'> = {},
  key: string | readonly string[] = KEY,
): Promise<unknown> {
  try {
    return await verifyJwtGatewayCallback(body, { now: NOW, ...options, apiKey: key });
  } catch (error) {
    if (error instanceof InvalidRequestError) return { name: error.name, issues: error.issues };
    if (error instanceof ThaiPayError) return { name: error.name, code: error.code, message: error.message };
    return { other: String(error) };
  }
}

const refused = (message: string) => ({
  name: 'WebhookVerificationError',
  code: 'webhook_verification_failed',
  message,
});

const BASE_EVENT: JwtGatewayCallback = {
  orderNo: 'DP1',
  orderId: 'M1',
  kind: 'deposit',
  type: 'deposit',
  amount: 1000,
  amountSatang: 100_000,
  status: 'succeeded',
  providerStatus: 'completed',
  timestamp: new Date(NOW),
  raw: BASE,
  unsigned: {},
};

const KEYS_RULE =
  'must be a non-empty string, or a non-empty list of non-empty strings (is the environment variable set?)';
const TOLERANCE_RULE = 'must be a finite number of seconds, 0 or more';
const BYTES_RULE = 'must be a whole number of bytes, 1 or more';

describe('verifyJwtGatewayCallback: options', () => {
  const body = text(signedBody(BASE));

  it('apiKey: a non-empty string or a non-empty list of non-empty strings', async () => {
    for (const bad of ['', [], [''], ['a', ''], [['x']], [1], null, 5]) {
      expect(await outcome(body, {}, bad as never)).toEqual({
        name: 'InvalidRequestError',
        issues: [{ field: 'apiKey', rule: KEYS_RULE }],
      });
    }
    expect(await outcome(body, {}, ['other-key', KEY])).toStrictEqual(BASE_EVENT);
  });

  it('toleranceSeconds: 0 up to ten years', async () => {
    for (const bad of [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, '60', null]) {
      expect(await outcome(body, { toleranceSeconds: bad as never })).toEqual({
        name: 'InvalidRequestError',
        issues: [{ field: 'toleranceSeconds', rule: TOLERANCE_RULE }],
      });
    }
    expect(await outcome(body, { toleranceSeconds: 315_360_001 })).toEqual({
      name: 'InvalidRequestError',
      issues: [{ field: 'toleranceSeconds', rule: 'must be at most 315360000 seconds (ten years)' }],
    });
    expect(await outcome(body, { toleranceSeconds: 315_360_000 })).toStrictEqual(BASE_EVENT);
    expect(await outcome(body, { toleranceSeconds: 0 })).toStrictEqual(BASE_EVENT);
  });

  it('requireTimestamp: a boolean', async () => {
    expect(await outcome(body, { requireTimestamp: 'no' as never })).toEqual({
      name: 'InvalidRequestError',
      issues: [{ field: 'requireTimestamp', rule: 'must be true or false' }],
    });
    expect(await outcome(body, { requireTimestamp: true })).toStrictEqual(BASE_EVENT);
  });

  it('maxBodyBytes: a whole number from 1 to 16 MB, and it limits the body', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '100', null]) {
      expect(await outcome(body, { maxBodyBytes: bad as never })).toEqual({
        name: 'InvalidRequestError',
        issues: [{ field: 'maxBodyBytes', rule: BYTES_RULE }],
      });
    }
    expect(await outcome(body, { maxBodyBytes: 16_777_217 })).toEqual({
      name: 'InvalidRequestError',
      issues: [{ field: 'maxBodyBytes', rule: 'must be at most 16777216 bytes' }],
    });
    expect(await outcome(body, { maxBodyBytes: 16_777_216 })).toStrictEqual(BASE_EVENT);
    expect(await outcome(body, { maxBodyBytes: 1 })).toEqual({
      name: 'WebhookVerificationError',
      code: 'webhook_body_too_large',
      message: 'Webhook body is larger than the 1-byte limit.',
    });
    expect(await outcome(body, { maxBodyBytes: body.length })).toStrictEqual(BASE_EVENT);
    expect(await outcome(body, { maxBodyBytes: body.length - 1 })).toEqual({
      name: 'WebhookVerificationError',
      code: 'webhook_body_too_large',
      message: `Webhook body is larger than the ${body.length - 1}-byte limit.`,
    });
  });

  it('names every bad option at once, in order', async () => {
    expect(
      await outcome(body, { toleranceSeconds: -1, requireTimestamp: 1 as never, maxBodyBytes: 0 }, ''),
    ).toEqual({
      name: 'InvalidRequestError',
      issues: [
        { field: 'apiKey', rule: KEYS_RULE },
        { field: 'toleranceSeconds', rule: TOLERANCE_RULE },
        { field: 'requireTimestamp', rule: 'must be true or false' },
        { field: 'maxBodyBytes', rule: BYTES_RULE },
      ],
    });
  });
});

describe('verifyJwtGatewayCallback: body fields against the token', () => {
  const signed = { ...BASE, meta: { list: [1, 'two', null, { x: true }], none: null, n: 0 } };
  const genuine = signedBody(signed);

  it('a body field equal to its signed value in every JSON type verifies', async () => {
    expect(await outcome(text(genuine))).toStrictEqual({ ...BASE_EVENT, raw: signed });
    expect(await outcome(genuine)).toStrictEqual({ ...BASE_EVENT, raw: signed });
  });

  it('any difference of type or value is refused, naming the field; the hint only for a parsed body', async () => {
    const variants: unknown[] = [
      { list: [1, 'two', null, { x: true }], none: null, n: '0' },
      { list: [1, 'two', null, { x: true }], none: {}, n: 0 },
      { list: [1, 'two', null, { x: false }], none: null, n: 0 },
      { list: [1, 'two', null, { y: true }], none: null, n: 0 },
      { list: [1, 'two', null, { x: true, y: 1 }], none: null, n: 0 },
      { list: [1, 'two', null], none: null, n: 0 },
      { list: { 0: 1, 1: 'two', 2: null, 3: { x: true } }, none: null, n: 0 },
      { list: [1, 'two', null, { x: true }], none: null },
      { list: [1, 'two', {}, { x: true }], none: null, n: 0 },
      { list: [2, 'two', null, { x: true }], none: null, n: 0 },
      null,
      [],
      'meta',
    ];
    for (const meta of variants) {
      const body = { ...genuine, meta };
      expect(await outcome(text(body))).toEqual(
        refused('Callback field "meta" differs from the signed value.'),
      );
      expect(await outcome(new TextEncoder().encode(text(body)))).toEqual(
        refused('Callback field "meta" differs from the signed value.'),
      );
      expect(await outcome(body)).toEqual(
        refused(
          'Callback field "meta" differs from the signed value. If your framework parsed and re-serialised the body, pass the raw body (express.raw(), await request.text()).',
        ),
      );
    }
  });

  it('a signed null against a body object, and a signed number against its string, differ', async () => {
    const body = signedBody({ ...BASE, extra: null });
    expect(await outcome(text({ ...body, extra: {} }))).toEqual(
      refused('Callback field "extra" differs from the signed value.'),
    );
    expect(await outcome(text({ ...body, amount: '1000' }))).toEqual(
      refused('Callback field "amount" differs from the signed value.'),
    );
    expect(await outcome(text({ ...body, amount: 999 }))).toEqual(
      refused('Callback field "amount" differs from the signed value.'),
    );
  });

  it('a signed object never equals a body string, even one its keys index', async () => {
    const body = signedBody({ ...BASE, meta: { 0: 'm' } });
    expect(await outcome(text({ ...body, meta: 'm' }))).toEqual(
      refused('Callback field "meta" differs from the signed value.'),
    );
  });

  it('body fields outside the token are handed over as unsigned, redacted', async () => {
    const body = { ...signedBody(BASE), note: `key ${KEY}`, n: 1 };
    expect(await outcome(text(body))).toStrictEqual({
      ...BASE_EVENT,
      unsigned: { note: 'key [REDACTED]', n: 1 },
    });
  });

  it('prototype names are refused at any depth of a parsed body, each name', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const body = { ...signedBody(BASE), deep: { ok: [JSON.parse(`{"${name}":1}`)] } };
      expect(await outcome(body)).toEqual(refused(`Callback body has a forbidden field name "${name}".`));
    }
  });
});

describe('verifyJwtGatewayCallback: the token', () => {
  it('needs a non-empty string signature', async () => {
    for (const signature of [undefined, '', 5, null]) {
      expect(await outcome({ ...BASE, signature })).toEqual(refused('Callback has no signature field.'));
    }
  });

  it('needs exactly three parts of the Base64url alphabet', async () => {
    const good = token(text(BASE));
    const [h, p, s] = good.split('.') as [string, string, string];
    const shape = refused('Callback signature is not a compact JWT (three Base64URL parts).');
    for (const signature of [
      `${h}.${p}`,
      `${good}.x`,
      `${h}+.${p}.${s}`,
      `+${h}.${p}.${s}`,
      `${h}.${p}.${s}=`,
      `${h}.p/q.${s}`,
    ]) {
      expect(await outcome({ ...BASE, signature })).toEqual(shape);
    }
    expect(await outcome({ ...BASE, signature: good })).toStrictEqual(BASE_EVENT);
  });

  it('refuses a header or payload that is not a JSON object, by part', async () => {
    for (const [payloadText, what] of [
      ['[1]', 'is not a JSON object'],
      ['null', 'is not a JSON object'],
      ['"x"', 'is not a JSON object'],
      ['7', 'is not a JSON object'],
      ['{nope', 'does not decode to JSON'],
    ] as const) {
      expect(await outcome({ ...BASE, signature: token(payloadText) })).toEqual(
        refused(`Callback signature is not a JWT: its payload ${what}.`),
      );
    }
    expect(await outcome({ ...BASE, signature: token(text(BASE), KEY, '[]') })).toEqual(
      refused('Callback signature is not a JWT: its header is not a JSON object.'),
    );
  });

  it('refuses prototype names in the header and the payload, literal or escaped, at any depth', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const payload = `{"order_no":"DP1","deep":{"${name}":1}}`;
      expect(await outcome({ signature: token(payload) })).toEqual(
        refused(`Callback token payload has a forbidden field name "${name}".`),
      );
    }
    const escaped = '{"order_no":"DP1","deep":[{"\\u0063onstructor":1}]}';
    expect(await outcome({ signature: token(escaped) })).toEqual(
      refused('Callback token payload has a forbidden field name "constructor".'),
    );
    expect(await outcome({ signature: token(text(BASE), KEY, '{"alg":"HS256","prototype":1}') })).toEqual(
      refused('Callback token header has a forbidden field name "prototype".'),
    );
  });
});

describe('verifyJwtGatewayCallback: claims and the window', () => {
  const at = (
    payload: Record<string, unknown>,
    options: Omit<VerifyJwtGatewayCallbackOptions, 'apiKey'> = {},
  ) => outcome(signedBody(payload), options);

  it('exp: valid up to and at the second, refused after; the leeway is the tolerance', async () => {
    const expiresAt = new Date(NOW);
    expect(await at({ ...BASE, exp: NOW_S })).toStrictEqual({
      ...BASE_EVENT,
      expiresAt,
      raw: { ...BASE, exp: NOW_S },
    });
    expect(await at({ ...BASE, exp: NOW_S - 1 })).toEqual(
      refused('Callback token expired at 2022-01-01T00:02:59.000Z (exp).'),
    );
    const late = { ...BASE, exp: NOW_S - 60 };
    expect(await at(late, { toleranceSeconds: 60 })).toStrictEqual({
      ...BASE_EVENT,
      expiresAt: new Date(NOW - 60_000),
      raw: late,
    });
    expect(await at({ ...BASE, exp: NOW_S - 61 }, { toleranceSeconds: 60 })).toEqual(
      refused('Callback token expired at 2022-01-01T00:01:59.000Z (exp).'),
    );
  });

  it('nbf: valid from the second, refused before; the leeway is the tolerance', async () => {
    expect(await at({ ...BASE, nbf: NOW_S })).toStrictEqual({ ...BASE_EVENT, raw: { ...BASE, nbf: NOW_S } });
    expect(await at({ ...BASE, nbf: NOW_S + 1 })).toEqual(
      refused('Callback token is not valid before 2022-01-01T00:03:01.000Z (nbf).'),
    );
    expect(await at({ ...BASE, nbf: NOW_S + 60 }, { toleranceSeconds: 60 })).toStrictEqual({
      ...BASE_EVENT,
      raw: { ...BASE, nbf: NOW_S + 60 },
    });
    expect(await at({ ...BASE, nbf: NOW_S + 61 }, { toleranceSeconds: 60 })).toEqual(
      refused('Callback token is not valid before 2022-01-01T00:04:01.000Z (nbf).'),
    );
  });

  it('a registered time claim is a JSON number from 0 to the year 9999', async () => {
    for (const [claim, value] of [
      ['iat', '1640995380'],
      ['iat', -1],
      ['exp', 253_402_300_800],
      ['nbf', null],
      ['iat', true],
    ] as const) {
      expect(await at({ ...BASE, [claim]: value })).toEqual(
        refused(`Callback token claim "${claim}" must be a number of seconds (RFC 7519 NumericDate).`),
      );
    }
    const { timestamp: _t, ...untimed } = BASE;
    const { timestamp: _e, ...event } = BASE_EVENT;
    expect(await at({ ...untimed, iat: 0 })).toStrictEqual({
      ...event,
      issuedAt: new Date(0),
      raw: { ...untimed, iat: 0 },
    });
    expect(await at({ ...BASE, exp: 253_402_300_799 })).toStrictEqual({
      ...BASE_EVENT,
      expiresAt: new Date(253_402_300_799_000),
      raw: { ...BASE, exp: 253_402_300_799 },
    });
  });

  it('iat alone times a token, and is held to the window', async () => {
    const { timestamp: _t, ...untimed } = BASE;
    const { timestamp: _e, ...event } = BASE_EVENT;
    const withIat = { ...untimed, iat: NOW_S - 60 };
    expect(await at(withIat, { toleranceSeconds: 60 })).toStrictEqual({
      ...event,
      issuedAt: new Date(NOW - 60_000),
      raw: withIat,
    });
    expect(await at({ ...untimed, iat: NOW_S - 61 }, { toleranceSeconds: 60 })).toEqual(
      refused('Callback iat is 61 s away from now, outside the 60 s window.'),
    );
    expect(await at({ ...untimed, iat: NOW_S + 3600 }, { toleranceSeconds: 60 })).toEqual(
      refused('Callback iat is 3600 s away from now, outside the 60 s window.'),
    );
  });

  it('the signed timestamp: whole seconds as a string or a number, at most 12 digits; anything else is no timestamp', async () => {
    const numeric = { ...BASE, timestamp: NOW_S };
    expect(await at(numeric)).toStrictEqual({ ...BASE_EVENT, raw: numeric });
    const untimed =
      'Callback token signs neither a timestamp (unix seconds) nor iat; pass requireTimestamp: false to accept untimed callbacks.';
    for (const timestamp of [
      '1640995380x',
      'x1640995380',
      '1640995380000',
      NOW_S + 0.5,
      '',
      'abc',
      ['1640995380'],
    ]) {
      expect(await at({ ...BASE, timestamp })).toEqual(refused(untimed));
      const { timestamp: _e, ...event } = BASE_EVENT;
      expect(await at({ ...BASE, timestamp }, { requireTimestamp: false })).toStrictEqual({
        ...event,
        raw: { ...BASE, timestamp },
      });
    }
    // With iat beside it, an unreadable timestamp is simply absent.
    const { timestamp: _e, ...event } = BASE_EVENT;
    const both = { ...BASE, timestamp: 'abc', iat: NOW_S };
    expect(await at(both, { toleranceSeconds: 10 })).toStrictEqual({
      ...event,
      issuedAt: new Date(NOW),
      raw: both,
    });
  });

  it('the window is inclusive at exactly toleranceSeconds, both ways', async () => {
    const before = { ...BASE, timestamp: String(NOW_S - 60) };
    expect(await at(before, { toleranceSeconds: 60 })).toStrictEqual({
      ...BASE_EVENT,
      timestamp: new Date(NOW - 60_000),
      raw: before,
    });
    expect(await at({ ...BASE, timestamp: String(NOW_S + 61) }, { toleranceSeconds: 60 })).toEqual(
      refused('Callback timestamp is 61 s away from now, outside the 60 s window.'),
    );
  });
});

describe('verifyJwtGatewayCallback: the callback read from the token', () => {
  const read = (payload: Record<string, unknown>) => outcome(signedBody(payload));

  it('reads optional amounts when signed, leaves them out when absent or null', async () => {
    const full = { ...BASE, fee: '5.5', transfer_amount: 994.5, actual_amount: '994.50' };
    expect(await read(full)).toStrictEqual({
      ...BASE_EVENT,
      fee: 5.5,
      feeSatang: 550,
      transferAmount: 994.5,
      transferAmountSatang: 99_450,
      actualAmount: 994.5,
      actualAmountSatang: 99_450,
      raw: full,
    });
    const nulls = { ...BASE, fee: null, transfer_amount: null, actual_amount: null };
    expect(await read(nulls)).toStrictEqual({ ...BASE_EVENT, raw: nulls });
  });

  it('refuses a signed amount it cannot read, naming the field', async () => {
    for (const name of ['fee', 'transfer_amount', 'actual_amount']) {
      expect(await read({ ...BASE, [name]: 'abc' })).toEqual(
        refused(`Callback field "${name}" is not an amount.`),
      );
    }
    expect(await read({ ...BASE, amount: null })).toEqual(
      refused('Callback field "amount" is not an amount.'),
    );
    expect(await read({ ...BASE, amount: -5 })).toEqual(refused('Callback field "amount" is not an amount.'));
  });

  it('refuses an empty or non-string status and order ids, naming the field', async () => {
    for (const name of ['status', 'order_no', 'agent_order_no']) {
      for (const value of ['', 5]) {
        expect(await read({ ...BASE, [name]: value })).toEqual(
          refused(`Callback field "${name}" must be a non-empty string.`),
        );
      }
    }
  });

  it('kind follows the signed type; an unknown or non-string type is "unknown"', async () => {
    const withdrawal = { ...BASE, type: 'withdrawal' };
    expect(await read(withdrawal)).toStrictEqual({
      ...BASE_EVENT,
      kind: 'withdrawal',
      type: 'withdrawal',
      raw: withdrawal,
    });
    const refund = { ...BASE, type: 'refund' };
    expect(await read(refund)).toStrictEqual({ ...BASE_EVENT, kind: 'unknown', type: 'refund', raw: refund });
    const numeric = { ...BASE, type: 5 };
    const { type: _t, ...event } = BASE_EVENT;
    expect(await read(numeric)).toStrictEqual({ ...event, kind: 'unknown', raw: numeric });
    const { type: _u, ...untyped } = BASE;
    expect(await read(untyped)).toStrictEqual({ ...event, kind: 'unknown', raw: untyped });
  });

  it('requires order ids, status and amount to be signed', async () => {
    for (const name of ['order_no', 'agent_order_no', 'status', 'amount'] as const) {
      const { [name]: value, ...rest } = BASE;
      expect(await outcome(text({ ...signedBody(rest), [name]: value }))).toEqual(
        refused(`Callback token does not sign "${name}"; an unsigned ${name} cannot be trusted.`),
      );
    }
  });

  it('redacts the key from raw when the payload holds it, literally or escaped, whichever key signed', async () => {
    const literal = { ...BASE, note: `key ${KEY}` };
    expect(await read(literal)).toStrictEqual({ ...BASE_EVENT, raw: { ...literal, note: 'key [REDACTED]' } });
    const escapedText = text(literal).replace(KEY, `\\u0067${KEY.slice(1)}`);
    expect(await outcome({ signature: token(escapedText) })).toStrictEqual({
      ...BASE_EVENT,
      raw: { ...literal, note: 'key [REDACTED]' },
    });
    const rotated = { ...BASE, note: KEY };
    expect(await outcome(signedBody(rotated), {}, ['other-key', KEY])).toStrictEqual({
      ...BASE_EVENT,
      raw: { ...rotated, note: '[REDACTED]' },
    });
  });
});

describe('jwtGatewayDedupeKey', () => {
  it('is the signed type, order number and status, JSON-encoded; null for an absent type', () => {
    expect(jwtGatewayDedupeKey(BASE_EVENT)).toBe('jwt-gateway:["deposit","DP1","completed"]');
    const { type: _t, ...untyped } = BASE_EVENT;
    expect(jwtGatewayDedupeKey(untyped)).toBe('jwt-gateway:[null,"DP1","completed"]');
  });
});

describe('createJwtGatewayWebhookHandler: options and wiring', () => {
  const post = (body: string, contentType: string | undefined = 'application/json') =>
    new Request('http://127.0.0.1/callback', {
      method: 'POST',
      ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
      body,
    });

  function failure(run: () => unknown): unknown {
    try {
      run();
    } catch (error) {
      if (error instanceof InvalidRequestError) return { name: error.name, issues: error.issues };
      return { other: String(error) };
    }
    return 'did not throw';
  }

  it('refuses options that are not an object, and names every bad option in order', () => {
    for (const bad of [null, undefined, 'apiKey', 5]) {
      expect(failure(() => createJwtGatewayWebhookHandler(bad as never))).toEqual({
        name: 'InvalidRequestError',
        issues: [{ field: 'options', rule: 'must be an object' }],
      });
    }
    expect(
      failure(() =>
        createJwtGatewayWebhookHandler({
          apiKey: '',
          toleranceSeconds: -1,
          onError: 1,
          now: 'x',
        } as never),
      ),
    ).toEqual({
      name: 'InvalidRequestError',
      issues: [
        { field: 'apiKey', rule: KEYS_RULE },
        { field: 'onEvent', rule: 'must be a function called with each verified callback' },
        { field: 'toleranceSeconds', rule: TOLERANCE_RULE },
        { field: 'onError', rule: 'must be a function told why a callback was refused' },
        { field: 'now', rule: 'must be a function returning ms since the epoch' },
      ],
    });
    expect(failure(() => createJwtGatewayWebhookHandler({ apiKey: KEY, onEvent: () => undefined }))).toBe(
      'did not throw',
    );
  });

  it('acknowledges with the gateway`s exact answer', async () => {
    expect(JWT_GATEWAY_ACK).toBe('{"code":200,"message":"Success"}');
    const events: unknown[] = [];
    const handler = createJwtGatewayWebhookHandler({
      apiKey: KEY,
      now: () => NOW,
      onEvent: (e) => events.push(e),
    });
    const response = await handler(post(text(signedBody(BASE))));
    expect({ status: response.status, headers: [...response.headers], body: await response.text() }).toEqual({
      status: 200,
      headers: [['content-type', 'application/json']],
      body: '{"code":200,"message":"Success"}',
    });
    expect(events).toStrictEqual([BASE_EVENT]);
  });

  it('uses its clock for the window: a token of "now" passes with a 60 s tolerance', async () => {
    const events: unknown[] = [];
    const handler = createJwtGatewayWebhookHandler({
      apiKey: KEY,
      toleranceSeconds: 60,
      now: () => NOW + 60_000,
      onEvent: (e) => events.push(e),
    });
    expect((await handler(post(text(signedBody(BASE))))).status).toBe(200);
    expect(events).toStrictEqual([BASE_EVENT]);
  });

  it('passes requireTimestamp: false on, so an untimed token is handled', async () => {
    const { timestamp: _t, ...untimed } = BASE;
    const events: unknown[] = [];
    const handler = createJwtGatewayWebhookHandler({
      apiKey: KEY,
      requireTimestamp: false,
      onEvent: (e) => events.push(e),
    });
    expect((await handler(post(text(signedBody(untimed))))).status).toBe(200);
    const { timestamp: _e, ...event } = BASE_EVENT;
    expect(events).toStrictEqual([{ ...event, raw: untimed }]);
    const strict = createJwtGatewayWebhookHandler({
      apiKey: KEY,
      requireTimestamp: true,
      onEvent: () => undefined,
    });
    expect((await strict(post(text(signedBody(untimed))))).status).toBe(400);
  });

  it('accepts JSON content types (and none), refuses a form or text body as "callbacks are JSON"', async () => {
    const errors: unknown[] = [];
    const handler = createJwtGatewayWebhookHandler({
      apiKey: KEY,
      now: () => NOW,
      onEvent: () => undefined,
      onError: (error) => errors.push(error instanceof Error ? error.message : error),
    });
    const body = text(signedBody(BASE));
    expect((await handler(post(body, 'application/vnd.gateway+JSON'))).status).toBe(200);
    expect((await handler(post(text(signedBody({ ...BASE, order_no: 'DP2' })), undefined))).status).toBe(200);
    const form = await handler(post(body, 'application/x-www-form-urlencoded'));
    expect({ status: form.status, body: await form.text() }).toEqual({
      status: 400,
      body: 'invalid webhook',
    });
    const plainText = await handler(post(body, 'text/plain'));
    expect(plainText.status).toBe(400);
    expect(errors).toEqual(['JWT gateway callbacks are JSON.', 'JWT gateway callbacks are JSON.']);
  });
});

describe('verifyJwtGatewayCallback: options that are not options', () => {
  const issuesOf = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRequestError);
      return (error as InvalidRequestError).issues;
    }
    throw new Error('expected a refusal');
  };

  it('no options object at all is named as such', async () => {
    for (const options of [null, 'sk_key', 5]) {
      expect(await issuesOf(() => verifyJwtGatewayCallback('{}', options as never))).toEqual([
        { field: 'options', rule: 'must be an object with apiKey' },
      ]);
    }
  });

  it('a crypto of null or without hmacSha256Base64Url is refused with its rule', async () => {
    for (const crypto of [null, {}, { hmacSha256Base64Url: 'x' }]) {
      expect(await issuesOf(() => verifyJwtGatewayCallback('{}', { apiKey: 'k', crypto } as never))).toEqual([
        { field: 'crypto', rule: 'must be an HmacSha256 (an object with hmacSha256Base64Url)' },
      ]);
    }
  });
});
