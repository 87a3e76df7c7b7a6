/**
 * Tests written against mutants of src/thb-collect/envelope.ts (MUTATION.md): every branch of the answer
 * mapping, checked on the whole error (class, code, status, providerCode, orderId, message, raw), so a
 * changed boundary, a swapped class or an emptied message fails here.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, DuplicateOrderError, ThaiPayError } from '../../src/core/errors';
import { readThbEnvelope } from '../../src/thb-collect/envelope';
import {
  classifyThbRefusal,
  type EnvelopeContext,
  isThbOrderNotFound,
  THB_ERROR_TABLE,
} from '../../src/thb-collect/errors';

const SECRET = 'SECRET-KEY-123';

/** What `readThbEnvelope` makes of an answer: `{ data }`, or the whole error as plain data. */
function read(status: number, body: unknown, context: Partial<EnvelopeContext> = {}): unknown {
  const full: EnvelopeContext = { path: '/p', operation: 'read', secrets: [SECRET], ...context };
  try {
    return { data: readThbEnvelope({ status, headers: new Headers(), body, attempts: 1 }, full) };
  } catch (error) {
    if (!(error instanceof ThaiPayError)) throw error;
    return {
      name: error.name,
      code: error.code,
      status: error.status,
      providerCode: error.providerCode,
      orderId: error instanceof DuplicateOrderError ? error.orderId : undefined,
      message: error.message,
      raw: error.raw,
    };
  }
}

const err = (msg: unknown, error?: unknown) => ({
  status: '0',
  msg,
  ...(error === undefined ? {} : { error }),
});

describe('readThbEnvelope: HTTP statuses before the envelope', () => {
  it('401 is an AuthenticationError, with the scrubbed msg and raw', () => {
    const body = err(`bad ${SECRET}`);
    expect(read(401, body)).toStrictEqual({
      name: 'AuthenticationError',
      code: 'authentication_failed',
      status: 401,
      providerCode: undefined,
      orderId: undefined,
      message: 'THB collect /p refused the credentials (HTTP 401): bad [REDACTED]. Check appId and keys.',
      raw: { status: '0', msg: 'bad [REDACTED]' },
    });
    expect((read(401, 'x') as { message: string }).message).toBe(
      'THB collect /p refused the credentials (HTTP 401). Check appId and keys.',
    );
  });

  it('403 is a PermissionError with the IP advice', () => {
    expect(read(403, null)).toStrictEqual({
      name: 'PermissionError',
      code: 'permission_denied',
      status: 403,
      providerCode: undefined,
      orderId: undefined,
      message: `THB collect /p refused access (HTTP 403). ${THB_ERROR_TABLE['4031']!.advice}`,
      raw: null,
    });
  });

  it('429 is rate_limited, whatever the body', () => {
    expect(read(429, { status: '1', data: {}, msg: 'slow down' })).toStrictEqual({
      name: 'ApiError',
      code: 'rate_limited',
      status: 429,
      providerCode: undefined,
      orderId: undefined,
      message: 'THB collect /p is rate limiting (HTTP 429): slow down',
      raw: { status: '1', data: {}, msg: 'slow down' },
    });
  });

  it('500 and above are api errors even with a success envelope; 499 is read as an envelope', () => {
    for (const status of [500, 503]) {
      expect(read(status, { status: '1', data: { a: 1 } })).toStrictEqual({
        name: 'ApiError',
        code: 'api_error',
        status,
        providerCode: undefined,
        orderId: undefined,
        message: `THB collect /p answered HTTP ${status}`,
        raw: { status: '1', data: { a: 1 } },
      });
    }
    expect(read(499, { status: '1', data: { a: 1 } })).toStrictEqual({
      name: 'ApiError',
      code: 'invalid_response',
      status: 499,
      providerCode: undefined,
      orderId: undefined,
      message: 'THB collect /p answered HTTP 499 with a success envelope',
      raw: { status: '1', data: { a: 1 } },
    });
  });
});

