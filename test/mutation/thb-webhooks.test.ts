/**
 * Tests written against mutants of src/thb-collect/webhooks.ts (MUTATION.md): every option refusal by its
 * exact issue, the key list and its error names, the sign field and its form-encoding repair, the hint for
 * parsed bodies, the notification read per kind, and the handler's wiring (keys checked at creation, the
 * dedupe key a store is given, the acknowledgement). Notifications are signed with node:crypto over the
 * fixtures' reference sign string, not with the module's signer.
 */
import { describe, expect, it } from 'vitest';
import type { CryptoProvider } from '../../src/core/crypto';
import { InvalidRequestError, ThaiPayError } from '../../src/core/errors';
import type { DedupeClaim, WebhookDedupeStore } from '../../src/core/webhooks';
import {
  createThbWebhookHandler,
  type ThbNotification,
  type VerifyThbNotificationOptions,
  verifyThbNotification,
} from '../../src/thb-collect';
import {
  formBody,
  THB_PLATFORM,
  THB_PLATFORM_OLD,
  THB_SECRET_KEY,
  THB_STRANGER,
  thbSigned,
} from '../faults/webhook-fixtures';

const FIELDS = {
  appId: 1054,
  currency: 'THB',
  orderId: 'M1',
  orderNo: '6023071013539074',
  amount: '300.00',
  fee: '4.50',
  status: 2,
  payTime: '2024-03-01 23:59:59',
};

const keys = { secretKey: THB_SECRET_KEY, platformPublicKey: THB_PLATFORM.publicPem };

/** What every kind reads from FIELDS. */
const BASE = {
  orderId: 'M1',
  orderNo: '6023071013539074',
  amount: '300.00',
  amountSatang: 30_000,
  fee: '4.50',
  feeSatang: 450,
  status: 'succeeded',
  providerStatus: '2',
  payTime: new Date('2024-03-01T16:59:59.000Z'),
  appId: '1054',
  currency: 'THB',
};

async function outcome(body: unknown, options: Partial<VerifyThbNotificationOptions> = {}): Promise<unknown> {
  try {
    return await verifyThbNotification(
      body as never,
      { ...keys, ...options } as VerifyThbNotificationOptions,
    );
  } catch (error) {
    return described(error);
  }
}

function described(error: unknown): unknown {
  if (error instanceof InvalidRequestError) return { name: error.name, issues: error.issues };
  if (error instanceof ThaiPayError) return { name: error.name, code: error.code, message: error.message };
  return { other: String(error) };
}

const invalid = (field: string, rule: string) => ({ name: 'InvalidRequestError', issues: [{ field, rule }] });
const refused = (message: string) => ({
  name: 'WebhookVerificationError',
  code: 'webhook_verification_failed',
  message,
});

const KEY_RULE = 'must be the platform RSA public key (PEM or Base64 DER), or a non-empty list of them';
const NOT_A_KEY = 'is not a key: its data is not an ASN.1 DER structure';
const DOES_NOT_VERIFY =
  'THB collect notification sign does not verify with platformPublicKey and secretKey: a field was changed, added or removed, or the keys are not the platform public key and your secret key.';

