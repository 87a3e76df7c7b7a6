import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import { formatThailandTime, parseThailandTime, toDate, unixSeconds } from '../../src/core/time';

describe('unixSeconds', () => {
  it('floors milliseconds', () => {
    expect(unixSeconds(new Date('2022-01-01T00:00:00.999Z'))).toBe(1_640_995_200);
    expect(unixSeconds(1_640_995_200_999)).toBe(1_640_995_200);
    expect(unixSeconds(-1)).toBe(-1);
    expect(unixSeconds(-1500)).toBe(-2);
    expect(unixSeconds(0)).toBe(0);
  });

  it('uses the current time by default', () => {
    const before = Math.floor(Date.now() / 1000);
    const now = unixSeconds();
    const after = Math.floor(Date.now() / 1000);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
    expect(Number.isInteger(now)).toBe(true);
  });

  it('refuses an invalid time', () => {
    expect(() => unixSeconds(new Date('nope'))).toThrow(InvalidRequestError);
    expect(() => unixSeconds(Number.NaN)).toThrow(InvalidRequestError);
  });
});

describe('toDate', () => {
  it('accepts milliseconds or a Date and copies it', () => {
    const date = new Date('2024-01-01T12:00:00.000Z');
    const copy = toDate(date);
    expect(copy).not.toBe(date);
    expect(copy.getTime()).toBe(date.getTime());
    expect(toDate(1_700_000_000_000).toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(toDate()).toBeInstanceOf(Date);
  });

  it('refuses what is not a time, naming the field', () => {
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      9e15,
      new Date(Number.NaN),
      '2024' as unknown as number,
    ]) {
      try {
        toDate(bad, 'options.now');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as InvalidRequestError).issues[0]?.field).toBe('options.now');
      }
    }
  });
});

describe('formatThailandTime / parseThailandTime', () => {
  it.each([
    ['2024-03-01 23:59:59', '2024-03-01T16:59:59.000Z'],
    ['2024-03-02 06:59:59', '2024-03-01T23:59:59.000Z'],
    ['2024-03-02 07:00:00', '2024-03-02T00:00:00.000Z'],
    ['1970-01-01 07:00:00', '1970-01-01T00:00:00.000Z'],
    ['2024-01-01 00:00:00', '2023-12-31T17:00:00.000Z'],
    ['2024-02-29 12:00:00', '2024-02-29T05:00:00.000Z'],
    ['2000-02-29 03:30:00', '2000-02-28T20:30:00.000Z'],
    ['0050-06-15 10:00:00', '0050-06-15T03:00:00.000Z'],
    ['0099-12-31 23:59:59', '0099-12-31T16:59:59.000Z'],
    ['0100-01-01 06:59:59', '0099-12-31T23:59:59.000Z'],
    ['0100-01-01 07:00:00', '0100-01-01T00:00:00.000Z'],
    ['9999-12-31 23:59:59', '9999-12-31T16:59:59.000Z'],
  ])('Thailand %s is %s', (thai, iso) => {
    expect(parseThailandTime(thai).toISOString()).toBe(iso);
    expect(formatThailandTime(new Date(iso))).toBe(thai);
  });

  it('drops milliseconds when formatting and accepts milliseconds since the epoch', () => {
    expect(formatThailandTime(new Date('2024-03-01T16:59:59.999Z'))).toBe('2024-03-01 23:59:59');
    expect(formatThailandTime(0)).toBe('1970-01-01 07:00:00');
  });

  it('round-trips every second of the years 0000-9999 (Thailand time)', () => {
    const min = Date.parse('0000-01-01T00:00:00Z') - 7 * 3600_000;
    const max = Date.parse('9999-12-31T23:59:59Z') - 7 * 3600_000;
    fc.assert(
      fc.property(fc.integer({ min: Math.ceil(min / 1000), max: Math.floor(max / 1000) }), (seconds) => {
        const date = new Date(seconds * 1000);
        const text = formatThailandTime(date);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        expect(parseThailandTime(text).getTime()).toBe(date.getTime());
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips text to Date to text', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z') }),
        (d) => {
          fc.pre(!Number.isNaN(d.getTime()));
          const text = formatThailandTime(d);
          expect(formatThailandTime(parseThailandTime(text))).toBe(text);
        },
      ),
    );
  });

  it('refuses years a four-digit year cannot show', () => {
    expect(() => formatThailandTime(new Date('+010000-01-01T00:00:00Z'))).toThrow(InvalidRequestError);
    expect(() => formatThailandTime(new Date('-000001-12-31T16:00:00Z'))).toThrow(InvalidRequestError);
    expect(formatThailandTime(new Date('-000001-12-31T17:00:00Z'))).toBe('0000-01-01 00:00:00');
  });

  it.each([
    ['2024-02-30 00:00:00', 'no February 30'],
    ['2023-02-29 00:00:00', 'not a leap year'],
    ['1900-02-29 00:00:00', 'century, not a leap year'],
    ['2024-04-31 00:00:00', 'April has 30 days'],
    ['2024-13-01 00:00:00', 'month 13'],
    ['2024-00-10 00:00:00', 'month 0'],
    ['2024-01-00 00:00:00', 'day 0'],
    ['2024-01-32 00:00:00', 'day 32'],
    ['2024-01-01 24:00:00', 'hour 24'],
    ['2024-01-01 23:60:00', 'minute 60'],
    ['2024-01-01 23:59:60', 'leap second'],
    ['2024-01-01T00:00:00', 'ISO T separator'],
    ['2024-01-01 00:00:00Z', 'zone suffix'],
    ['2024-01-01 00:00:00.000', 'milliseconds'],
    ['2024-1-01 00:00:00', 'one-digit month'],
    ['24-01-01 00:00:00', 'two-digit year'],
    [' 2024-01-01 00:00:00', 'leading space'],
    ['2024-01-01 00:00:00\n', 'trailing newline'],
    ['2024-01-01  00:00:00', 'two spaces'],
    ['2024/01/01 00:00:00', 'slashes'],
    ['', 'empty'],
    ['๒๐๒๔-๐๑-๐๑ ๐๐:๐๐:๐๐', 'Thai digits'],
  ])('refuses %j (%s), naming the field', (text) => {
    try {
      parseThailandTime(text, 'payTime');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRequestError);
      const issue = (error as InvalidRequestError).issues[0];
      expect(issue?.field).toBe('payTime');
      expect(issue?.rule).toContain('yyyy-MM-dd HH:mm:ss');
    }
  });

  it('refuses non-strings', () => {
    expect(() => parseThailandTime(undefined as unknown as string)).toThrow(InvalidRequestError);
    expect(() => parseThailandTime(1_700_000_000 as unknown as string)).toThrow(InvalidRequestError);
  });

  it('defaults the field name to "time"', () => {
    expect(() => parseThailandTime('nope')).toThrow('time: must be a Thailand time');
  });
});