describe('readThbEnvelope: the envelope', () => {
  it('returns data on 200 to 299 only, with "1" or 1', () => {
    expect(read(200, { status: '1', data: { a: 1 } })).toStrictEqual({ data: { a: 1 } });
    expect(read(299, { status: 1, data: 'x' })).toStrictEqual({ data: 'x' });
    expect(read(200, { status: '1', data: 0 })).toStrictEqual({ data: 0 });
    expect(read(200, { status: '1', data: false })).toStrictEqual({ data: false });
    for (const status of [199, 300]) {
      expect((read(status, { status: '1', data: {} }) as { code: string }).code).toBe('invalid_response');
    }
  });

  it('a success without data proves nothing on a create, and is an invalid response elsewhere', () => {
    expect(read(200, { status: '1', data: null }, { operation: 'create', orderId: 'M1' })).toStrictEqual({
      name: 'ApiError',
      code: 'ambiguous_response',
      status: 200,
      providerCode: undefined,
      orderId: undefined,
      message:
        'THB collect /p answered HTTP 200 with status "1" without data; the order may have been created: it is reconciled by orderId.',
      raw: { status: '1', data: null },
    });
    expect(read(200, { status: '1' }, { operation: 'query' })).toStrictEqual({
      name: 'ApiError',
      code: 'invalid_response',
      status: 200,
      providerCode: undefined,
      orderId: undefined,
      message: 'THB collect /p answered HTTP 200 with status "1" without data',
      raw: { status: '1' },
    });
  });

  it('a body that is not an envelope: ambiguous on a 2xx create, invalid otherwise', () => {
    for (const body of [[], 'ok', null, { status: '2' }, { status: true }, { status: 'ok' }, { msg: 'x' }]) {
      expect((read(201, body, { operation: 'create' }) as { code: string }).code).toBe('ambiguous_response');
      expect((read(201, body, { operation: 'query' }) as { code: string }).code).toBe('invalid_response');
      expect((read(400, body, { operation: 'create' }) as { code: string }).code).toBe('invalid_response');
    }
    expect((read(400, [], { operation: 'create' }) as { message: string }).message).toBe(
      'THB collect /p answered HTTP 400 with a body that is not a THB collect envelope',
    );
  });

  it('status "0" and 0 are refusals, on any status below 500', () => {
    for (const status of ['0', 0]) {
      expect(read(200, { status, msg: 'nope' })).toStrictEqual({
        name: 'ApiError',
        code: 'api_error',
        status: 200,
        providerCode: undefined,
        orderId: undefined,
        message: 'THB collect refused /p: nope',
        raw: { status, msg: 'nope' },
      });
    }
    expect((read(400, err('')) as { message: string }).message).toBe('THB collect refused /p: no message');
    expect((read(200, err(12)) as { message: string }).message).toBe('THB collect refused /p: 12');
  });
});

