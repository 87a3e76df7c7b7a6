/**
 * Time: unix timestamps for signing, and Thailand time (`yyyy-MM-dd HH:mm:ss`, UTC+7) for THB collect.
 *
 * Thailand has used UTC+7 all year since 1920, with no daylight saving, so a fixed offset and the UTC
 * getters are all it takes: no `Intl`, no time zone database, the same result on every runtime.
 */
import { InvalidRequestError } from './errors';

const THAILAND_OFFSET_MS = 25_200_000; // 7 h; a literal, as esbuild keeps an unused product
const THAILAND_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const THAILAND_TIME_RULE = 'must be a Thailand time formatted yyyy-MM-dd HH:mm:ss';

/**
 * A `Date` for "now" or for the given moment.
 *
 * `now` may be milliseconds since the epoch or a `Date` (the form the `now` options of thaipay take, handy
 * in tests); it is copied, never shared.
 *
 * @param field Name of the option, used in the error.
 * @throws {InvalidRequestError} when `now` is not a finite number or a valid `Date`.
 * @example
 * ```ts
 * toDate(); // the current time
 * toDate(1_700_000_000_000).toISOString(); // "2023-11-14T22:13:20.000Z"
 * ```
 */
export function toDate(now?: number | Date, field = 'now'): Date {
  if (now === undefined) return new Date();
  const ms = now instanceof Date ? now.getTime() : typeof now === 'number' ? now : Number.NaN;
  const date = new Date(ms);
  // new Date() turns out-of-range numbers (beyond ±8.64e15 ms) into an invalid date as well.
  if (Number.isNaN(date.getTime())) {
    throw InvalidRequestError.field(
      field,
      'must be a valid Date or a finite number of milliseconds since the epoch',
    );
  }
  return date;
}

/**
 * Whole seconds since the unix epoch, rounded down (what both providers call a unix timestamp).
 *
 * @param date A `Date` or milliseconds since the epoch; the current time when left out.
 * @throws {InvalidRequestError} when `date` is not a valid time.
 * @example
 * ```ts
 * unixSeconds(); // for example 1735689600
 * unixSeconds(new Date('2022-01-01T00:00:00.999Z')); // 1640995200
 * ```
 */
export function unixSeconds(date?: Date | number): number {
  return Math.floor(toDate(date).getTime() / 1000);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Format a moment as Thailand time, `yyyy-MM-dd HH:mm:ss` in UTC+7 (THB collect's `payTime` form).
 * Milliseconds are dropped (rounded down).
 *
 * @throws {InvalidRequestError} when `date` is not a valid time, or falls outside the years 0000–9999 in
 *   Thailand time (four-digit years cannot show it).
 * @example
 * ```ts
 * import { formatThailandTime } from 'thaipay';
 *
 * formatThailandTime(new Date('2024-03-01T16:59:59Z')); // "2024-03-01 23:59:59"
 * ```
 */
export function formatThailandTime(date: Date | number): string {
  const shifted = new Date(toDate(date, 'date').getTime() + THAILAND_OFFSET_MS);
  const year = shifted.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw InvalidRequestError.field('date', 'must fall in the years 0000 to 9999 in Thailand time');
  }
  return (
    `${pad(year, 4)}-${pad(shifted.getUTCMonth() + 1, 2)}-${pad(shifted.getUTCDate(), 2)} ` +
    `${pad(shifted.getUTCHours(), 2)}:${pad(shifted.getUTCMinutes(), 2)}:${pad(shifted.getUTCSeconds(), 2)}`
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Read a Thailand time (`yyyy-MM-dd HH:mm:ss`, UTC+7) into a `Date`.
 *
 * Strict: exactly that shape (no `T`, no zone, no milliseconds, no surrounding spaces) and a real calendar
 * moment: months 01–12, days that exist in that month (`2024-02-30` is refused, `2024-02-29` is fine),
 * hours 00–23, minutes and seconds 00–59.
 *
 * @param field Name of the field the text came from, used in the error (for example `payTime`).
 * @throws {InvalidRequestError} naming `field` when the text is not such a time.
 * @example
 * ```ts
 * import { parseThailandTime } from 'thaipay';
 *
 * parseThailandTime('2024-03-01 23:59:59', 'payTime').toISOString(); // "2024-03-01T16:59:59.000Z"
 * ```
 */
export function parseThailandTime(text: string, field = 'time'): Date {
  const match = typeof text === 'string' ? THAILAND_TIME.exec(text) : null;
  if (!match) throw InvalidRequestError.field(field, THAILAND_TIME_RULE);
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw InvalidRequestError.field(field, `${THAILAND_TIME_RULE}, with a date that exists`);
  }
  if (hours > 23 || minutes > 59 || seconds > 59) {
    throw InvalidRequestError.field(
      field,
      `${THAILAND_TIME_RULE}, with hours 00-23 and minutes, seconds 00-59`,
    );
  }
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hours, minutes, seconds, 0);
  return new Date(date.getTime() - THAILAND_OFFSET_MS);
}

/**
 * Wait `ms` milliseconds (a create's pause between re-sends).
 *
 * @example
 * ```ts
 * await sleep(500);
 * ```
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
