/**
 * Property tests of JWT gateway callback verification, with fast-check:
 * - 1,000 random genuine callbacks (signed with jsonwebtoken, independently of src/; some with `iat`, some
 *   leaving `timestamp` to `iat`) all verify, and 10,000 single mutations of them behave as the contract
 *   says: a body value changed, a token character changed, a decisive claim left unsigned or signed
 *   differently is refused with a WebhookVerificationError; a field added to the body comes out only in
 *   `unsigned`, and a body field removed changes nothing, since the event is read from the token;
 * - however a genuine token is dressed with unsigned fields, the handler runs `onEvent` once;
 * - a genuinely signed callback with arbitrary values in its amount fields is accepted or refused with
 *   a WebhookVerificationError, never another error;
 * - random parameter sets: signJwtGatewayParams is byte-identical to jsonwebtoken and verifies with it.
 */
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from '../../src/core/errors';
import {
  createJwtGatewayWebhookHandler,
  type JwtGatewayCallback,
  signJwtGatewayParams,
  verifyJwtGatewayCallback,
} from '../../src/jwt-gateway';
import { JWT_API_KEY, jwtKey, jwtSigned } from '../faults/webhook-fixtures';

const MUTATION_RUNS = 10_000;
/** Genuine callbacks signed up front: jsonwebtoken takes about 0.75 ms a token, too slow for 10,000. */
const POOL_SIZE = 1_000;
const ROUND_TRIP_RUNS = 1_000;

/** Fields the verifier reads with meaning, or that jsonwebtoken treats as registered claims. */
const RESERVED = new Set([
  'signature',
  'order_no',
  'agent_order_no',
  'type',
  'amount',
  'status',
  'timestamp',
  'fee',
  'transfer_amount',
  'actual_amount',
  'iat',
  'exp',
  'nbf',
  '__proto__',
  'constructor',
  'prototype',
]);

/** jsonwebtoken (the independent signer) itself breaks on keys named like Object.prototype members. */
const usableKey = (k: string) => !(k in Object.prototype);

const extraKey = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !RESERVED.has(k) && usableKey(k));

/** Names refused at any depth (they could reach a prototype); a genuine gateway never sends them. */
const FORBIDDEN_ANYWHERE = /"(__proto__|constructor|prototype)":/;

/** A genuine callback: the documented fields, random values, and a few undocumented extras. */
const callbackArb = fc
  .record({
    order_no: fc.stringMatching(/^[A-Z]{2}[0-9A-Z]{4,24}$/),
    agent_order_no: fc.string({ minLength: 1, maxLength: 40 }),
    type: fc.constantFrom('deposit', 'withdrawal'),
    amount: fc.integer({ min: 1, max: 1_000_000_00 }).map((satang) => satang / 100),
    status: fc.constantFrom('pending', 'completed', 'failed', 'expired'),
    timestamp: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).map(String),
  })
  .chain((required) =>
    fc
      .dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
      .filter((extra) => !FORBIDDEN_ANYWHERE.test(JSON.stringify(extra)))
      .map((extra) => ({ ...extra, ...required })),
  );

/** How the gateway might time its token: the documented way (no iat), with iat, or iat instead of timestamp. */
type Timing = 'documented' | 'iat' | 'iat-only';

/** A genuine body: the fields, and a token over them made by jsonwebtoken. */
function genuine(fields: Record<string, unknown>, timing: Timing): Record<string, unknown> {
  if (timing === 'documented') return jwtSigned(fields);
  const iat = Number(fields.timestamp);
  const body = timing === 'iat-only' ? without(fields, ['timestamp']) : fields;
  return { ...body, signature: jwt.sign({ ...body, iat }, jwtKey(JWT_API_KEY), { algorithm: 'HS256' }) };
}

function without(fields: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => !names.includes(k)));
}

