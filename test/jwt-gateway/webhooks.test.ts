import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it, vi } from 'vitest';
import { WebhookVerificationError } from '../../src/core/errors';
import { createMemoryDedupeStore } from '../../src/core/webhooks';
import {
  createJwtGatewayWebhookHandler,
  JWT_GATEWAY_ACK,
  verifyJwtGatewayCallback,
} from '../../src/jwt-gateway/webhooks';

const API_KEY = 'gateway-api-key-123';
const NOW = 1640995380_000;

/** Sign a callback the way the provider does, with jsonwebtoken (an independent implementation). */
function signed(
  fields: Record<string, unknown>,
  key = API_KEY,
  options: jwt.SignOptions = {},
): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(fields).sort()) sorted[k] = fields[k];
  return {
    ...fields,
    signature: jwt.sign(sorted, key, { algorithm: 'HS256', noTimestamp: true, ...options }),
  };
}

const docCallback = {
  order_no: 'DP1640995200ABC123',
  agent_order_no: 'unique_transaction_id',
  type: 'deposit',
  amount: 1000,
  fee: 5,
  transfer_amount: 995,
  actual_amount: 995,
  status: 'completed',
  timestamp: '1640995380',
};

const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('verifyJwtGatewayCallback', () => {
  /** What the document's example verifies to: every field from the token. */
  const docEvent = {
    orderNo: 'DP1640995200ABC123',
    orderId: 'unique_transaction_id',
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
    timestamp: new Date('2022-01-01T00:03:00.000Z'),
    raw: docCallback,
    unsigned: {},
  };

  it('accepts the document example as a string, as bytes and as an object', async () => {
    const body = signed(docCallback);
    for (const input of [JSON.stringify(body), new TextEncoder().encode(JSON.stringify(body)), body]) {
      expect(await verifyJwtGatewayCallback(input, { apiKey: API_KEY })).toStrictEqual(docEvent);
    }
  });

  it('accepts any of several keys (rotation)', async () => {
    const body = JSON.stringify(signed(docCallback, 'new-key'));
    await expect(verifyJwtGatewayCallback(body, { apiKey: ['old-key', 'new-key'] })).resolves.toStrictEqual(
      docEvent,
    );
    await expect(verifyJwtGatewayCallback(body, { apiKey: ['old-key'] })).rejects.toThrow(
      /not made with the API key/,
    );
  });

  it.each(Object.keys(docCallback))('refuses a change to %s', async (field) => {
    const body = signed(docCallback);
    const original = body[field];
    body[field] = typeof original === 'number' ? original + 1 : `${original}x`;
    await expect(verifyJwtGatewayCallback(JSON.stringify(body), { apiKey: API_KEY })).rejects.toThrow(
      `Callback field "${field}" differs from the signed value.`,
    );
  });

  it.each(['order_no', 'agent_order_no', 'status', 'amount'])(
    'refuses a token that does not sign %s, even when the body carries it',
    async (field) => {
      const { [field]: _dropped, ...rest } = docCallback as Record<string, unknown>;
      const body = { ...signed(rest), [field]: (docCallback as Record<string, unknown>)[field] };
      await expect(verifyJwtGatewayCallback(JSON.stringify(body), { apiKey: API_KEY })).rejects.toThrow(
        `Callback token does not sign "${field}"; an unsigned ${field} cannot be trusted.`,
      );
    },
  );

  it('reads a signed field left out of the body from the token', async () => {
    const { fee: _fee, type: _type, ...body } = signed(docCallback);
    await expect(verifyJwtGatewayCallback(JSON.stringify(body), { apiKey: API_KEY })).resolves.toStrictEqual(
      docEvent,
    );
  });

  it('hands body fields outside the token over as unsigned, and never reads them', async () => {
    const { type: _t, fee: _f, ...partial } = docCallback;
    const body = { ...signed(partial), type: 'withdrawal', fee: 999, bonus: { x: 1 } };
    const event = await verifyJwtGatewayCallback(JSON.stringify(body), { apiKey: API_KEY });
    const { type: _type, fee: _fee, feeSatang: _fs, ...expected } = docEvent;
    expect(event).toStrictEqual({
      ...expected,
      kind: 'unknown',
      raw: partial,
      unsigned: { type: 'withdrawal', fee: 999, bonus: { x: 1 } },
    });
  });

  it('a number turned into a string differs, and says to pass the raw body when given an object', async () => {
    const retyped = { ...signed(docCallback), amount: '1000' };
    await expect(verifyJwtGatewayCallback(retyped, { apiKey: API_KEY })).rejects.toThrow(/raw body/);
  });

  it('refuses a wrong key, alg none, HS512, RS256 and a swapped signature', async () => {
    await expect(verifyJwtGatewayCallback(signed(docCallback, 'wrong'), { apiKey: API_KEY })).rejects.toThrow(
      WebhookVerificationError,
    );
    const none = `${b64url('{"alg":"none","typ":"JWT"}')}.${b64url(JSON.stringify(docCallback))}.`;
    await expect(
      verifyJwtGatewayCallback({ ...docCallback, signature: none }, { apiKey: API_KEY }),
    ).rejects.toThrow(/only HS256/);
    const hs512 = signed(docCallback, API_KEY, { algorithm: 'HS512' });
    await expect(verifyJwtGatewayCallback(hs512, { apiKey: API_KEY })).rejects.toThrow(/only HS256/);
    // An HS256 header glued onto an HS512 MAC is still refused: the MAC does not verify.
    const [, p, s] = String(hs512.signature).split('.');
    const glued = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${p}.${s}`;
    await expect(
      verifyJwtGatewayCallback({ ...docCallback, signature: glued }, { apiKey: API_KEY }),
    ).rejects.toThrow(/not made/);
    const other = signed({ ...docCallback, order_no: 'DP-OTHER' });
    await expect(
      verifyJwtGatewayCallback({ ...docCallback, signature: other.signature }, { apiKey: API_KEY }),
    ).rejects.toThrow(/differs/);
  });

  it('refuses a valid MAC over a payload whose header carries crit or an odd typ', async () => {
    const forge = (header: object) => {
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(docCallback))}`;
      return `${input}.${createHmac('sha256', API_KEY).update(input).digest('base64url')}`;
    };
    await expect(
      verifyJwtGatewayCallback(
        { ...docCallback, signature: forge({ alg: 'HS256', crit: ['x'], x: 1 }) },
        { apiKey: API_KEY },
      ),
    ).rejects.toThrow(/critical/);
    await expect(
      verifyJwtGatewayCallback(
        { ...docCallback, signature: forge({ alg: 'HS256', typ: 'JOSE+JSON' }) },
        { apiKey: API_KEY },
      ),
    ).rejects.toThrow(/typ/);
    // Without extras, the same construction is accepted: the checks above are what refused.
    await expect(
      verifyJwtGatewayCallback({ ...docCallback, signature: forge({ alg: 'HS256' }) }, { apiKey: API_KEY }),
    ).resolves.toStrictEqual(docEvent);
  });

  it('checks the timestamp both ways when a window is set', async () => {
    const body = JSON.stringify(signed(docCallback));
    await expect(
      verifyJwtGatewayCallback(body, { apiKey: API_KEY, toleranceSeconds: 300, now: NOW }),
    ).resolves.toStrictEqual(docEvent);
    await expect(
      verifyJwtGatewayCallback(body, { apiKey: API_KEY, toleranceSeconds: 300, now: NOW + 301_000 }),
    ).rejects.toThrow('Callback timestamp is 301 s away from now, outside the 300 s window.');
    await expect(
      verifyJwtGatewayCallback(body, {
        apiKey: API_KEY,
        toleranceSeconds: 300,
        now: new Date(NOW - 301_000),
      }),
    ).rejects.toThrow(/outside/);
  });

  it('an untimed token is refused by default, accepted with requireTimestamp: false', async () => {
    const { timestamp: _ts, ...untimed } = docCallback;
    const body = JSON.stringify(signed(untimed));
    await expect(verifyJwtGatewayCallback(body, { apiKey: API_KEY })).rejects.toThrow(
      /signs neither a timestamp/,
    );
    // A timestamp in the body that the token does not sign does not count.
    const unsignedTs = JSON.stringify({ ...signed(untimed), timestamp: '1640995380' });
    await expect(verifyJwtGatewayCallback(unsignedTs, { apiKey: API_KEY, now: NOW })).rejects.toThrow(
      /signs neither a timestamp/,
    );
    const { timestamp: _t, ...event } = docEvent;
    await expect(
      verifyJwtGatewayCallback(body, {
        apiKey: API_KEY,
        requireTimestamp: false,
        toleranceSeconds: 60,
        now: NOW,
      }),
    ).resolves.toStrictEqual({ ...event, raw: untimed });
  });

  it('gives helpful errors for empty, malformed and garbage bodies', async () => {
    await expect(verifyJwtGatewayCallback('', { apiKey: API_KEY })).rejects.toThrow(/empty/);
    await expect(verifyJwtGatewayCallback('{"order_no":', { apiKey: API_KEY })).rejects.toThrow(
      /not valid JSON/,
    );
    await expect(verifyJwtGatewayCallback('[1,2]', { apiKey: API_KEY })).rejects.toThrow(/JSON object/);
    await expect(verifyJwtGatewayCallback(docCallback, { apiKey: API_KEY })).rejects.toThrow(/no signature/);
    await expect(
      verifyJwtGatewayCallback({ ...docCallback, signature: 'garbage' }, { apiKey: API_KEY }),
    ).rejects.toThrow(/compact JWT/);
    await expect(
      verifyJwtGatewayCallback({ ...docCallback, signature: 'a.b.c' }, { apiKey: API_KEY }),
    ).rejects.toThrow(WebhookVerificationError);
    await expect(verifyJwtGatewayCallback(signed(docCallback), { apiKey: [] })).rejects.toThrow(
      /apiKey: must be a non-empty string/,
    );
  });

  it('refuses prototype-polluting keys and oversized bodies before parsing', async () => {
    await expect(
      verifyJwtGatewayCallback('{"__proto__":{"polluted":1}}', { apiKey: API_KEY }),
    ).rejects.toThrow(/forbidden/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const big = JSON.stringify({ ...signed(docCallback), pad: 'x'.repeat(70_000) });
    await expect(verifyJwtGatewayCallback(big, { apiKey: API_KEY })).rejects.toThrow(/limit/);
  });
});

