/**
 * The record, array, enum and boolean checks of src/jwt-gateway/schemas.ts replace zod's own schemas to
 * keep the client bundle small (issue 13). These pin the issues they give to what zod's record, array,
 * enum and boolean gave (the rules were recorded from zod 4.6's schemas before the swap).
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
