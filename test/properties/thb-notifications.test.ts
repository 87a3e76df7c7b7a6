/**
 * Property tests of THB collect notification verification, with fast-check:
 * - random genuine notifications (signed with node:crypto over a sign string written in the test) all
 *   verify, as JSON and as form bodies, and 10,000 single-field mutations of them are all refused;
 * - random parameter sets round-trip: what signThbParams signs, verifyThbParams and node:crypto verify,
 *   and thbSignString equals the independent sign string.
 *
 * - unsigned additions (issue 12 #2): `hash` "" or null, other empty or null fields, `sign_type`, as JSON
 *   or form, change nothing in the event and never make a second one;
 * - boundary shifts (issue 12 #3): every other reading of a genuine sign string across its `&` and `=`
 *   (same sign string, other fields) is refused.
 *
 * What counts as a mutation follows the scheme: the sign string holds each non-empty value as text, so
 * a value is changed when its text changes (2 → "2" is not a change), and adding or removing an EMPTY
 * field, or a `sign_type`, changes nothing the provider signs (the "unsigned additions" property checks
 * exactly that). Generated values never hold "&" (a "&name=" inside a value is refused as ambiguous).
 * RSA signing is slow (~1.5 ms), so a pool of notifications is signed up front and mutated at random.
 */
import { createPublicKey, createVerify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from '../../src/core/errors';
import {
  createThbWebhookHandler,
  signThbParams,
  type ThbNotification,
  thbSignString,
  verifyThbNotification,
  verifyThbParams,
} from '../../src/thb-collect';
import { MERCHANT_PRIVATE_PEM } from '../faults/matrix';
import {
  formBody,
  thbSignString as referenceSignString,
  THB_PLATFORM,
  THB_SECRET_KEY,
  thbSigned,
  webhookRequest,
} from '../faults/webhook-fixtures';
import { couldBeMerged } from '../helpers/resplit';

const MUTATION_RUNS = 10_000;
const POOL_SIZE = 200;
const ROUND_TRIP_RUNS = 300;

const keys = { secretKey: THB_SECRET_KEY, platformPublicKey: THB_PLATFORM.publicPem };
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const UNSIGNED = new Set(['sign', 'sign_type']);

const nonEmptyText = fc.string({ minLength: 1, maxLength: 24 }).filter((v) => !v.includes('&'));
const extraKey = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter(
    (k) =>
      !FORBIDDEN.has(k) &&
      !UNSIGNED.has(k) &&
      !/[&=]/.test(k) &&
      !/^(appId|currency|orderId|orderNo|amount|fee|status|payTime|errorMsg|hash|actualAmount)$/.test(k),
  );

/** A genuine notification: the documented fields, random values, and a few new fields of the provider. */
const notificationArb = fc
  .record({
    appId: fc.integer({ min: 1000, max: 99_999 }),
    currency: fc.constant('THB'),
    orderId: fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
    orderNo: fc.stringMatching(/^[0-9]{16}$/),
    amount: fc.integer({ min: 1, max: 10_000_000 }).map((s) => (s / 100).toFixed(2)),
    fee: fc.integer({ min: 0, max: 100_000 }).map((s) => (s / 100).toFixed(2)),
    status: fc.constantFrom(0, 1, 2, 3, 4, 5, -1),
    payTime: fc.constantFrom('', '2024-03-01 23:59:59', '2025-12-31 00:00:00'),
    errorMsg: fc.constantFrom('', 'Order expired', 'Đơn hàng không tồn tại', '订单失败'),
  })
  .chain((required) =>
    fc.dictionary(extraKey, nonEmptyText, { maxKeys: 3 }).map((extra) => ({ ...extra, ...required })),
  );

type Mutation =
  | { kind: 'change'; pick: number; value: string | number }
  | { kind: 'add'; key: string; value: string | number }
  | { kind: 'remove'; pick: number }
  | { kind: 'sign'; index: number; char: string };

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const valueArb = fc.oneof(nonEmptyText, fc.integer());

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), value: valueArb }),
  fc.record({ kind: fc.constant('add' as const), key: fc.string({ maxLength: 12 }), value: valueArb }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('sign' as const), index: fc.nat(), char: fc.constantFrom(...BASE64) }),
);

