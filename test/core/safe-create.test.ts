import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  DuplicateOrderError,
  InvalidRequestError,
  OrderStatusUnknownError,
  ResponseVerificationError,
  ThaiPayError,
  TimeoutError,
} from '../../src/core/errors';
import {
  AMBIGUOUS_RESPONSE_CODE,
  isOutcomeUnknown,
  OUTCOME_UNKNOWN_CODES,
  PROVIDER_BUSY_CODE,
  type SafeCreated,
  safeCreate,
} from '../../src/core/safe-create';

type Order = { orderId: string; orderNo: string };
const order: Order = { orderId: 'T-1', orderNo: 'P-1' };

/** A send that fails with the given errors in turn, then succeeds. */
function sends(...outcomes: (Error | Order)[]) {
  return vi.fn(async () => {
    const next = outcomes.shift();
    if (next instanceof Error) throw next;
    if (!next) throw new Error('unexpected extra send');
    return next;
  });
}

describe('isOutcomeUnknown', () => {
  it('is true only for lost answers', () => {
    expect(isOutcomeUnknown(new TimeoutError('t'))).toBe(true);
    expect(isOutcomeUnknown(new ConnectionError('reset'))).toBe(true);
    expect(isOutcomeUnknown(new ConnectionError('aborted', { code: 'aborted' }))).toBe(false);
    expect(isOutcomeUnknown(new ApiError('x', { status: 502 }))).toBe(true);
    expect(isOutcomeUnknown(new ApiError('x', { status: 429 }))).toBe(true);
    expect(isOutcomeUnknown(new ApiError('x', { status: 400 }))).toBe(false);
    expect(isOutcomeUnknown(new DuplicateOrderError('dup'))).toBe(false);
    expect(isOutcomeUnknown(new Error('x'))).toBe(false);
  });

  it('is false for a connection that provably never carried the request, true for an unverifiable answer', () => {
    expect(isOutcomeUnknown(new ConnectionError('refused', { requestSent: false }))).toBe(false);
    expect(isOutcomeUnknown(new ConnectionError('reset', { requestSent: true }))).toBe(true);
    expect(isOutcomeUnknown(new ResponseVerificationError('bad sign'))).toBe(true);
  });
});