type Mutation =
  | { kind: 'change'; pick: number; value: unknown }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'remove'; pick: number }
  | { kind: 'token'; part: number; index: number; char: string }
  | { kind: 'unsign'; pick: number }
  | { kind: 'resign'; pick: number; value: unknown };

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECISIVE = ['order_no', 'agent_order_no', 'status', 'amount'] as const;

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({
    kind: fc.constant('add' as const),
    key: fc.string({ minLength: 0, maxLength: 12 }),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('token' as const),
    part: fc.integer({ min: 0, max: 2 }),
    index: fc.nat(),
    char: fc.constantFrom(...BASE64URL),
  }),
  fc.record({ kind: fc.constant('unsign' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('resign' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 1 }) }),
);

/** Strict JSON equality, as the verifier means it (1000 is not "1000"). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && typeof a === typeof b;
}

function payloadOf(body: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(body.signature).split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/** Re-sign the body's own token payload, changed by `edit`, with the real key: what only the gateway can do. */
function resigned(body: Record<string, unknown>, edit: (payload: Record<string, unknown>) => void) {
  const payload = payloadOf(body);
  edit(payload);
  return {
    ...body,
    signature: jwt.sign(payload, jwtKey(JWT_API_KEY), {
      algorithm: 'HS256',
      noTimestamp: !('iat' in payload),
    }),
  };
}

/**
 * Apply one mutation. `expect` says what the contract makes of it: a refusal, or the genuine event with
 * `unsigned` set to the given fields.
 */
function mutate(
  body: Record<string, unknown>,
  mutation: Mutation,
): { body: Record<string, unknown>; expect: 'refused' | { unsigned: Record<string, unknown> } } {
  const entries = Object.entries(body);
  switch (mutation.kind) {
    case 'change': {
      // Every body field is in the token (or is the token): any change contradicts it.
      const [key, old] = entries[mutation.pick % entries.length] as [string, unknown];
      const value = sameJson(mutation.value, old) ? { was: old } : mutation.value;
      return {
        body: Object.fromEntries(entries.map(([k, v]) => [k, k === key ? value : v])),
        expect: 'refused',
      };
    }
    case 'add': {
      let key = mutation.key;
      while (Object.hasOwn(body, key)) key += '_';
      // fromEntries makes even "__proto__" an own field, as JSON.parse would.
      const added = Object.fromEntries([...entries, [key, mutation.value]]);
      const forbidden =
        FORBIDDEN_ANYWHERE.test(JSON.stringify({ [key]: mutation.value })) || key === '__proto__';
      return { body: added, expect: forbidden ? 'refused' : { unsigned: { [key]: mutation.value } } };
    }
    case 'remove': {
      const [key] = entries[mutation.pick % entries.length] as [string, unknown];
      const removed = Object.fromEntries(entries.filter(([k]) => k !== key));
      return { body: removed, expect: key === 'signature' ? 'refused' : { unsigned: {} } };
    }
    case 'token': {
      const parts = String(body.signature).split('.');
      const part = parts[mutation.part] as string;
      const index = mutation.index % part.length;
      const char =
        part[index] === mutation.char
          ? BASE64URL[(BASE64URL.indexOf(mutation.char) + 1) % 64]
          : mutation.char;
      parts[mutation.part] = part.slice(0, index) + char + part.slice(index + 1);
      return { body: { ...body, signature: parts.join('.') }, expect: 'refused' };
    }
    case 'unsign': {
      // A genuine token that leaves out an order id, the status or the amount: refused, body or not.
      const name = DECISIVE[mutation.pick % DECISIVE.length] as string;
      return { body: resigned(body, (p) => delete p[name]), expect: 'refused' };
    }
    case 'resign': {
      // A genuine token that says something else than the body beside it: refused.
      const keys = Object.keys(body).filter((k) => k !== 'signature');
      const name = keys[mutation.pick % keys.length] as string;
      const value = sameJson(mutation.value, body[name]) ? { was: body[name] } : mutation.value;
      return { body: resigned(body, (p) => (p[name] = value)), expect: 'refused' };
    }
  }
}

