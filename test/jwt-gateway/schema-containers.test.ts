/**
 * The record, array, enum, boolean, string, number and nullable checks of src/jwt-gateway/schemas.ts replace
 * zod's own schemas to keep the client bundle small (issue 13). These pin the issues they give to what zod's
 * own schemas gave (the rules were recorded from zod 4.6's schemas before each swap, and checked against
 * them).
 */
import { describe, expect, it } from 'vitest';
import { toFieldIssues } from '../../src/core/validation';
import {
  banksDataSchema,
  clientOptionsSchema,
  createDepositSchema,
  depositDataSchema,
  signDataSchema,
} from '../../src/jwt-gateway/schemas';

type Schema = {
  safeParse(
    value: unknown,
  ): { success: true; data: unknown } | { success: false; error: { issues: never[] } };
};

function issuesOf(schema: Schema, value: unknown) {
  const result = schema.safeParse(value);
  return result.success ? { data: result.data } : { issues: toFieldIssues(result.error.issues) };
}

const base = { baseUrl: 'https://x.test', merchantId: 'm', apiKey: 'k' };
const wrong = (field: string) => ({ issues: [{ field, rule: 'is required' }] });

describe('hooks (a record of functions)', () => {
  it.each([5, [], null, new Map()])('refuses %o as the container', (hooks) => {
    expect(issuesOf(clientOptionsSchema as Schema, { ...base, hooks })).toEqual(wrong('hooks'));
  });
  it('names every hook that is not a function', () => {
    expect(issuesOf(clientOptionsSchema as Schema, { ...base, hooks: { a: 'x', b: 1, c: () => 1 } })).toEqual(
      {
        issues: [
          { field: 'hooks.a', rule: 'must be a function (a transport hook)' },
          { field: 'hooks.b', rule: 'must be a function (a transport hook)' },
        ],
      },
    );
  });
  it('accepts functions and undefined', () => {
    const hooks = { onRequest: undefined, onResponse: () => 1 };
    expect(issuesOf(clientOptionsSchema as Schema, { ...base, hooks })).toEqual({ data: { ...base, hooks } });
  });
});

describe('banks (an array of bank objects)', () => {
  it.each([5, undefined, { 0: { code: 'c', name: 'n' } }])('refuses %o as the list', (banks) => {
    expect(issuesOf(banksDataSchema as Schema, { banks })).toEqual(wrong('banks'));
  });
  it('reports each bad item under its index', () => {
    expect(issuesOf(banksDataSchema as Schema, { banks: [5, { code: 1, name: 'n', active: 'y' }] })).toEqual({
      issues: [
        { field: 'banks.0', rule: 'is required' },
        { field: 'banks.1.code', rule: 'is required' },
        { field: 'banks.1.active', rule: 'is required' },
      ],
    });
  });
  it('keeps unknown fields and null name_th', () => {
    const banks = [
      { code: 'c', name: 'n', extra: 1 },
      { code: 'd', name: 'm', name_th: null, active: false },
    ];
    expect(issuesOf(banksDataSchema as Schema, { banks })).toEqual({ data: { banks } });
  });
});

describe('payload and customerData (records of anything)', () => {
  it.each([5, [], null])('refuses %o as payload', (payload) => {
    expect(issuesOf(signDataSchema as Schema, { signature: 's', algorithm: 'a', payload })).toEqual(
      wrong('payload'),
    );
  });
  it('accepts an object payload', () => {
    const data = { signature: 's', algorithm: 'a', payload: { a: 1 } };
    expect(issuesOf(signDataSchema as Schema, data)).toEqual({ data });
  });
  it('customerData may be null but not a list', () => {
    const data = { referenceId: 'r', transactionId: 't', status: 's', amount: 1 };
    expect(issuesOf(depositDataSchema as Schema, { ...data, customerData: null })).toEqual({
      data: { ...data, customerData: null },
    });
    expect(issuesOf(depositDataSchema as Schema, { ...data, customerData: [] })).toEqual(
      wrong('customerData'),
    );
  });
});

