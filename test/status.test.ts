import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromJwtGatewayStatus,
  fromThbCollectionStatus,
  fromThbPayoutStatus,
  isFinalStatus,
  isPaymentStatus,
  PAYMENT_STATUSES,
  type PaymentStatus,
} from '../src/status';

describe('PAYMENT_STATUSES', () => {
  it('lists the eight unified statuses once each', () => {
    expect([...PAYMENT_STATUSES]).toEqual([
      'pending',
      'processing',
      'succeeded',
      'failed',
      'expired',
      'partially_paid',
      'overpaid',
      'needs_review',
    ]);
    expect(Object.isFrozen(PAYMENT_STATUSES)).toBe(true);
  });

  it('isPaymentStatus recognises exactly those', () => {
    for (const status of PAYMENT_STATUSES) expect(isPaymentStatus(status)).toBe(true);
    for (const other of ['completed', 'SUCCEEDED', '', 'success', 2, null, undefined, {}]) {
      expect(isPaymentStatus(other)).toBe(false);
    }
  });
});

describe('isFinalStatus', () => {
  it.each([
    ['pending', false],
    ['processing', false],
    ['succeeded', true],
    ['failed', true],
    ['expired', true],
    ['partially_paid', true],
    ['overpaid', true],
    ['needs_review', false],
  ] as [PaymentStatus, boolean][])('%s → %s', (status, final) => {
    expect(isFinalStatus(status)).toBe(final);
  });
});

describe('fromThbCollectionStatus', () => {
  it.each([
    [0, 'pending'],
    [1, 'processing'],
    [2, 'succeeded'],
    [3, 'failed'],
    [4, 'partially_paid'],
    [5, 'overpaid'],
    [-1, 'needs_review'],
  ] as [number, PaymentStatus][])('maps %i to %s, as a number or as text', (code, status) => {
    expect(fromThbCollectionStatus(code)).toBe(status);
    expect(fromThbCollectionStatus(String(code))).toBe(status);
  });

  it.each([6, -2, 99, 2.5, Number.NaN, '02', ' 2', '2 ', '2.0', 'succeeded', '', 'constructor'])(
    'sends the unknown %o to needs_review',
    (code) => {
      expect(fromThbCollectionStatus(code)).toBe('needs_review');
    },
  );

  it('never reports success for anything but 2', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.string()), (code) => {
        fc.pre(code !== 2 && code !== '2');
        expect(fromThbCollectionStatus(code)).not.toBe('succeeded');
      }),
    );
  });
});

describe('fromThbPayoutStatus', () => {
  it.each([
    [0, 'pending'],
    [1, 'processing'],
    [2, 'succeeded'],
    [3, 'failed'],
    [-1, 'needs_review'],
  ] as [number, PaymentStatus][])('maps %i to %s, as a number or as text', (code, status) => {
    expect(fromThbPayoutStatus(code)).toBe(status);
    expect(fromThbPayoutStatus(String(code))).toBe(status);
  });

  it('has no partial or over payment: 4 and 5 need review', () => {
    expect(fromThbPayoutStatus(4)).toBe('needs_review');
    expect(fromThbPayoutStatus(5)).toBe('needs_review');
  });

  it('never reports success for anything but 2', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.string()), (code) => {
        fc.pre(code !== 2 && code !== '2');
        expect(fromThbPayoutStatus(code)).not.toBe('succeeded');
      }),
    );
  });
});

describe('fromJwtGatewayStatus', () => {
  it.each([
    ['pending', 'pending'],
    ['completed', 'succeeded'],
    ['failed', 'failed'],
    ['expired', 'expired'],
  ] as [string, PaymentStatus][])('maps %s to %s', (status, unified) => {
    expect(fromJwtGatewayStatus(status)).toBe(unified);
  });

  it.each([
    'success',
    'successful',
    'processing',
    'COMPLETED',
    ' completed',
    'succeeded',
    '',
    'constructor',
    '__proto__',
  ])('is strict: %j needs review', (status) => {
    expect(fromJwtGatewayStatus(status)).toBe('needs_review');
  });

  it('needs review for non-strings', () => {
    expect(fromJwtGatewayStatus(undefined as unknown as string)).toBe('needs_review');
    expect(fromJwtGatewayStatus(2 as unknown as string)).toBe('needs_review');
  });

  it('only "completed" means succeeded', () => {
    fc.assert(
      fc.property(fc.string(), (status) => {
        fc.pre(status !== 'completed');
        expect(fromJwtGatewayStatus(status)).not.toBe('succeeded');
      }),
    );
  });
});
