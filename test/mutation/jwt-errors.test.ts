/**
 * The JWT gateway's answers read as data or as errors (src/jwt-gateway/errors.ts), asserted whole: class,
 * `code`, `status`, message and `raw` for each row of the document's error table and each envelope style,
 * on the edges of every status range. Written against its surviving mutants (MUTATION.md); issue 15 saw a
 * planted 429 → rate-limited bug pass the whole suite.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  ApiError,
  AuthenticationError,
  DuplicateOrderError,
  PermissionError,
  SignatureError,
} from '../../src/core/errors';
import type { TransportResponse } from '../../src/core/transport';
import { gatewayData, gatewayError } from '../../src/jwt-gateway/errors';

const KEY = 'sk_live_gateway_key_123456';
const schema = z.looseObject({ balance: z.number(), currency: z.string() });
const answer = (status: number, body: unknown) =>
  ({ status, body, attempts: 1 }) as unknown as TransportResponse;

function thrown(run: () => unknown): Error & { code: string; status?: number; raw?: unknown } {
  try {
    run();
  } catch (error) {
    return error as never;
  }
  throw new Error('expected a throw');
}

/** What an error says, all at once. */
const shape = (error: Error & { code: string; status?: number; raw?: unknown }) => ({
  class: error.constructor.name,
  code: error.code,
  status: error.status,
  message: error.message,
  raw: error.raw,
});

describe('gatewayData', () => {
  it('reads data from either envelope style, on a 2xx only', () => {
    const data = { balance: 1, currency: 'THB' };
    expect(gatewayData(answer(200, { status: 'success', data }), schema, KEY)).toEqual(data);
    expect(gatewayData(answer(200, { code: 200, data }), schema, KEY)).toEqual(data);
    expect(gatewayData(answer(299, { code: '200', data }), schema, KEY)).toEqual(data);
    for (const status of [300, 400, 199]) {
      expect(
        shape(thrown(() => gatewayData(answer(status, { status: 'success', data }), schema, KEY))),
      ).toEqual({
        class: 'ApiError',
        code: 'api_error',
        status,
        message: `The gateway answered an error (HTTP ${status}): HTTP ${status}`,
        raw: { status: 'success', data },
      });
    }
    // A 2xx whose envelope says failure is that failure.
    expect(
      shape(thrown(() => gatewayData(answer(200, { status: 'fail', code: 500 }), schema, KEY))),
    ).toMatchObject({
      class: 'ApiError',
      status: 500,
    });
  });

  it('a body that is not an envelope: rate limiting and 5xx as such, anything else invalid_response, scrubbed', () => {
    const body = `no such key ${KEY}`;
    expect(shape(thrown(() => gatewayData(answer(200, body), schema, KEY)))).toEqual({
      class: 'ApiError',
      code: 'invalid_response',
      status: 200,
      message: 'The gateway answered HTTP 200 with a body that is not an envelope.',
      raw: 'no such key [REDACTED]',
    });
    for (const bad of [null, [1], 5]) {
      expect(thrown(() => gatewayData(answer(499, bad), schema, KEY))).toMatchObject({
        code: 'invalid_response',
        status: 499,
      });
    }
    expect(shape(thrown(() => gatewayData(answer(429, body), schema, KEY)))).toEqual({
      class: 'ApiError',
      code: 'rate_limited',
      status: 429,
      message: 'The gateway is rate limiting: HTTP 429',
      raw: { body: 'no such key [REDACTED]' },
    });
    expect(shape(thrown(() => gatewayData(answer(500, null), schema, KEY)))).toEqual({
      class: 'ApiError',
      code: 'api_error',
      status: 500,
      message: 'The gateway answered an error (HTTP 500): HTTP 500',
      raw: { body: null },
    });
  });

  it('data without the documented shape names every broken field, scrubbed', () => {
    const env = { code: 200, data: { balance: 'x', note: KEY } };
    expect(shape(thrown(() => gatewayData(answer(200, env), schema, KEY)))).toEqual({
      class: 'ApiError',
      code: 'invalid_response',
      status: 200,
      message:
        "The gateway's answer does not have the documented shape: data.balance must be a number; data.currency is required.",
      raw: { code: 200, data: { balance: 'x', note: '[REDACTED]' } },
    });
  });
});