const text = (value: unknown) => (typeof value === 'object' ? JSON.stringify(value) : String(value));

/** Apply one mutation the scheme can see (see the file comment). */
function mutate(body: Record<string, unknown>, mutation: Mutation): Record<string, unknown> {
  const entries = Object.entries(body);
  switch (mutation.kind) {
    case 'change': {
      const [key, old] = entries[mutation.pick % entries.length] as [string, unknown];
      const value = text(mutation.value) === text(old) || old === '' ? `${text(old)}x` : mutation.value;
      return Object.fromEntries(entries.map(([k, v]) => [k, k === key ? value : v]));
    }
    case 'add': {
      let key = mutation.key;
      while (Object.hasOwn(body, key) || key === 'sign_type') key += '_';
      return Object.fromEntries([...entries, [key, mutation.value]]);
    }
    case 'remove': {
      // Removing a field whose value is empty removes nothing from the sign string: skip to a non-empty one.
      const candidates = entries.filter(([, v]) => v !== '');
      const [key] = candidates[mutation.pick % candidates.length] as [string, unknown];
      return Object.fromEntries(entries.filter(([k]) => k !== key));
    }
    case 'sign': {
      // One character of the signature, never the last data character (its spare bits decode the same).
      const sign = String(body.sign);
      const index = mutation.index % (sign.replace(/=+$/, '').length - 1);
      const char =
        sign[index] === mutation.char ? BASE64[(BASE64.indexOf(mutation.char) + 1) % 64] : mutation.char;
      return { ...body, sign: sign.slice(0, index) + char + sign.slice(index + 1) };
    }
  }
}

function encode(body: Record<string, unknown>, asForm: boolean): { body: string; contentType: string } {
  return asForm
    ? { body: formBody(body), contentType: 'application/x-www-form-urlencoded' }
    : { body: JSON.stringify(body), contentType: 'application/json' };
}

describe('THB collect notifications under random mutation', () => {
  const pool = fc
    .sample(notificationArb, { numRuns: POOL_SIZE, seed: 20_240_302 })
    .map((fields) => thbSigned(fields));

  it(`accepts ${POOL_SIZE} random genuine notifications, as JSON and as form bodies`, async () => {
    for (const signed of pool) {
      for (const asForm of [false, true]) {
        const { body, contentType } = encode(signed, asForm);
        const notification = await verifyThbNotification(body, { ...keys, contentType });
        expect(notification.orderId).toBe(signed.orderId);
      }
    }
  });

  it(`refuses every one of ${MUTATION_RUNS.toLocaleString('en-US')} random single-field mutations of them`, async () => {
    const counts: Record<Mutation['kind'], number> = { change: 0, add: 0, remove: 0, sign: 0 };
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(POOL_SIZE - 1), mutationArb, fc.boolean(), async (index, mutation, asForm) => {
        const original = pool[index] as Record<string, unknown>;
        const forged = mutate(original, mutation);
        // Sanity: a change to a signed field is one the sign string sees.
        if (forged.sign === original.sign) {
          expect(referenceSignString(forged)).not.toBe(referenceSignString(original));
        }
        counts[mutation.kind]++;
        const { body, contentType } = encode(forged, asForm);
        let error: unknown;
        try {
          await verifyThbNotification(body, { ...keys, contentType });
          accepted++;
        } catch (e) {
          error = e;
        }
        expect(error, `accepted: ${body}`).toBeInstanceOf(WebhookVerificationError);
      }),
      { numRuns: MUTATION_RUNS },
    );
    expect(accepted).toBe(0);
    console.log(
      `[properties] THB notifications: ${POOL_SIZE} random genuine notifications accepted (JSON and form); ` +
        `${MUTATION_RUNS.toLocaleString('en-US')} single-field mutations of them (${counts.change} values changed, ` +
        `${counts.add} fields added, ${counts.remove} removed, ${counts.sign} sign characters changed), 0 accepted`,
    );
  }, 60_000);
});

