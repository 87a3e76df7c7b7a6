/**
 * EMVCo payloads built by hand, with a CRC computed here, so the QR tests do not trust promptparse to
 * check promptparse.
 */

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor), uppercase hex. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** One data object: id, two-digit length, value. */
export function tlv(id: string, value: string): string {
  return id + String(value.length).padStart(2, '0') + value;
}

/** Append the CRC data object (`6304` + CRC over everything before it, `6304` included). */
export function withCrc(body: string): string {
  const head = `${body}6304`;
  return head + crc16(head);
}

/** A PromptPay credit-transfer QR to a mobile number, the way Thai banking apps write it. */
export function promptPayMobile(mobile13: string, amount?: string): string {
  const merchant = tlv('29', tlv('00', 'A000000677010111') + tlv('01', mobile13));
  const body =
    tlv('00', '01') +
    tlv('01', amount === undefined ? '11' : '12') +
    merchant +
    tlv('53', '764') +
    (amount === undefined ? '' : tlv('54', amount)) +
    tlv('58', 'TH');
  return withCrc(body);
}

/** Replace the CRC of a payload with another (wrong) one. */
export function tamperCrc(payload: string): string {
  const crc = payload.slice(-4);
  const wrong = crc === '0000' ? '0001' : '0000';
  return payload.slice(0, -4) + wrong;
}