describe('verifyThbNotification: options', () => {
  const body = JSON.stringify(thbSigned(FIELDS));

  it('refuses options that are not an object', async () => {
    for (const bad of [null, 'key', 5]) {
      let error: unknown;
      try {
        await verifyThbNotification(body, bad as never);
      } catch (e) {
        error = described(e);
      }
      expect(error).toEqual(invalid('options', 'must be an object with secretKey and platformPublicKey'));
    }
  });

  it('kind: collection, payout or left out', async () => {
    for (const kind of ['refund', '', null]) {
      expect(await outcome(body, { kind: kind as never })).toEqual(
        invalid('kind', "must be 'collection' or 'payout' (or left out)"),
      );
    }
    expect(await outcome(body, { kind: 'collection' })).toStrictEqual({
      ...BASE,
      kind: 'collection',
      raw: thbSigned(FIELDS),
    });
  });

  it('maxBodyBytes: a whole number within bounds, and it limits the body', async () => {
    expect(await outcome(body, { maxBodyBytes: 0 })).toEqual(
      invalid('maxBodyBytes', 'must be a finite number above 0 and at most 16777216'),
    );
    expect(await outcome(body, { maxBodyBytes: 100.5 })).toEqual(
      invalid('maxBodyBytes', 'must be a whole number of bytes'),
    );
    expect(await outcome(body, { maxBodyBytes: body.length })).toStrictEqual({
      ...BASE,
      kind: 'unknown',
      raw: thbSigned(FIELDS),
    });
    expect(await outcome(body, { maxBodyBytes: body.length - 1 })).toEqual({
      name: 'WebhookVerificationError',
      code: 'webhook_body_too_large',
      message: `Webhook body is larger than the ${body.length - 1}-byte limit.`,
    });
  });

  it('secretKey: a non-empty string', async () => {
    for (const secretKey of ['', 5, undefined]) {
      expect(await outcome(body, { secretKey: secretKey as never })).toEqual(
        invalid('secretKey', 'must be the merchant secret key (a non-empty string)'),
      );
    }
  });

  it('platformPublicKey: a key or a non-empty list of keys', async () => {
    for (const platformPublicKey of ['', '  ', [], [''], [THB_PLATFORM.publicPem, ' '], [5], 5, undefined]) {
      expect(await outcome(body, { platformPublicKey: platformPublicKey as never })).toEqual(
        invalid('platformPublicKey', KEY_RULE),
      );
    }
  });

  it('checks kind, then maxBodyBytes, then secretKey, then the keys', async () => {
    expect(
      await outcome(body, { kind: 'x' as never, maxBodyBytes: 0, secretKey: '', platformPublicKey: '' }),
    ).toEqual(invalid('kind', "must be 'collection' or 'payout' (or left out)"));
    expect(await outcome(body, { maxBodyBytes: 0, secretKey: '', platformPublicKey: '' })).toEqual(
      invalid('maxBodyBytes', 'must be a finite number above 0 and at most 16777216'),
    );
    expect(await outcome(body, { secretKey: '', platformPublicKey: '' })).toEqual(
      invalid('secretKey', 'must be the merchant secret key (a non-empty string)'),
    );
  });
});

describe('verifyThbNotification: keys', () => {
  const signed = thbSigned(FIELDS);

  it('verifies with any key of a rotation list, and refuses a stranger`s', async () => {
    const expected = { ...BASE, kind: 'unknown', raw: signed };
    expect(
      await outcome(signed, { platformPublicKey: [THB_PLATFORM_OLD.publicPem, THB_PLATFORM.publicPem] }),
    ).toStrictEqual(expected);
    expect(await outcome(signed, { platformPublicKey: [THB_PLATFORM.publicPem] })).toStrictEqual(expected);
    expect(await outcome(JSON.stringify(signed), { platformPublicKey: THB_STRANGER.publicPem })).toEqual(
      refused(DOES_NOT_VERIFY),
    );
  });

  it('names a key that is not one: by index in a list of several, plainly otherwise', async () => {
    expect(await outcome(signed, { platformPublicKey: 'garbage' })).toEqual(
      invalid('platformPublicKey', NOT_A_KEY),
    );
    expect(await outcome(signed, { platformPublicKey: ['garbage'] })).toEqual(
      invalid('platformPublicKey', NOT_A_KEY),
    );
    expect(await outcome(signed, { platformPublicKey: [THB_STRANGER.publicPem, 'garbage'] })).toEqual(
      invalid('platformPublicKey[1]', NOT_A_KEY),
    );
  });
});