describe('THB signing round-trips', () => {
  const paramKey = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !UNSIGNED.has(k));
  const paramValue = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(null));
  const paramsArb = fc.dictionary(paramKey, paramValue, { minKeys: 1, maxKeys: 10 });
  const merchantPublicKey = createPublicKey(MERCHANT_PRIVATE_PEM);

  it(`${ROUND_TRIP_RUNS} random parameter sets: signed by src, verified by src and by node:crypto`, async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb, async (params) => {
        expect(thbSignString(params, THB_SECRET_KEY)).toBe(referenceSignString(params));
        const sign = await signThbParams(params, {
          secretKey: THB_SECRET_KEY,
          privateKey: MERCHANT_PRIVATE_PEM,
        });
        const verifier = createVerify('sha256');
        verifier.update(referenceSignString(params), 'utf8');
        expect(verifier.verify(merchantPublicKey, sign, 'base64')).toBe(true);
        const publicKey = merchantPublicKey.export({ type: 'spki', format: 'pem' }).toString();
        // Written independently of src: a field name holding "&" or "=", or a value where "&" starts
        // another "name=", could be read as other fields; verifying refuses it (signing stays as documented).
        const ambiguous = couldBeMerged(params);
        await expect(
          verifyThbParams({ ...params, sign }, { secretKey: THB_SECRET_KEY, publicKey }),
        ).resolves.toBe(!ambiguous);
        await expect(
          verifyThbParams({ ...params, sign }, { secretKey: `${THB_SECRET_KEY}x`, publicKey }),
        ).resolves.toBe(false);
      }),
      { numRuns: ROUND_TRIP_RUNS },
    );
    console.log(
      `[properties] THB signing: ${ROUND_TRIP_RUNS} random parameter sets signed and verified both ways`,
    );
  }, 60_000);
});