describe('readThbEnvelope: the error table', () => {
  it('4005 is a DuplicateOrderError naming the order, the code and the advice', () => {
    expect(read(200, err('dup', '4005'), { operation: 'create', orderId: 'M1' })).toStrictEqual({
      name: 'DuplicateOrderError',
      code: 'duplicate_order',
      status: 200,
      providerCode: '4005',
      orderId: 'M1',
      message:
        'THB collect already has an order with orderId "M1" (error 4005): dup. This orderId was already used: query it.',
      raw: { status: '0', msg: 'dup', error: '4005' },
    });
    expect(
      (read(200, err('dup', 4005), { operation: 'create' }) as { orderId: unknown }).orderId,
    ).toBeUndefined();
  });

  it('reads "4005", 4005 and "00004005" as the same code, but not longer or non-digit codes', () => {
    expect((read(200, err('x', 4005)) as { code: string }).code).toBe('duplicate_order');
    expect((read(200, err('x', '00004005')) as { code: string }).code).toBe('duplicate_order');
    expect((read(200, err('x', '4005a')) as { code: string }).code).toBe('api_error');
    expect((read(200, err('x', ' 4005')) as { code: string }).code).toBe('api_error');
    expect((read(200, err('x', '0000000004005')) as { code: string }).code).toBe('api_error');
    expect((read(200, err('x', '000000004005')) as { code: string }).code).toBe('duplicate_order');
    expect((read(200, err('x', 'toString')) as { code: string }).code).toBe('api_error');
  });

  it('4011 authentication, 4012 and 4031 permission, with the table code and advice', () => {
    expect(read(200, err('no app', '4011'))).toStrictEqual({
      name: 'AuthenticationError',
      code: 'app_id_not_found',
      status: 200,
      providerCode: '4011',
      orderId: undefined,
      message: `THB collect refused /p (error 4011): no app. ${THB_ERROR_TABLE['4011']!.advice}`,
      raw: { status: '0', msg: 'no app', error: '4011' },
    });
    expect(read(200, err('', '4012'))).toStrictEqual({
      name: 'PermissionError',
      code: 'product_unavailable',
      status: 200,
      providerCode: '4012',
      orderId: undefined,
      message: `THB collect refused /p (error 4012): no message. ${THB_ERROR_TABLE['4012']!.advice}`,
      raw: { status: '0', msg: '', error: '4012' },
    });
    expect((read(200, err('ip', '4031')) as { name: string; code: string }).code).toBe('ip_not_allowed');
  });

  it('4013 names the order when there is one', () => {
    expect(read(200, err('none', '4013'), { operation: 'query', orderId: 'M9' })).toStrictEqual({
      name: 'ApiError',
      code: 'order_not_found',
      status: 200,
      providerCode: '4013',
      orderId: undefined,
      message: 'THB collect has no order with orderId "M9" (error 4013): none',
      raw: { status: '0', msg: 'none', error: '4013' },
    });
    expect((read(200, err('none', '4013'), { operation: 'query' }) as { message: string }).message).toBe(
      'THB collect refused /p (error 4013): none. No such order.',
    );
  });

  it('1002 is a SignatureError only when msg speaks of the signature', () => {
    expect(read(200, err('Illegal sign', '1002'))).toStrictEqual({
      name: 'SignatureError',
      code: 'signature_refused',
      status: 200,
      providerCode: '1002',
      orderId: undefined,
      message:
        'THB collect refused the request signature: Illegal sign (error 1002). Check privateKey and secretKey, and that the public key registered with the provider matches privateKey.',
      raw: { status: '0', msg: 'Illegal sign', error: '1002' },
    });
    expect((read(200, err('Illegal Param', '1002')) as { code: string }).code).toBe('invalid_parameter');
    // A signature msg on another table code keeps the table's class.
    expect((read(200, err('sign error', '1001')) as { code: string }).code).toBe('missing_parameter');
  });

  it('1003 and 1004 are provider_busy, whatever the operation', () => {
    for (const code of ['1003', '1004']) {
      expect((read(200, err('busy', code), { operation: 'create' }) as { code: string }).code).toBe(
        'provider_busy',
      );
    }
  });
});

describe('readThbEnvelope: codes the table does not know', () => {
  it('a duplicate msg on a create is a DuplicateOrderError', () => {
    expect(read(200, err('Duplicate order', '9999'), { operation: 'create', orderId: 'M2' })).toStrictEqual({
      name: 'DuplicateOrderError',
      code: 'duplicate_order',
      status: 200,
      providerCode: '9999',
      orderId: 'M2',
      message: 'THB collect already has an order with orderId "M2": Duplicate order (error 9999)',
      raw: { status: '0', msg: 'Duplicate order', error: '9999' },
    });
    expect(
      (read(200, err('Duplicate order'), { operation: 'create' }) as { orderId: unknown }).orderId,
    ).toBeUndefined();
  });

  it('a not-found msg on a query is order_not_found', () => {
    expect(read(200, err('order not found'), { operation: 'query', orderId: 'M3' })).toStrictEqual({
      name: 'ApiError',
      code: 'order_not_found',
      status: 200,
      providerCode: undefined,
      orderId: undefined,
      message: 'THB collect has no order with orderId "M3": order not found',
      raw: { status: '0', msg: 'order not found' },
    });
  });

  it('a signature msg is a SignatureError; anything else a plain refusal with the code', () => {
    expect((read(200, err('sign error', 'E1')) as { message: string }).message).toBe(
      'THB collect refused the request signature: sign error (error E1). Check privateKey and secretKey, and that the public key registered with the provider matches privateKey.',
    );
    expect(read(200, err(`boom ${SECRET}`, `E${SECRET}`))).toStrictEqual({
      name: 'ApiError',
      code: 'api_error',
      status: 200,
      providerCode: 'E[REDACTED]',
      orderId: undefined,
      message: 'THB collect refused /p: boom [REDACTED] (error E[REDACTED])',
      raw: { status: '0', msg: 'boom [REDACTED]', error: 'E[REDACTED]' },
    });
  });
});