describe('verifyThbNotification: the crypto option', () => {
  const signed = thbSigned(FIELDS);
  const provider = (verify: () => Promise<boolean>): CryptoProvider => ({
    name: 'node',
    hmacSha256Base64Url: async () => '',
    rsaSha256Sign: async () => '',
    rsaSha256Verify: verify,
  });

  it('verifies with the given provider, and passes on what it throws unchanged', async () => {
    const down = new Error('hsm down');
    let error: unknown;
    try {
      await verifyThbNotification(signed, { ...keys, crypto: provider(() => Promise.reject(down)) });
    } catch (e) {
      error = e;
    }
    expect(error).toBe(down);
    const stranger = thbSigned(FIELDS, THB_STRANGER.privateKey);
    expect(await outcome(stranger, { crypto: provider(async () => true) })).toStrictEqual({
      ...BASE,
      kind: 'unknown',
      raw: stranger,
    });
  });

  it('renames only the provider`s publicKey issue to platformPublicKey', async () => {
    const refusal = new InvalidRequestError([
      { field: 'publicKey', rule: 'r1' },
      { field: 'other', rule: 'r2' },
    ]);
    expect(await outcome(signed, { crypto: provider(() => Promise.reject(refusal)) })).toEqual({
      name: 'InvalidRequestError',
      issues: [
        { field: 'platformPublicKey', rule: 'r1' },
        { field: 'other', rule: 'r2' },
      ],
    });
  });
});

describe('verifyThbNotification: the content type option', () => {
  const signed = thbSigned(FIELDS);

  it('refuses a content type a notification never has, and parses by the one given', async () => {
    expect(await outcome(JSON.stringify(signed), { contentType: 'text/html' })).toEqual({
      name: 'WebhookVerificationError',
      code: 'webhook_unsupported_media_type',
      message: 'Webhook content type must be JSON or form-encoded.',
    });
    expect(await outcome(formBody(signed), { contentType: 'application/json' })).toEqual(
      refused('Webhook body is not valid JSON.'),
    );
  });
});

describe('verifyThbNotification: the body and its sign', () => {
  it('needs a non-empty string sign', async () => {
    for (const sign of [undefined, '', 5]) {
      expect(await outcome(JSON.stringify({ ...FIELDS, sign }))).toEqual(
        refused('THB collect notification has no sign field.'),
      );
    }
  });

  it('refuses a value that would let the sign string be read as other fields', async () => {
    const { fee: _fee, ...rest } = FIELDS;
    const result = (await outcome(JSON.stringify(thbSigned({ ...rest, currency: 'THB&fee=3.00' })))) as {
      message: string;
    };
    expect(result).toEqual({
      name: 'WebhookVerificationError',
      code: 'webhook_verification_failed',
      message: result.message,
    });
    expect(result.message.startsWith('THB collect notification refused: ')).toBe(true);
    expect(result.message.endsWith(', so its sign string could be read as other fields.')).toBe(true);
    expect(result.message.length).toBeGreaterThan(80);
  });

  it('a form body whose sign lost its "+" to spaces still verifies; no other field is repaired', async () => {
    let signed = thbSigned(FIELDS);
    for (let i = 0; !String(signed.sign).includes('+') && i < 20; i++)
      signed = thbSigned({ ...FIELDS, orderId: `M${i}` });
    const sign = String(signed.sign);
    expect(sign).toContain('+');
    const { sign: _s, ...fields } = signed;
    // The sign appended unescaped, as a careless sender would: every "+" reads back as a space.
    const text = `${formBody(fields)}&sign=${sign}`;
    const result = (await outcome(text, {
      contentType: 'application/x-www-form-urlencoded',
    })) as ThbNotification;
    const { raw, ...rest } = result;
    expect(rest).toStrictEqual({ ...BASE, orderId: fields.orderId, providerStatus: '2', kind: 'unknown' });
    expect(raw.orderId).toBe(fields.orderId);
    expect(raw.sign).toBe(sign); // the signature that verified, its "+" restored
    // A space in a signed field is verified as received: it no longer matches what was signed.
    const spaced = `${formBody({ ...fields, currency: 'T+B' })}&sign=${encodeURIComponent(sign)}`.replace(
      'T%2BB',
      'T+B',
    );
    expect(await outcome(spaced, { contentType: 'application/x-www-form-urlencoded' })).toEqual(
      refused(DOES_NOT_VERIFY),
    );
  });

  it('adds the raw-body hint only when the body was a parsed object', async () => {
    const forged = { ...thbSigned(FIELDS), amount: '301.00' };
    expect(await outcome(JSON.stringify(forged))).toEqual(refused(DOES_NOT_VERIFY));
    expect(await outcome(new TextEncoder().encode(JSON.stringify(forged)))).toEqual(refused(DOES_NOT_VERIFY));
    expect(await outcome(forged)).toEqual(
      refused(
        `${DOES_NOT_VERIFY} If your framework parsed the body, pass the raw body instead (express.raw(), await request.text()).`,
      ),
    );
  });
});

