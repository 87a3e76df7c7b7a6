/**
 * The JWT gateway reads like THB collect (issue 14): the verifier takes one options object, an HMAC can be
 * given to it and to the handler, results use `orderId`/`orderNo` only, and a reconciled create's type says
 * which fields a query cannot restore.
 */
import jwt from 'jsonwebtoken';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import type { HmacSha256 } from '../../src/core/crypto/types';
import { InvalidRequestError } from '../../src/core/errors';
import {
  JWT_GATEWAY_FIELDS_LOST_ON_RECONCILE,
  type JwtGatewayDeposit,
  type JwtGatewayDepositCreated,
  type JwtGatewayDepositReconciled,
  type JwtGatewayWithdrawal,
  type JwtGatewayWithdrawalReconciled,
} from '../../src/jwt-gateway/results';
import type {
  CreateDepositInput,
  CreateWithdrawalInput,
  GetOrderInput,
  getOrderSchema,
} from '../../src/jwt-gateway/schemas';
import { createJwtGatewayWebhookHandler, verifyJwtGatewayCallback } from '../../src/jwt-gateway/webhooks';

const API_KEY = 'gateway-api-key-123';
const fields = {
  order_no: 'DP1',
  agent_order_no: 'order-1',
  type: 'deposit',
  amount: 100,
  status: 'completed',
  timestamp: '1640995380',
};
const body = JSON.stringify({ ...fields, signature: jwt.sign(fields, API_KEY, { noTimestamp: true }) });

/** An HMAC that records its calls and answers with node's (so a genuine callback still verifies). */
function recordingHmac(): HmacSha256 & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async hmacSha256Base64Url(key, data) {
      calls.push(data.split('.').length === 2 ? 'signing-input' : 'other');
      const { createHmac } = await import('node:crypto');
      return createHmac('sha256', key).update(data).digest('base64url');
    },
  };
}

describe('verifyJwtGatewayCallback(body, options)', () => {
  it('takes the key in its options, as verifyThbNotification takes its keys', async () => {
    const callback = await verifyJwtGatewayCallback(body, { apiKey: API_KEY, now: 1640995380_000 });
    expect(callback.orderId).toBe('order-1');
    expect(callback.orderNo).toBe('DP1');
    expect(callback).not.toHaveProperty('agentOrderNo');
  });

  it('refuses missing options, a missing key and a crypto that is not an HMAC, naming each', async () => {
    await expect(verifyJwtGatewayCallback(body, undefined as never)).rejects.toThrow(
      'Invalid request: options: must be an object with apiKey',
    );
    const refusal = await verifyJwtGatewayCallback(body, { apiKey: '', crypto: {} as never }).catch((e) => e);
    expect(refusal).toBeInstanceOf(InvalidRequestError);
    expect((refusal as InvalidRequestError).issues.map((i) => i.field)).toEqual(['apiKey', 'crypto']);
  });

  it('verifies with the crypto it is given, in the verifier and in the handler', async () => {
    const hmac = recordingHmac();
    await verifyJwtGatewayCallback(body, { apiKey: ['old-key', API_KEY], crypto: hmac });
    expect(hmac.calls).toEqual(['signing-input', 'signing-input']);

    const handlerHmac = recordingHmac();
    const seen: string[] = [];
    const handler = createJwtGatewayWebhookHandler({
      apiKey: API_KEY,
      crypto: handlerHmac,
      onEvent: (callback) => {
        seen.push(callback.orderId);
      },
    });
    const response = await handler(
      new Request('http://127.0.0.1/cb', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(response.status).toBe(200);
    expect(seen).toEqual(['order-1']);
    expect(handlerHmac.calls).toEqual(['signing-input']);
  });
});

describe('result types', () => {
  it('a reconciled create types every field a query cannot restore as absent', () => {
    expectTypeOf<JwtGatewayDepositReconciled['qrcode']>().toEqualTypeOf<undefined>();
    expectTypeOf<JwtGatewayWithdrawalReconciled['transferAmount']>().toEqualTypeOf<undefined>();
    expectTypeOf<Extract<JwtGatewayDepositCreated, { reconciled: false }>['qrcode']>().toEqualTypeOf<
      string | undefined
    >();
    // The constant lists exactly the create-only fields of each result type.
    type DepositOnly = Exclude<keyof JwtGatewayDeposit, keyof JwtGatewayDepositReconciled | 'reconciled'>;
    expectTypeOf<DepositOnly>().toEqualTypeOf<never>();
    expectTypeOf<(typeof JWT_GATEWAY_FIELDS_LOST_ON_RECONCILE.deposit)[number]>().toEqualTypeOf<
      Exclude<keyof JwtGatewayDeposit, keyof import('../../src/jwt-gateway/results').JwtGatewayOrder>
    >();
    expectTypeOf<(typeof JWT_GATEWAY_FIELDS_LOST_ON_RECONCILE.withdrawal)[number]>().toEqualTypeOf<
      Exclude<keyof JwtGatewayWithdrawal, keyof import('../../src/jwt-gateway/results').JwtGatewayOrder>
    >();
    expect(JWT_GATEWAY_FIELDS_LOST_ON_RECONCILE.withdrawal).toEqual([
      'transferAmount',
      'transferAmountSatang',
    ]);
  });
});

describe('input types', () => {
  it('are inferred from the schemas that check them, and are exactly the documented fields', () => {
    // Checked by tsc (npm test's typecheck): an input type can never silently widen to unknown.
    expectTypeOf<CreateDepositInput>().toEqualTypeOf<{
      transactionId: string;
      bankAccountNumber: string;
      bankName: string;
      name: string;
      amount: number | string;
      callbackUrl: string;
      type: 'QR' | 'BANK_TRANSFER';
    }>();
    expectTypeOf<CreateWithdrawalInput>().toEqualTypeOf<{
      agentOrderNo: string;
      amount: number | string;
      bankCode: string;
      accountNo: string;
      accountName: string;
      callbackUrl: string;
    }>();
    // The query's type is narrower than its schema's (one of the two ids is required): it must still fit it.
    expectTypeOf<GetOrderInput>().toExtend<z.input<typeof getOrderSchema>>();
  });
});
