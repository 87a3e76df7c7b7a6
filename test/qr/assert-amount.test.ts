import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import { assertQrAmount, parsePromptPayPayload } from '../../src/qr';
import { promptPayMobile, tamperCrc, tlv, withCrc } from './emv-fixtures';

function refusal(run: () => void): InvalidRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error('expected an InvalidRequestError, nothing was thrown');
}

describe('assertQrAmount', () => {
  const qr300 = promptPayMobile('0066812345678', '300.00');

  it('accepts the right amount given in satang or as a baht string', () => {
    expect(() => assertQrAmount(qr300, { satang: 30000 })).not.toThrow();
    expect(() => assertQrAmount(qr300, '300.00')).not.toThrow();
    expect(() => assertQrAmount(qr300, '300')).not.toThrow();
    expect(() => assertQrAmount(parsePromptPayPayload(qr300), 300)).not.toThrow();
    expect(() => assertQrAmount(promptPayMobile('0066812345678', '19.99'), '19.99')).not.toThrow();
  });

  it('refuses a different amount, even by one satang', () => {
    const error = refusal(() => assertQrAmount(qr300, { satang: 30001 }));
    expect(error.issues).toEqual([{ field: 'payload', rule: 'asks for 300.00 THB, expected 300.01 THB' }]);
    expect(() => assertQrAmount(qr300, '299.99')).toThrow(InvalidRequestError);
    expect(() => assertQrAmount(qr300, 3)).toThrow(InvalidRequestError); // a number is baht, as in parseAmount
    expect(() => assertQrAmount(qr300, 300)).not.toThrow();
  });

  it('refuses a bad CRC even when the amount matches', () => {
    const error = refusal(() => assertQrAmount(tamperCrc(qr300), 300));
    expect(error.issues[0]?.field).toBe('payload');
    expect(error.issues[0]?.rule).toContain('CRC');
  });

  it('refuses a static QR (no amount) and a foreign currency', () => {
    expect(
      refusal(() => assertQrAmount(promptPayMobile('0066812345678'), '300.00')).issues[0]?.rule,
    ).toContain('no amount');
    const usd = withCrc(
      tlv('00', '01') + tlv('01', '12') + tlv('53', '840') + tlv('54', '300.00') + tlv('58', 'US'),
    );
    expect(refusal(() => assertQrAmount(usd, '300.00')).issues[0]?.rule).toContain('USD');
  });

  it('refuses garbage payloads and malformed expectations', () => {
    expect(() => assertQrAmount('not a qr', '300.00')).toThrow(InvalidRequestError);
    expect(refusal(() => assertQrAmount(qr300, 300.001)).issues[0]?.field).toBe('expected');
    expect(refusal(() => assertQrAmount(qr300, '300.001')).issues[0]?.field).toBe('expected');
    expect(refusal(() => assertQrAmount(qr300, -'300.00')).issues[0]?.field).toBe('expected');
  });
});
