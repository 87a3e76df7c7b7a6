import { describe, expect, it } from 'vitest';
import { decodeEmvTags, isWellFormedTlv } from '../../src/qr/tlv';

describe('isWellFormedTlv', () => {
  it('accepts complete data objects that cover the text exactly', () => {
    expect(isWellFormedTlv('000201')).toBe(true);
    expect(isWellFormedTlv('0002015303764')).toBe(true);
    expect(isWellFormedTlv('6200')).toBe(true); // an empty value is still complete
  });

  it('refuses what would make a length-trusting decoder misread or loop', () => {
    expect(isWellFormedTlv('')).toBe(false);
    expect(isWellFormedTlv('0002')).toBe(false); // value missing
    expect(isWellFormedTlv('00020')).toBe(false); // value short
    expect(isWellFormedTlv('0002010')).toBe(false); // trailing half header
    expect(isWellFormedTlv('00-4xx')).toBe(false); // negative length
    expect(isWellFormedTlv('00 2ab')).toBe(false); // padded length
    expect(isWellFormedTlv('0A02ab')).toBe(false); // non-digit id
  });
});

describe('decodeEmvTags', () => {
  it('decodes template sub-tags only for template ids and only when they are TLV themselves', () => {
    expect(decodeEmvTags('000201' + '29080004ABCD' + '5904ABCD' + '62050102X')).toEqual([
      { id: '00', value: '01' },
      { id: '29', value: '0004ABCD', subTags: [{ id: '00', value: 'ABCD' }] },
      { id: '59', value: 'ABCD' },
      { id: '62', value: '0102X' },
    ]);
  });
});