describe('createJwtGatewayWebhookHandler', () => {
  const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    new Request('http://localhost/callback', {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('verifies, handles each distinct callback once and answers the gateway ack', async () => {
    const onEvent = vi.fn();
    const handler = createJwtGatewayWebhookHandler({ apiKey: API_KEY, onEvent });
    const body = signed(docCallback);
    const first = await handler(post(body));
    expect(first.status).toBe(200);
    expect(await first.text()).toBe(JWT_GATEWAY_ACK);
    const again = await handler(post(body));
    expect(again.status).toBe(200);
    expect(onEvent).toHaveBeenCalledTimes(1);
    await handler(post(signed({ ...docCallback, status: 'failed' })));
    expect(onEvent).toHaveBeenCalledTimes(2);
    expect(onEvent.mock.calls[1]?.[0].status).toBe('failed');
  });

  it('refuses forged callbacks with 4xx and a terse body, never calling onEvent', async () => {
    const onEvent = vi.fn();
    const onError = vi.fn();
    const handler = createJwtGatewayWebhookHandler({ apiKey: API_KEY, onEvent, onError });
    const forged = await handler(post({ ...signed(docCallback), amount: 999_999 }));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toBe('invalid webhook');
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(WebhookVerificationError);
    expect((await handler(post('a=1', { 'content-type': 'text/html' }))).status).toBe(415);
    expect((await handler(new Request('http://localhost/callback'))).status).toBe(405);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('answers 500 and releases the claim when onEvent throws, so the retry is handled', async () => {
    let calls = 0;
    const store = createMemoryDedupeStore();
    const handler = createJwtGatewayWebhookHandler({
      apiKey: API_KEY,
      store,
      onEvent: () => {
        calls += 1;
        if (calls === 1) throw new Error('database down');
      },
    });
    const body = signed(docCallback);
    expect((await handler(post(body))).status).toBe(500);
    expect((await handler(post(body))).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('applies the tolerance window with its clock', async () => {
    const onEvent = vi.fn();
    const handler = createJwtGatewayWebhookHandler({
      apiKey: API_KEY,
      onEvent,
      toleranceSeconds: 60,
      now: () => NOW + 3_600_000,
    });
    expect((await handler(post(signed(docCallback)))).status).toBe(400);
    expect(onEvent).not.toHaveBeenCalled();
  });
});
