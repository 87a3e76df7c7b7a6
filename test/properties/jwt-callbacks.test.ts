/**
 * Property tests of JWT gateway callback verification, with fast-check:
 * - 10,000 random genuine callbacks (signed with jsonwebtoken, independently of src/) all verify, and
 *   10,000 single-field mutations of them (a value changed, a field added, a field removed, one
 *   character of the token changed) are all refused with a WebhookVerificationError;
 * - a genuinely signed callback with arbitrary values in its amount fields is accepted or refused with
 *   a WebhookVerificationError, never another error;
 * - random parameter sets: signJwtGatewayParams is byte-identical to jsonwebtoken and verifies with it.
 */
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from '../../src/core/errors';
import { signJwtGatewayParams, verifyJwtGatewayCallback } from '../../src/jwt-gateway';
import { JWT_API_KEY, jwtSigned } from '../faults/webhook-fixtures';

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

type Mutation =
  | { kind: 'change'; pick: number; value: unknown }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'remove'; pick: number }
  | { kind: 'token'; part: number; index: number; char: string };

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

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
);

/** Strict JSON equality, as the verifier means it (1000 is not "1000"). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && typeof a === typeof b;
}

/** Apply one mutation; the result always differs from `body` in exactly one field. */
function mutate(body: Record<string, unknown>, mutation: Mutation): Record<string, unknown> {
  const entries = Object.entries(body);
  switch (mutation.kind) {
    case 'change': {
      const [key, old] = entries[mutation.pick % entries.length] as [string, unknown];
      const value = sameJson(mutation.value, old) ? { was: old } : mutation.value;
      return Object.fromEntries(entries.map(([k, v]) => [k, k === key ? value : v]));
    }
    case 'add': {
      let key = mutation.key;
      while (Object.hasOwn(body, key)) key += '_';
      // fromEntries makes even "__proto__" an own field, as JSON.parse would.
      return Object.fromEntries([...entries, [key, mutation.value]]);
    }
    case 'remove': {
      const [key] = entries[mutation.pick % entries.length] as [string, unknown];
      return Object.fromEntries(entries.filter(([k]) => k !== key));
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
      return { ...body, signature: parts.join('.') };
    }
  }
}

describe('JWT gateway callbacks under random mutation', () => {
  const pool = fc
    .sample(callbackArb, { numRuns: POOL_SIZE, seed: 20_240_301 })
    .map((fields) => jwtSigned(fields));

  it(`accepts ${POOL_SIZE.toLocaleString('en-US')} random genuine callbacks, as text, bytes and parsed objects`, async () => {
    for (const body of pool) {
      const text = JSON.stringify(body);
      for (const input of [
        text,
        new TextEncoder().encode(text),
        JSON.parse(text) as Record<string, unknown>,
      ]) {
        const callback = await verifyJwtGatewayCallback(input, JWT_API_KEY);
        expect(callback.raw).toEqual(JSON.parse(text));
      }
    }
  });

  it(`refuses every one of ${MUTATION_RUNS.toLocaleString('en-US')} random single-field mutations of them`, async () => {
    const counts: Record<Mutation['kind'], number> = { change: 0, add: 0, remove: 0, token: 0 };
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(POOL_SIZE - 1), mutationArb, async (index, mutation) => {
        const forged = JSON.stringify(mutate(pool[index] as Record<string, unknown>, mutation));
        counts[mutation.kind]++;
        let error: unknown;
        try {
          await verifyJwtGatewayCallback(forged, JWT_API_KEY);
          accepted++;
        } catch (e) {
          error = e;
        }
        expect(error, `accepted: ${forged}`).toBeInstanceOf(WebhookVerificationError);
      }),
      { numRuns: MUTATION_RUNS },
    );
    expect(accepted).toBe(0);
    expect(Object.values(counts).reduce((a, b) => a + b)).toBe(MUTATION_RUNS);
    console.log(
      `[properties] JWT callbacks: ${POOL_SIZE.toLocaleString('en-US')} random genuine callbacks accepted; ` +
        `${MUTATION_RUNS.toLocaleString('en-US')} single-field mutations of them (${counts.change} values changed, ` +
        `${counts.add} fields added, ${counts.remove} removed, ${counts.token} token characters changed), 0 accepted`,
    );
  }, 60_000);

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
            await verifyJwtGatewayCallback(text, JWT_API_KEY);
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
        expect(ours).toBe(jwt.sign(sorted, apiKey, { algorithm: 'HS256', noTimestamp: true }));
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
        expect(() => jwt.verify(token, apiKey, { algorithms: ['HS256'] })).not.toThrow();
        expect(() => jwt.verify(token, `${apiKey}x`, { algorithms: ['HS256'] })).toThrow(/invalid signature/);
      }),
      { numRuns: 200 },
    );
  });
});
