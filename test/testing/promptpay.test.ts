import { parse } from 'promptparse';
import { anyId } from 'promptparse/generate';
import { describe, expect, it } from 'vitest';
import { buildPromptPayPayload, crc16CcittFalse } from '../../src/testing/promptpay';

describe('PromptPay payloads', () => {
  it('computes CRC-16/CCITT-FALSE', () => {
    expect(crc16CcittFalse('123456789')).toBe('29B1');
    expect(crc16CcittFalse('')).toBe('FFFF');
  });

  it('builds a payload promptparse reads back, with amount and valid CRC', () => {
    const payload = buildPromptPayPayload({ type: 'mobile', value: '0812345678' }, 100050);
    const qr = parse(payload)!;
    expect(qr.validate('63')).toBe(true);
    expect(qr.getTagValue('00')).toBe('01');
    expect(qr.getTagValue('01')).toBe('12');
    expect(qr.getTagValue('29', '00')).toBe('A000000677010111');
    expect(qr.getTagValue('29', '01')).toBe('0066812345678');
    expect(qr.getTagValue('53')).toBe('764');
    expect(qr.getTagValue('54')).toBe('1000.50');
    expect(qr.getTagValue('58')).toBe('TH');
    expect(payload).toContain('5303764');
    expect(payload).toContain('5802TH');
    expect(payload.slice(-8, -4)).toBe('6304');
  });

  it('carries the same fields as promptparse anyId (tag order aside)', () => {
    const ours = parse(buildPromptPayPayload({ type: 'mobile', value: '0812345678' }, 30000))!;
    const theirs = parse(anyId({ type: 'MSISDN', target: '0812345678', amount: 300 }))!;
    for (const tag of ['00', '01', '53', '54', '58'])
      expect(ours.getTagValue(tag)).toBe(theirs.getTagValue(tag));
    expect(ours.getTagValue('29', '01')).toBe(theirs.getTagValue('29', '01'));
  });

  it('makes a static QR without amount', () => {
    const qr = parse(buildPromptPayPayload({ type: 'nationalId', value: '1234567890123' }))!;
    expect(qr.validate('63')).toBe(true);
    expect(qr.getTagValue('01')).toBe('11');
    expect(qr.getTagValue('54')).toBeUndefined();
    expect(qr.getTagValue('29', '02')).toBe('1234567890123');
  });
});
