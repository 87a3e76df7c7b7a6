/**
 * Thailand time (UTC+7, no daylight saving), as THB collect writes `payTime`: `yyyy-MM-dd HH:mm:ss`.
 */

const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * `yyyy-MM-dd HH:mm:ss` in Thailand time for a moment in ms since epoch.
 *
 * @example
 * ```ts
 * formatThaiTime(Date.UTC(2024, 2, 1, 16, 59, 59)); // "2024-03-01 23:59:59"
 * ```
 */
export function formatThaiTime(ms: number): string {
  return new Date(ms + BANGKOK_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The digits `yyMMddHHmmss` of a moment in Thailand time, used to build THB order numbers.
 *
 * @example
 * ```ts
 * thaiTimeDigits(Date.UTC(2023, 6, 10, 6, 53, 9)); // "230710135309"
 * ```
 */
export function thaiTimeDigits(ms: number): string {
  return formatThaiTime(ms).slice(2).replace(/\D/g, '');
}
