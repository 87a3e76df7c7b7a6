import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import { buildPromptPayPayload, parsePromptPayPayload } from '../../src/qr';
import { crc16, promptPayMobile } from './emv-fixtures';

/** What a payer's app reads from a payload; tag order and the CRC value aside. */
function meaning(payload: string) {
  const { tags: _tags, crc: _crc, expectedCrc: _expected, ...rest } = parsePromptPayPayload(payload);
  return rest;
}

describe('buildPromptPayPayload', () => {
  it('builds the same mobile QR as the hand-written fixture, in the 0066 form', () => {
    const payload = buildPromptPayPayload({
      target: { type: 'mobile', value: '0812345678' },
      amount: '300.00',
    });
    expect(meaning(payload)).toEqual(meaning(promptPayMobile('0066812345678', '300.00')));
    expect(payload).toContain('01130066812345678');
    expect(crc16(payload.slice(0, -4))).toBe(payload.slice(-4));
  });

  it('builds a static QR without an amount, and accepts other ways of writing the number', () => {
    expect(meaning(buildPromptPayPayload({ target: { type: 'mobile', value: '+66 81 234 5678' } }))).toEqual(
      meaning(promptPayMobile('0066812345678')),
    );
    const built = buildPromptPayPayload({
      target: { type: 'mobile', value: '081-234-5678' },
      amountSatang: 30000,
    });
    expect(meaning(built)).toEqual(meaning(promptPayMobile('0066812345678', '300.00')));
    expect(meaning(built)).toMatchObject({ valid: true, amountSatang: 30000, pointOfInitiation: 'dynamic' });
  });

  it('writes amounts exactly', () => {
    for (const [amount, satang] of [
      ['0.01', 1],
      ['19.99', 1999],
      ['1234.5', 123450],
      [0.29, 29],
    ] as const) {
      const qr = parsePromptPayPayload(
        buildPromptPayPayload({ target: { type: 'mobile', value: '0812345678' }, amount }),
      );
      expect(qr.amountSatang).toBe(satang);
      expect(qr.pointOfInitiation).toBe('dynamic');
    }
  });

  it('builds national id, e-wallet and bill payment QRs that read back', () => {
    const nat = parsePromptPayPayload(
      buildPromptPayPayload({ target: { type: 'nationalId', value: '1234567890123' } }),
    );
    expect(nat.target).toMatchObject({ type: 'nationalId', value: '1234567890123' });
    expect(nat.pointOfInitiation).toBe('static');

    const wallet = parsePromptPayPayload(
      buildPromptPayPayload({ target: { type: 'eWallet', value: '140000812345678' }, amountSatang: 5000 }),
    );
    expect(wallet.target).toMatchObject({ type: 'eWallet', value: '140000812345678' });

    const bill = parsePromptPayPayload(
      buildPromptPayPayload({
        target: { type: 'billerId', value: '010555123456701', ref1: 'INV42', ref2: 'X1' },
        amount: '99.50',
      }),
    );
    expect(bill.valid).toBe(true);
    expect(bill.target).toMatchObject({
      type: 'billerId',
      value: '010555123456701',
      ref1: 'INV42',
      ref2: 'X1',
    });
    expect(bill.amountSatang).toBe(9950);
  });

  it('refuses bad targets and amounts', () => {
    const mobile = { type: 'mobile', value: '0812345678' } as const;
    const cases: [unknown, string][] = [
      [{ target: { type: 'mobile', value: '12345' } }, 'target.value'],
      [{ target: { type: 'nationalId', value: '123' } }, 'target.value'],
      [{ target: { type: 'eWallet', value: 'abc' } }, 'target.value'],
      [{ target: { type: 'billerId', value: '010555123456701', ref1: 'lower case' } }, 'target.ref1'],
      [{ target: { type: 'iban', value: 'x' } }, 'target.type'],
      [{}, 'target'],
      [{ target: mobile, amount: '0' }, 'amount'],
      [{ target: mobile, amount: '1.005' }, 'amount'],
      [{ target: mobile, amount: '10000000000.00' }, 'amount'],
      [{ target: mobile, amountSatang: 1.5 }, 'amountSatang'],
      [{ target: mobile, amount: '1', amountSatang: 100 }, 'amount'],
    ];
    for (const [input, field] of cases) {
      let caught: unknown;
      try {
        buildPromptPayPayload(input as Parameters<typeof buildPromptPayPayload>[0]);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(input)).toBeInstanceOf(InvalidRequestError);
      expect((caught as InvalidRequestError).issues[0]?.field).toBe(field);
    }
  });
});
