/**
 * Safe creates, for the mutants StrykerJS found surviving in src/core/safe-create.ts (MUTATION.md): the
 * boundaries of a 2xx answer that could not be read, which errors may leave an outcome unknown, and what
 * the OrderStatusUnknownError says and carries when the query after lost answers fails as well.
 */
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  OrderStatusUnknownError,
  PermissionError,
  TimeoutError,
} from '../../src/core/errors';
import { isOutcomeUnknown, safeCreate } from '../../src/core/safe-create';

/** An answer the transport could not read as JSON, as it builds them (code, status, `raw.excerpt`). */
function unreadable(status: number, raw: unknown = { excerpt: '{"code":0,"data":{"orderNo":"P-' }): ApiError {
  return new ApiError('not JSON', { code: 'invalid_response', status, raw });
}

describe('isOutcomeUnknown for answers that could not be read', () => {
  it('is true for a 2xx answer cut short (200 to 299), false outside 2xx', () => {
    expect([199, 200, 201, 299, 300, 302].map((status) => isOutcomeUnknown(unreadable(status)))).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('needs the transport’s invalid_response code and a text excerpt', () => {
    expect(
      isOutcomeUnknown(new ApiError('x', { code: 'api_error', status: 200, raw: { excerpt: '{' } })),
    ).toBe(false);
    expect(isOutcomeUnknown(new ApiError('not JSON', { code: 'invalid_response', status: 200 }))).toBe(false);
    expect(isOutcomeUnknown(unreadable(200, { excerpt: 42 }))).toBe(false);
    expect(isOutcomeUnknown(unreadable(200, {}))).toBe(false);
  });

  it('only an ApiError can leave it unknown by its status: other refusals are definite', () => {
    expect(isOutcomeUnknown(new PermissionError('IP not in whitelist', { status: 503 }))).toBe(false);
    expect(isOutcomeUnknown(new AuthenticationError('Invalid API key', { status: 429 }))).toBe(false);
  });
});

describe('safeCreate when the query after lost answers fails too', () => {
  it('says unknown, naming the order and the query’s error, and carries that error', async () => {
    const down = new ConnectionError('down');
    const error = await safeCreate({
      orderId: 'T-9',
      send: async () => {
        throw new TimeoutError('no answer');
      },
      lookup: async () => {
        throw down;
      },
      maxResends: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).message).toBe(
      'The outcome of creating order "T-9" could not be learned; query it by this id before retrying. Last error: down',
    );
    expect((error as OrderStatusUnknownError).orderId).toBe('T-9');
    expect((error as OrderStatusUnknownError).cause).toBe(down);
  });

  it('a definite refusal of the re-send is still unknown when the query cannot say whether the order exists', async () => {
    // The first send may have made the order; only a query answering "no such order" makes the refusal final.
    const sent: Error[] = [
      new TimeoutError('no answer'),
      new AuthenticationError('Invalid API key', { status: 401 }),
    ];
    const error = await safeCreate({
      orderId: 'T-10',
      send: async () => {
        throw sent.shift();
      },
      lookup: async () => {
        throw new ConnectionError('reset');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).orderId).toBe('T-10');
  });

  it('says no more than it knows when the query threw something that is not an Error', async () => {
    const error = await safeCreate({
      orderId: 'T-11',
      send: async () => {
        throw new TimeoutError('no answer');
      },
      lookup: () => Promise.reject('gone'),
      maxResends: 0,
    }).catch((e: unknown) => e);
    expect((error as OrderStatusUnknownError).message).toBe(
      'The outcome of creating order "T-11" could not be learned; query it by this id before retrying.',
    );
    expect((error as OrderStatusUnknownError).cause).toBe('gone');
  });
});
