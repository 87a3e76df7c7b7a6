/**
 * Baht amounts in the sandbox: satang integers inside, the providers' two spellings outside (the JWT
 * gateway's JSON numbers, THB collect's `"300.00"` strings). Kept local so the sandbox shares no code
 * with the SDK it is meant to check.
 */

/**
 * Satang from a JSON number of baht, or `undefined` when it has more than two decimals or is not finite.
 * `1000.5` → 100050. The sign is kept: callers decide whether zero or less is allowed.
 *
 * @example
 * ```ts
 * satangFromNumber(1000.5); // 100050
 * satangFromNumber(0.001); // undefined
 * ```
 */
export function satangFromNumber(baht: number): number | undefined {
  if (!Number.isFinite(baht)) return undefined;
  const satang = Math.round(baht * 100);
  // A float like 10.1 is 1010.0000000000001 satang: accept it, but refuse real third decimals.
  if (Math.abs(satang - baht * 100) > 1e-6 * Math.max(1, Math.abs(baht))) return undefined;
  if (!Number.isSafeInteger(satang)) return undefined;
  return satang;
}

/**
 * Satang from a decimal string (`"300"`, `"300.5"`, `"300.50"`), or `undefined`.
 *
 * @example
 * ```ts
 * satangFromString('300.50'); // 30050
 * ```
 */
export function satangFromString(baht: string): number | undefined {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(baht);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/**
 * Satang from a number or a string of baht.
 *
 * @example
 * ```ts
 * satangFromInput('12.34'); // 1234
 * ```
 */
export function satangFromInput(baht: number | string): number | undefined {
  return typeof baht === 'number' ? satangFromNumber(baht) : satangFromString(baht);
}

/**
 * THB collect's spelling: `"300.00"`.
 *
 * @example
 * ```ts
 * formatBaht(30000); // "300.00"
 * ```
 */
export function formatBaht(satang: number): string {
  const sign = satang < 0 ? '-' : '';
  const abs = Math.abs(satang);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * The JWT gateway's spelling: a JSON number of baht (`99550` → `995.5`). Display only, never summed.
 *
 * @example
 * ```ts
 * bahtNumber(99500); // 995
 * ```
 */
export function bahtNumber(satang: number): number {
  return Number(formatBaht(satang));
}

/**
 * A fee in satang: `bps` basis points of `satang`, rounded half up. Integers throughout, no float.
 *
 * @example
 * ```ts
 * feeFromBps(100000, 50); // 500 (0.5 % of 1000.00)
 * ```
 */
export function feeFromBps(satang: number, bps: number): number {
  return Math.floor((satang * bps + 5000) / 10000);
}