describe('classifyThbRefusal: which operation each rule applies to', () => {
  it('not-found only on queries, duplicate only on creates, and not-found wins on a create', () => {
    expect(classifyThbRefusal('order not found', 'read')).toBe('other');
    expect(classifyThbRefusal('order not found', 'create')).toBe('other');
    expect(classifyThbRefusal('Duplicate order', 'query')).toBe('other');
    expect(classifyThbRefusal('Duplicate order', 'read')).toBe('other');
    expect(classifyThbRefusal('duplicate check: order not found', 'create')).toBe('other');
    expect(classifyThbRefusal('merchant order not found', 'query')).toBe('other');
    expect(classifyThbRefusal('sign error', 'query')).toBe('signature');
    expect(classifyThbRefusal('sign error', 'read')).toBe('signature');
  });
});

describe('isThbOrderNotFound', () => {
  it('is true for an ApiError with code order_not_found only', () => {
    expect(isThbOrderNotFound(new ApiError('x', { code: 'order_not_found' }))).toBe(true);
    expect(isThbOrderNotFound(new ApiError('x', { code: 'api_error' }))).toBe(false);
    expect(isThbOrderNotFound({ code: 'order_not_found' })).toBe(false);
  });
});

describe('readThbEnvelope: the remaining edges', () => {
  it('a body with data but no known status is never a success', () => {
    for (const body of [{ status: '2', data: { a: 1 } }, { data: { a: 1 } }]) {
      expect((read(200, body, { operation: 'query' }) as { code: string }).code).toBe('invalid_response');
    }
  });

  it('a null msg and a null error say nothing', () => {
    expect(read(200, { status: '0', msg: null, error: null })).toStrictEqual({
      name: 'ApiError',
      code: 'api_error',
      status: 200,
      providerCode: undefined,
      orderId: undefined,
      message: 'THB collect refused /p: no message',
      raw: { status: '0', msg: null, error: null },
    });
  });

  it('only 4013 names the order as missing; other table codes keep the table message', () => {
    expect(
      (read(200, err('missing', '1001'), { operation: 'query', orderId: 'M1' }) as { message: string })
        .message,
    ).toBe('THB collect refused /p (error 1001): missing. A required field was empty.');
  });
});

describe('THB_ERROR_TABLE', () => {
  it('maps each documented code to its class and code (api_description_guide.mdx, "Error Codes")', () => {
    expect(
      Object.fromEntries(
        Object.entries(THB_ERROR_TABLE).map(([code, entry]) => [code, `${entry.kind}:${entry.code}`]),
      ),
    ).toStrictEqual({
      '1001': 'api:missing_parameter',
      '1002': 'api:invalid_parameter',
      '1003': 'api:provider_busy',
      '1004': 'api:provider_busy',
      '4005': 'duplicate:duplicate_order',
      '4011': 'authentication:app_id_not_found',
      '4012': 'permission:product_unavailable',
      '4013': 'api:order_not_found',
      '4014': 'api:order_already_final',
      '4015': 'api:no_collect_account',
      '4016': 'api:insufficient_balance',
      '4031': 'permission:ip_not_allowed',
      '5012': 'api:channel_unavailable',
    });
    for (const [code, entry] of Object.entries(THB_ERROR_TABLE)) {
      expect(entry.advice.length > 10, code).toBe(true);
    }
  });
});