describe('deposit type (one of QR, BANK_TRANSFER)', () => {
  const input = {
    transactionId: 't',
    bankAccountNumber: 'b',
    bankName: 'n',
    name: 'n',
    amount: 1,
    callbackUrl: 'https://a.b',
  };
  it.each(['X', 5, undefined])('refuses %o', (type) => {
    expect(issuesOf(createDepositSchema() as Schema, { ...input, type })).toEqual({
      issues: [{ field: 'type', rule: 'must be one of "QR", "BANK_TRANSFER"' }],
    });
  });
  it('accepts QR', () => {
    expect(issuesOf(createDepositSchema() as Schema, { ...input, type: 'QR' })).toEqual({
      data: { ...input, amount: 100, type: 'QR' },
    });
  });
});

describe('strings and numbers (custom type checks in place of zod string, number and nullable)', () => {
  const at = (schema: Schema, value: Record<string, unknown>) => {
    const result = schema.safeParse(value);
    return result.success ? { data: result.data } : { issues: toFieldIssues(result.error.issues, '', value) };
  };
  const KEY_RULE = 'must be a non-empty string (is the environment variable set?)';

  it('a wrong type reads "must be a <type>", an absent one "is required", and no later check runs on it', () => {
    expect(at(clientOptionsSchema as Schema, { baseUrl: 5, merchantId: 7, apiKey: 9 })).toEqual({
      issues: [
        { field: 'baseUrl', rule: 'must be a string' },
        { field: 'merchantId', rule: 'must be a string' },
        { field: 'apiKey', rule: KEY_RULE },
      ],
    });
    expect(at(clientOptionsSchema as Schema, {})).toEqual({
      issues: [
        { field: 'baseUrl', rule: 'is required' },
        { field: 'merchantId', rule: 'is required' },
        { field: 'apiKey', rule: KEY_RULE },
      ],
    });
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, '5', 0, -1, null])(
    'timeoutMs %o is refused with its one rule',
    (timeoutMs) => {
      expect(at(clientOptionsSchema as Schema, { ...base, timeoutMs })).toEqual({
        issues: [{ field: 'timeoutMs', rule: 'must be a finite number of milliseconds, more than 0' }],
      });
    },
  );

  it('numbers on their rules: maxRetries and resendDelayMs', () => {
    expect(at(clientOptionsSchema as Schema, { ...base, maxRetries: 1.5, resendDelayMs: '1' })).toEqual({
      issues: [
        { field: 'maxRetries', rule: 'must be a whole number from 0 to 10' },
        { field: 'resendDelayMs', rule: 'must be a finite number of milliseconds, 0 or more' },
      ],
    });
    expect(at(clientOptionsSchema as Schema, { ...base, maxRetries: 10, resendDelayMs: 0 })).toMatchObject({
      data: { maxRetries: 10, resendDelayMs: 0 },
    });
  });

  it("the gateway's answers: null where the document allows it, a wrong type named", () => {
    const good = { referenceId: 'R1', transactionId: 'T1', status: 'PENDING', amount: 100 };
    expect(at(depositDataSchema as Schema, { ...good, qrcode: null, depositAmount: null })).toEqual({
      data: { ...good, qrcode: null, depositAmount: null },
    });
    expect(
      at(depositDataSchema as Schema, {
        ...good,
        amount: '100',
        referenceId: 5,
        depositAmount: 'x',
        qrcode: 1,
      }),
    ).toEqual({
      issues: [
        { field: 'referenceId', rule: 'must be a string' },
        { field: 'amount', rule: 'must be a number' },
        { field: 'depositAmount', rule: 'must be a number' },
        { field: 'qrcode', rule: 'must be a string' },
      ],
    });
    expect(at(depositDataSchema as Schema, { ...good, amount: null })).toEqual({
      issues: [{ field: 'amount', rule: 'must be a number' }],
    });
  });
});
