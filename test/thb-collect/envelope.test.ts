import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  DuplicateOrderError,
  PermissionError,
  SignatureError,
} from '../../src/core/errors';
import type { TransportResponse } from '../../src/core/transport';
import { readThbEnvelope } from '../../src/thb-collect/envelope';
import { classifyThbRefusal, isThbOrderNotFound } from '../../src/thb-collect/errors';

describe('classifyThbRefusal', () => {
  it('recognises duplicate order ids on creates, in English and Chinese', () => {
    for (const msg of [
      'orderId already exists',
      'OrderId exists',
      'order exists',
      'Order already exist',
      'Duplicate order',
      'duplicate orderId: M1',
      'The order number is repeated',
      'orderId repeat',
      'repeated order submission',
      '订单号重复',
      '订单已存在',
      'merchant order id has already been used',
    ]) {
      expect(classifyThbRefusal(msg, 'create'), msg).toBe('duplicate');
    }
  });

  it('recognises a missing order on queries only, and not when something else is missing', () => {
    for (const msg of [
      'order not exist',
      'Order does not exist',
      'order not found',
      '订单不存在',
      'no such order',
    ]) {
      expect(classifyThbRefusal(msg, 'query'), msg).toBe('not_found');
      expect(classifyThbRefusal(msg, 'create'), msg).not.toBe('duplicate');
    }
    for (const msg of [
      'merchant not exist',
      'appId does not exist',
      '商户不存在',
      'channel not found',
      'key not found',
    ]) {
      expect(classifyThbRefusal(msg, 'query'), msg).toBe('other');
    }
  });

  it('recognises a refused signature', () => {
    for (const msg of [
      'sign error',
      'Signature verification failed',
      'invalid sign',
      'sign is wrong',
      '签名错误',
      '验签失败',
    ]) {
      expect(classifyThbRefusal(msg, 'create'), msg).toBe('signature');
    }
  });

  it('leaves everything else alone', () => {
    for (const msg of [
      '',
      'java.lang.NullPointerException',
      'amount out of range',
      'Đơn hàng không tồn tại',
      'Please sign in again later',
      'designated channel closed',
      'existence check pending',
    ]) {
      expect(classifyThbRefusal(msg, 'create'), msg).toBe('other');
    }
  });
});

/** What `run` throws; fails the test when it throws nothing. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function answer(status: number, body: unknown): TransportResponse {
  return { status, headers: new Headers(), body, attempts: 1 };
}

const context = {
  path: '/thb/collect/apply',
  operation: 'create' as const,
  orderId: 'M1',
  secrets: ['sk-secret-123'],
};

describe('readThbEnvelope', () => {
  it('returns data of a status "1" envelope', () => {
    const data = { orderId: 'M1', orderNo: 'P1', sign: 'x' };
    expect(readThbEnvelope(answer(200, { status: '1', error: '00000000', msg: '', data }), context)).toBe(
      data,
    );
  });

  it('maps status "0" to typed errors, keeping error and msg', () => {
    const dup = thrown(() =>
      readThbEnvelope(answer(200, { status: '0', error: '10001', msg: 'orderId already exists' }), context),
    );
    expect(dup).toBeInstanceOf(DuplicateOrderError);
    expect((dup as DuplicateOrderError).orderId).toBe('M1');
    expect(() =>
      readThbEnvelope(answer(200, { status: '0', error: '2', msg: 'sign error' }), context),
    ).toThrow(SignatureError);
    const other = thrown(() =>
      readThbEnvelope(answer(200, { status: '0', error: '99', msg: 'amount too small' }), context),
    );
    expect(other).toBeInstanceOf(ApiError);
    expect((other as ApiError).code).toBe('api_error');
    expect((other as ApiError).providerCode).toBe('99');
    expect((other as ApiError).message).toContain('amount too small');
    expect(isThbOrderNotFound(other)).toBe(false);
    const notFound = thrown(() =>
      readThbEnvelope(answer(200, { status: '0', error: '3', msg: '订单不存在' }), {
        ...context,
        operation: 'query',
      }),
    );
    expect(isThbOrderNotFound(notFound)).toBe(true);
    // The same words on a create are no "not found" (and no duplicate): a plain ApiError.
    expect(
      isThbOrderNotFound(
        thrown(() => readThbEnvelope(answer(200, { status: '0', msg: '订单不存在' }), context)),
      ),
    ).toBe(false);
  });

  it('maps HTTP 401, 403, 5xx and 429; refuses shapes that are not the envelope', () => {
    expect(() => readThbEnvelope(answer(401, { msg: 'x' }), context)).toThrow(AuthenticationError);
    expect(() => readThbEnvelope(answer(403, {}), context)).toThrow(PermissionError);
    // The same codes as the JWT gateway client: 429 rate_limited, 5xx api_error.
    for (const [status, code] of [
      [500, 'api_error'],
      [502, 'api_error'],
      [429, 'rate_limited'],
    ] as const) {
      const error = thrown(() => readThbEnvelope(answer(status, { status: '1', data: {} }), context));
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, code });
    }
    // On a create, a 2xx that is not a readable success proves nothing: an unknown outcome.
    for (const body of [[], 'x', { status: 'ok' }, { status: '1' }, null]) {
      const error = thrown(() => readThbEnvelope(answer(200, body), context));
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('ambiguous_response');
      const onQuery = thrown(() => readThbEnvelope(answer(200, body), { ...context, operation: 'query' }));
      expect((onQuery as ApiError).code).toBe('invalid_response');
    }
    // A data that is not an object is left to the endpoint (the voucher's data is a Base64 string).
    expect(readThbEnvelope(answer(200, { status: '1', data: 'iVBORw0K' }), context)).toBe('iVBORw0K');
    expect(() => readThbEnvelope(answer(404, { status: '1', data: {} }), context)).toThrow(/HTTP 404/);
  });

  it('scrubs secrets the provider echoes', () => {
    const error = thrown(() =>
      readThbEnvelope(answer(200, { status: '0', error: '1', msg: 'bad key sk-secret-123' }), context),
    );
    expect(JSON.stringify(error)).not.toContain('sk-secret-123');
    expect((error as Error).message).toContain('[REDACTED]');
  });
});