describe('safeCreate with requests that never left and answers that do not verify', () => {
  it('reports a create that never left as it is: one send, no lookup, no unknown outcome', async () => {
    const refused = new ConnectionError('ECONNREFUSED: nothing was sent', { requestSent: false });
    const send = sends(refused);
    const lookup = vi.fn();
    await expect(safeCreate({ orderId: 'T-1', send, lookup })).rejects.toBe(refused);
    expect(send).toHaveBeenCalledTimes(1);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('looks up an order whose create answer did not verify, without re-sending the create', async () => {
    const send = sends(new ResponseVerificationError('bad sign'));
    const lookup = vi.fn(async () => order);
    await expect(safeCreate({ orderId: 'T-1', send, lookup })).resolves.toEqual({
      ...order,
      reconciled: true,
    });
    expect(send).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('a re-send answered with a signature that does not verify is looked up at once', async () => {
    const send = sends(new TimeoutError('t'), new ResponseVerificationError('bad sign'));
    const lookup = vi.fn(async () => order);
    await expect(safeCreate({ orderId: 'T-1', send, lookup, maxResends: 2 })).resolves.toEqual({
      ...order,
      reconciled: true,
    });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('ends in OrderStatusUnknownError when the lookup cannot be verified either', async () => {
    const send = sends(new ResponseVerificationError('bad sign'));
    const lookup = vi.fn(async () => {
      throw new ResponseVerificationError('bad sign');
    });
    const error = await safeCreate({ orderId: 'T-1', send, lookup }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).orderId).toBe('T-1');
  });
});

describe('safeCreate', () => {
  it('returns the first answer, not reconciled', async () => {
    const send = sends(order);
    const lookup = vi.fn();
    await expect(safeCreate({ orderId: 'T-1', send, lookup })).resolves.toEqual({
      ...order,
      reconciled: false,
    });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('a duplicate on the first attempt is a real duplicate', async () => {
    const send = sends(new DuplicateOrderError('transactionId already exists'));
    const lookup = vi.fn();
    await expect(safeCreate({ orderId: 'T-1', send, lookup })).rejects.toBeInstanceOf(DuplicateOrderError);
    expect(send).toHaveBeenCalledTimes(1);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('definite refusals are not re-sent', async () => {
    for (const error of [
      new InvalidRequestError([]),
      new AuthenticationError('401'),
      new ApiError('no', { status: 400 }),
    ]) {
      const send = sends(error);
      await expect(safeCreate({ orderId: 'T-1', send, lookup: vi.fn() })).rejects.toBe(error);
      expect(send).toHaveBeenCalledTimes(1);
    }
  });

  it('re-sends after a lost answer and returns the re-send', async () => {
    const send = sends(new TimeoutError('timeout'), order);
    const wait = vi.fn(async () => undefined);
    await expect(safeCreate({ orderId: 'T-1', send, lookup: vi.fn(), wait })).resolves.toEqual({
      ...order,
      reconciled: false,
    });
    expect(send).toHaveBeenCalledTimes(2);
    expect(wait).toHaveBeenCalledWith(1);
  });

  it('reconciles "already exists" on a re-send by querying the order', async () => {
    const send = sends(new ConnectionError('socket hang up'), new DuplicateOrderError('exists'));
    const lookup = vi.fn(async () => order);
    await expect(safeCreate({ orderId: 'T-1', send, lookup })).resolves.toEqual({
      ...order,
      reconciled: true,
    });
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('queries after the re-sends run out, and says unknown when that fails too', async () => {
    const found = await safeCreate({
      orderId: 'T-1',
      send: sends(new TimeoutError('a'), new TimeoutError('b'), new ApiError('c', { status: 503 })),
      lookup: async () => order,
    });
    expect(found.reconciled).toBe(true);

    const error = await safeCreate({
      orderId: 'T-9',
      send: sends(new TimeoutError('a'), new TimeoutError('b'), new TimeoutError('c')),
      lookup: async () => {
        throw new ConnectionError('down');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).orderId).toBe('T-9');
  });

  it('never reports failure for an order it cannot see: duplicate with no order found is unknown', async () => {
    const error = await safeCreate({
      orderId: 'T-2',
      send: sends(new TimeoutError('a'), new DuplicateOrderError('exists')),
      lookup: async () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
  });

  it('a definite refusal of the re-send with no order found is that refusal', async () => {
    const refusal = new AuthenticationError('Invalid API key', { status: 401 });
    const error = await safeCreate({
      orderId: 'T-3',
      send: sends(new TimeoutError('a'), refusal),
      lookup: async () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBe(refusal);
  });
});

describe('outcome-unknown codes (an answer that does not prove the create was refused)', () => {
  it('provider_busy and ambiguous_response are unknown whatever the HTTP status; other codes are not', () => {
    expect([...OUTCOME_UNKNOWN_CODES].sort()).toEqual(['ambiguous_response', 'provider_busy']);
    expect(isOutcomeUnknown(new ApiError('1004', { code: PROVIDER_BUSY_CODE, status: 200 }))).toBe(true);
    expect(isOutcomeUnknown(new ApiError('x', { code: AMBIGUOUS_RESPONSE_CODE, status: 200 }))).toBe(true);
    expect(isOutcomeUnknown(new ApiError('x', { code: 'insufficient_balance', status: 200 }))).toBe(false);
    // The code must be on an ApiError: the same text on another class proves nothing.
    expect(isOutcomeUnknown(new ThaiPayError('x', { code: PROVIDER_BUSY_CODE }))).toBe(false);
  });

  it('busy, then busy, then the order is found: reconciled from the lookup type', async () => {
    type Query = { orderId: string; orderNo: string; status: number };
    const busy = () => new ApiError('system is busy', { code: PROVIDER_BUSY_CODE, status: 200 });
    const send = sends(busy(), busy(), busy());
    const lookup = vi.fn(async (): Promise<Query> => ({ orderId: 'T-1', orderNo: 'P-1', status: 1 }));
    const result = await safeCreate<Order, Query>({ orderId: 'T-1', send, lookup, maxResends: 2 });
    expect(result).toEqual({ orderId: 'T-1', orderNo: 'P-1', status: 1, reconciled: true });
    expect(send).toHaveBeenCalledTimes(3);
    expect(lookup).toHaveBeenCalledTimes(1);
    expectTypeOf(result).toEqualTypeOf<SafeCreated<Order, Query>>();
  });

  it('busy and the order does not exist: OrderStatusUnknownError, never the busy error itself', async () => {
    const send = sends(
      new ApiError('system exception', { code: PROVIDER_BUSY_CODE, status: 200 }),
      new ApiError('system exception', { code: PROVIDER_BUSY_CODE, status: 200 }),
    );
    const error = await safeCreate({
      orderId: 'T-1',
      send,
      lookup: async () => undefined,
      maxResends: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).orderId).toBe('T-1');
    expect((error as OrderStatusUnknownError).cause).toMatchObject({ code: PROVIDER_BUSY_CODE });
  });
});
