/**
 * The callback verifier decodes token parts itself after checking their alphabet (src/jwt-gateway/webhooks.ts,
 * to keep its bundle small, issue 13): a part of a length Base64url cannot have is still refused, after the
 * MAC is checked, with the same message the general decoder's refusal gave.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from '../../src/core/errors';
import { verifyJwtGatewayCallback } from '../../src/jwt-gateway/webhooks';

const KEY = 'test-api-key-0001';
const b64url = (text: string) => Buffer.from(text).toString('base64url');

function token(headerPart: string, payloadPart: string): string {
  const mac = createHmac('sha256', KEY).update(`${headerPart}.${payloadPart}`).digest('base64url');
  return `${headerPart}.${payloadPart}.${mac}`;
}

const header = b64url('{"alg":"HS256","typ":"JWT"}');
const payload = {
  order_no: 'O1',
  agent_order_no: 'A1',
  status: 'completed',
  amount: '100.00',
  timestamp: '1700000000',
};

describe('token parts of an impossible Base64url length', () => {
  it('a payload part one longer than a multiple of 4 is not JSON, though its MAC verifies', async () => {
    let part = b64url(JSON.stringify(payload));
    while (part.length % 4 !== 1) part += 'A';
    const body = JSON.stringify({ ...payload, signature: token(header, part) });
    const refusal = verifyJwtGatewayCallback(body, { apiKey: KEY, now: 1_700_000_000_000 });
    await expect(refusal).rejects.toThrow(WebhookVerificationError);
    await expect(refusal).rejects.toThrow(
      'Callback signature is not a JWT: its payload does not decode to JSON.',
    );
  });

  it('a header part of such a length is refused before the MAC', async () => {
    let part = header;
    while (part.length % 4 !== 1) part += 'A';
    const body = JSON.stringify({ ...payload, signature: `${part}.${b64url('{}')}.abc` });
    await expect(verifyJwtGatewayCallback(body, { apiKey: KEY })).rejects.toThrow(
      'Callback signature is not a JWT: its header does not decode to JSON.',
    );
  });

  it('the same token at a valid length verifies', async () => {
    const body = JSON.stringify({ ...payload, signature: token(header, b64url(JSON.stringify(payload))) });
    const callback = await verifyJwtGatewayCallback(body, { apiKey: KEY, now: 1_700_000_000_000 });
    expect([callback.orderNo, callback.amountSatang, callback.status]).toEqual(['O1', 10000, 'succeeded']);
  });
});
