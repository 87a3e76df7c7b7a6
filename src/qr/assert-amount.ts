/**
 * The last check before a checkout shows a QR: does it ask for exactly the order's amount, in baht, with
 * an intact CRC? A QR from a provider (or from a tampered page) that asks for anything else is refused.
 */
import { InvalidRequestError } from '../core/errors';
import { formatBaht, parseAmount } from '../core/money';
import { parsePromptPayPayload } from './parse';
import type { PromptPayPayload } from './types';

/** The order's amount: baht as a number or decimal string (as everywhere in thaipay), or exact satang. */
export type ExpectedAmount =
  | number
  | string
  | {
      /** The amount in satang, a whole number (1 baht = 100 satang). */
      satang: number;
    };

function expectedSatang(expected: ExpectedAmount): number {
  if (typeof expected === 'object' && expected !== null) {
    if (!Number.isSafeInteger(expected.satang) || expected.satang < 0) {
      throw InvalidRequestError.field('expected.satang', 'must be a whole number of satang, 0 or more');
    }
    return expected.satang;
  }
  return parseAmount(expected, { field: 'expected', allowZero: true });
}

/**
 * Throw unless the QR payload's CRC holds, its currency is THB and its amount is exactly `expected`.
 *
 * @param payload - The QR payload text, or the result of {@link parsePromptPayPayload}.
 * @param expected - The order's amount in baht, as everywhere in thaipay (`300`, `'300.00'`), or exact
 *   satang as `{ satang: 30000 }`.
 * @throws InvalidRequestError (field `payload`) when the payload is malformed, its CRC fails, its currency
 *   is not THB, it carries no amount (a static QR) or a different amount; (field `expected`) when
 *   `expected` itself is not an amount.
 *
 * @example
 * ```ts
 * import { assertQrAmount, renderQrSvg } from 'thaipay/qr';
 *
 * assertQrAmount(deposit.qrPayload, { satang: order.totalSatang }); // or '300.00', or 300
 * const svg = renderQrSvg(deposit.qrPayload);
 * ```
 */
export function assertQrAmount(payload: string | PromptPayPayload, expected: ExpectedAmount): void {
  const want = expectedSatang(expected);
  const qr = typeof payload === 'string' ? parsePromptPayPayload(payload) : payload;
  const wanted = `${formatBaht(want)} THB`;
  if (!qr.crcValid) {
    throw InvalidRequestError.field('payload', `has CRC ${qr.crc} but its content gives ${qr.expectedCrc}`);
  }
  if (qr.currencyCode !== '764') {
    throw InvalidRequestError.field('payload', `is in currency ${qr.currency}, expected ${wanted}`);
  }
  if (qr.amountSatang === undefined) {
    throw InvalidRequestError.field('payload', `carries no amount (a static QR), expected ${wanted}`);
  }
  if (qr.amountSatang !== want) {
    const asked = formatBaht(qr.amountSatang);
    throw InvalidRequestError.field('payload', `asks for ${asked} THB, expected ${wanted}`);
  }
}