describe("gatewayError: the document's error table", () => {
  const cases: [string, number, Record<string, unknown>, Record<string, unknown>][] = [
    [
      '401 by HTTP',
      401,
      { message: 'bad key' },
      {
        class: 'AuthenticationError',
        code: 'authentication_failed',
        status: 401,
        message: 'The gateway refused the API key: bad key',
      },
    ],
    [
      '401 by code, HTTP 200',
      200,
      { code: 401, message: 'bad key' },
      { class: 'AuthenticationError', status: 401 },
    ],
    [
      '401 by code, HTTP 400',
      400,
      { code: 401, message: 'bad key' },
      { class: 'AuthenticationError', status: 400 },
    ],
    [
      '403 by HTTP',
      403,
      { message: 'forbidden' },
      {
        class: 'PermissionError',
        code: 'permission_denied',
        status: 403,
        message: 'The gateway refused access: forbidden',
      },
    ],
    [
      '403 by code, an IP not whitelisted',
      200,
      { code: 403, message: 'IP not in whitelist' },
      { class: 'PermissionError', code: 'ip_not_allowed', status: 403 },
    ],
    [
      '403 by code, HTTP 400, whitelist then IP',
      400,
      { code: 403, message: 'whitelist lacks your ip' },
      { class: 'PermissionError', code: 'ip_not_allowed', status: 400 },
    ],
    [
      '403 about something else',
      403,
      { message: 'whitelist closed' },
      { class: 'PermissionError', code: 'permission_denied' },
    ],
    [
      '404 by HTTP',
      404,
      { message: 'gone' },
      {
        class: 'ApiError',
        code: 'order_not_found',
        status: 404,
        message: 'The gateway did not find the order: gone',
      },
    ],
    [
      'not found by message',
      400,
      { message: 'Order not found' },
      { class: 'ApiError', code: 'order_not_found', status: 400 },
    ],
    [
      '429 by HTTP',
      429,
      {},
      {
        class: 'ApiError',
        code: 'rate_limited',
        status: 429,
        message: 'The gateway is rate limiting: HTTP 429',
      },
    ],
    [
      '429 by code, HTTP 200',
      200,
      { code: 429, message: 'slow down' },
      {
        class: 'ApiError',
        code: 'rate_limited',
        status: 429,
        message: 'The gateway is rate limiting: slow down',
      },
    ],
    [
      'a refused signature',
      400,
      { message: 'Invalid signature' },
      {
        class: 'SignatureError',
        code: 'signature_refused',
        message:
          'The gateway refused the request signature: Invalid signature. Check the API key and that every parameter is signed as sent.',
      },
    ],
    [
      'a duplicate order',
      400,
      { message: 'Order already exists' },
      {
        class: 'DuplicateOrderError',
        code: 'duplicate_order',
        message: 'The gateway refused a duplicate order: Order already exists',
      },
    ],
    [
      'a string code',
      200,
      { code: '500', message: '' },
      {
        class: 'ApiError',
        code: 'api_error',
        status: 500,
        message: 'The gateway answered an error (HTTP 500): HTTP 500',
      },
    ],
    [
      'a code that is no number',
      200,
      { code: 'abc' },
      { class: 'ApiError', status: 200, message: 'The gateway answered an error (HTTP 200): HTTP 200' },
    ],
    [
      'a message that is no text',
      502,
      { message: 42 },
      { class: 'ApiError', status: 502, message: 'The gateway answered an error (HTTP 502): HTTP 502' },
    ],
  ];
  it.each(cases)('%s', (_name, httpStatus, envelope, expected) => {
    const error = gatewayError(httpStatus, envelope) as never;
    expect(shape(error)).toMatchObject(expected);
    expect(shape(error).raw).toBe(envelope);
  });

  it('an HTTP 401 or 403 decides even when the envelope carries another code', () => {
    expect(gatewayError(401, { code: 1001, message: 'x' })).toBeInstanceOf(AuthenticationError);
    expect(gatewayError(403, { code: 1001, message: 'x' })).toBeInstanceOf(PermissionError);
    // A code of 0 is no code: the HTTP status stands.
    expect(shape(gatewayError(200, { code: 0 }) as never)).toMatchObject({ status: 200 });
  });

  it('the classes are the ones the table names', () => {
    expect(gatewayError(401, {})).toBeInstanceOf(AuthenticationError);
    expect(gatewayError(403, {})).toBeInstanceOf(PermissionError);
    expect(gatewayError(400, { message: 'Invalid signature' })).toBeInstanceOf(SignatureError);
    expect(gatewayError(400, { message: 'already exists' })).toBeInstanceOf(DuplicateOrderError);
    expect(gatewayError(418, {})).toBeInstanceOf(ApiError);
  });
});