describe('verifyThbNotification: what each kind reads', () => {
  const extra = {
    actualAmount: '299.50',
    originalCurrency: 'USD',
    originalAmount: '8.25',
    inBankCode: 'QR',
    bankNo: '1234567890',
    description: 'Order 1002',
    name: 'Somchai',
    email: 's@example.com',
    cardNo: '4111',
    hash: '0xabc',
  };
  const signed = thbSigned({ ...FIELDS, ...extra });
  const collectionPart = {
    actualAmount: '299.50',
    actualAmountSatang: 29_950,
    originalCurrency: 'USD',
    originalAmount: '8.25',
    originalAmountSatang: 825,
    inBankCode: 'QR',
    bankNo: '1234567890',
    description: 'Order 1002',
    name: 'Somchai',
    email: 's@example.com',
    cardNo: '4111',
  };

  it('unknown kind: the collection fields and the hash', async () => {
    expect(await outcome(JSON.stringify(signed))).toStrictEqual({
      ...BASE,
      ...collectionPart,
      hash: '0xabc',
      kind: 'unknown',
      raw: signed,
    });
  });

  it('collection: the collection fields, never the hash', async () => {
    expect(await outcome(JSON.stringify(signed), { kind: 'collection' })).toStrictEqual({
      ...BASE,
      ...collectionPart,
      kind: 'collection',
      raw: signed,
    });
  });

  it('payout: the hash, never the collection fields', async () => {
    expect(await outcome(JSON.stringify(signed), { kind: 'payout' })).toStrictEqual({
      ...BASE,
      hash: '0xabc',
      kind: 'payout',
      raw: signed,
    });
  });

  it('an original amount with more than two decimals keeps its text and has no satang twin', async () => {
    const usdt = thbSigned({ ...FIELDS, originalAmount: '8.123456' });
    expect(await outcome(usdt, { kind: 'collection' })).toStrictEqual({
      ...BASE,
      originalAmount: '8.123456',
      kind: 'collection',
      raw: usdt,
    });
  });

  it('statuses 4 and 5 are collection statuses: a payout with one needs review', async () => {
    const partial = thbSigned({ ...FIELDS, status: 4 });
    expect(await outcome(partial)).toStrictEqual({
      ...BASE,
      status: 'partially_paid',
      providerStatus: '4',
      kind: 'unknown',
      raw: partial,
    });
    expect(await outcome(partial, { kind: 'payout' })).toStrictEqual({
      ...BASE,
      status: 'needs_review',
      providerStatus: '4',
      kind: 'payout',
      raw: partial,
    });
  });

  it('a signed but unreadable notification is refused as unusable', async () => {
    expect(await outcome(thbSigned({ ...FIELDS, actualAmount: 'abc' }))).toEqual(
      refused('THB collect notification is signed but unusable: "actualAmount" is not an amount in baht.'),
    );
    expect(await outcome(thbSigned({ ...FIELDS, actualAmount: 'abc' }), { kind: 'payout' })).toStrictEqual({
      ...BASE,
      kind: 'payout',
      raw: thbSigned({ ...FIELDS, actualAmount: 'abc' }),
    });
  });
});

