/**
 * PromptPay QR payloads (EMVCo merchant-presented mode, Thai QR Payment standard), built here rather
 * than with the SDK's QR code so that a bug in one cannot hide the same bug in the other.
 *
 * Layout: 00 payload format "01", 01 point of initiation ("12" dynamic, with an amount), 29 PromptPay
 * merchant account (00 AID A000000677010111, then 01 mobile / 02 national id / 03 e-wallet), 53 currency
 * "764", 54 amount, 58 country "TH", 63 CRC-16/CCITT-FALSE over everything before it, "6304" included.
 */

/** The application id of PromptPay credit transfers. */
export const PROMPTPAY_AID = 'A000000677010111';

/** Who receives the money. */
export type PromptPayProxy =
  | { type: 'mobile'; value: string }
  | { type: 'nationalId'; value: string }
  | { type: 'eWallet'; value: string };

/**
 * One EMVCo TLV field: two-digit id, two-digit length, value.
 *
 * @example
 * ```ts
 * tlv('58', 'TH'); // "5802TH"
 * ```
 */
export function tlv(id: string, value: string): string {
  if (value.length > 99) throw new RangeError(`EMVCo field ${id} is longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) as 4 upper-case hex digits.
 *
 * @example
 * ```ts
 * crc16CcittFalse('123456789'); // "29B1"
 * ```
 */
export function crc16CcittFalse(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

function proxyField(proxy: PromptPayProxy): string {
  const digits = proxy.value.replace(/\D/g, '');
  switch (proxy.type) {
    case 'mobile':
      // 0812345678 → 0066812345678: country code 66 replaces the trunk 0, left-padded to 13 digits.
      return tlv('01', `0000000000000${digits.replace(/^0/, '66')}`.slice(-13));
    case 'nationalId':
      return tlv('02', digits);
    case 'eWallet':
      return tlv('03', digits);
  }
}

/**
 * A PromptPay payload for `satang` (dynamic QR) or without amount (static QR) when `satang` is undefined.
 *
 * @example
 * ```ts
 * buildPromptPayPayload({ type: 'mobile', value: '0812345678' }, 100000);
 * // "00020101021229370016A00000067701011101130066812345678530376454071000.005802TH6304...."
 * ```
 */
export function buildPromptPayPayload(proxy: PromptPayProxy, satang?: number): string {
  const merchantAccount = tlv('00', PROMPTPAY_AID) + proxyField(proxy);
  let payload = tlv('00', '01') + tlv('01', satang === undefined ? '11' : '12') + tlv('29', merchantAccount);
  payload += tlv('53', '764');
  if (satang !== undefined) {
    payload += tlv('54', `${Math.trunc(satang / 100)}.${String(satang % 100).padStart(2, '0')}`);
  }
  payload += tlv('58', 'TH');
  payload += '6304';
  return payload + crc16CcittFalse(payload);
}
