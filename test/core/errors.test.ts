import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  DuplicateOrderError,
  InvalidRequestError,
  OrderStatusUnknownError,
  PermissionError,
  ResponseVerificationError,
  SignatureError,
  ThaiPayError,
  TimeoutError,
  WebhookVerificationError,
} from '../../src/core/errors';
import { redactDeep, redactSecrets } from '../../src/core/redact';

const classes = [
  [InvalidRequestError, 'invalid_request'],
  [AuthenticationError, 'authentication_failed'],
  [PermissionError, 'permission_denied'],
  [SignatureError, 'signature_refused'],
  [DuplicateOrderError, 'duplicate_order'],
  [ApiError, 'api_error'],
  [ConnectionError, 'connection_error'],
  [TimeoutError, 'timeout'],
  [ResponseVerificationError, 'response_verification_failed'],
  [WebhookVerificationError, 'webhook_verification_failed'],
] as const;

describe('error hierarchy', () => {
  it.each(classes)('%o is a ThaiPayError with its own name and code', (Cls, code) => {
    const error =
      Cls === InvalidRequestError
        ? InvalidRequestError.field('amount', 'must be > 0')
        : new (Cls as new (message: string) => ThaiPayError)('boom');
    expect(error).toBeInstanceOf(ThaiPayError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(Cls.name);
    expect(error.code).toBe(code);
  });

  it('InvalidRequestError names each field and rule', () => {
    const error = new InvalidRequestError([
      { field: 'amount', rule: 'must be positive' },
      { field: 'orderId', rule: 'at most 48 characters' },
    ]);
    expect(error.message).toContain('amount: must be positive');
    expect(error.message).toContain('orderId: at most 48 characters');
    expect(error.toJSON().issues).toEqual(error.issues);
  });

  it('carries status, raw and extra fields in JSON', () => {
    const error = new ApiError('Internal server error', {
      status: 500,
      raw: { code: 500 },
      providerCode: 'E1',
    });
    expect(error.toJSON()).toEqual({
      name: 'ApiError',
      code: 'api_error',
      message: 'Internal server error',
      status: 500,
      raw: { code: 500 },
      providerCode: 'E1',
    });
    const unknown = new OrderStatusUnknownError('lost', { orderId: 'T-1' });
    expect(unknown.orderId).toBe('T-1');
    expect(JSON.parse(JSON.stringify(unknown)).orderId).toBe('T-1');
  });

  it('util.inspect shows the safe fields and never the cause', () => {
    const secret = 'sk_live_super_secret_value';
    const error = new ConnectionError('socket hang up', { cause: new Error(`failed with ${secret}`) });
    const shown = inspect(error);
    expect(shown).toContain('ConnectionError: socket hang up');
    expect(shown).toContain('connection_error');
    expect(shown).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });
});

describe('redaction', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redactSecrets('key=abcd1234&again=abcd1234', ['abcd1234'])).toBe(
      'key=[REDACTED]&again=[REDACTED]',
    );
    expect(redactSecrets('short ab', ['ab'])).toBe('short ab');
  });

  it('deep-copies without the secrets', () => {
    const input = { a: 'x-secret-x', b: ['secret-1'], c: { d: 5, e: 'secret-1' } };
    const out = redactDeep(input, ['secret-1', 'x-secret-x']);
    expect(out).toEqual({ a: '[REDACTED]', b: ['[REDACTED]'], c: { d: 5, e: '[REDACTED]' } });
    expect(input.a).toBe('x-secret-x');
  });
});
