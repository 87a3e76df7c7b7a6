/**
 * The one issue mapper both providers share (src/core/validation.ts): a value of the wrong type is named
 * for what it should be, only a missing one "is required", whichever provider refused it. Nothing is
 * sent: the refusals come before any request (fetch would throw if called).
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { InvalidRequestError } from '../../src/core/errors';
import { toFieldIssues, validate } from '../../src/core/validation';
import { JwtGatewayClient } from '../../src/jwt-gateway';
import { collectionRequest, payoutRequest, queryRequest } from '../../src/thb-collect/schemas';

function issues(run: () => unknown): { field: string; rule: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return [...(error as InvalidRequestError).issues];
  }
  throw new Error('expected an InvalidRequestError');
}

async function issuesOf(promise: Promise<unknown>): Promise<{ field: string; rule: string }[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidRequestError);
  return [...(error as InvalidRequestError).issues];
}

const noFetch = () => {
  throw new Error('nothing may be sent');
};

describe('validate', () => {
  const schema = z.strictObject({ orderId: z.string(), note: z.optional(z.string()), size: z.number() });

  it('names a present value of the wrong type for its type, a missing one "is required"', () => {
    expect(issues(() => validate(schema, { orderId: 5, note: false, size: 'big' }))).toStrictEqual([
      { field: 'orderId', rule: 'must be a string' },
      { field: 'note', rule: 'must be a string' },
      { field: 'size', rule: 'must be a number' },
    ]);
    expect(issues(() => validate(schema, { note: 'n' }))).toStrictEqual([
      { field: 'orderId', rule: 'is required' },
      { field: 'size', rule: 'is required' },
    ]);
    // null is a value: wrong type, not missing.
    expect(issues(() => validate(schema, { orderId: null, size: 1 }))).toStrictEqual([
      { field: 'orderId', rule: 'must be a string' },
    ]);
  });

  it('looks nested values up by their path', () => {
    const nested = z.object({ limits: z.object({ deposit: z.object({ max: z.number() }) }) });
    expect(issues(() => validate(nested, { limits: { deposit: { max: '9' } } }))).toStrictEqual([
      { field: 'limits.deposit.max', rule: 'must be a number' },
    ]);
    expect(issues(() => validate(nested, { limits: { deposit: {} } }))).toStrictEqual([
      { field: 'limits.deposit.max', rule: 'is required' },
    ]);
    expect(issues(() => validate(nested, { limits: 5 }))).toStrictEqual([
      { field: 'limits', rule: 'must be an object' },
    ]);
  });

  it('names unknown fields: the object with the list, or each field when the schema words the rule', () => {
    expect(issues(() => validate(schema, { orderId: 'a', size: 1, extra: 1, more: 2 }))).toStrictEqual([
      { field: 'input', rule: 'has unknown fields extra, more' },
    ]);
    const worded = z.strictObject(
      { orderId: z.string() },
      { error: (i) => (i.code === 'unrecognized_keys' ? 'is not a field of the order' : undefined) },
    );
    expect(issues(() => validate(worded, { orderId: 'a', extra: 1, more: 2 }))).toStrictEqual([
      { field: 'extra', rule: 'is not a field of the order' },
      { field: 'more', rule: 'is not a field of the order' },
    ]);
  });

  it('without the input (answers checked after the fact), toFieldIssues keeps "is required"', () => {
    const result = schema.safeParse({ orderId: 5, size: 1 });
    expect(result.success).toBe(false);
    expect(toFieldIssues(result.error!.issues, 'data')).toStrictEqual([
      { field: 'data.orderId', rule: 'is required' },
    ]);
  });
});

describe('both providers word a wrong type the same way', () => {
  const payer = {
    orderId: 'M1',
    amount: 300,
    payType: 'QR' as const,
    name: 'Somchai Jaidee',
    phone: '0812345678',
    email: 'somchai@example.com',
    callBackUrl: 'https://shop.example/ok',
    callBackFailUrl: 'https://shop.example/fail',
    subject: 'Order M1',
    partnerUserId: 'user-42',
  };

  it('THB collect: orderId 5 must be a string, amount true a number or a string of baht', () => {
    expect(
      issues(() => collectionRequest({ ...payer, orderId: 5 as never, amount: true as never })),
    ).toStrictEqual([
      { field: 'orderId', rule: 'must be a string' },
      { field: 'amount', rule: 'must be a number or a string of baht' },
    ]);
    const { orderId: _o, amount: _a, ...missing } = payer;
    expect(issues(() => collectionRequest(missing as never))).toStrictEqual([
      { field: 'orderId', rule: 'is required' },
      { field: 'amount', rule: 'is required' },
    ]);
    expect(issues(() => queryRequest({ orderId: 'M1', orderNo: 7 as never }))).toStrictEqual([
      { field: 'orderNo', rule: 'must be a string' },
    ]);
    expect(
      issues(() =>
        payoutRequest({
          orderId: 'P1',
          amount: '5',
          accountType: 'BANK_ACCOUNT',
          bankCode: 'KBANK',
          accountNo: 1234 as never,
          name: 'john',
          phone: '0812345678',
          email: 'j@example.com',
          partnerUserId: 'u1',
        }),
      ),
    ).toStrictEqual([{ field: 'accountNo', rule: 'must be a string' }]);
  });

  it('JWT gateway: transactionId 5 must be a string, a missing bankName is required', async () => {
    const jwt = new JwtGatewayClient({
      baseUrl: 'https://gateway.test/api/v1',
      merchantId: 'M',
      apiKey: 'k',
      fetch: noFetch as never,
    });
    const deposit = {
      transactionId: 'T-1',
      bankAccountNumber: '1234567890',
      bankName: 'KBANK',
      name: 'John Doe',
      amount: '1000.50',
      callbackUrl: 'https://shop.test/callback',
      type: 'QR' as const,
    };
    const { bankName: _b, ...withoutBank } = deposit;
    expect(await issuesOf(jwt.createDeposit({ ...withoutBank, transactionId: 5 } as never))).toStrictEqual([
      { field: 'transactionId', rule: 'must be a string' },
      { field: 'bankName', rule: 'is required' },
    ]);
    expect(await issuesOf(jwt.getOrder({ orderNo: 5 as never }))).toStrictEqual([
      { field: 'orderNo', rule: 'must be a string' },
    ]);
  });
});
