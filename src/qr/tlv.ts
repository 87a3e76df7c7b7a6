/**
 * EMVCo TLV text (`id` 2 digits, `length` 2 digits, `value`), read safely.
 *
 * promptparse's decoder trusts the length field: `parseInt` of a field like `-4` moves its cursor by zero
 * and it loops forever, allocating as it goes (promptparse 1.6.0). A QR payload comes from a scanner or
 * a form, so nothing reaches promptparse before {@link isWellFormedTlv} has checked the whole string.
 */
import { decode } from 'promptparse';
import type { EmvTag } from './types';

const DIGIT_PAIR = /^\d\d$/;

/**
 * Whether `text` is a sequence of complete TLV data objects covering it exactly, each with a two-digit
 * id and a two-digit length matching its value.
 *
 * @example
 * ```ts
 * isWellFormedTlv('000201'); // true
 * isWellFormedTlv('0002'); // false: the value is missing
 * ```
 */
export function isWellFormedTlv(text: string): boolean {
  let index = 0;
  while (index < text.length) {
    const id = text.slice(index, index + 2);
    const length = text.slice(index + 2, index + 4);
    if (!DIGIT_PAIR.test(id) || !DIGIT_PAIR.test(length)) return false;
    index += 4 + Number(length);
    if (index > text.length) return false;
  }
  return text.length > 0;
}

// EMVCo: 26-51 merchant account templates, 62 additional data, 64 language template, 80-99 unreserved.
function isTemplateId(id: string): boolean {
  const n = Number(id);
  return (n >= 26 && n <= 51) || n === 62 || n === 64 || n >= 80;
}

/**
 * Split well-formed TLV text into data objects, decoding the sub-tags of template tags whose value is
 * itself well-formed TLV. Call only after {@link isWellFormedTlv} returned true for `text`.
 *
 * @example
 * ```ts
 * decodeEmvTags('000201'); // [{ id: '00', value: '01' }]
 * ```
 */
export function decodeEmvTags(text: string, nested = true): EmvTag[] {
  return decode(text).map(({ id, value }): EmvTag => {
    if (nested && isTemplateId(id) && isWellFormedTlv(value)) {
      return { id, value, subTags: decodeEmvTags(value, false) };
    }
    return { id, value };
  });
}