describe('createThbWebhookHandler', () => {
  const post = (body: string, contentType = 'application/json') =>
    new Request('http://127.0.0.1/notify', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });

  function creation(options: unknown): unknown {
    try {
      createThbWebhookHandler(options as never);
    } catch (error) {
      return described(error);
    }
    return 'created';
  }

  it('checks the options and parses every key at creation, naming the bad one', () => {
    const onEvent = () => undefined;
    expect(creation(null)).toEqual(
      invalid('options', 'must be an object with secretKey and platformPublicKey'),
    );
    expect(creation({ ...keys, platformPublicKey: 'garbage', onEvent })).toEqual(
      invalid('platformPublicKey', NOT_A_KEY),
    );
    expect(creation({ ...keys, platformPublicKey: [THB_PLATFORM.publicPem, 'garbage'], onEvent })).toEqual(
      invalid('platformPublicKey[1]', NOT_A_KEY),
    );
    expect(creation({ ...keys, onEvent: 'no' })).toEqual(invalid('onEvent', 'must be a function'));
    expect(creation({ ...keys, onEvent })).toBe('created');
  });

  function recordingStore() {
    const keysClaimed: string[] = [];
    const done = new Set<string>();
    const store: WebhookDedupeStore = {
      claim(key): DedupeClaim {
        keysClaimed.push(key);
        return done.has(key) ? { state: 'done' } : { state: 'claimed', token: 't' };
      },
      complete(key) {
        done.add(key);
      },
      release() {},
    };
    return { store, keysClaimed };
  }

  it('acknowledges with SUCCESS, hands onEvent the notification, dedupes on kind, order ids and status', async () => {
    const { store, keysClaimed } = recordingStore();
    const events: unknown[] = [];
    const contexts: unknown[] = [];
    const handler = createThbWebhookHandler({
      ...keys,
      kind: 'collection',
      store,
      onEvent: (n, context) => {
        events.push(n);
        contexts.push(context);
      },
    });
    const signed = thbSigned(FIELDS);
    const first = await handler(post(JSON.stringify(signed)));
    expect({ status: first.status, headers: [...first.headers], body: await first.text() }).toEqual({
      status: 200,
      headers: [['content-type', 'text/plain; charset=utf-8']],
      body: 'SUCCESS',
    });
    expect((await handler(post(JSON.stringify(signed)))).status).toBe(200);
    expect(keysClaimed).toEqual([
      'thb-collect:collection:M1:6023071013539074:2',
      'thb-collect:collection:M1:6023071013539074:2',
    ]);
    expect(events).toStrictEqual([{ ...BASE, kind: 'collection', raw: signed }]);
    expect(contexts).toStrictEqual([{ db: undefined }]);
  });

  it('passes kind and maxBodyBytes to the verifier, and reads form bodies', async () => {
    const events: unknown[] = [];
    const errors: unknown[] = [];
    const signed = thbSigned(FIELDS);
    const handler = createThbWebhookHandler({
      ...keys,
      kind: 'payout',
      maxBodyBytes: 2000,
      onEvent: (n) => {
        events.push(n);
      },
      onError: (error) => errors.push(described(error)),
    });
    expect((await handler(post(formBody(signed), 'application/x-www-form-urlencoded'))).status).toBe(200);
    const asText = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, String(v)]));
    expect(events).toStrictEqual([{ ...BASE, kind: 'payout', raw: asText }]);
    const big = JSON.stringify({ ...signed, pad: 'x'.repeat(2000) });
    expect((await handler(post(big))).status).toBe(413);
    expect(errors).toEqual([
      {
        name: 'WebhookVerificationError',
        code: 'webhook_body_too_large',
        message: 'Webhook body is larger than the 2000-byte limit.',
      },
    ]);
    const unkinded = createThbWebhookHandler({ ...keys, onEvent: (n) => events.push(n.kind) });
    expect((await unkinded(post(JSON.stringify(signed)))).status).toBe(200);
    expect(events.at(-1)).toBe('unknown');
  });
});