describe('THB collect notification shapes of issue 12', () => {
  const pool = fc
    .sample(notificationArb, { numRuns: 60, seed: 20_261_129 })
    .map((fields) => thbSigned(fields));

  /** Unsigned additions: `hash` empty, other empty or null fields, `sign_type`. */
  const additionArb = fc.array(
    fc.oneof(
      fc.record({ key: fc.constant('hash'), value: fc.constantFrom('', null) }),
      fc.record({ key: extraKey, value: fc.constantFrom('', null) }),
      fc.record({ key: fc.constant('sign_type'), value: fc.constantFrom('RSA', 'RSA2', 'MD5', '', null) }),
    ),
    { minLength: 1, maxLength: 4 },
  );

  it('unsigned additions change nothing in the event, and one handler runs onEvent once per notification', async () => {
    const seen: ThbNotification[] = [];
    const handler = createThbWebhookHandler({ ...keys, onEvent: (n) => void seen.push(n) });
    const originals = new Map<number, ThbNotification>();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(pool.length - 1),
        additionArb,
        fc.boolean(),
        async (index, additions, asForm) => {
          const original = pool[index] as Record<string, unknown>;
          // Only fields the original does not carry: a form may not repeat one, and JSON would overwrite it.
          const added = [...new Map(additions.map((a) => [a.key, a])).values()].filter(
            (a) => !Object.hasOwn(original, a.key),
          );
          fc.pre(added.length > 0);
          runs++;
          const variant: Record<string, unknown> = { ...original };
          for (const { key, value } of added) variant[key] = value;
          const { body, contentType } = asForm
            ? {
                body: `${formBody(original)}&${added.map((a) => `${encodeURIComponent(a.key)}=${encodeURIComponent(a.value ?? '')}`).join('&')}`,
                contentType: 'application/x-www-form-urlencoded',
              }
            : { body: JSON.stringify(variant), contentType: 'application/json' };
          // Compared with the original sent the same way (a form carries every value as text).
          const reference = await verifyThbNotification(
            asForm ? formBody(original) : JSON.stringify(original),
            { ...keys, contentType },
          );
          const event = await verifyThbNotification(body, { ...keys, contentType });
          expect(event).toStrictEqual(reference);
          if (!originals.has(index)) {
            originals.set(index, reference);
            const first = await handler(webhookRequest(JSON.stringify(original)));
            expect(first.status).toBe(200);
          }
          const response = await handler(webhookRequest(body, contentType));
          expect([response.status, await response.text()]).toStrictEqual([200, 'SUCCESS']);
        },
      ),
      { numRuns: 300 },
    );
    expect(seen).toHaveLength(originals.size);
    for (const event of seen) expect(event.kind).toBe('unknown');
    console.log(
      `[properties] THB notifications: ${runs} genuine notifications with unsigned hash/empty/null/sign_type fields added, ` +
        `${seen.length} distinct events, each handled once`,
    );
  }, 60_000);

  /**
   * Another reading of a sign string: some of its "&" taken as text, and in each field a chosen "=" as
   * the name/value boundary. The reading has the same sign string when its names sort in the same order.
   */
  const readingArb = fc.record({
    merges: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
    splits: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
  });

  function reread(original: Record<string, unknown>, merges: boolean[], splits: number[]) {
    const signString = referenceSignString(original);
    const pairs = signString.slice(0, signString.lastIndexOf('&key=')).split('&');
    const segments: string[] = [];
    for (const [i, pair] of pairs.entries()) {
      if (i > 0 && merges[(i - 1) % merges.length]) segments[segments.length - 1] += `&${pair}`;
      else segments.push(pair);
    }
    const fields: Record<string, unknown> = { sign: original.sign };
    for (const [i, segment] of segments.entries()) {
      const cuts = [...segment.matchAll(/=/g)].map((m) => m.index);
      const cut = cuts[(splits[i % splits.length] ?? 0) % cuts.length] as number;
      const key = segment.slice(0, cut);
      if (Object.hasOwn(fields, key) || FORBIDDEN.has(key) || UNSIGNED.has(key)) return undefined;
      fields[key] = segment.slice(cut + 1);
    }
    return referenceSignString(fields) === signString ? fields : undefined;
  }

  it('every other reading of a genuine sign string across "&" and "=" is refused', async () => {
    let shifted = 0;
    let same = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(pool.length - 1), readingArb, fc.boolean(), async (index, reading, asForm) => {
        const original = pool[index] as Record<string, unknown>;
        const forged = reread(original, reading.merges, reading.splits);
        fc.pre(forged !== undefined);
        const { body, contentType } = encode(forged, asForm);
        const unchanged =
          referenceSignString(forged) === referenceSignString(original) &&
          Object.keys(forged).every(
            (k) => Object.hasOwn(original, k) && text(original[k]) === text(forged[k]),
          );
        if (unchanged) {
          same++;
          await expect(verifyThbNotification(body, { ...keys, contentType })).resolves.toMatchObject({
            orderId: text(original.orderId),
          });
          return;
        }
        shifted++;
        await expect(verifyThbNotification(body, { ...keys, contentType })).rejects.toThrow(
          WebhookVerificationError,
        );
      }),
      { numRuns: 2_000 },
    );
    expect(shifted).toBeGreaterThan(500);
    console.log(
      `[properties] THB notifications: ${shifted} boundary shifts across "&"/"=" with the genuine sign string, all refused ` +
        `(${same} readings equal to the genuine one, accepted)`,
    );
  }, 60_000);
});