describe('JWT gateway callbacks under random mutation', () => {
  const timings: Timing[] = ['documented', 'iat', 'iat-only'];
  const pool = fc
    .sample(callbackArb, { numRuns: POOL_SIZE, seed: 20_240_301 })
    .map((fields, i) => genuine(fields, timings[i % timings.length] as Timing));
  let events: JwtGatewayCallback[] = [];

  it(`accepts ${POOL_SIZE.toLocaleString('en-US')} random genuine callbacks, as text, bytes and parsed objects`, async () => {
    events = [];
    for (const body of pool) {
      const text = JSON.stringify(body);
      const seen: JwtGatewayCallback[] = [];
      for (const input of [
        text,
        new TextEncoder().encode(text),
        JSON.parse(text) as Record<string, unknown>,
      ]) {
        seen.push(await verifyJwtGatewayCallback(input, { apiKey: JWT_API_KEY }));
      }
      const payload = JSON.parse(JSON.stringify(payloadOf(body)));
      expect(seen[0]?.raw).toEqual(payload);
      expect(seen[0]?.unsigned).toEqual({});
      expect(seen[0]?.orderNo).toBe(payload.order_no);
      expect(seen[1]).toEqual(seen[0]);
      expect(seen[2]).toEqual(seen[0]);
      events.push(seen[0] as JwtGatewayCallback);
    }
  });

  it(`${MUTATION_RUNS.toLocaleString('en-US')} random mutations: refused, or the same event with only unsigned changed`, async () => {
    const counts: Record<Mutation['kind'], number> = {
      change: 0,
      add: 0,
      remove: 0,
      token: 0,
      unsign: 0,
      resign: 0,
    };
    let refused = 0;
    // The genuine events, when the test above did not run (a filtered run).
    if (events.length === 0) {
      for (const body of pool)
        events.push(await verifyJwtGatewayCallback(JSON.stringify(body), { apiKey: JWT_API_KEY }));
    }
    await fc.assert(
      fc.asyncProperty(fc.nat(POOL_SIZE - 1), mutationArb, async (index, mutation) => {
        const { body, expect: expected } = mutate(pool[index] as Record<string, unknown>, mutation);
        const forged = JSON.stringify(body);
        counts[mutation.kind]++;
        const outcome = await verifyJwtGatewayCallback(forged, { apiKey: JWT_API_KEY }).then(
          (event) => ({ event }),
          (error: unknown) => ({ error }),
        );
        if (expected === 'refused') {
          expect('error' in outcome ? outcome.error : outcome, `accepted: ${forged}`).toBeInstanceOf(
            WebhookVerificationError,
          );
          refused++;
        } else {
          expect(outcome, `refused: ${forged}`).toEqual({
            event: { ...events[index], unsigned: JSON.parse(JSON.stringify(expected.unsigned)) },
          });
        }
      }),
      { numRuns: MUTATION_RUNS },
    );
    expect(Object.values(counts).reduce((a, b) => a + b)).toBe(MUTATION_RUNS);
    console.log(
      `[properties] JWT callbacks: ${POOL_SIZE.toLocaleString('en-US')} random genuine callbacks accepted; ` +
        `${MUTATION_RUNS.toLocaleString('en-US')} mutations (${counts.change} body values changed, ${counts.token} token ` +
        `characters changed, ${counts.unsign} decisive claims unsigned, ${counts.resign} claims re-signed differently, ` +
        `${counts.add} unsigned fields added, ${counts.remove} removed): ${refused} refused, the rest the same event`,
    );
  }, 120_000);

  it('however a genuine token is dressed with unsigned fields, onEvent runs once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(POOL_SIZE - 1),
        // Names refused at any depth are refused by design (a test above): a dressing has none of them.
        fc.array(
          fc
            .dictionary(extraKey, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })
            .filter((dressing) => !FORBIDDEN_ANYWHERE.test(JSON.stringify(dressing))),
          { minLength: 2, maxLength: 5 },
        ),
        async (index, dressings) => {
          const body = pool[index] as Record<string, unknown>;
          const signed = payloadOf(body);
          let calls = 0;
          const handler = createJwtGatewayWebhookHandler({
            apiKey: JWT_API_KEY,
            onEvent: () => {
              calls++;
            },
          });
          for (const dressing of dressings) {
            // Unsigned extras only: a field the token signs keeps its signed value.
            const extra = Object.fromEntries(
              Object.entries(dressing).filter(([k]) => !Object.hasOwn(signed, k)),
            );
            const response = await handler(
              new Request('http://127.0.0.1/cb', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ ...extra, ...body }),
              }),
            );
            expect(response.status).toBe(200);
          }
          expect(calls).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a genuine callback with any values in its amount fields is accepted or refused with WebhookVerificationError', async () => {
    const anyValue = fc.oneof(
      fc.jsonValue({ maxDepth: 1 }),
      fc.double(),
      fc.integer().map((n) => n / 1000),
    );
    await fc.assert(
      fc.asyncProperty(
        callbackArb,
        fc.record(
          { amount: anyValue, fee: anyValue, transfer_amount: anyValue, actual_amount: anyValue },
          { requiredKeys: [] },
        ),
        async (fields, amounts) => {
          const text = JSON.stringify(jwtSigned({ ...fields, ...amounts }));
          try {
            await verifyJwtGatewayCallback(text, { apiKey: JWT_API_KEY });
          } catch (error) {
            expect(error).toBeInstanceOf(WebhookVerificationError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('JWT request signing round-trips', () => {
  const paramKey = fc
    .string({ minLength: 1, maxLength: 10 })
    .filter((k) => !['iat', 'exp', 'nbf', 'signature'].includes(k) && usableKey(k));
  const paramsArb = fc.dictionary(paramKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 });

  it(`${ROUND_TRIP_RUNS.toLocaleString('en-US')} random parameter sets: byte-identical to jsonwebtoken`, async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb, fc.string({ minLength: 1, maxLength: 40 }), async (params, apiKey) => {
        const ours = await signJwtGatewayParams(params, apiKey);
        // The provider's documented code: keys sorted into a fresh object, HS256, no iat.
        const sorted: Record<string, unknown> = {};
        for (const key of Object.keys(params).sort()) sorted[key] = params[key];
        expect(ours).toBe(jwt.sign(sorted, jwtKey(apiKey), { algorithm: 'HS256', noTimestamp: true }));
        // Byte-identical, so jsonwebtoken verifies it; its payload is the parameters, JSON round-tripped.
        const payload = Buffer.from(ours.split('.')[1] as string, 'base64url').toString('utf8');
        expect(JSON.parse(payload)).toEqual(JSON.parse(JSON.stringify(sorted)));
      }),
      { numRuns: ROUND_TRIP_RUNS },
    );
    console.log(
      `[properties] JWT signing: ${ROUND_TRIP_RUNS.toLocaleString('en-US')} random parameter sets byte-identical to jsonwebtoken`,
    );
  }, 60_000);

  it('what signJwtGatewayParams makes, jsonwebtoken verifies with the key and refuses with any other', async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb, fc.string({ minLength: 1, maxLength: 40 }), async (params, apiKey) => {
        const token = await signJwtGatewayParams(params, apiKey);
        expect(() => jwt.verify(token, jwtKey(apiKey), { algorithms: ['HS256'] })).not.toThrow();
        expect(() => jwt.verify(token, jwtKey(`${apiKey}x`), { algorithms: ['HS256'] })).toThrow(
          /invalid signature/,
        );
      }),
      { numRuns: 200 },
    );
  });
});
